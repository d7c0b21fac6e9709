package io.rightsizer.rules;

/**
 * One VM's clock hour (UTC hours, which are also whole hours in every zone the rule sets use) of
 * evaluated samples: the utilization history (InfluxDB measurement {@code vm_hourly}, README
 * "Utilization history"). Emitted once per VM and hour that had at least one sample.
 *
 * <p>A Flink POJO: public fields and a public no-arg constructor.
 */
public class HourSummary {
    public String vmId;
    public String systemId;

    /** Null when the samples carry none. */
    public String unitId;

    /** Epoch millis of the hour's first millisecond. */
    public long hourStart;

    /** Every evaluated sample, RUNNING or STOPPED. */
    public int samples;

    public int stoppedSamples;

    /** RUNNING samples with a memory reading: the mean and max are over these; 0 means none. */
    public int memorySamples;

    public double memoryMeanPct;
    public double memoryMaxPct;

    /** Samples with a storage reading; 0 means none and {@link #storageMaxPct} is meaningless. */
    public int storageSamples;

    public double storageMaxPct;

    /** Samples at which memory rose above the hourly-peaks threshold (a new peak started). */
    public int peakStarts;

    /** The VM's allocation at the hour's last sample, -1 when unknown. */
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
