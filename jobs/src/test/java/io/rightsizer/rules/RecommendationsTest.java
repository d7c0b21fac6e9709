package io.rightsizer.rules;

import static io.rightsizer.rules.Fixtures.SYSTEM;
import static io.rightsizer.rules.Fixtures.VM;
import static io.rightsizer.rules.Fixtures.defaults;
import static io.rightsizer.rules.Fixtures.parse;
import static io.rightsizer.rules.Fixtures.raisingWatermarkTo;
import static io.rightsizer.rules.Fixtures.report;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.rules.Fixtures.withStorage;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.sizing.Catalog;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.Recommendation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Recommendation ids: first 16 bytes of SHA-256 over "ruleId|subject|firedAt", lowercase hex. */
class RecommendationsTest {

    /** The README's definition, computed independently of the production code. */
    static String expectedId(String ruleId, String subject, long firedAt) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (ruleId + "|" + subject + "|" + firedAt)
                                            .getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                hex.append(String.format("%02x", digest[i] & 0xff));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void idOfTheReadmeExampleIsTheFirst16BytesOfItsSha256() {
        String id = Recommendations.id(Rule.STORAGE_USAGE, "vm-1", 1767225600000L);

        assertThat(id)
                .isEqualTo(expectedId("scale-up.storage.usage", "vm-1", 1767225600000L))
                .matches("[0-9a-f]{32}");
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void idOfEveryRuleFollowsTheDefinition(Rule rule) {
        assertThat(Recommendations.id(rule, "subject-7", 0L))
                .isEqualTo(expectedId(rule.id(), "subject-7", 0L));
        assertThat(Recommendations.id(rule, "subject-7", 1_800_000_000_123L))
                .isEqualTo(expectedId(rule.id(), "subject-7", 1_800_000_000_123L));
    }

    @Test
    void idIsDeterministic() {
        String first = Recommendations.id(Rule.HOURLY_PEAKS, VM, 1767225600000L);
        String second = Recommendations.id(Rule.HOURLY_PEAKS, VM, 1767225600000L);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void idChangesWithRuleSubjectAndInstant() {
        Set<String> ids = new HashSet<>();
        ids.add(Recommendations.id(Rule.STORAGE_USAGE, "vm-1", 1767225600000L));
        ids.add(Recommendations.id(Rule.HOURLY_PEAKS, "vm-1", 1767225600000L));
        ids.add(Recommendations.id(Rule.STORAGE_USAGE, "vm-2", 1767225600000L));
        ids.add(Recommendations.id(Rule.STORAGE_USAGE, "vm-1", 1767225600001L));

        assertThat(ids).hasSize(4);
    }

    @Test
    void subjectIsHashedAsUtf8() {
        String subject = "vm-数据-ü";

        assertThat(Recommendations.id(Rule.VM_INACTIVE, subject, 42L))
                .isEqualTo(expectedId("reduce.vm.inactive", subject, 42L));
    }

    @Test
    void vmRecommendationIdUsesTheVmIdAndFiredAt() {
        long t = shanghai(2026, 1, 1, 8, 0);
        VmDriver d = new VmDriver(defaults());
        d.feed(withStorage(running(t, 50), 85));
        d.end();

        assertThat(d.recommendations())
                .extracting(Recommendation::getRecommendationId)
                .containsExactly(expectedId("scale-up.storage.usage", VM, t));
    }

    @Test
    void systemRecommendationIdUsesTheSystemId() {
        long reference = shanghai(2026, 1, 10, 10, 0);
        long deadline = shanghai(2026, 2, 10, 10, 0);
        SystemDriver d = new SystemDriver(defaults());
        d.feed(report(reference, 1));
        d.feed(report(raisingWatermarkTo(deadline), 0));

        assertThat(d.recommendations())
                .extracting(Recommendation::getRecommendationId)
                .containsExactly(expectedId("reduce.system.no-business-data", SYSTEM, deadline));
    }

    @Test
    void sameFiringOnTwoRunsHasTheSameId() {
        long t = shanghai(2026, 1, 1, 8, 0);
        VmDriver first = new VmDriver(defaults());
        first.feed(withStorage(running(t, 50), 85));
        first.end();
        VmDriver second = new VmDriver(defaults());
        second.feed(withStorage(running(t, 50), 85));
        second.end();

        assertThat(second.recommendations()).isEqualTo(first.recommendations());
        assertThat(second.recommendations().get(0).getRecommendationId())
                .isEqualTo(first.recommendations().get(0).getRecommendationId());
    }

    // ---------------------------------------------------------------- target sizes

    static final long GIB = Catalog.GIB;
    static final long MON = shanghai(2026, 3, 2, 0, 0);
    static final long TUE_1000 = shanghai(2026, 3, 3, 10, 0);
    static final long NEXT_MON = shanghai(2026, 3, 9, 0, 0);

    /** The shipped sizes with 12 GiB added, so that 8 GiB → 12 GiB is a change of exactly 50 %. */
    static Sizing withTwelveGib() {
        Catalog d = Catalog.defaults();
        return new Sizing(
                new Catalog(
                        java.util.List.of(GIB, 2 * GIB, 4 * GIB, 8 * GIB, 12 * GIB, 16 * GIB),
                        d.storage(),
                        d.memoryScaleUp(),
                        d.memoryScaleDown(),
                        d.storageUsageAtMostPct(),
                        d.majorChangeAbovePct()));
    }

    /** RUNNING, busy CPU, memory at {@code pct} of {@code total} (exact for whole percentages). */
    static io.rightsizer.model.Sample memory(long ts, double pct, long total) {
        return Fixtures.runningBytes(VM, ts, Math.round(pct * total / 100), total);
    }

    /** A whole week of hourly samples at {@code pct} of {@code total}, closed by the watermark. */
    static VmDriver week(VmDriver d, double pct, long total) {
        for (int h = 0; h < 168; h++) {
            d.feed(memory(MON + h * Fixtures.HOUR, pct, total));
        }
        d.feed(Fixtures.running(raisingWatermarkTo(NEXT_MON - 1), 50));
        return d;
    }

    static Recommendation only(VmDriver d, Rule rule) {
        java.util.List<Recommendation> of =
                d.recommendations().stream().filter(r -> r.getRuleId().equals(rule.id())).toList();
        assertThat(of).hasSize(1);
        return of.get(0);
    }

    @Test
    void weeklyScaleUpProposesTheSmallestFittingSizeAndFlagsAMajorChange() {
        Recommendation r = only(week(new VmDriver(defaults()), 75, 8 * GIB), Rule.WEEKLY_AVERAGE);

        assertThat(r.getProposedMemoryBytes()).isEqualTo(16 * GIB);
        assertThat(r.getProposedStorageBytes()).isNull();
        assertThat(r.getProjectedAveragePct()).isEqualTo(37.5);
        assertThat(r.getProjectedPeakPct()).isEqualTo(37.5);
        assertThat(r.getProjectedStoragePct()).isNull();
        assertThat(r.getChangePct()).isEqualTo(100.0);
        assertThat(r.getMajorChange()).isTrue();
        assertThat(r.getEmergency()).isFalse();
        assertThat(r.getPriority()).isEqualTo(Recommendations.PRIORITY_SCALE_UP);
        assertThat(r.getReason())
                .isEqualTo(
                        "weekly average memory 75.0% > 70% (2026-03-02 to 2026-03-09, 168 h"
                                + " covered); proposed memory 16 GiB: projected weekly average"
                                + " 37.5% (at most 60%), peak 37.5% (at most 80%); the change of"
                                + " 8 GiB is more than 50% of the current 8 GiB, so it must go"
                                + " through the full onboarding application (Article 22)");
    }

    @Test
    void changeOfExactlyFiftyPercentIsNotMajor() {
        Recommendation r =
                only(
                        week(new VmDriver(defaults(), withTwelveGib()), 75, 8 * GIB),
                        Rule.WEEKLY_AVERAGE);

        assertThat(r.getProposedMemoryBytes()).isEqualTo(12 * GIB);
        assertThat(r.getProjectedAveragePct()).isEqualTo(50.0);
        assertThat(r.getChangePct()).isEqualTo(50.0);
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getReason())
                .endsWith(
                        "; proposed memory 12 GiB: projected weekly average 50.0% (at most 60%),"
                                + " peak 50.0% (at most 80%)");
    }

    @Test
    void weeklyScaleUpWithoutALargerSizeSaysSoAndProposesNothing() {
        Recommendation r = only(week(new VmDriver(defaults()), 75, 256 * GIB), Rule.WEEKLY_AVERAGE);

        assertThat(r.getProposedMemoryBytes()).isNull();
        assertThat(r.getProjectedAveragePct()).isNull();
        assertThat(r.getProjectedPeakPct()).isNull();
        assertThat(r.getChangePct()).isNull();
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getReason())
                .endsWith(
                        "168 h covered); no size proposed: no catalog memory size is larger"
                                + " than the current 256 GiB");
    }

