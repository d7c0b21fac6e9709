package io.rightsizer.rules.format;

import static io.rightsizer.rules.Fixtures.DAY;
import static io.rightsizer.rules.Fixtures.HOUR;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.testing.Refired.withOverrides;
import static io.rightsizer.testing.Refired.withReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.rules.Fixtures;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison behind {@code rightsizer rules diff}: firings matched by recommendation id. */
class RuleDiffTest {
    private static final long MON = shanghai(2026, 3, 2, 0, 0);
    private static final long WEEK = 7 * DAY;

    // --- added, removed, changed, reworded, unchanged ---

    @Test
    void firingOnlyInTheCandidateIsAdded() {
        Recommendation w1 = weekly("b", "vm-1", MON + WEEK, 75);
        Recommendation w2 = weekly("c", "vm-1", MON + 2 * WEEK, 65);

        RuleDiff diff = RuleDiff.between(List.of(w1), List.of(version(w1, "c"), w2));

        assertFirings(diff, List.of(w2), List.of(), List.of(), 0, 1);
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void firingOnlyInTheBaselineIsRemoved() {
        Recommendation w1 = weekly("b", "vm-1", MON + WEEK, 75);
        Recommendation w2 = weekly("b", "vm-1", MON + 2 * WEEK, 65);

        RuleDiff diff = RuleDiff.between(List.of(w1, w2), List.of(version(w1, "c")));

        assertFirings(diff, List.of(), List.of(w2), List.of(), 0, 1);
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void sameFiringWithOtherEvidenceIsChanged() {
        Recommendation before = weekly("b", "vm-1", MON + WEEK, 75);
        Recommendation after = withOverrides(before, "c", List.of("big-vms"));

        RuleDiff diff = RuleDiff.between(List.of(before), List.of(after));

        assertFirings(
                diff, List.of(), List.of(), List.of(new RuleDiff.Change(before, after)), 0, 0);
        assertThat(diff.changed().get(0).kind()).isEqualTo(RuleDiff.Kind.CHANGED);
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void sameFiringWithOnlyAnotherReasonIsRewordedNotChangedNotListedAndNoDifference() {
        Recommendation before = weekly("b", "vm-1", MON + WEEK, 75); // "... 75.0% > 60%"
        Recommendation after = withReason(before, "c", "weekly average memory 75.0% > 70%");

        RuleDiff diff = RuleDiff.between(List.of(before), List.of(after));

        assertFirings(diff, List.of(), List.of(), List.of(), 1, 0);
        assertThat(diff.byRule()).isEmpty();
        assertThat(diff.byUnit()).isEmpty();
        assertThat(diff.subjects()).isEmpty();
        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void sameFiringWithOtherEvidenceAndOtherReasonIsChangedNotReworded() {
        Recommendation before = weekly("b", "vm-1", MON + WEEK, 75);
        Recommendation after =
                withOverrides(
                        withReason(before, "c", "weekly average memory 75.0% > 70%"),
                        "c",
                        List.of("big-vms"));

        RuleDiff diff = RuleDiff.between(List.of(before), List.of(after));

        assertThat(diff.changed()).containsExactly(new RuleDiff.Change(before, after));
        assertThat(diff.changed().get(0).differences())
                .containsExactly("evidence.overrides", "reason");
        assertThat(diff.reworded()).isZero();
        assertThat(diff.unchanged()).isZero();
        assertThat(diff.byRule())
                .containsExactly(new RuleDiff.Count("scale-up.memory.weekly-average", 0, 0, 1));
        assertThat(diff.subjects()).extracting(RuleDiff.Subject::subject).containsExactly("vm-1");
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void rewordedFiringIsLeftOutOfTheSubjectAndCountsBesideTheRealChanges() {
        Recommendation reworded = weekly("b", "vm-1", MON + WEEK, 75);
        Recommendation rewordedAfter =
                withReason(reworded, "c", "weekly average memory 75.0% > 70%");
        Recommendation added = weekly("c", "vm-1", MON + 2 * WEEK, 65);

        RuleDiff diff = RuleDiff.between(List.of(reworded), List.of(rewordedAfter, added));

        assertThat(diff.added()).containsExactly(added);
        assertThat(diff.reworded()).isEqualTo(1);
        assertThat(diff.byRule())
                .containsExactly(new RuleDiff.Count("scale-up.memory.weekly-average", 1, 0, 0));
        assertThat(diff.byUnit()).containsExactly(new RuleDiff.Count("unit-1", 1, 0, 0));
        assertThat(diff.subjects()).hasSize(1);
        assertThat(diff.subjects().get(0).changes())
                .containsExactly(new RuleDiff.Change(null, added));
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void ruleSetVersionAloneIsNotAChange() {
        Recommendation a = weekly("2026-11-26.1", "vm-1", MON + WEEK, 75);
        Recommendation b = storage("2026-11-26.1", "vm-2", "sys-1", "unit-1", MON + HOUR);

        RuleDiff diff =
                RuleDiff.between(
                        List.of(a, b), List.of(version(b, "2026-11-27.1"), version(a, "x")));

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.unchanged()).isEqualTo(2);
        assertThat(diff.reworded()).isZero();
        assertThat(diff.byRule()).isEmpty();
        assertThat(diff.byUnit()).isEmpty();
        assertThat(diff.subjects()).isEmpty();
    }

    @Test
    void noRecommendationsOnEitherSideIsNoDifference() {
        RuleDiff diff = RuleDiff.between(List.of(), List.of());

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.reworded()).isZero();
        assertThat(diff.unchanged()).isZero();
    }

    @Test
    void twoRecommendationsWithTheSameIdOnOneSideAreRejected() {
        Recommendation a = weekly("b", "vm-1", MON + WEEK, 75);

        assertThatThrownBy(() -> RuleDiff.between(List.of(a, a), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the baseline has two recommendations with id " + a.getRecommendationId());
    }

    // --- counts ---

    @Test
    void countsPerRuleListOnlyRulesWithChangesInRuleIdOrderAndNotRewordedFirings() {
        Recommendation kept = storage("b", "vm-9", "sys-1", "unit-1", MON);
        Recommendation gone = storage("b", "vm-1", "sys-1", "unit-1", MON + HOUR);
        Recommendation w1 = weekly("c", "vm-1", MON + WEEK, 65);
        Recommendation w2 = weekly("c", "vm-2", MON + WEEK, 66);
        Recommendation sys = noBusinessData("c", "sys-1", "unit-1", MON + 30 * DAY);
        Recommendation w3 = weekly("b", "vm-3", MON + 2 * WEEK, 75);
        Recommendation w3changed =
                withOverrides(withReason(w3, "c", "other"), "c", List.of("big-vms"));
        Recommendation w4 = weekly("b", "vm-4", MON + 2 * WEEK, 75);
        Recommendation w4reason = withReason(w4, "c", "other");

        RuleDiff diff =
                RuleDiff.between(
                        List.of(kept, gone, w3, w4),
                        List.of(kept, w1, w2, sys, w3changed, w4reason));

        assertThat(diff.byRule())
                .containsExactly(
                        new RuleDiff.Count("reduce.system.no-business-data", 1, 0, 0),
                        new RuleDiff.Count("scale-up.memory.weekly-average", 2, 0, 1),
                        new RuleDiff.Count("scale-up.storage.usage", 0, 1, 0));
        assertThat(diff.byUnit()).containsExactly(new RuleDiff.Count("unit-1", 3, 1, 1));
        assertThat(diff.reworded()).isEqualTo(1);
        assertThat(diff.unchanged()).isEqualTo(1);
    }

    @Test
    void countsPerUnitPutRecommendationsWithoutAUnitLast() {
        Recommendation a = storage("c", "vm-1", "sys-1", "unit-b", MON);
        Recommendation b = storage("c", "vm-2", "sys-1", null, MON);
        Recommendation c = storage("b", "vm-3", "sys-1", "unit-a", MON);
        Recommendation d = storage("c", "vm-4", "sys-1", "unit-a", MON);

        RuleDiff diff = RuleDiff.between(List.of(c), List.of(a, b, d));

        assertThat(diff.byUnit())
                .containsExactly(
                        new RuleDiff.Count("unit-a", 1, 1, 0),
                        new RuleDiff.Count("unit-b", 1, 0, 0),
                        new RuleDiff.Count(null, 1, 0, 0));
        assertThat(RuleDiff.unitLabel(diff.byUnit().get(2).key())).isEqualTo("(no unit)");
    }

    // --- subjects and order ---

    @Test
    void subjectsAreOrderedByUnitThenSubjectAndTheirChangesByFiredAtThenRule() {
        Recommendation z1 = storage("c", "vm-z", "sys-1", "unit-1", MON + WEEK);
        Recommendation z2 = weekly("c", "vm-z", MON + WEEK, 65); // same firedAt, rule after
        Recommendation z0 = storage("b", "vm-z", "sys-1", "unit-1", MON);
        Recommendation a = storage("c", "vm-a", "sys-2", "unit-2", MON);
        Recommendation n = storage("c", "vm-0", "sys-3", null, MON);
        Recommendation m = storage("c", "vm-m", "sys-1", "unit-1", MON + 2 * WEEK);

        RuleDiff diff = RuleDiff.between(List.of(z0), List.of(m, a, n, z2, z1));

        assertThat(diff.subjects())
                .extracting(RuleDiff.Subject::subject)
                .containsExactly("vm-m", "vm-z", "vm-a", "vm-0");
        RuleDiff.Subject z = diff.subjects().get(1);
        assertThat(z.changes())
                .containsExactly(
                        new RuleDiff.Change(z0, null),
                        new RuleDiff.Change(null, z2),
                        new RuleDiff.Change(null, z1));
        assertThat(z.baseline()).containsExactly(z0);
        assertThat(z.candidate()).containsExactly(z2, z1);
        assertThat(z.vmId()).isEqualTo("vm-z");
        assertThat(z.systemId()).isEqualTo("sys-1");
        assertThat(z.unitId()).isEqualTo("unit-1");
        assertThat(diff.subjects().get(3).unitId()).isNull();
    }

    @Test
    void addedAndRemovedAreInFiringOrder() {
        Recommendation late = storage("c", "vm-a", "sys-1", "unit-1", MON + WEEK);
        Recommendation early = storage("c", "vm-b", "sys-1", "unit-1", MON);
        Recommendation sameTimeOtherRule = weekly("c", "vm-a", MON, 70.5);

        RuleDiff diff = RuleDiff.between(List.of(), List.of(late, sameTimeOtherRule, early));

        assertThat(diff.added()).containsExactly(sameTimeOtherRule, early, late);
    }

    @Test
    void systemLevelRecommendationIsGroupedUnderItsSystem() {
        Recommendation before = noBusinessData("b", "sys-7", "unit-3", MON + 30 * DAY);
        Recommendation after = noBusinessData("c", "sys-7", "unit-3", MON + 60 * DAY);

        RuleDiff diff = RuleDiff.between(List.of(before), List.of(after));

        assertThat(diff.subjects()).hasSize(1);
        RuleDiff.Subject s = diff.subjects().get(0);
        assertThat(s.subject()).isEqualTo("sys-7");
        assertThat(s.vmId()).isNull();
        assertThat(s.systemId()).isEqualTo("sys-7");
        assertThat(s.systemLevel()).isTrue();
        assertThat(s.baseline()).containsExactly(before);
        assertThat(s.candidate()).containsExactly(after);
    }

    @Test
    void vmAndSystemWithTheSameNameAreTwoSubjectsVmFirst() {
        Recommendation sys = noBusinessData("c", "x-1", "unit-1", MON);
        Recommendation vm = storage("c", "x-1", "x-1", "unit-1", MON);

        RuleDiff diff = RuleDiff.between(List.of(), List.of(sys, vm));

        assertThat(diff.subjects())
                .extracting(RuleDiff.Subject::subject, RuleDiff.Subject::systemLevel)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("x-1", false),
                        org.assertj.core.groups.Tuple.tuple("x-1", true));
    }

    // --- how a recommendation is shown ---

    @Test
    void differencesNameTheChangedFieldsButNeverTheRuleSetVersion() {
        Recommendation before = weekly("b", "vm-1", MON + WEEK, 75);
        Recommendation after =
                Recommendation.newBuilder(before)
                        .setRuleSetVersion("c")
                        .setReason("other")
                        .setEvidence(
                                Evidence.newBuilder(before.getEvidence())
                                        .setWeeklyPeakPct(81.0)
                                        .setOverrides(List.of("big-vms"))
                                        .build())
                        .build();

        assertThat(new RuleDiff.Change(before, after).differences())
                .containsExactly("evidence.weeklyPeakPct", "evidence.overrides", "reason");
        assertThat(new RuleDiff.Change(before, null).differences()).isEmpty();
        assertThat(new RuleDiff.Change(null, after).differences()).isEmpty();
    }

    // --- how a recommendation is shown ---

    @Test
    void describeShowsFiredAtRuleReasonAndOnlyTheNonNullEvidenceInSchemaOrder() {
        Recommendation r = weekly("b", "vm-1", MON + WEEK, 65.25);

        assertThat(RuleDiff.describe(r, Fixtures.SHANGHAI))
                .isEqualTo(
                        "2026-03-09T00:00:00+08:00 scale-up.memory.weekly-average weekly average"
                                + " memory 65.3% > 60% {weekStart=2026-03-02T00:00:00+08:00"
                                + " weekEnd=2026-03-09T00:00:00+08:00 weeklyAveragePct=65.25"
                                + " weeklyPeakPct=80 coveredHours=168 sampleCount=336}");
        assertThat(RuleDiff.describe(r, java.time.ZoneOffset.UTC))
                .startsWith("2026-03-08T16:00:00Z scale-up.memory.weekly-average ");
        assertThat(RuleDiff.detail(r, Fixtures.SHANGHAI))
                .isEqualTo(
                        "weekly average memory 65.3% > 60% {weekStart=2026-03-02T00:00:00+08:00"
                                + " weekEnd=2026-03-09T00:00:00+08:00 weeklyAveragePct=65.25"
                                + " weeklyPeakPct=80 coveredHours=168 sampleCount=336}");
    }

    @Test
    void evidenceShowsListsAndFieldsAddedToTheSchemaSuchAsOverrides() {
        Recommendation r =
                Recommendation.newBuilder(storage("b", "vm-1", "sys-1", "unit-1", MON))
                        .setEvidence(
                                Evidence.newBuilder()
                                        .setPeakStarts(
                                                List.of(
                                                        Instant.ofEpochMilli(MON),
                                                        Instant.ofEpochMilli(MON + HOUR)))
                                        .setMemoryPct(85.5)
                                        .setOverrides(List.of("unit-1 peaks", "vm-1"))
                                        .build())
                        .build();

        assertThat(RuleDiff.evidence(r, Fixtures.SHANGHAI))
                .isEqualTo(
                        "{peakStarts=[2026-03-02T00:00:00+08:00, 2026-03-02T01:00:00+08:00]"
                                + " memoryPct=85.5 overrides=[unit-1 peaks, vm-1]}");
    }

    // --- fixtures ---

    /**
     * Asserts the firings {@code diff} lists as added, removed and changed, and how many it counts
     * as reworded and unchanged.
     */
    private static void assertFirings(
            RuleDiff diff,
            List<Recommendation> added,
            List<Recommendation> removed,
            List<RuleDiff.Change> changed,
            int reworded,
            int unchanged) {
        assertThat(diff.added()).as("added").containsExactlyElementsOf(added);
        assertThat(diff.removed()).as("removed").containsExactlyElementsOf(removed);
        assertThat(diff.changed()).as("changed").containsExactlyElementsOf(changed);
        assertThat(diff.reworded()).as("reworded").isEqualTo(reworded);
        assertThat(diff.unchanged()).as("unchanged").isEqualTo(unchanged);
    }

    private static Recommendation weekly(String version, String vm, long weekEnd, double avg) {
        return base(Rule.WEEKLY_AVERAGE, version, vm, "sys-1", "unit-1", weekEnd)
                .setEvidence(
                        Evidence.newBuilder()
                                .setWeekStart(Instant.ofEpochMilli(weekEnd - WEEK))
                                .setWeekEnd(Instant.ofEpochMilli(weekEnd))
                                .setWeeklyAveragePct(avg)
                                .setWeeklyPeakPct(80.0)
                                .setCoveredHours(168)
                                .setSampleCount(336L)
                                .build())
                .setReason(
                        String.format(
                                java.util.Locale.ROOT, "weekly average memory %.1f%% > 60%%", avg))
                .build();
    }

    private static Recommendation storage(
            String version, String vm, String system, String unit, long firedAt) {
        return base(Rule.STORAGE_USAGE, version, vm, system, unit, firedAt)
                .setEvidence(Evidence.newBuilder().setStoragePct(75.0).build())
                .setReason("storage usage 75.0% > 70%")
                .build();
    }

    private static Recommendation noBusinessData(
            String version, String system, String unit, long firedAt) {
        return base(Rule.NO_BUSINESS_DATA, version, null, system, unit, firedAt)
                .setEvidence(
                        Evidence.newBuilder()
                                .setLastBusinessDataAt(Instant.ofEpochMilli(firedAt - 30 * DAY))
                                .build())
                .setReason("no business data for 1 month")
                .build();
    }

    private static Recommendation.Builder base(
            Rule rule, String version, String vm, String system, String unit, long firedAt) {
        return Recommendation.newBuilder()
                .setRecommendationId(Recommendations.id(rule, vm != null ? vm : system, firedAt))
                .setRuleId(rule.id())
                .setRuleSetVersion(version)
                .setRegulation(rule.regulation())
                .setAction(rule.action())
                .setResource(rule.resource())
                .setVmId(vm)
                .setSystemId(system)
                .setUnitId(unit)
                .setFiredAt(Instant.ofEpochMilli(firedAt))
                .setMemoryTotalBytes(16L << 30)
                .setStorageTotalBytes(100L << 30);
    }

    private static Recommendation version(Recommendation r, String version) {
        return Recommendation.newBuilder(r).setRuleSetVersion(version).build();
    }
}
