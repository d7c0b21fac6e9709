package io.rightsizer.job.state;

import io.rightsizer.rules.TimeLimitPeriod;
import io.rightsizer.rules.VmInventory;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The vm-rules inventory state of one VM ({@link VmInventory}) with its time-limit periods, written
 * field by field instead of by Flink's POJO serializer. Read on every sample of a VM that has an
 * inventory record, written only when a record arrives or a notice goes out.
 */
public final class VmInventorySerializer extends HandWrittenSerializer<VmInventory> {
    private static final long serialVersionUID = 1L;

    public static final VmInventorySerializer INSTANCE = new VmInventorySerializer();

    private static final long[] NO_TIMES = new long[0];
    private static final TimeLimitPeriod[] NO_PERIODS = new TimeLimitPeriod[0];

    @Override
    public VmInventory createInstance() {
        return new VmInventory();
    }

    @Override
    public VmInventory copy(VmInventory from) {
        VmInventory v = new VmInventory();
        v.systemId = from.systemId;
        v.unitId = from.unitId;
        v.memoryBytes = from.memoryBytes;
        v.storageBytes = from.storageBytes;
        v.protectedFrom = from.protectedFrom.length == 0 ? NO_TIMES : from.protectedFrom.clone();
        v.protectedUntil = from.protectedUntil.length == 0 ? NO_TIMES : from.protectedUntil.clone();
        v.periods =
                from.periods.length == 0 ? NO_PERIODS : new TimeLimitPeriod[from.periods.length];
        for (int i = 0; i < from.periods.length; i++) {
            v.periods[i] = copy(from.periods[i]);
        }
        return v;
    }

    private static TimeLimitPeriod copy(TimeLimitPeriod from) {
        TimeLimitPeriod p = new TimeLimitPeriod();
        p.temporaryResource = from.temporaryResource;
        p.from = from.from;
        p.until = from.until;
        p.memoryBytes = from.memoryBytes;
        p.storageBytes = from.storageBytes;
        p.reason = from.reason;
        p.receivedAt = from.receivedAt;
        p.limitEnd = from.limitEnd;
        p.tooLongAt = from.tooLongAt;
        p.endingAt = from.endingAt;
        p.overAt = from.overAt;
        p.issued = from.issued;
        return p;
    }

    @Override
    public void serialize(VmInventory v, DataOutputView out) throws IOException {
        StateCodec.writeString(v.systemId, out);
        StateCodec.writeString(v.unitId, out);
        StateCodec.writeVarLong(v.memoryBytes, out);
        StateCodec.writeVarLong(v.storageBytes, out);
        StateCodec.writeLongs(v.protectedFrom, out);
        StateCodec.writeLongs(v.protectedUntil, out);
        StateCodec.writeVarInt(v.periods.length, out);
        for (TimeLimitPeriod p : v.periods) {
            out.writeBoolean(p.temporaryResource);
            out.writeLong(p.from);
            out.writeLong(p.until);
            StateCodec.writeVarLong(p.memoryBytes, out);
            StateCodec.writeVarLong(p.storageBytes, out);
            StateCodec.writeString(p.reason, out);
            out.writeLong(p.receivedAt);
            out.writeLong(p.limitEnd);
            out.writeLong(p.tooLongAt);
            out.writeLong(p.endingAt);
            out.writeLong(p.overAt);
            StateCodec.writeVarInt(p.issued, out);
        }
    }

    @Override
    public VmInventory deserialize(DataInputView in) throws IOException {
        VmInventory v = new VmInventory();
        v.systemId = StateCodec.readString(in);
        v.unitId = StateCodec.readString(in);
        v.memoryBytes = StateCodec.readVarLong(in);
        v.storageBytes = StateCodec.readVarLong(in);
        v.protectedFrom = StateCodec.readLongs(in, NO_TIMES);
        v.protectedUntil = StateCodec.readLongs(in, NO_TIMES);
        int n = StateCodec.readVarInt(in);
        v.periods = n == 0 ? NO_PERIODS : new TimeLimitPeriod[n];
        for (int i = 0; i < n; i++) {
            TimeLimitPeriod p = new TimeLimitPeriod();
            p.temporaryResource = in.readBoolean();
            p.from = in.readLong();
            p.until = in.readLong();
            p.memoryBytes = StateCodec.readVarLong(in);
            p.storageBytes = StateCodec.readVarLong(in);
            p.reason = StateCodec.readString(in);
            p.receivedAt = in.readLong();
            p.limitEnd = in.readLong();
            p.tooLongAt = in.readLong();
            p.endingAt = in.readLong();
            p.overAt = in.readLong();
            p.issued = StateCodec.readVarInt(in);
            v.periods[i] = p;
        }
        return v;
    }

    @Override
    public TypeSerializerSnapshot<VmInventory> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1: the fields as {@link #serialize} writes them. */
    public static final class Snapshot extends HandWrittenSnapshot<VmInventory> {
        static final int VERSION = 1;

        public Snapshot() {
            super(INSTANCE, VERSION);
        }
    }
}
