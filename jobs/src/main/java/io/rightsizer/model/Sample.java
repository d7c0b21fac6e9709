package io.rightsizer.model;

import java.util.Objects;

/**
 * A validated telemetry sample as it travels through the pipeline.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so it is serialized without Kryo. Absent
 * optional readings are encoded with sentinels instead of boxed types because the validator rejects
 * every value that could collide with them: byte counts are never negative and a CPU reading is
 * never NaN.
 */
public class Sample {
    /** Marks an absent byte count or business-record count. */
    public static final long ABSENT = -1L;

    public String vmId;
    public String systemId;
    public String unitId;
    public long timestamp;
    public boolean stopped;
    public long memoryUsedBytes = ABSENT;
    public long memoryTotalBytes = ABSENT;
    public long storageUsedBytes = ABSENT;
    public long storageTotalBytes = ABSENT;

    /** NaN when absent. */
    public double cpuUtilizationPct = Double.NaN;

    public long businessRecords = ABSENT;

    /** Kafka partition of the record, or -1 for a file. */
    public int sourcePartition = -1;

    /** Kafka offset, or the 1-based line/record number in a replay file. */
    public long sourceOffset = -1;

    public Sample() {}

    public boolean hasMemory() {
        return memoryUsedBytes != ABSENT && memoryTotalBytes != ABSENT;
    }

    public boolean hasStorage() {
        return storageUsedBytes != ABSENT && storageTotalBytes != ABSENT;
    }

    public boolean hasCpu() {
        return !Double.isNaN(cpuUtilizationPct);
    }

    public boolean hasBusinessRecords() {
        return businessRecords != ABSENT;
    }

    /** Counted for the memory rules: running, with both memory fields. */
    public boolean countsForMemory() {
        return !stopped && hasMemory();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Sample)) {
            return false;
        }
        Sample s = (Sample) o;
        return timestamp == s.timestamp
                && stopped == s.stopped
                && memoryUsedBytes == s.memoryUsedBytes
                && memoryTotalBytes == s.memoryTotalBytes
                && storageUsedBytes == s.storageUsedBytes
                && storageTotalBytes == s.storageTotalBytes
                && Double.compare(cpuUtilizationPct, s.cpuUtilizationPct) == 0
                && businessRecords == s.businessRecords
                && sourcePartition == s.sourcePartition
                && sourceOffset == s.sourceOffset
                && Objects.equals(vmId, s.vmId)
                && Objects.equals(systemId, s.systemId)
                && Objects.equals(unitId, s.unitId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vmId, timestamp);
    }

    @Override
    public String toString() {
        return "Sample{vm="
                + vmId
                + ", system="
                + systemId
                + ", unit="
                + unitId
                + ", ts="
                + timestamp
                + (stopped ? ", STOPPED" : ", RUNNING")
                + ", mem="
                + memoryUsedBytes
                + "/"
                + memoryTotalBytes
                + ", sto="
                + storageUsedBytes
                + "/"
                + storageTotalBytes
                + ", cpu="
                + cpuUtilizationPct
                + ", br="
                + businessRecords
                + "}";
    }
}
