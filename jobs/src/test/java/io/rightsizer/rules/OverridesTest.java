package io.rightsizer.rules;

import static io.rightsizer.rules.Fixtures.DAY;
import static io.rightsizer.rules.Fixtures.HOUR;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.shanghai;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Overrides: how they are read, which one wins, and that evidence names them. */
class OverridesTest {
    static final String FILE = "rules/critical.yaml";

    /** Monday 2026-11-02 00:00 Asia/Shanghai: the start of a calendar week. */
    static final long WEEK = shanghai(2026, 11, 2, 0, 0);

    static RuleSet parse(String yaml) throws RuleSetException {
        return RuleSetParser.parse(yaml, FILE);
    }

    static List<String> problems(String yaml) {
        RuleSetException e = catchThrowableOfType(RuleSetException.class, () -> parse(yaml));
        assertThat(e).as("expected the rule file to be refused").isNotNull();
        return e.problems().stream().map(RuleSetException.Problem::toString).toList();
    }

    static String withOverrides(String overrides) {
        return "version: \"t\"\noverrides:\n" + overrides.stripTrailing() + "\n";
    }

    static final String LAYERED =
            withOverrides(
                    """
                      - name: vm-pinned
                        match: {vmId: vm-7}
                        set:
                          scale-up.memory.weekly-average: {average-above-pct: 90}
                      - name: tax-systems
                        match: {systemId: "tax-*"}
                        set:
                          scale-up.memory.weekly-average: {average-above-pct: 60, min-covered-hours: 24}
                      - name: finance-unit
                        match: {unitId: finance}
                        set:
                          scale-up.memory.weekly-average: {average-above-pct: 65}
                          scale-up.storage.usage: {enabled: false}
                      - name: tax-prod
                        match: {systemId: tax-prod}
                        set:
                          scale-up.memory.weekly-average: {average-above-pct: 55}
                    """);

    @Nested
    class Precedence {
        @Test
        void withoutAMatchTheDefaultsApplyAndNoOverrideIsNamed() throws Exception {
            RuleSet rules = parse(LAYERED);
            RuleSet r = rules.forVm("vm-1", "hr-prod", "hr");
            assertThat(r.weeklyAverage()).isEqualTo(RuleSet.WeeklyAverage.DEFAULT);
            assertThat(r.applied(Rule.WEEKLY_AVERAGE)).isEmpty();
        }

        @Test
        void aSystemMatchBeatsAUnitMatchWhateverTheirOrderInTheFile() throws Exception {
            RuleSet r = parse(LAYERED).forVm("vm-1", "tax-test", "finance");
            assertThat(r.weeklyAverage().averageAbovePct()).isEqualTo(60.0);
            assertThat(r.weeklyAverage().minCoveredHours()).isEqualTo(24);
            assertThat(r.applied(Rule.WEEKLY_AVERAGE))
                    .containsExactly("finance-unit", "tax-systems");
            // Parameters are decided one by one: the unit's storage exemption still applies.
            assertThat(r.storageUsage().enabled()).isFalse();
            assertThat(r.applied(Rule.STORAGE_USAGE)).containsExactly("finance-unit");
        }

        @Test
        void amongMatchesOnTheSameFieldTheLaterEntryWins() throws Exception {
            RuleSet r = parse(LAYERED).forVm("vm-1", "tax-prod", null);
            assertThat(r.weeklyAverage().averageAbovePct()).isEqualTo(55.0);
            assertThat(r.weeklyAverage().minCoveredHours()).isEqualTo(24);
            assertThat(r.applied(Rule.WEEKLY_AVERAGE)).containsExactly("tax-systems", "tax-prod");
        }

        @Test
        void aVmMatchBeatsEverything() throws Exception {
            RuleSet r = parse(LAYERED).forVm("vm-7", "tax-prod", "finance");
            assertThat(r.weeklyAverage().averageAbovePct()).isEqualTo(90.0);
            assertThat(r.applied(Rule.WEEKLY_AVERAGE))
                    .containsExactly("finance-unit", "tax-systems", "tax-prod", "vm-pinned");
        }

