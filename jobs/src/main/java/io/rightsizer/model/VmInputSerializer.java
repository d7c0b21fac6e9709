package io.rightsizer.model;

import io.rightsizer.schema.VmAllocation;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link VmInput} field by field, for the keyBy shuffle into vm-rules that every sample
 * crosses at parallelism above 1. Flink's POJO serializer reads and writes each field of VmInput
 * and of its Sample through reflection, with a null mask per object; this one writes a sample's
 * fixed fields directly, and leaves out the absent readings and the inventory-only fields behind
 * one byte of flags. The allocation (Avro) and the rejected record (rare: turned aside before the
 * shuffle) go to the serializers Flink would use for them.
 *
 * <p>VmInput is never kept in state; the {@link Snapshot} is there because Flink asks every
 * serializer for one (and so that it could be, should a VmInput ever be buffered).
 */
public final class VmInputSerializer extends TypeSerializer<VmInput> {
    private static final long serialVersionUID = 1L;

    // VmInput's parts.
    private static final int HAS_SAMPLE = 1;
    private static final int HAS_ALLOCATION = 1 << 1;
    private static final int HAS_REJECTED = 1 << 2;
    private static final int HAS_SOURCE = 1 << 3;
    private static final int HAS_RECEIVED_AT = 1 << 4;

    // A sample's optional readings (Sample.ABSENT / NaN are left out) and its power state.
    private static final int STOPPED = 1;
    private static final int MEMORY_USED = 1 << 1;
    private static final int MEMORY_TOTAL = 1 << 2;
    private static final int STORAGE_USED = 1 << 3;
    private static final int STORAGE_TOTAL = 1 << 4;
    private static final int CPU = 1 << 5;
    private static final int BUSINESS = 1 << 6;

    private final TypeSerializer<VmAllocation> allocations;
    private final TypeSerializer<Rejected> rejections;

    /**
     * The ids of the samples read last ({@link RecentStrings}): VM ids, and system and unit ids
     * apart, since a few of the latter come with every VM's samples. Per instance, so this
     * serializer is stateful and {@link #duplicate} always makes a new one.
     */
    private transient RecentStrings vmIds;

    private transient RecentStrings groupIds;

    private static final int VM_ID_SLOTS = 8192;
    private static final int GROUP_ID_SLOTS = 2048;

