package io.rightsizer.rules.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleSetException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading rule files: the defaults, every kind of problem, and durations. */
class RuleSetParserTest {

    static final String FILE = "rules/article26.yaml";

    /** The example of rules/README.md: the shipped defaults. */
    static final String README_EXAMPLE =
            """
            version: "2026-11-26.1"          # required string, unique per published rule set
            description: Article 26 defaults
            calendar:
              zone: Asia/Shanghai             # IANA zone id; weeks and months are counted in it
            rules:
              scale-up.memory.weekly-average:
                enabled: true
                average-above-pct: 70
                min-covered-hours: 84
              scale-up.memory.hourly-peaks:
                enabled: true
                peak-above-pct: 80
                min-peaks: 3
                span: 60m
                cooldown: 7d
              scale-up.storage.usage:
                enabled: true
                usage-above-pct: 70
                cooldown: 7d
              reduce.memory.weekly-underuse:
                enabled: true
                average-at-most-pct: 30
                peak-at-most-pct: 50
                min-covered-hours: 84
              reduce.vm.inactive:
                enabled: true
                idle-cpu-at-most-pct: 5
                months: 3
              reduce.system.no-business-data:
                enabled: true
                months: 1
              scale-up.memory.emergency:
                enabled: true
                usage-at-least-pct: 95
                for: 15m
                max-gap: 15m
                cooldown: 1d
              scale-up.storage.emergency:
                enabled: true
                usage-at-least-pct: 90
                cooldown: 1d
            """;

    static RuleSet parse(String yaml) throws RuleSetException {
        return RuleSetParser.parse(yaml, FILE);
    }

    static RuleSetException problemsOf(String yaml) {
        RuleSetException e = catchThrowableOfType(RuleSetException.class, () -> parse(yaml));
        assertThat(e).as("expected the rule file to be refused").isNotNull();
        return e;
    }