        @Test
        void anInformationSystemIsMatchedOnItsSystemAndUnitOnly() throws Exception {
            RuleSet rules =
                    parse(
                            withOverrides(
                                    """
                                      - match: {unitId: finance}
                                        set:
                                          reduce.system.no-business-data: {months: 2}
                                      - match: {systemId: "tax-?"}
                                        set:
                                          reduce.system.no-business-data: {months: 3}
                                    """));
            assertThat(rules.forSystem("tax-a", "finance").noBusinessData().months()).isEqualTo(3);
            assertThat(rules.forSystem("tax-ab", "finance").noBusinessData().months()).isEqualTo(2);
            assertThat(rules.forSystem("tax-ab", "finance").applied(Rule.NO_BUSINESS_DATA))
                    .containsExactly("overrides[0] (unitId=finance)");
            assertThat(rules.forSystem("hr", "hr").noBusinessData().months()).isEqualTo(1);
        }

        @Test
        void globsMatchTheWholeIdAndTreatOtherCharactersLiterally() throws Exception {
            RuleSet rules =
                    parse(
                            withOverrides(
                                    """
                                      - match: {systemId: "tax.prod-*"}
                                        set:
                                          scale-up.storage.usage: {usage-above-pct: 90}
                                    """));
            assertThat(rules.forVm("v", "tax.prod-1", null).storageUsage().usageAbovePct())
                    .isEqualTo(90.0);
            assertThat(rules.forVm("v", "taxXprod-1", null).storageUsage().usageAbovePct())
                    .isEqualTo(70.0);
            assertThat(rules.forVm("v", "old-tax.prod-1", null).storageUsage().usageAbovePct())
                    .isEqualTo(70.0);
        }

        @Test
        void overridesThatCombineIntoContradictingThresholdsLeaveTheScaleUpRuleInCharge()
                throws Exception {
            // Each is valid alone against the defaults (45 < 70, 30 < 40); together 45 >= 40.
            RuleSet rules =
                    parse(
                            withOverrides(
                                    """
                                      - match: {unitId: u}
                                        set:
                                          reduce.memory.weekly-underuse: {average-at-most-pct: 45}
                                      - match: {vmId: v}
                                        set:
                                          scale-up.memory.weekly-average: {average-above-pct: 40}
                                    """));
            RuleSet r = rules.forVm("v", "s", "u");
            assertThat(r.weeklyAverage().averageAbovePct()).isEqualTo(40.0);
            assertThat(r.weeklyUnderuse().averageAtMostPct()).isEqualTo(45.0);
            assertThat(r.weeklyUnderuse().enabled()).isFalse();
            assertThat(rules.forVm("v", "s", "other").weeklyUnderuse().enabled()).isTrue();
        }

        @Test
        void resolvedRuleSetsAreReusedForTheSameCombinationOfMatches() throws Exception {
            RuleSet rules = parse(LAYERED);
            assertThat(rules.forVm("vm-1", "tax-a", "hr"))
                    .isSameAs(rules.forVm("vm-2", "tax-b", "ops"));
        }
    }

    @Nested
    class Evaluation {
        /** A full week at {@code pct}% memory, hourly, for one VM. */
        List<Sample> week(String vm, String system, String unit, double pct) {
            List<Sample> out = new ArrayList<>();
            for (long t = WEEK; t < WEEK + 7 * DAY; t += HOUR) {
                Sample s = running(vm, t, pct);
                s.systemId = system;
                s.unitId = unit;
                out.add(s);
            }
            // The next week's first sample moves the watermark past the week's end.
            Sample next = running(vm, WEEK + 7 * DAY + HOUR, pct);
            next.systemId = system;
            next.unitId = unit;
            out.add(next);
            return out;
        }

        List<Recommendation> judge(RuleSet rules, String vm, String system, String unit) {
            VmDriver d = new VmDriver(rules, vm, Fixtures.BOUND);
            d.feedAll(week(vm, system, unit, 62));
            return d.recommendations();
        }

        @Test
        void aLowerThresholdForACriticalSystemFiresAndTheEvidenceNamesTheOverride()
                throws Exception {
            RuleSet rules = parse(LAYERED);
            List<Recommendation> recs = judge(rules, "vm-1", "tax-prod", "hr");
            assertThat(recs)
                    .extracting(Recommendation::getRuleId)
                    .containsExactly(Rule.WEEKLY_AVERAGE.id());
            Recommendation r = recs.get(0);
            assertThat(r.getEvidence().getOverrides()).containsExactly("tax-systems", "tax-prod");
            assertThat(r.getReason()).contains("> 55%");
            assertThat(r.getRuleSetVersion()).isEqualTo("t");
        }