    @Test
    void inventoryAllocationIsTheCurrentSizeOverTheSamplesTotal() {
        VmDriver d = new VmDriver(defaults());
        d.state.allocatedMemoryBytes = 16 * GIB;
        Recommendation r = only(week(d, 75, 8 * GIB), Rule.WEEKLY_AVERAGE);

        // 75 % of 16 GiB needs 32 GiB (37.5 %); from the samples' 8 GiB it would be 16 GiB.
        assertThat(r.getProposedMemoryBytes()).isEqualTo(32 * GIB);
        assertThat(r.getChangePct()).isEqualTo(100.0);
        assertThat(r.getMemoryTotalBytes()).isEqualTo(8 * GIB);
    }

    @Test
    void inventoryAllocationOfZeroProposesNothingAndSaysWhy() {
        VmDriver d = new VmDriver(defaults());
        d.state.allocatedMemoryBytes = 0;
        Recommendation r = only(week(d, 75, 8 * GIB), Rule.WEEKLY_AVERAGE);

        assertThat(r.getProposedMemoryBytes()).isNull();
        assertThat(r.getChangePct()).isNull();
        assertThat(r.getReason())
                .endsWith("; no size proposed: the inventory records a memory allocation of 0 B");
    }

    @Test
    void unknownAllocationProposesNothingAndSaysWhy() {
        VmState s = new VmState();
        s.systemId = SYSTEM;
        Recommendation r =
                Recommendations.storage(
                        defaults(),
                        new Sizing(Catalog.defaults()),
                        VM,
                        s,
                        TUE_1000,
                        75,
                        75 * GIB,
                        100 * GIB);

        assertThat(r.getProposedStorageBytes()).isNull();
        assertThat(r.getProjectedStoragePct()).isNull();
        assertThat(r.getChangePct()).isNull();
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getReason())
                .isEqualTo(
                        "storage usage 75.0% > 70% (75.0 GiB of 100.0 GiB used); no size"
                                + " proposed: the VM's storage allocation is not known (no"
                                + " inventory record and no storage total in its samples)");
    }

    @Test
    void weeklyUnderuseProposesTheSmallestSmallerSizeKeepingPeakAndAverage() {
        Recommendation r = only(week(new VmDriver(defaults()), 25, 16 * GIB), Rule.WEEKLY_UNDERUSE);

        // 4 GiB would give 100 % (above 70 % and 80 %), so 8 GiB: 50 % average and peak.
        assertThat(r.getProposedMemoryBytes()).isEqualTo(8 * GIB);
        assertThat(r.getProjectedAveragePct()).isEqualTo(50.0);
        assertThat(r.getProjectedPeakPct()).isEqualTo(50.0);
        assertThat(r.getChangePct()).isEqualTo(50.0);
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getPriority()).isEqualTo(Recommendations.PRIORITY_REDUCTION);
        assertThat(r.getReason())
                .isEqualTo(
                        "weekly average memory 25.0% <= 30% and weekly peak 25.0% <= 50%"
                                + " (2026-03-02 to 2026-03-09, 168 h covered); proposed memory 8"
                                + " GiB: projected weekly average 50.0% (at most 70%), peak 50.0%"
                                + " (at most 80%)");
    }

    @Test
    void weeklyUnderuseWithoutASmallerSizeSaysSo() {
        Recommendation r = only(week(new VmDriver(defaults()), 20, GIB), Rule.WEEKLY_UNDERUSE);

        assertThat(r.getProposedMemoryBytes()).isNull();
        assertThat(r.getReason())
                .endsWith(
                        "; no size proposed: no catalog memory size is smaller than the current"
                                + " 1 GiB");
    }

    @Test
    void hourlyPeaksProjectTheWeekToDateIncludingTheFiringSample() {
        VmDriver d = new VmDriver(defaults());
        double[] pct = {50, 85, 50, 85, 50, 85};
        for (int i = 0; i < pct.length; i++) {
            d.feed(memory(TUE_1000 + i * 10 * Fixtures.MINUTE, pct[i], 100 * GIB));
        }
        d.end();
        Recommendation r = only(d, Rule.HOURLY_PEAKS);

        // Week to date: the six samples of Tuesday, the firing one included: 67.5 % and 85 %.
        assertThat(r.getProposedMemoryBytes()).isEqualTo(128 * GIB);
        assertThat(r.getProjectedAveragePct()).isEqualTo(52.734375);
        assertThat(r.getProjectedPeakPct()).isEqualTo(66.40625);
        assertThat(r.getChangePct()).isEqualTo(28.0);
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getReason())
                .isEqualTo(
                        "memory rose above 80% 3 times within 1h (10:10, 10:30, 10:50 on"
                                + " 2026-03-03); now 85.0%; week to date since 2026-03-02:"
                                + " average 67.5%, peak 85.0%; proposed memory 128 GiB: projected"
                                + " weekly average 52.7% (at most 60%), peak 66.4% (at most"
                                + " 80%)");
    }

    @Test
    void hourlyPeaksAtTheWeeksFirstSampleProjectThatSampleAlone() {
        VmDriver d =
                new VmDriver(
                        parse("version: t\nrules: {scale-up.memory.hourly-peaks: {min-peaks: 1}}"));
        d.feed(memory(MON, 90, 100 * GIB));
        d.end();
        Recommendation r = only(d, Rule.HOURLY_PEAKS);

        assertThat(r.getReason())
                .contains("; week to date since 2026-03-02: average 90.0%, peak 90.0%;");
        // 128 GiB would leave 70.3 %, above the 60 % average limit.
        assertThat(r.getProposedMemoryBytes()).isEqualTo(256 * GIB);
        assertThat(r.getProjectedAveragePct()).isEqualTo(35.15625);
        assertThat(r.getProjectedPeakPct()).isEqualTo(35.15625);
    }

    @Test
    void storageProposesTheSmallestStepKeepingTheUsageLimit() {
        VmDriver d = new VmDriver(defaults());
        io.rightsizer.model.Sample x = Fixtures.running(TUE_1000, 50);
        x.storageUsedBytes = 75 * GIB;
        x.storageTotalBytes = 100 * GIB;
        d.feed(x);
        d.end();
        Recommendation r = only(d, Rule.STORAGE_USAGE);

        assertThat(r.getProposedStorageBytes()).isEqualTo(150 * GIB);
        assertThat(r.getProposedMemoryBytes()).isNull();
        assertThat(r.getProjectedStoragePct()).isEqualTo(50.0);
        assertThat(r.getProjectedAveragePct()).isNull();
        assertThat(r.getChangePct()).isEqualTo(50.0);
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getReason())
                .isEqualTo(
                        "storage usage 75.0% > 70% (75.0 GiB of 100.0 GiB used); proposed"
                                + " storage 150 GiB: projected usage 50.0% (at most 60%)");
    }

    @Test
    void reclaimCarriesNoProposal() {
        long spellStart = shanghai(2026, 1, 1, 8, 0);
        long deadline = shanghai(2026, 4, 1, 8, 0);
        VmDriver d = new VmDriver(defaults());
        d.feed(Fixtures.stopped(spellStart));
        d.feed(Fixtures.stopped(raisingWatermarkTo(deadline)));
        Recommendation r = only(d, Rule.VM_INACTIVE);

        assertThat(r.getProposedMemoryBytes()).isNull();
        assertThat(r.getProposedStorageBytes()).isNull();
        assertThat(r.getProjectedAveragePct()).isNull();
        assertThat(r.getProjectedPeakPct()).isNull();
        assertThat(r.getProjectedStoragePct()).isNull();
        assertThat(r.getChangePct()).isNull();
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getPriority()).isEqualTo(Recommendations.PRIORITY_REDUCTION);
        assertThat(r.getReason())
                .isEqualTo(
                        "stopped or idle (CPU at most 5%) without a break since 2026-01-01"
                                + " 08:00: 3 months");
    }
}
