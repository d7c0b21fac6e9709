package io.rightsizer.rules;

/**
 * A VM's open UTC clock hour, accumulated in its {@link VmState} as {@link VmEvaluator} evaluates
 * samples, and reported once complete as one {@link HourSummary} (rules/README.md, "Utilization
 * history"). The evaluator decides when an hour is complete; this class only keeps its figures.
 */
final class HourSummaries {
    static final long HOUR = 3_600_000L;

    private HourSummaries() {}

    /** The first millisecond of the clock hour holding {@code ts}. */
    static long hourOf(long ts) {
        return Math.floorDiv(ts, HOUR) * HOUR;
    }

    /** Whether the VM has an open hour whose last millisecond is at or before {@code t}. */
    static boolean endedBy(VmState s, long t) {
        return s.hourStart != VmState.NONE && s.hourStart + HOUR - 1 <= t;
    }

    /** Counts an evaluated sample, RUNNING or STOPPED, in the hour starting at {@code hour}. */
    static void count(VmState s, long hour, boolean stopped) {
        if (s.hourStart == VmState.NONE) {
            s.hourStart = hour;
        }
        s.hourSamples++;
        if (stopped) {
            s.hourStoppedSamples++;
        }
    }

    static void addMemory(VmState s, double pct) {
        s.hourMemorySamples++;
        s.hourMemorySum += pct;
        if (s.hourMemorySamples == 1 || pct > s.hourMemoryMax) {
            s.hourMemoryMax = pct;
        }
    }

    static void addStorage(VmState s, double pct) {
        s.hourStorageSamples++;
        if (s.hourStorageSamples == 1 || pct > s.hourStorageMax) {
            s.hourStorageMax = pct;
        }
    }

    /** The open hour's summary (the VM must have one); the hour is closed and its figures reset. */
    static HourSummary close(VmState s, String vmId) {
        HourSummary h = new HourSummary();
        h.vmId = vmId;
        h.systemId = s.systemId;
        h.unitId = s.unitId;
        h.hourStart = s.hourStart;
        h.samples = s.hourSamples;
        h.stoppedSamples = s.hourStoppedSamples;
        h.memorySamples = s.hourMemorySamples;
        if (s.hourMemorySamples > 0) {
            h.memoryMeanPct = s.hourMemorySum / s.hourMemorySamples;
            h.memoryMaxPct = s.hourMemoryMax;
        }
        h.storageSamples = s.hourStorageSamples;
        if (s.hourStorageSamples > 0) {
            h.storageMaxPct = s.hourStorageMax;
        }
        h.peakStarts = s.hourPeakStarts;
        h.memoryTotalBytes = s.memoryTotalBytes;
        h.storageTotalBytes = s.storageTotalBytes;
        reset(s);
        return h;
    }

    private static void reset(VmState s) {
        s.hourStart = VmState.NONE;
        s.hourSamples = 0;
        s.hourStoppedSamples = 0;
        s.hourMemorySamples = 0;
        s.hourMemorySum = 0;
        s.hourMemoryMax = 0;
        s.hourStorageSamples = 0;
        s.hourStorageMax = 0;
        s.hourPeakStarts = 0;
    }
}