        @Test
        void theSameWeekElsewhereIsJudgedByTheDefaults() throws Exception {
            assertThat(judge(parse(LAYERED), "vm-1", "hr-prod", "hr")).isEmpty();
        }

        @Test
        void aUnitExemptFromARuleGetsNoneOfItsRecommendations() throws Exception {
            RuleSet rules = parse(LAYERED);
            VmDriver exempt = new VmDriver(rules, "vm-1", Fixtures.BOUND);
            VmDriver other = new VmDriver(rules, "vm-2", Fixtures.BOUND);
            long t = WEEK + HOUR;
            Sample a = Fixtures.withStorage(running("vm-1", t, 40), 85);
            a.unitId = "finance";
            Sample b = Fixtures.withStorage(running("vm-2", t, 40), 85);
            exempt.feedAll(a).end();
            other.feedAll(b).end();
            assertThat(exempt.recommendations()).isEmpty();
            assertThat(other.recommendations())
                    .extracting(Recommendation::getRuleId)
                    .containsExactly(Rule.STORAGE_USAGE.id());
            assertThat(other.recommendations().get(0).getEvidence().getOverrides()).isNull();
        }
    }

    @Nested
    class Reading {
        @Test
        void entriesKeepTheirNameFieldPatternAndTypedValues() throws Exception {
            RuleSet rules = parse(LAYERED);
            List<Overrides.Entry> entries = rules.overrides().entries();
            assertThat(entries)
                    .extracting(Overrides.Entry::name)
                    .containsExactly("vm-pinned", "tax-systems", "finance-unit", "tax-prod");
            assertThat(entries.get(1).field()).isEqualTo(Overrides.Field.SYSTEM);
            assertThat(entries.get(1).pattern()).isEqualTo("tax-*");
            assertThat(entries.get(1).set())
                    .isEqualTo(
                            Map.of(
                                    Rule.WEEKLY_AVERAGE,
                                    Map.of("average-above-pct", 60.0, "min-covered-hours", 24)));
            assertThat(entries.get(2).set().get(Rule.STORAGE_USAGE))
                    .isEqualTo(Map.of("enabled", false));
        }

        @Test
        void durationsAreReadLikeTheRulesSection() throws Exception {
            RuleSet rules =
                    parse(
                            withOverrides(
                                    """
                                      - match: {vmId: "batch-*"}
                                        set:
                                          scale-up.memory.hourly-peaks: {span: 2h, cooldown: 1d}
                                    """));
            RuleSet.HourlyPeaks p = rules.forVm("batch-1", null, null).hourlyPeaks();
            assertThat(p.span()).isEqualTo(Duration.ofHours(2));
            assertThat(p.cooldown()).isEqualTo(Duration.ofDays(1));
            assertThat(p.peakAbovePct()).isEqualTo(80.0);
        }

        @Test
        void aFileWithoutOverridesHasNone() throws Exception {
            assertThat(parse("version: \"t\"\n").overrides().isEmpty()).isTrue();
            assertThat(parse("version: \"t\"\noverrides:\n").overrides().isEmpty()).isTrue();
        }
    }

    @Nested
    class Problems {
        @Test
        void overridesMustBeAList() {
            assertThat(problems("version: \"t\"\noverrides: {vmId: a}\n"))
                    .containsExactly(
                            FILE
                                    + ":2:12: overrides must be a list of {match: {unitId |"
                                    + " systemId | vmId: id or glob}, set: {rule id: {parameter:"
                                    + " value}}}, found a mapping");
        }

        @Test
        void eachEntryMustBeAMapping() {
            assertThat(problems(withOverrides("  - vm-1")))
                    .containsExactly(
                            FILE + ":3:5: overrides[0] must be a mapping with match and set");
        }

        @Test
        void unknownKeysOfAnEntrySuggestTheNearest() {
            assertThat(
                            problems(
                                    withOverrides(
                                            """
                                              - match: {vmId: a}
                                                sett:
                                                  scale-up.storage.usage: {enabled: false}
                                            """)))
                    .containsExactly(
                            FILE + ":3:5: overrides[0] needs set: {rule id: {parameter: value}}",
                            FILE
                                    + ":4:5: unknown key 'sett' in overrides[0] (did you mean"
                                    + " 'set'?)");
        }

