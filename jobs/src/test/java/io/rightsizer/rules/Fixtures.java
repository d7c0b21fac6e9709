package io.rightsizer.rules;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.format.RuleSetParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Named instants, sample factories and rule sets shared by the rule tests. */
public final class Fixtures {
    private Fixtures() {}

    public static final String VM = "vm-1";
    public static final String SYSTEM = "sys-1";
    public static final String UNIT = "unit-1";

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    public static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    public static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    public static final long SECOND = 1_000L;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;

    /** The job's default out-of-orderness bound. */
    public static final long BOUND = 5 * MINUTE;

    /** Totals chosen so that every percentage with up to 7 decimals is an exact byte count. */
    public static final long MEMORY_TOTAL = 1_000_000_000L;

    public static final long STORAGE_TOTAL = 1_000_000_000L;

    /** Neutral CPU reading: clearly active. */
    public static final double BUSY_CPU = 50.0;

    public static long at(ZoneId zone, int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, zone)
                .toInstant()
                .toEpochMilli();
    }

    public static long shanghai(int year, int month, int day, int hour, int minute) {
        return at(SHANGHAI, year, month, day, hour, minute);
    }

    /** The arrival timestamp that makes the job's watermark exactly {@code watermark}. */
    public static long raisingWatermarkTo(long watermark) {
        return watermark + BOUND + 1;
    }

    public static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

    public static long bytesOf(double pct, long total) {
        return Math.round(pct * (total / 100));
    }

    private static Sample base(String vm, long ts, boolean stopped) {
        Sample s = new Sample();
        s.vmId = vm;
        s.systemId = SYSTEM;
        s.unitId = UNIT;
        s.timestamp = ts;
        s.stopped = stopped;
        return s;
    }

    /** RUNNING, busy CPU, memory at {@code memPct} percent. */
    public static Sample running(String vm, long ts, double memPct) {
        return runningBytes(vm, ts, bytesOf(memPct, MEMORY_TOTAL), MEMORY_TOTAL);
    }

    public static Sample running(long ts, double memPct) {
        return running(VM, ts, memPct);
    }

    public static Sample runningBytes(String vm, long ts, long used, long total) {
        Sample s = base(vm, ts, false);
        s.cpuUtilizationPct = BUSY_CPU;
        s.memoryUsedBytes = used;
        s.memoryTotalBytes = total;
        return s;
    }

    /** RUNNING with a busy CPU but no memory readings (not counted for the memory rules). */
    public static Sample runningWithoutMemory(long ts) {
        Sample s = base(VM, ts, false);
        s.cpuUtilizationPct = BUSY_CPU;
        return s;
    }

    /** RUNNING with the given CPU and no memory readings. */
    public static Sample runningAtCpu(long ts, double cpuPct) {
        Sample s = base(VM, ts, false);
        s.cpuUtilizationPct = cpuPct;
        return s;
    }

    /** RUNNING with memory readings but no CPU reading. */
    public static Sample runningWithoutCpu(long ts, double memPct) {
        Sample s = running(ts, memPct);
        s.cpuUtilizationPct = Double.NaN;
        return s;
    }

    public static Sample stopped(String vm, long ts) {
        return base(vm, ts, true);
    }

    public static Sample stopped(long ts) {
        return stopped(VM, ts);
    }

    public static Sample withStorage(Sample s, double pct) {
        s.storageUsedBytes = bytesOf(pct, STORAGE_TOTAL);
        s.storageTotalBytes = STORAGE_TOTAL;
        return s;
    }

    public static Sample withRecords(Sample s, long records) {
        s.businessRecords = records;
        return s;
    }

    public static Sample copy(Sample x) {
        Sample s = new Sample();
        s.vmId = x.vmId;
        s.systemId = x.systemId;
        s.unitId = x.unitId;
        s.timestamp = x.timestamp;
        s.stopped = x.stopped;
        s.memoryUsedBytes = x.memoryUsedBytes;
        s.memoryTotalBytes = x.memoryTotalBytes;
        s.storageUsedBytes = x.storageUsedBytes;
        s.storageTotalBytes = x.storageTotalBytes;
        s.cpuUtilizationPct = x.cpuUtilizationPct;
        s.businessRecords = x.businessRecords;
        return s;
    }

    public static BusinessReport report(String unit, long ts, long records) {
        return BusinessReport.of(SYSTEM, unit, ts, records);
    }

    public static BusinessReport report(long ts, long records) {
        return report(UNIT, ts, records);
    }

    public static RuleSet defaults() {
        return RuleSet.defaults("test");
    }

    /** The default thresholds judged in another calendar zone. */
    public static RuleSet defaultsIn(ZoneId zone) {
        RuleSet d = defaults();
        return new RuleSet(
                d.version(),
                d.description(),
                zone,
                d.weeklyAverage(),
                d.hourlyPeaks(),
                d.storageUsage(),
                d.weeklyUnderuse(),
                d.vmInactive(),
                d.noBusinessData());
    }

    /** A rule set parsed from YAML, failing the test if it does not parse. */
    public static RuleSet parse(String yaml) {
        try {
            return RuleSetParser.parse(yaml, "test.yaml");
        } catch (RuleSetException e) {
            throw new AssertionError("rule set does not parse:\n" + e.getMessage(), e);
        }
    }
}