    /** The only problem reported, as {@code file:line:column: message}. */
    static String onlyProblem(String yaml) {
        RuleSetException e = problemsOf(yaml);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).isEqualTo(e.problems().get(0).toString());
        return e.getMessage();
    }

    static String messageOf(String yaml) {
        RuleSetException e = problemsOf(yaml);
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0).message();
    }

    /** A rule file with one rule's parameters. */
    static String withRule(String ruleId, String params) {
        StringBuilder sb =
                new StringBuilder("version: \"t\"\nrules:\n  ").append(ruleId).append(":\n");
        for (String line : params.split("\n")) {
            sb.append("    ").append(line).append('\n');
        }
        return sb.toString();
    }

    @Nested
    class Defaults {
        @Test
        void readmeExampleParsesToTheShippedDefaults() throws Exception {
            RuleSet rules = parse(README_EXAMPLE);

            assertThat(rules).isEqualTo(RuleSet.defaults("2026-11-26.1"));
            assertThat(rules.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
            assertThat(rules.hourlyPeaks().span()).isEqualTo(Duration.ofMinutes(60));
            assertThat(rules.storageUsage().cooldown().toMillis()).isEqualTo(604_800_000L);
        }

        @Test
        void omittedKeysTakeTheirDefaults() throws Exception {
            RuleSet rules = parse("version: \"v1\"\n");

            assertThat(rules.version()).isEqualTo("v1");
            assertThat(rules.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
            assertThat(rules.weeklyAverage()).isEqualTo(new RuleSet.WeeklyAverage(true, 70, 84));
            assertThat(rules.hourlyPeaks())
                    .isEqualTo(
                            new RuleSet.HourlyPeaks(
                                    true, 80, 3, Duration.ofMinutes(60), Duration.ofDays(7)));
            assertThat(rules.storageUsage())
                    .isEqualTo(new RuleSet.StorageUsage(true, 70, Duration.ofDays(7)));
            assertThat(rules.weeklyUnderuse())
                    .isEqualTo(new RuleSet.WeeklyUnderuse(true, 30, 50, 84));
            assertThat(rules.vmInactive()).isEqualTo(new RuleSet.VmInactive(true, 5, 3));
            assertThat(rules.noBusinessData()).isEqualTo(new RuleSet.NoBusinessData(true, 1));
        }

        @Test
        void partiallyGivenRuleKeepsTheDefaultsOfTheOtherKeys() throws Exception {
            RuleSet rules =
                    parse(
                            withRule(
                                    "scale-up.memory.hourly-peaks",
                                    "min-peaks: 5\nspan: 1h30m\ncooldown: P1D"));

            assertThat(rules.hourlyPeaks())
                    .isEqualTo(
                            new RuleSet.HourlyPeaks(
                                    true, 80, 5, Duration.ofMinutes(90), Duration.ofDays(1)));
        }

        @Test
        void otherZonesAndDisabledRulesAreRead() throws Exception {
            RuleSet rules =
                    parse(
                            """
                            version: "2"
                            calendar:
                              zone: Europe/Berlin
                            rules:
                              reduce.vm.inactive:
                                enabled: false
                                months: 120
                            """);

            assertThat(rules.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
            assertThat(rules.vmInactive()).isEqualTo(new RuleSet.VmInactive(false, 5, 120));
            assertThat(rules.isEnabled(Rule.VM_INACTIVE)).isFalse();
            assertThat(rules.isEnabled(Rule.STORAGE_USAGE)).isTrue();
        }

        @Test
        void boundariesOfTheAllowedRangesAreAccepted() throws Exception {
            RuleSet rules =
                    parse(
                            """
                            version: "edges"
                            rules:
                              scale-up.memory.weekly-average:
                                average-above-pct: 100
                                min-covered-hours: 169
                              scale-up.memory.hourly-peaks:
                                peak-above-pct: 0
                                min-peaks: 64
                                span: 1ms
                                cooldown: 366d
                              scale-up.storage.usage:
                                cooldown: 0ms
                              reduce.memory.weekly-underuse:
                                average-at-most-pct: 0
                                peak-at-most-pct: 100
                                min-covered-hours: 0
                              reduce.vm.inactive:
                                idle-cpu-at-most-pct: 0
                                months: 1
                              reduce.system.no-business-data:
                                months: 120
                            """);

            assertThat(rules.weeklyAverage()).isEqualTo(new RuleSet.WeeklyAverage(true, 100, 169));
            assertThat(rules.hourlyPeaks())
                    .isEqualTo(
                            new RuleSet.HourlyPeaks(
                                    true, 0, 64, Duration.ofMillis(1), Duration.ofDays(366)));
            assertThat(rules.storageUsage().cooldown()).isEqualTo(Duration.ZERO);
            assertThat(rules.weeklyUnderuse())
                    .isEqualTo(new RuleSet.WeeklyUnderuse(true, 0, 100, 0));
            assertThat(rules.vmInactive()).isEqualTo(new RuleSet.VmInactive(true, 0, 1));
            assertThat(rules.noBusinessData().months()).isEqualTo(120);
        }
    }

    @Nested
    class Problems {
        @Test
        void unknownRuleParameterSuggestsTheNearestKey() {
            String yaml =
                    """
                    version: "t"
                    rules:
                      scale-up.memory.weekly-average:
                        average-above-pct: 75
                        min-coverd-hours: 80
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "rules/article26.yaml:5:5: unknown key 'min-coverd-hours' in"
                                    + " scale-up.memory.weekly-average (did you mean"
                                    + " 'min-covered-hours'?)");
        }

        @Test
        void unknownRuleIdSuggestsTheNearestRule() {
            String yaml =
                    """
                    version: "t"
                    rules:
                      scale-up.storage.usag:
                        usage-above-pct: 80
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "rules/article26.yaml:3:3: unknown key 'scale-up.storage.usag' in"
                                    + " rules (did you mean 'scale-up.storage.usage'?)");
        }

        @Test
        void unknownKeyFarFromAnyListsTheKnownKeys() {
            String yaml = "version: \"t\"\ncolour: blue\n";

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "rules/article26.yaml:2:1: unknown key 'colour' in the rule file"
                                    + " (known: version, description, calendar, rules, overrides)");
        }

        @Test
        void wrongTypeOfABooleanIsRefused() {
            assertThat(onlyProblem(withRule("scale-up.storage.usage", "enabled: \"yes\"")))
                    .isEqualTo(
                            "rules/article26.yaml:4:14: scale-up.storage.usage.enabled must be"
                                    + " true or false, found a string");
        }

        @Test
        void wrongTypeOfAPercentageIsRefused() {
            assertThat(messageOf(withRule("scale-up.storage.usage", "usage-above-pct: high")))
                    .isEqualTo(
                            "scale-up.storage.usage.usage-above-pct must be a percentage (a"
                                    + " number from 0 to 100), found a string");
        }

        @Test
        void fractionalCountIsRefused() {
            assertThat(messageOf(withRule("scale-up.memory.hourly-peaks", "min-peaks: 2.5")))
                    .isEqualTo(
                            "scale-up.memory.hourly-peaks.min-peaks must be a whole number, found"
                                    + " '2.5'");
        }

        @Test
        void durationGivenAsANumberIsRefused() {
            assertThat(messageOf(withRule("scale-up.memory.hourly-peaks", "span: 60")))
                    .startsWith("scale-up.memory.hourly-peaks.span must be a duration");
        }

        @ParameterizedTest
        @ValueSource(strings = {"100.5", "-1", "1000"})
        void percentageOutsideZeroToHundredIsRefused(String value) {
            assertThat(
                            messageOf(
                                    withRule(
                                            "scale-up.memory.hourly-peaks",
                                            "peak-above-pct: " + value)))
                    .isEqualTo(
                            "scale-up.memory.hourly-peaks.peak-above-pct is "
                                    + value
                                    + ": a percentage must be from 0 to 100");
        }

        @Test
        void percentageOutsideZeroToHundredIsReportedWithItsPlace() {
            assertThat(onlyProblem(withRule("reduce.vm.inactive", "idle-cpu-at-most-pct: 101")))
                    .isEqualTo(
                            "rules/article26.yaml:4:27: reduce.vm.inactive.idle-cpu-at-most-pct"
                                    + " is 101: a percentage must be from 0 to 100");
        }

        @ParameterizedTest
        @ValueSource(strings = {"60 minutes", "soon", "1x", "h1", "1.5h", "P1M"})
        void unparsableDurationIsRefused(String value) {
            assertThat(
                            messageOf(
                                    withRule(
                                            "scale-up.memory.hourly-peaks",
                                            "span: \"" + value + "\"")))
                    .isEqualTo(
                            "scale-up.memory.hourly-peaks.span '"
                                    + value
                                    + "' is not a duration (use a number with ms, s, m, h, d or"
                                    + " w, e.g. 60m, or ISO-8601 such as PT1H)");
        }

        @Test
        void durationOutOfRangeIsRefused() {
            assertThat(messageOf(withRule("scale-up.memory.hourly-peaks", "span: 8d")))
                    .isEqualTo("scale-up.memory.hourly-peaks.span is 8d: allowed from 1ms to 7d");
            assertThat(messageOf(withRule("scale-up.storage.usage", "cooldown: 367d")))
                    .isEqualTo("scale-up.storage.usage.cooldown is 367d: allowed from 0 to 366d");
            assertThat(messageOf(withRule("scale-up.memory.hourly-peaks", "span: 0ms")))
                    .isEqualTo("scale-up.memory.hourly-peaks.span is 0ms: allowed from 1ms to 7d");
        }

        @Test
        void minPeaksZeroIsRefused() {
            assertThat(onlyProblem(withRule("scale-up.memory.hourly-peaks", "min-peaks: 0")))
                    .isEqualTo(
                            "rules/article26.yaml:4:16: scale-up.memory.hourly-peaks.min-peaks is"
                                    + " 0: allowed from 1 to 64");
        }

        @Test
        void minPeaksAboveTheRememberedStartsIsRefused() {
            assertThat(onlyProblem(withRule("scale-up.memory.hourly-peaks", "min-peaks: 65")))
                    .isEqualTo(
                            "rules/article26.yaml:4:16: scale-up.memory.hourly-peaks.min-peaks is"
                                    + " 65: allowed from 1 to 64");
        }

        @Test
        void otherCountsOutOfRangeAreRefused() {
            assertThat(
                            messageOf(
                                    withRule(
                                            "scale-up.memory.weekly-average",
                                            "min-covered-hours: 170")))
                    .isEqualTo(
                            "scale-up.memory.weekly-average.min-covered-hours is 170: allowed"
                                    + " from 0 to 169");
            assertThat(messageOf(withRule("reduce.vm.inactive", "months: 0")))
                    .isEqualTo("reduce.vm.inactive.months is 0: allowed from 1 to 120");
            assertThat(messageOf(withRule("reduce.system.no-business-data", "months: 121")))
                    .isEqualTo(
                            "reduce.system.no-business-data.months is 121: allowed from 1 to 120");
        }

        @Test
        void underuseAverageEqualToScaleUpAverageIsRefused() {
            String yaml =
                    """
                    version: "t"
                    rules:
                      scale-up.memory.weekly-average:
                        average-above-pct: 40
                      reduce.memory.weekly-underuse:
                        average-at-most-pct: 40
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "rules/article26.yaml:6:26: reduce.memory.weekly-underuse"
                                    + ".average-at-most-pct (40) must be below"
                                    + " scale-up.memory.weekly-average.average-above-pct (40):"
                                    + " otherwise one week could both scale up and reduce the VM");
        }

        @Test
        void underuseAverageAboveTheDefaultScaleUpAverageIsRefused() {
            assertThat(
                            messageOf(
                                    withRule(
                                            "reduce.memory.weekly-underuse",
                                            "average-at-most-pct: 70.5")))
                    .startsWith(
                            "reduce.memory.weekly-underuse.average-at-most-pct (70.5) must be below"
                                    + " scale-up.memory.weekly-average.average-above-pct (70)");
        }

        @Test
        void underuseAverageJustBelowScaleUpAverageIsAccepted() throws Exception {
            RuleSet rules =
                    parse(withRule("reduce.memory.weekly-underuse", "average-at-most-pct: 69.99"));

            assertThat(rules.weeklyUnderuse().averageAtMostPct()).isEqualTo(69.99);
        }

        @Test
        void underuseAverageNotBelowScaleUpAverageIsRefusedEvenWhenOneRuleIsDisabled() {
            // README: "The validator refuses average-at-most-pct >= average-above-pct".
            String yaml =
                    """
                    version: "t"
                    rules:
                      scale-up.memory.weekly-average:
                        enabled: false
                        average-above-pct: 40
                      reduce.memory.weekly-underuse:
                        average-at-most-pct: 45
                    """;

            assertThat(messageOf(yaml))
                    .startsWith(
                            "reduce.memory.weekly-underuse.average-at-most-pct (45) must be below");
        }

        @Test
        void unknownZoneIsRefused() {
            String yaml = "version: \"t\"\ncalendar:\n  zone: Mars/Olympus_Mons\n";

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "rules/article26.yaml:3:9: calendar.zone 'Mars/Olympus_Mons' is not a"
                                    + " known time zone (use an IANA id such as Asia/Shanghai)");
        }

        @Test
        void zoneOfTheWrongTypeIsRefused() {
            assertThat(messageOf("version: \"t\"\ncalendar:\n  zone: 8\n"))
                    .isEqualTo("calendar.zone must be a zone id such as Asia/Shanghai");
        }

        @Test
        void duplicateKeyIsRefused() {
            String yaml =
                    """
                    version: "t"
                    rules:
                      scale-up.storage.usage:
                        usage-above-pct: 80
                        usage-above-pct: 90
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo("rules/article26.yaml:5:5: duplicate key 'usage-above-pct'");
        }

        @Test
        void duplicateRuleIsRefused() {
            String yaml =
                    """
                    version: "t"
                    rules:
                      reduce.vm.inactive:
                        months: 2
                      reduce.vm.inactive:
                        months: 4
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo("rules/article26.yaml:5:3: duplicate key 'reduce.vm.inactive'");
        }

        @Test
        void missingVersionIsRefused() {
            assertThat(messageOf("description: no version\n"))
                    .isEqualTo("version is required (a string, unique per published rule set)");
        }

        @Test
        void everyProblemIsReportedNotJustTheFirst() {
            String yaml =
                    """
                    version: "t"
                    calendar:
                      zone: Nowhere/Land
                    rules:
                      scale-up.memory.hourly-peaks:
                        min-peaks: 0
                        span: soon
                      scale-up.storage.usage:
                        usage-above-pct: 170
                    """;

            RuleSetException e = problemsOf(yaml);

            assertThat(e.problems())
                    .extracting(Problem::file, Problem::line, Problem::column)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(FILE, 3, 9),
                            org.assertj.core.groups.Tuple.tuple(FILE, 6, 16),
                            org.assertj.core.groups.Tuple.tuple(FILE, 7, 11),
                            org.assertj.core.groups.Tuple.tuple(FILE, 9, 22));
            assertThat(e.getMessage().split("\n")).hasSize(4);
        }
    }

    @Nested
    class Durations {
        @ParameterizedTest
        @CsvSource({
            "500ms, 500",
            "90s, 90000",
            "60m, 3600000",
            "1h, 3600000",
            "7d, 604800000",
            "2w, 1209600000",
            "1h30m, 5400000",
            "1d12h, 129600000",
            "PT1H, 3600000",
            "P7D, 604800000",
            "PT1H30M, 5400000",
            "PT0.5S, 500",
            "0ms, 0",
        })
        void parsesShortAndIsoDurationsToExactMilliseconds(String text, long millis) {
            assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {"", "  ", "60", "1x", "h1", "1.5h", "-1h", "1h-30m", "P1M", "P1Y", "PT"})
        void rejectsWhatIsNotAnExactDuration(String text) {
            assertThat(DurationText.parseInRuleFile(text)).isNull();
        }

        @Test
        void sevenDaysAreExactlyMillisecondsNotCalendarDays() {
            assertThat(DurationText.parse("7d").toMillis()).isEqualTo(604_800_000L);
        }
    }

    @Nested
    class EmergencyRules {
        @Test
        void defaultsAreNinetyFivePercentForFifteenMinutesAndNinetyPercentStorage()
                throws Exception {
            RuleSet rules = parse("version: \"v1\"\n");

            assertThat(rules.memoryEmergency())
                    .isEqualTo(
                            new RuleSet.MemoryEmergency(
                                    true,
                                    95,
                                    Duration.ofMinutes(15),
                                    Duration.ofMinutes(15),
                                    Duration.ofDays(1)));
            assertThat(rules.storageEmergency())
                    .isEqualTo(new RuleSet.StorageEmergency(true, 90, Duration.ofDays(1)));
        }

        @Test
        void shippedFileSpellsOutTheDefaults() throws Exception {
            RuleSet shipped = RuleSetParser.parse(Path.of("../rules/article26.yaml"));

            assertThat(shipped.memoryEmergency()).isEqualTo(RuleSet.MemoryEmergency.DEFAULT);
            assertThat(shipped.storageEmergency()).isEqualTo(RuleSet.StorageEmergency.DEFAULT);
        }

        @Test
        void everyParameterIsRead() throws Exception {
            RuleSet rules =
                    parse(
                            withRule(
                                    "scale-up.memory.emergency",
                                    "enabled: false\nusage-at-least-pct: 97.5\nfor: 0ms\n"
                                            + "max-gap: 7d\ncooldown: 366d"));

            assertThat(rules.memoryEmergency())
                    .isEqualTo(
                            new RuleSet.MemoryEmergency(
                                    false,
                                    97.5,
                                    Duration.ZERO,
                                    Duration.ofDays(7),
                                    Duration.ofDays(366)));
            assertThat(
                            parse(
                                            withRule(
                                                    "scale-up.storage.emergency",
                                                    "usage-at-least-pct: 100\ncooldown: 0ms"))
                                    .storageEmergency())
                    .isEqualTo(new RuleSet.StorageEmergency(true, 100, Duration.ZERO));
        }

        @Test
        void forOfZeroFiresOnASingleSampleAndIsAccepted() throws Exception {
            assertThat(
                            parse(withRule("scale-up.memory.emergency", "for: 0ms"))
                                    .memoryEmergency()
                                    .duration())
                    .isEqualTo(Duration.ZERO);
        }

        @Test
        void maxGapOfZeroIsRefused() {
            assertThat(onlyProblem(withRule("scale-up.memory.emergency", "max-gap: 0ms")))
                    .isEqualTo(
                            FILE
                                    + ":4:14: scale-up.memory.emergency.max-gap is 0ms: allowed"
                                    + " from 1ms to 7d");
        }

        @Test
        void forLongerThanSevenDaysIsRefused() {
            assertThat(messageOf(withRule("scale-up.memory.emergency", "for: 7d1ms")))
                    .isEqualTo("scale-up.memory.emergency.for is 7d1ms: allowed from 0 to 7d");
        }

        @Test
        void thresholdAboveHundredIsRefused() {
            assertThat(messageOf(withRule("scale-up.storage.emergency", "usage-at-least-pct: 101")))
                    .isEqualTo(
                            "scale-up.storage.emergency.usage-at-least-pct is 101: a percentage"
                                    + " must be from 0 to 100");
        }

        @Test
        void unknownParameterSuggestsTheNearestKey() {
            assertThat(messageOf(withRule("scale-up.memory.emergency", "max-gaps: 5m")))
                    .contains("'max-gaps'")
                    .contains("max-gap");
        }

        @Test
        void overridesSetEmergencyParametersPerSubject() throws Exception {
            RuleSet rules =
                    parse(
                            "version: t\noverrides:\n  - name: db\n    match: {systemId:"
                                    + " db-*}\n    set: {scale-up.memory.emergency: {for: 5m}}\n");

            RuleSet db = rules.forVm("vm-1", "db-1", "u");
            assertThat(db.memoryEmergency().duration()).isEqualTo(Duration.ofMinutes(5));
            assertThat(db.applied(Rule.MEMORY_EMERGENCY)).containsExactly("db");
            assertThat(rules.forVm("vm-2", "web-1", "u").memoryEmergency().duration())
                    .isEqualTo(Duration.ofMinutes(15));
        }
    }
}