        @Test
        void matchIsRequiredAndNamesExactlyOneKnownField() {
            assertThat(
                            problems(
                                    withOverrides(
                                            """
                                              - set:
                                                  scale-up.storage.usage: {enabled: false}
                                              - match: {vmId: a, unitId: b}
                                                set:
                                                  scale-up.storage.usage: {enabled: false}
                                              - match: {vmid: a}
                                                set:
                                                  scale-up.storage.usage: {enabled: false}
                                              - match: {vmId: [a, b]}
                                                set:
                                                  scale-up.storage.usage: {enabled: false}
                                              - match: {vmId: " "}
                                                set:
                                                  scale-up.storage.usage: {enabled: false}
                                            """)))
                    .containsExactly(
                            FILE
                                    + ":3:5: overrides[0] needs match: {unitId | systemId | vmId:"
                                    + " id or glob}",
                            FILE
                                    + ":5:12: overrides[1].match must name exactly one of unitId,"
                                    + " systemId, vmId (an id or a glob with * and ?)",
                            FILE
                                    + ":8:13: unknown key 'vmid' in overrides[2].match (did you"
                                    + " mean 'vmId'?)",
                            FILE + ":11:19: overrides[3].match.vmId must be an id or a glob",
                            FILE + ":14:19: overrides[4].match.vmId must not be empty");
        }

        @Test
        void setMustNameKnownRulesAndParametersWithValidValues() {
            assertThat(
                            problems(
                                    withOverrides(
                                            """
                                              - match: {unitId: finance}
                                                set:
                                                  scale-up.memory.weekly-averge: {average-above-pct: 60}
                                                  scale-up.storage.usage: {usage-above: 80}
                                                  scale-up.memory.hourly-peaks: {min-peaks: 0}
                                                  reduce.vm.inactive: {}
                                            """)))
                    .containsExactly(
                            FILE
                                    + ":5:7: unknown key 'scale-up.memory.weekly-averge' in"
                                    + " overrides[0].set (did you mean"
                                    + " 'scale-up.memory.weekly-average'?)",
                            FILE
                                    + ":6:32: unknown key 'usage-above' in"
                                    + " overrides[0].set.scale-up.storage.usage (did you mean"
                                    + " 'usage-above-pct'?)",
                            FILE
                                    + ":7:49: overrides[0].set.scale-up.memory.hourly-peaks"
                                    + ".min-peaks is 0: allowed from 1 to 64",
                            FILE + ":8:27: overrides[0].set.reduce.vm.inactive sets no parameter");
        }

        @Test
        void setMustChangeSomething() {
            assertThat(problems(withOverrides("  - match: {vmId: a}\n    set: {}")))
                    .containsExactly(
                            FILE
                                    + ":4:10: overrides[0].set must map rule ids to the parameters"
                                    + " to change, found a mapping");
        }

        @Test
        void aVmMatchCannotChangeTheSystemLevelRule() {
            assertThat(
                            problems(
                                    withOverrides(
                                            """
                                              - match: {vmId: vm-1}
                                                set:
                                                  reduce.system.no-business-data: {months: 2}
                                            """)))
                    .containsExactly(
                            FILE
                                    + ":5:39: overrides[0]: reduce.system.no-business-data is"
                                    + " judged per information system, so a vmId match cannot"
                                    + " apply to it (match systemId or unitId)");
        }

        @Test
        void namesMustBeUnique() {
            assertThat(
                            problems(
                                    withOverrides(
                                            """
                                              - name: critical
                                                match: {vmId: a}
                                                set:
                                                  scale-up.storage.usage: {enabled: false}
                                              - name: critical
                                                match: {vmId: b}
                                                set:
                                                  scale-up.storage.usage: {enabled: false}
                                            """)))
                    .containsExactly(
                            FILE
                                    + ":7:11: overrides[1].name 'critical' is already used at"
                                    + " line 3: evidence names the override, so names must be"
                                    + " unique");
        }

        @Test
        void anOverrideMustNotMakeTheWeeklyRulesContradictEachOther() {
            assertThat(
                            problems(
                                    withOverrides(
                                            """
                                              - match: {systemId: batch}
                                                set:
                                                  scale-up.memory.weekly-average: {average-above-pct: 25}
                                            """)))
                    .containsExactly(
                            FILE
                                    + ":5:59: overrides[0]: with it, reduce.memory.weekly-underuse"
                                    + ".average-at-most-pct (30) must be below"
                                    + " scale-up.memory.weekly-average.average-above-pct (25):"
                                    + " otherwise one week could both scale up and reduce the VM");
        }
    }
}
