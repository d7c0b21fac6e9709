package io.rightsizer.history;

import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.Resource;
import java.time.Instant;
import java.util.List;

/** Named instants and records of the utilization history, with known line-protocol values. */
final class HistoryFixtures {
    private HistoryFixtures() {}

    static final long GIB = 1L << 30;

    /** 2026-03-03T02:00:00Z, Tuesday 10:00 in Asia/Shanghai: an hour's start. */
    static final long HOUR_START = Instant.parse("2026-03-03T02:00:00Z").toEpochMilli();

    /** Monday 2026-03-02 00:00 in Asia/Shanghai (2026-03-01T16:00:00Z): a week's start. */
    static final long WEEK_START = Instant.parse("2026-03-01T16:00:00Z").toEpochMilli();

    static final long WEEK_END = Instant.parse("2026-03-08T16:00:00Z").toEpochMilli();

    /** When the weekly rule fired, with a millisecond part to show ms precision. */
    static final long FIRED = Instant.parse("2026-03-09T00:30:15.250Z").toEpochMilli();

    static final long LAST_SAMPLE = Instant.parse("2026-03-03T05:00:00Z").toEpochMilli();
    static final long SILENT_DETECTED = Instant.parse("2026-03-03T06:00:00Z").toEpochMilli();

    static final String VM = "vm-1";
    static final String SYSTEM = "sys-1";

    /** A tag value with a space and a comma, which the line protocol must escape. */
    static final String UNIT = "Unit A, Finance";

    static final String WEEKLY_AVERAGE = "scale-up.memory.weekly-average";
    static final String NO_BUSINESS_DATA = "reduce.system.no-business-data";

    /** An hour with 12 samples, 2 of them STOPPED, memory and storage readings and a peak. */
    static HourSummary busyHour() {
        HourSummary h = new HourSummary();
        h.vmId = VM;
        h.systemId = SYSTEM;
        h.unitId = UNIT;
        h.hourStart = HOUR_START;
        h.samples = 12;
        h.stoppedSamples = 2;
        h.memorySamples = 10;
        h.memoryMeanPct = 71.25;
        h.memoryMaxPct = 96.5;
        h.storageSamples = 12;
        h.storageMaxPct = 40.0;
        h.peakStarts = 1;
        h.memoryTotalBytes = 16 * GIB;
        h.storageTotalBytes = 100 * GIB;
        return h;
    }

    /** An hour of STOPPED samples only: no memory or storage reading, sizes unknown, no unit. */
    static HourSummary stoppedHour() {
        HourSummary h = new HourSummary();
        h.vmId = VM;
        h.systemId = SYSTEM;
        h.unitId = null;
        h.hourStart = HOUR_START;
        h.samples = 12;
        h.stoppedSamples = 12;
        return h;
    }

    static WeekSummary judgedWeek() {
        WeekSummary w = new WeekSummary();
        w.vmId = VM;
        w.systemId = SYSTEM;
        w.unitId = UNIT;
        w.weekStart = WEEK_START;
        w.weekEnd = WEEK_END;
        w.averagePct = 82.5;
        w.peakPct = 100.0;
        w.coveredHours = 120;
        w.samples = 1440;
        w.judged = true;
        return w;
    }

    /** A memory scale-up of the weekly average rule, with every number the rule gives. */
    static Recommendation weeklyScaleUp() {
        return Recommendation.newBuilder()
                .setRecommendationId("3f0c9a4be1d27c65")
                .setRuleId(WEEKLY_AVERAGE)
                .setRuleSetVersion("2026.11.0")
                .setRegulation("Article 26(1)1")
                .setAction(Action.SCALE_UP)
                .setResource(Resource.MEMORY)
                .setVmId(VM)
                .setSystemId(SYSTEM)
                .setUnitId(UNIT)
                .setFiredAt(Instant.ofEpochMilli(FIRED))
                .setEvidence(
                        Evidence.newBuilder()
                                .setWeekStart(Instant.ofEpochMilli(WEEK_START))
                                .setWeekEnd(Instant.ofEpochMilli(WEEK_END))
                                .setWeeklyAveragePct(82.5)
                                .setWeeklyPeakPct(100.0)
                                .setCoveredHours(120)
                                .setPeakStarts(
                                        List.of(
                                                Instant.ofEpochMilli(HOUR_START),
                                                Instant.ofEpochMilli(HOUR_START + 3_600_000)))
                                .setSampleCount(1440L)
                                .build())
                .setReason("weekly average 82.5% is above 70%: \"scale up\"")
                .setMemoryTotalBytes(16 * GIB)
                .setStorageTotalBytes(100 * GIB)
                .setProposedMemoryBytes(32 * GIB)
                .setChangePct(100.0)
                .setMajorChange(true)
                .setPriority(2)
                .build();
    }

    /** A system-level reclaim: no VM, no unit, no numbers in the evidence. */
    static Recommendation systemReclaim() {
        return Recommendation.newBuilder()
                .setRecommendationId("a1b2c3")
                .setRuleId(NO_BUSINESS_DATA)
                .setRuleSetVersion("2026.11.0")
                .setRegulation("Article 26(2)3")
                .setAction(Action.RECLAIM)
                .setResource(Resource.SYSTEM)
                .setVmId(null)
                .setSystemId(SYSTEM)
                .setUnitId(null)
                .setFiredAt(Instant.ofEpochMilli(FIRED))
                .setEvidence(Evidence.newBuilder().build())
                .setReason("no business data")
                .setPriority(3)
                .build();
    }

    static Recommendation reminderOf(Recommendation r) {
        return Recommendation.newBuilder(r).setReminder(true).build();
    }

    static DataQualityEvent silence() {
        return DataQualityEvent.newBuilder()
                .setEventId("dq-1")
                .setKind(DataQualityKind.TELEMETRY_SILENT)
                .setVmId(VM)
                .setSystemId(SYSTEM)
                .setUnitId(UNIT)
                .setLastSampleAt(Instant.ofEpochMilli(LAST_SAMPLE))
                .setDetectedAt(Instant.ofEpochMilli(SILENT_DETECTED))
                .setSilentForMillis(SILENT_DETECTED - LAST_SAMPLE)
                .setSilenceAfterMillis(3_600_000L)
                .build();
    }
}