    public VmInputSerializer(
            TypeSerializer<VmAllocation> allocations, TypeSerializer<Rejected> rejections) {
        this.allocations = Objects.requireNonNull(allocations, "allocations");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    /** The serializers it delegates to: the allocation's and the rejected record's. */
    public TypeSerializer<?>[] nestedSerializers() {
        return new TypeSerializer<?>[] {allocations, rejections};
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<VmInput> duplicate() {
        TypeSerializer<VmAllocation> a = allocations.duplicate();
        TypeSerializer<Rejected> r = rejections.duplicate();
        return new VmInputSerializer(a, r);
    }

    @Override
    public VmInput createInstance() {
        return new VmInput();
    }

    @Override
    public VmInput copy(VmInput from) {
        return copy(from, new VmInput());
    }

    @Override
    public VmInput copy(VmInput from, VmInput reuse) {
        VmInput to = reuse == null ? new VmInput() : reuse;
        to.sample = from.sample == null ? null : copySample(from.sample, to.sample);
        to.allocation = from.allocation == null ? null : allocations.copy(from.allocation);
        to.rejected = from.rejected == null ? null : rejections.copy(from.rejected);
        to.receivedAt = from.receivedAt;
        to.sourceTopic = from.sourceTopic;
        to.sourcePartition = from.sourcePartition;
        to.sourceOffset = from.sourceOffset;
        return to;
    }

    private static Sample copySample(Sample from, Sample reuse) {
        Sample to = reuse == null ? new Sample() : reuse;
        to.vmId = from.vmId;
        to.systemId = from.systemId;
        to.unitId = from.unitId;
        to.timestamp = from.timestamp;
        to.stopped = from.stopped;
        to.memoryUsedBytes = from.memoryUsedBytes;
        to.memoryTotalBytes = from.memoryTotalBytes;
        to.storageUsedBytes = from.storageUsedBytes;
        to.storageTotalBytes = from.storageTotalBytes;
        to.cpuUtilizationPct = from.cpuUtilizationPct;
        to.businessRecords = from.businessRecords;
        to.sourcePartition = from.sourcePartition;
        to.sourceOffset = from.sourceOffset;
        return to;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(VmInput in, DataOutputView out) throws IOException {
        boolean received =
                in.receivedAt != VmInput.UNKNOWN
                        || in.sourcePartition != -1
                        || in.sourceOffset != -1;
        int parts =
                (in.sample != null ? HAS_SAMPLE : 0)
                        | (in.allocation != null ? HAS_ALLOCATION : 0)
                        | (in.rejected != null ? HAS_REJECTED : 0)
                        | (in.sourceTopic != null ? HAS_SOURCE : 0)
                        | (received ? HAS_RECEIVED_AT : 0);
        out.writeByte(parts);
        if (in.sample != null) {
            writeSample(in.sample, out);
        }
        if (in.allocation != null) {
            allocations.serialize(in.allocation, out);
        }
        if (in.rejected != null) {
            rejections.serialize(in.rejected, out);
        }
        if (in.sourceTopic != null) {
            StringFormat.write(in.sourceTopic, out);
        }
        if (received) {
            out.writeLong(in.receivedAt);
            out.writeInt(in.sourcePartition);
            out.writeLong(in.sourceOffset);
        }
    }

    private static void writeSample(Sample s, DataOutputView out) throws IOException {
        int flags =
                (s.stopped ? STOPPED : 0)
                        | (s.memoryUsedBytes != Sample.ABSENT ? MEMORY_USED : 0)
                        | (s.memoryTotalBytes != Sample.ABSENT ? MEMORY_TOTAL : 0)
                        | (s.storageUsedBytes != Sample.ABSENT ? STORAGE_USED : 0)
                        | (s.storageTotalBytes != Sample.ABSENT ? STORAGE_TOTAL : 0)
                        // Compared bit for bit: any NaN payload other than the absent one would
                        // not survive being left out.
                        | (Double.doubleToRawLongBits(s.cpuUtilizationPct) != ABSENT_CPU ? CPU : 0)
                        | (s.businessRecords != Sample.ABSENT ? BUSINESS : 0);
        out.writeByte(flags);
        StringFormat.write(s.vmId, out);
        StringFormat.write(s.systemId, out);
        StringFormat.write(s.unitId, out);
        out.writeLong(s.timestamp);
        if ((flags & MEMORY_USED) != 0) {
            out.writeLong(s.memoryUsedBytes);
        }
        if ((flags & MEMORY_TOTAL) != 0) {
            out.writeLong(s.memoryTotalBytes);
        }
        if ((flags & STORAGE_USED) != 0) {
            out.writeLong(s.storageUsedBytes);
        }
        if ((flags & STORAGE_TOTAL) != 0) {
            out.writeLong(s.storageTotalBytes);
        }
        if ((flags & CPU) != 0) {
            out.writeDouble(s.cpuUtilizationPct);
        }
        if ((flags & BUSINESS) != 0) {
            out.writeLong(s.businessRecords);
        }
        out.writeInt(s.sourcePartition);
        out.writeLong(s.sourceOffset);
    }

    private static final long ABSENT_CPU =
            Double.doubleToRawLongBits(new Sample().cpuUtilizationPct);

    @Override
    public VmInput deserialize(DataInputView in) throws IOException {
        return deserialize(new VmInput(), in);
    }

    @Override
    public VmInput deserialize(VmInput reuse, DataInputView in) throws IOException {
        VmInput to = reuse == null ? new VmInput() : reuse;
        int parts = in.readUnsignedByte();
        to.sample = (parts & HAS_SAMPLE) != 0 ? readSample(to.sample, in) : null;
        to.allocation =
                (parts & HAS_ALLOCATION) != 0
                        ? to.allocation == null
                                ? allocations.deserialize(in)
                                : allocations.deserialize(to.allocation, in)
                        : null;
        to.rejected =
                (parts & HAS_REJECTED) != 0
                        ? to.rejected == null
                                ? rejections.deserialize(in)
                                : rejections.deserialize(to.rejected, in)
                        : null;
        to.sourceTopic = (parts & HAS_SOURCE) != 0 ? StringFormat.read(in) : null;
        if ((parts & HAS_RECEIVED_AT) != 0) {
            to.receivedAt = in.readLong();
            to.sourcePartition = in.readInt();
            to.sourceOffset = in.readLong();
        } else {
            to.receivedAt = VmInput.UNKNOWN;
            to.sourcePartition = -1;
            to.sourceOffset = -1;
        }
        return to;
    }

    private Sample readSample(Sample reuse, DataInputView in) throws IOException {
        Sample s = reuse == null ? new Sample() : reuse;
        int flags = in.readUnsignedByte();
        s.stopped = (flags & STOPPED) != 0;
        if (vmIds == null) {
            vmIds = new RecentStrings(VM_ID_SLOTS);
            groupIds = new RecentStrings(GROUP_ID_SLOTS);
        }
        s.vmId = StringFormat.read(in, vmIds);
        s.systemId = StringFormat.read(in, groupIds);
        s.unitId = StringFormat.read(in, groupIds);
        s.timestamp = in.readLong();
        s.memoryUsedBytes = (flags & MEMORY_USED) != 0 ? in.readLong() : Sample.ABSENT;
        s.memoryTotalBytes = (flags & MEMORY_TOTAL) != 0 ? in.readLong() : Sample.ABSENT;
        s.storageUsedBytes = (flags & STORAGE_USED) != 0 ? in.readLong() : Sample.ABSENT;
        s.storageTotalBytes = (flags & STORAGE_TOTAL) != 0 ? in.readLong() : Sample.ABSENT;
        s.cpuUtilizationPct =
                (flags & CPU) != 0 ? in.readDouble() : Double.longBitsToDouble(ABSENT_CPU);
        s.businessRecords = (flags & BUSINESS) != 0 ? in.readLong() : Sample.ABSENT;
        s.sourcePartition = in.readInt();
        s.sourceOffset = in.readLong();
        return s;
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VmInputSerializer other
                && allocations.equals(other.allocations)
                && rejections.equals(other.rejections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allocations, rejections);
    }

    @Override
    public TypeSerializerSnapshot<VmInput> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /**
     * The format is this class's own (version 1); what it depends on is the allocation's and the
     * rejected record's serializers, whose snapshots it carries.
     */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<VmInput, VmInputSerializer> {
        private static final int VERSION = 1;

        /** For Flink, which reads the snapshot back. */
        public Snapshot() {}

        Snapshot(VmInputSerializer serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(VmInputSerializer s) {
            return s.nestedSerializers();
        }

        @Override
        @SuppressWarnings("unchecked")
        protected VmInputSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new VmInputSerializer(
                    (TypeSerializer<VmAllocation>) nested[0], (TypeSerializer<Rejected>) nested[1]);
        }
    }
}
