package io.rightsizer.cli;

import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Instant;

/** What the job writes for the data center, as the tail and decide tests need it. */
final class DataCenterRecords {
    static final long GIB = 1L << 30;

    /** Monday 2026-03-09 00:00 in Shanghai: a weekly firing. */
    static final Instant WEEK_CLOSED = Instant.parse("2026-03-08T16:00:00Z");

    /** A storage reading at 91.5 %. */
    static final Instant STORAGE_FULL_AT = Instant.parse("2026-03-09T02:15:30.250Z");

    static final Instant EXPANSION_FROM = Instant.parse("2026-08-01T00:00:00Z");
    static final Instant EXPANSION_UNTIL = Instant.parse("2026-10-12T16:00:00Z");

    /** 7 working days before EXPANSION_UNTIL in Shanghai (rules/README.md, Working days). */
    static final Instant REMINDER_AT = Instant.parse("2026-09-23T16:00:00Z");

    private DataCenterRecords() {}

    /** 16 GiB at a weekly average of 74.2 %: 32 GiB proposed, a major change. */
    static Recommendation memoryScaleUp() {
        return Recommendation.newBuilder()
                .setRecommendationId(
                        Recommendations.id(
                                Rule.WEEKLY_AVERAGE, "vm-00007", WEEK_CLOSED.toEpochMilli()))
                .setRuleId(Rule.WEEKLY_AVERAGE.id())
                .setRuleSetVersion("2026.11.0")
                .setRegulation(Rule.WEEKLY_AVERAGE.regulation())
                .setAction(Rule.WEEKLY_AVERAGE.action())
                .setResource(Rule.WEEKLY_AVERAGE.resource())
                .setVmId("vm-00007")
                .setSystemId("sys-002")
                .setUnitId("unit-01")
                .setFiredAt(WEEK_CLOSED)
                .setEvidence(
                        Evidence.newBuilder()
                                .setWeekStart(WEEK_CLOSED.minusSeconds(7 * 86_400))
                                .setWeekEnd(WEEK_CLOSED)
                                .setWeeklyAveragePct(74.2)
                                .setWeeklyPeakPct(81.0)
                                .setCoveredHours(168)
                                .setSampleCount(2016L)
                                .build())
                .setReason(
                        "weekly average memory 74.2% > 70% (2026-03-02 to 2026-03-09, 168 h"
                                + " covered)")
                .setMemoryTotalBytes(16 * GIB)
                .setStorageTotalBytes(200 * GIB)
                .setProposedMemoryBytes(32 * GIB)
                .setProjectedAveragePct(37.1)
                .setProjectedPeakPct(40.5)
                .setChangePct(100.0)
                .setMajorChange(true)
                .setPriority(Recommendations.PRIORITY_SCALE_UP)
                .build();
    }

    /** 1.5 TiB of storage at 91.5 %: an emergency for which no catalog size fits. */
    static Recommendation storageEmergencyReminder() {
        return Recommendation.newBuilder()
                .setRecommendationId(
                        Recommendations.id(
                                Rule.STORAGE_USAGE, "vm-00012", STORAGE_FULL_AT.toEpochMilli()))
                .setRuleId("scale-up.storage.emergency")
                .setRuleSetVersion("2026.11.0")
                .setRegulation("Article 26")
                .setAction(Rule.STORAGE_USAGE.action())
                .setResource(Rule.STORAGE_USAGE.resource())
                .setVmId("vm-00012")
                .setSystemId("sys-004")
                .setUnitId("unit-02")
                .setFiredAt(STORAGE_FULL_AT)
                .setEvidence(Evidence.newBuilder().setStoragePct(91.5).build())
                .setReason(
                        "storage usage 91.5% >= 90%; no catalog storage size is larger than"
                                + " the current 1536 GiB")
                .setMemoryTotalBytes(8 * GIB)
                .setStorageTotalBytes(1536 * GIB)
                .setEmergency(true)
                .setPriority(Recommendations.PRIORITY_EMERGENCY)
                .setReminder(true)
                .build();
    }

    /** A system without business data: nothing to size, no VM, no unit known. */
    static Recommendation systemReclaim() {
        Instant firedAt = Instant.parse("2026-04-01T00:00:00Z");
        return Recommendation.newBuilder()
                .setRecommendationId(
                        Recommendations.id(
                                Rule.NO_BUSINESS_DATA, "sys-009", firedAt.toEpochMilli()))
                .setRuleId(Rule.NO_BUSINESS_DATA.id())
                .setRuleSetVersion("2026.11.0")
                .setRegulation(Rule.NO_BUSINESS_DATA.regulation())
                .setAction(Rule.NO_BUSINESS_DATA.action())
                .setResource(Rule.NO_BUSINESS_DATA.resource())
                .setSystemId("sys-009")
                .setFiredAt(firedAt)
                .setEvidence(
                        Evidence.newBuilder()
                                .setLastBusinessDataAt(Instant.parse("2026-03-01T00:00:00Z"))
                                .build())
                .setReason("no business data since 2026-03-01")
                .setPriority(Recommendations.PRIORITY_REDUCTION)
                .build();
    }

    /** The reminder 7 working days before a temporary expansion ends. */
    static TimeLimitNotice expansionEnding() {
        return TimeLimitNotice.newBuilder()
                .setNoticeId("5d41402abc4b2a76b9719d911017c592")
                .setKind(NoticeKind.EXPANSION_ENDING)
                .setRegulation("Article 22")
                .setVmId("vm-00003")
                .setSystemId("sys-001")
                .setUnitId("unit-01")
                .setIssuedAt(REMINDER_AT)
                .setFrom(EXPANSION_FROM)
                .setUntil(EXPANSION_UNTIL)
                .setLimitEnd(Instant.parse("2026-10-31T16:00:00Z"))
                .setMemoryBytes(8 * GIB)
                .setStorageBytes(0L)
                .setReason(
                        "the temporary expansion of vm-00003 ends on 2026-10-13; ask for an"
                                + " extension by then (Article 22)")
                .build();
    }
}
