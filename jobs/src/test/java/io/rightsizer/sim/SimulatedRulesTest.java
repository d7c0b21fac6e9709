package io.rightsizer.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.ReplayJob;
import io.rightsizer.rules.InMemoryJudge;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generated fleet through the real evaluators: every expected (rule, subject) pair fires and
 * nothing else does. The smaller runs put the ground truth's "can it fire in this range" conditions
 * to the test with odd starts, coarse intervals and a zone with daylight saving.
 */
class SimulatedRulesTest {
    private static final ZoneId SHANGHAI = RuleSet.DEFAULT_ZONE;

    @Test
    void sixtyVmsOverOneHundredTwentyDaysFireExactlyTheGroundTruth() {
        FleetSimulator sim =
                new FleetSimulator(
                        60,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        120,
                        Duration.ofMinutes(10),
                        20261126L,
                        SHANGHAI);
        GroundTruth.Report report = run(sim, RuleSet.defaults("test"));
        // Long enough for every behaviour to fire.
        Set<String> firedBehaviours = new HashSet<>();
        for (GroundTruth.Outcome o : report.expected()) {
            firedBehaviours.add(o.behaviour());
        }
        assertThat(firedBehaviours)
                .containsExactlyInAnyOrder(
                        "busy",
                        "peaky",
                        "storage-full",
                        "underused",
                        "stopped",
                        "idle",
                        "no-business");
    }

    @Test
    void fifteenMinuteIntervalWithExtraBurstSamplesAndAnOddStart() {
        run(
                new FleetSimulator(
                        30,
                        Instant.parse("2026-02-12T13:37:00Z"),
                        45,
                        Duration.ofMinutes(15),
                        3,
                        SHANGHAI),
                RuleSet.defaults("test"));
    }

    @Test
    void twoHourIntervalCoversExactlyEightyFourHoursAWeek() {
        run(
                new FleetSimulator(
                        40,
                        Instant.parse("2026-01-05T00:00:00Z"),
                        100,
                        Duration.ofHours(2),
                        4,
                        SHANGHAI),
                RuleSet.defaults("test"));
    }

    @Test
    void shortRangesExpectOnlyWhatCanFire() {
        for (int days : new int[] {1, 6, 9, 13, 20, 33}) {
            run(
                    new FleetSimulator(
                            20,
                            Instant.parse("2026-05-06T07:08:09.010Z"),
                            days,
                            Duration.ofMinutes(7),
                            days,
                            SHANGHAI),
                    RuleSet.defaults("test"));
        }
    }

    @Test
    void zoneWithDaylightSaving() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        RuleSet d = RuleSet.defaults("test");
        RuleSet rules =
                new RuleSet(
                        "test",
                        "Berlin",
                        berlin,
                        d.weeklyAverage(),
                        d.hourlyPeaks(),
                        d.storageUsage(),
                        d.weeklyUnderuse(),
                        d.vmInactive(),
                        d.noBusinessData());
        run(
                new FleetSimulator(
                        24,
                        Instant.parse("2026-02-20T22:30:00Z"),
                        110,
                        Duration.ofMinutes(30),
                        8,
                        berlin),
                rules);
    }

    @Test
    void deadlineRulesAreExpectedFromTheFirstRangeThatReachesTheirDeadline() {
        // The day on which the ground truth starts expecting each deadline rule, and the day
        // before: the evaluators must agree on both sides of the flip.
        Instant start = Instant.parse("2026-07-30T09:20:00Z");
        Map<String, Integer> firstDay = new TreeMap<>();
        for (int days = 20; days <= 110; days++) {
            FleetSimulator sim =
                    new FleetSimulator(12, start, days, Duration.ofMinutes(20), 6, SHANGHAI);
            for (GroundTruth.Subject s : sim.groundTruth().subjects()) {
                for (String rule : s.expectedRules()) {
                    if (rule.equals("reduce.vm.inactive")
                            || rule.equals("reduce.system.no-business-data")) {
                        firstDay.putIfAbsent(rule + " " + s.subject(), days);
                    }
                }
            }
        }
        assertThat(firstDay).hasSize(3);
        Set<Integer> ranges = new TreeSet<>();
        for (int d : firstDay.values()) {
            ranges.add(d - 1);
            ranges.add(d);
        }
        for (int days : ranges) {
            run(
                    new FleetSimulator(12, start, days, Duration.ofMinutes(20), 6, SHANGHAI),
                    RuleSet.defaults("test"));
        }
    }

    private static GroundTruth.Report run(FleetSimulator sim, RuleSet rules) {
        RuleHarness h = new RuleHarness(rules);
        sim.generate(h);
        h.finish();
        // The job feeds the system rule only the reports VMs pass on (first, then at most one
        // positive an hour); that must fire exactly what feeding every report fires.
        InMemoryJudge wired = new InMemoryJudge(rules, FleetSimulator.WATERMARK_BOUND.toMillis());
        sim.generate(wired::offer);
        List<Recommendation> all = new ArrayList<>(h.fired);
        List<Recommendation> viaVms = new ArrayList<>(wired.finish());
        all.sort(ReplayJob.ORDER);
        viaVms.sort(ReplayJob.ORDER);
        assertThat(viaVms).containsExactlyElementsOf(all);
        assertThat(h.rejected).isZero();
        assertThat(h.accepted).isEqualTo(sim.validSampleCount());
        GroundTruth.Report report = sim.groundTruth().check(h.fired);
        assertThat(report.passed())
                .as(
                        "%s days, %s, start %s:%n%s",
                        sim.days(), sim.interval(), sim.start(), report.summary())
                .isTrue();
        return report;
    }
}
