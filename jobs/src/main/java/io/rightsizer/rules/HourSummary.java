package io.rightsizer.rules;

/**
 * One VM's UTC clock hour {@code [hourStart, hourStart + 3 600 000)} of evaluated samples: the
 * utilization history (InfluxDB measurement {@code vm_hourly}, rules/README.md "Utilization
 * history"). Emitted once per VM and hour that had at least one evaluated sample, after every
 * sample of the hour was evaluated. Percentages are {@link Percent#of}, the figures the rules
 * compare.
 *
 * <p>A Flink POJO: public fields and a public no-arg constructor.
 */
public class HourSummary {
    public String vmId;
    public String systemId;

    /** Of the hour's last sample; null when it carries none. */
    public String unitId;

    /** Epoch millis of the hour's first millisecond. */
    public long hourStart;

    /** Every evaluated sample, RUNNING or STOPPED. */
    public int samples;

    public int stoppedSamples;

    /**
     * RUNNING samples with both memory fields: the mean and max are over these; 0 means none, and
     * then the mean and max are 0 and meaningless.
     */
    public int memorySamples;

    /** Sum of the memory percentages in timestamp order, divided by {@link #memorySamples}. */
    public double memoryMeanPct;

    public double memoryMaxPct;

    /**
     * Samples with both storage fields, RUNNING or STOPPED; 0 means none and {@link #storageMaxPct}
     * is meaningless.
     */
    public int storageSamples;

    public double storageMaxPct;

    /**
     * Peak starts of {@code scale-up.memory.hourly-peaks} in the hour (its {@code peak-above-pct}
     * for this VM), counted whether or not the rule is enabled.
     */
    public int peakStarts;

    /**
     * The totals the VM's samples reported, as of the hour's last sample (the latest one reported
     * up to it), -1 when none has been; the totals the recommendations carry.
     */
    public long memoryTotalBytes = -1;

    public long storageTotalBytes = -1;

    public HourSummary() {}

    public boolean hasMemory() {
        return memorySamples > 0;
    }

    public boolean hasStorage() {
        return storageSamples > 0;
    }

    @Override
    public String toString() {
        return "HourSummary{"
                + vmId
                + " @"
                + java.time.Instant.ofEpochMilli(hourStart)
                + " samples="
                + samples
                + " stopped="
                + stoppedSamples
                + " memMean="
                + memoryMeanPct
                + " memMax="
                + memoryMaxPct
                + " storageMax="
                + storageMaxPct
                + " peakStarts="
                + peakStarts
                + "}";
    }
}
