package io.rightsizer.model;

import io.rightsizer.schema.VmAllocation;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the vm-rules operator receives, keyed by vmId: a telemetry sample or an inventory record,
 * exactly one of them. The inventory source also produces records it could not use ({@link
 * #rejected}), which are turned aside to the dead letters before the stream is keyed.
 *
 * <p>Every sample crosses the keyBy shuffle as one, so it has a serializer of its own ({@link
 * VmInputSerializer}, no reflection); the allocation is an Avro specific record, serialized by
 * Flink's Avro serializer. Never kept in state.
 */
@TypeInfo(VmInputTypeInfo.Factory.class)
public class VmInput {
    public static final long UNKNOWN = Long.MIN_VALUE;

    public Sample sample;
    public VmAllocation allocation;

    /** When the inventory record was received: its Kafka record timestamp. */
    public long receivedAt = UNKNOWN;

    public Rejected rejected;

    /**
     * Where the inventory record was read, for its dead letter should vm-rules fail on it
     * (docs/failures.md); null and -1 for a sample (it carries its own) or a record not from Kafka.
     */
    public String sourceTopic;

    public int sourcePartition = -1;
    public long sourceOffset = -1;

    public VmInput() {}

    public static VmInput of(Sample sample) {
        VmInput i = new VmInput();
        i.sample = sample;
        return i;
    }

    public static VmInput of(VmAllocation allocation, long receivedAt) {
        VmInput i = new VmInput();
        i.allocation = allocation;
        i.receivedAt = receivedAt;
        return i;
    }

    public static VmInput rejected(Rejected rejected) {
        VmInput i = new VmInput();
        i.rejected = rejected;
        return i;
    }

    /** The key: the sample's or the allocation's vmId; null for a rejected record. */
    public String vmId() {
        if (sample != null) {
            return sample.vmId;
        }
        return allocation != null ? allocation.getVmId() : null;
    }
}
