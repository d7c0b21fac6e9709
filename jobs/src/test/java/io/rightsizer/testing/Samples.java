package io.rightsizer.testing;

import io.rightsizer.model.Sample;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Factory methods for samples and named instants used across tests. */
public final class Samples {
    private Samples() {}

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    public static final long GIB = 1L << 30;
    public static final long MINUTE = 60_000L;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;

    /** Monday 2026-03-02 00:00 in Asia/Shanghai: the start of a week. */
    public static final long MON_2026_03_02 = shanghai(2026, 3, 2, 0, 0);

    public static long shanghai(int y, int mo, int d, int h, int mi) {
        return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, SHANGHAI).toInstant().toEpochMilli();
    }

    /** A RUNNING sample with 16 GiB memory at {@code memPct}% and 100 GiB storage at 40%. */
    public static Sample running(String vm, String system, long ts, double memPct) {
        Sample s = new Sample();
        s.vmId = vm;
        s.systemId = system;
        s.unitId = "unit-1";
        s.timestamp = ts;
        s.memoryTotalBytes = 16 * GIB;
        s.memoryUsedBytes = Math.round(16 * GIB * memPct / 100.0);
        s.storageTotalBytes = 100 * GIB;
        s.storageUsedBytes = 40 * GIB;
        s.cpuUtilizationPct = 30;
        return s;
    }

    public static Sample stopped(String vm, String system, long ts) {
        Sample s = new Sample();
        s.vmId = vm;
        s.systemId = system;
        s.unitId = "unit-1";
        s.timestamp = ts;
        s.stopped = true;
        s.storageTotalBytes = 100 * GIB;
        s.storageUsedBytes = 40 * GIB;
        return s;
    }

    public static Sample withStorage(Sample s, double pct) {
        s.storageUsedBytes = Math.round(s.storageTotalBytes * pct / 100.0);
        return s;
    }

    public static Sample withBusiness(Sample s, long records) {
        s.businessRecords = records;
        return s;
    }
}
