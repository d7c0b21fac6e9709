package io.rightsizer.rules;

import io.rightsizer.model.Sample;

/**
 * Everything the rules remember about one VM. Its size does not grow with the number of samples: a
 * few counters for the current week, the peak starts within one span, the inactive spell, the last
 * firing of each repeating rule, and the samples that arrived ahead of the watermark (at most as
 * many as fit in the out-of-orderness bound).
 *
 * <p>A Flink POJO: public fields and a public no-arg constructor, so Flink serializes it without
 * Kryo and can evolve it (add or remove fields) across savepoints. It holds no Flink bookkeeping:
 * the vm-rules operator keeps its wake-up and tracking apart (io.rightsizer.job.VmWakeUp) and
 * buffers the samples of a VM in a list state of its own and hands them to {@link #pending} at the
 * VM's wake-up, where those the watermark has not passed yet stay.
 */
public class VmState {
    public static final long NONE = Long.MIN_VALUE;
    private static final Sample[] NO_SAMPLES = new Sample[0];
    private static final long[] NO_TIMES = new long[0];

    /**
     * Samples not yet evaluated because the watermark has not passed them, by timestamp: the first
     * {@link #pendingCount} slots (the array may have spare capacity, so a backlog read ahead of
     * the watermark costs amortized O(1) per sample).
     */
    public Sample[] pending = NO_SAMPLES;

    public int pendingCount;

    /** Timestamp of the latest evaluated sample, NONE before the first. */
    public long lastEvaluatedAt = NONE;

    public String systemId;
    public String unitId;

    /** Latest allocation seen, -1 when never reported. */
    public long memoryTotalBytes = -1;

    public long storageTotalBytes = -1;

    /**
     * The allocation from the inventory (vm-inventory), -1 when the VM has no inventory record:
     * then the allocation seen in its samples stands in.
     */
    public long allocatedMemoryBytes = -1;

    public long allocatedStorageBytes = -1;

    /**
     * The weekly rules judge only weeks starting at or after this instant: the first week the VM
     * spends entirely at its size after its last resize; NONE when it was never resized.
     */
    public long judgeWeeksFrom = NONE;

    /** Start of the week being accumulated, NONE when no counted sample since the last close. */
    public long weekStart = NONE;

    public long weekEnd = NONE;
    public long weekSamples;

    /** Neumaier-compensated sum of memory%: sum plus compensation. */
    public double weekSum;

    public double weekCompensation;
    public double weekPeak;
    public int weekCoveredHours;
    public long weekLastHour = NONE;

    /**
     * The clock hour being summarized (utilization history): its first millisecond, NONE when no
     * sample was evaluated since the last hour was closed. The allocation, systemId and unitId of
     * the summary are the VM's latest ones when it is closed, which is before a later sample
     * changes them.
     */
    public long hourStart = NONE;

    public int hourSamples;
    public int hourStoppedSamples;

    /** RUNNING samples with both memory fields: count, plain sum in timestamp order, max. */
    public int hourMemorySamples;

    public double hourMemorySum;
    public double hourMemoryMax;

    /** Samples with both storage fields, RUNNING or STOPPED. */
    public int hourStorageSamples;

    public double hourStorageMax;
    public int hourPeakStarts;

    /** Whether the latest counted sample was above the peak threshold with no STOPPED since. */
    public boolean inPeak;

    /** Peak starts within the last span, oldest first. */
    public long[] peakStarts = NO_TIMES;

    public long peaksLastFiredAt = NONE;
    public long storageLastFiredAt = NONE;

    /**
     * The memory emergency run: the first and the latest counted sample of the unbroken run at or
     * above the emergency threshold, NONE when no run is in progress.
     */
    public long emergencyRunStart = NONE;

    public long emergencyRunLast = NONE;
    public long memoryEmergencyLastFiredAt = NONE;
    public long storageEmergencyLastFiredAt = NONE;

    public boolean inSpell;
    public long spellStart = NONE;
    public long spellDeadline = NONE;
    public boolean spellFired;

    /** Whether the VM has reported businessRecords (and passed that on) at least once. */
    public boolean businessReported;

    /** Timestamp of the latest positive business report passed on, NONE before any. */
    public long businessPassedAt = NONE;

    /** A positive business report held back because one was passed on less than an hour ago. */
    public long businessHeldAt = NONE;

    public String businessHeldUnitId;
    public String businessHeldSystemId;

    public VmState() {}

    /** The VM's memory allocation: the inventory's, else the latest seen in samples; -1 if none. */
    public long currentMemoryBytes() {
        return allocatedMemoryBytes >= 0 ? allocatedMemoryBytes : memoryTotalBytes;
    }

    /**
     * The VM's storage allocation: the inventory's, else the latest seen in samples; -1 if none.
     */
    public long currentStorageBytes() {
        return allocatedStorageBytes >= 0 ? allocatedStorageBytes : storageTotalBytes;
    }

    public boolean hasPending() {
        return pendingCount > 0;
    }

    /** The pending samples, oldest first. */
    public Sample[] pendingSamples() {
        return java.util.Arrays.copyOf(pending, pendingCount);
    }

    // The data-quality watch (docs/monitoring.md "Data quality"): kept at the end of the class,
    // after the methods, so the rules' own fields stay together above.

    /** The last evaluated sample was STOPPED: the VM is known to be stopped, not silent. */
    public boolean lastStopped;

    /** A TELEMETRY_SILENT event went out for the silence after {@link #silentAfter}. */
    public boolean silenceReported;

    /** The last sample before the reported silence, NONE when none is reported. */
    public long silentAfter = NONE;
}
