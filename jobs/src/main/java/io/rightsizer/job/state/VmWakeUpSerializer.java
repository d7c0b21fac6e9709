package io.rightsizer.job.state;

import static io.rightsizer.job.VmWakeUp.NONE;

import io.rightsizer.job.VmWakeUp;
import io.rightsizer.rules.VmState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * vm-rules' wake-up record of one VM ({@link VmWakeUp}), written field by field: one byte of flags
 * (the booleans, which instants are present, whether a lone sample is kept), the present instants
 * in full, the tracking incarnation as a varint, the lone sample as the buffered samples are
 * written. The record is read and written at every sample and every wake-up; on RocksDB each of
 * those went through Flink's POJO serializer, reflection field by field, nested for the lone
 * sample: a profile of the province on RocksDB put 28 % of vm-rules' thread in it. Records written
 * by the POJO serializer (every savepoint before this class) are read with it and written anew with
 * this one ({@link HandWrittenSnapshot}).
 *
 * <p>Format 2 adds the VM's rules' state ({@link VmWakeUp#rulesKept}: a flag, then its length and
 * its bytes as {@link VmStateSerializer} writes them, length 0 for none). A record of format 1 has
 * the flag clear, so one reader reads both. The rules' state's bytes are kept as they are until
 * they are used ({@link VmWakeUp#rules()}): a sample's arrival reads and writes the record without
 * parsing them.
 */
public final class VmWakeUpSerializer extends HandWrittenSerializer<VmWakeUp> {
    private static final long serialVersionUID = 1L;

    public static final VmWakeUpSerializer INSTANCE = new VmWakeUpSerializer();

    private static final int LIST_EMPTY = 1;
    private static final int NO_INVENTORY = 1 << 1;
    private static final int LONE = 1 << 2;
    private static final int WAKE_UP = 1 << 3;
    private static final int EARLIEST_BUFFERED = 1 << 4;
    private static final int LAST_EVALUATED_AT = 1 << 5;
    private static final int EXPIRY_AT = 1 << 6;
    private static final int RULES_KEPT = 1 << 7;

    private static final int SCRATCH_KEPT = 64 * 1024;
    private static final ThreadLocal<DataOutputSerializer> SCRATCH =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(512));

    @Override
    public VmWakeUp createInstance() {
        return new VmWakeUp();
    }

    @Override
    public VmWakeUp copy(VmWakeUp from) {
        VmWakeUp w = new VmWakeUp();
        w.wakeUp = from.wakeUp;
        w.earliestBuffered = from.earliestBuffered;
        w.lastEvaluatedAt = from.lastEvaluatedAt;
        w.expiryAt = from.expiryAt;
        w.trackedBy = from.trackedBy;
        w.lone = from.lone == null ? null : StateCodec.copySample(from.lone);
        w.listEmpty = from.listEmpty;
        w.noInventory = from.noInventory;
        if (from.rulesKept) {
            byte[] stored = from.rulesBytes();
            if (stored != null) {
                w.keepRulesBytes(stored.clone());
            } else {
                VmState s = from.rules();
                w.keepRules(s == null ? null : VmStateSerializer.INSTANCE.copy(s));
            }
        }
        return w;
    }

    @Override
    public void serialize(VmWakeUp w, DataOutputView out) throws IOException {
        int flags =
                (w.listEmpty ? LIST_EMPTY : 0)
                        | (w.noInventory ? NO_INVENTORY : 0)
                        | (w.lone != null ? LONE : 0)
                        | (w.wakeUp != NONE ? WAKE_UP : 0)
                        | (w.earliestBuffered != NONE ? EARLIEST_BUFFERED : 0)
                        | (w.lastEvaluatedAt != NONE ? LAST_EVALUATED_AT : 0)
                        | (w.expiryAt != NONE ? EXPIRY_AT : 0)
                        | (w.rulesKept ? RULES_KEPT : 0);
        out.writeByte(flags);
        StateCodec.writeInstant(w.wakeUp, out);
        StateCodec.writeInstant(w.earliestBuffered, out);
        StateCodec.writeInstant(w.lastEvaluatedAt, out);
        StateCodec.writeInstant(w.expiryAt, out);
        StateCodec.writeVarLong(w.trackedBy, out);
        if (w.lone != null) {
            StateCodec.writeSample(w.lone, out);
        }
        if (w.rulesKept) {
            byte[] stored = w.rulesBytes();
            if (stored != null) {
                StateCodec.writeVarInt(stored.length, out);
                out.write(stored);
            } else if (w.rules() == null) {
                StateCodec.writeVarInt(0, out);
            } else {
                // Its length goes first: written to a buffer of the thread's, then copied.
                DataOutputSerializer scratch = SCRATCH.get();
                scratch.clear();
                VmStateSerializer.INSTANCE.serialize(w.rules(), scratch);
                StateCodec.writeVarInt(scratch.length(), out);
                out.write(scratch.getSharedBuffer(), 0, scratch.length());
                if (scratch.getSharedBuffer().length > SCRATCH_KEPT) {
                    // A backlog's state: its buffer is not kept for the small ones.
                    SCRATCH.remove();
                }
            }
        }
    }

    @Override
    public VmWakeUp deserialize(DataInputView in) throws IOException {
        VmWakeUp w = new VmWakeUp();
        int flags = in.readUnsignedByte();
        w.listEmpty = (flags & LIST_EMPTY) != 0;
        w.noInventory = (flags & NO_INVENTORY) != 0;
        w.wakeUp = StateCodec.readInstant(flags, WAKE_UP, in);
        w.earliestBuffered = StateCodec.readInstant(flags, EARLIEST_BUFFERED, in);
        w.lastEvaluatedAt = StateCodec.readInstant(flags, LAST_EVALUATED_AT, in);
        w.expiryAt = StateCodec.readInstant(flags, EXPIRY_AT, in);
        w.trackedBy = StateCodec.readVarLong(in);
        w.lone = (flags & LONE) != 0 ? StateCodec.readSample(in) : null;
        if ((flags & RULES_KEPT) != 0) {
            int length = StateCodec.readVarInt(in);
            if (length == 0) {
                w.keepRules(null);
            } else {
                byte[] stored = new byte[length];
                in.readFully(stored);
                w.keepRulesBytes(stored);
            }
        }
        return w;
    }

    @Override
    public TypeSerializerSnapshot<VmWakeUp> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Format 2: the fields as {@link #serialize} writes them; format 1 (without the rules' state)
     * is read as it is.
     */
    public static final class Snapshot extends HandWrittenSnapshot<VmWakeUp> {
        static final int VERSION = 2;

        public Snapshot() {
            super(INSTANCE, VERSION, 1);
        }
    }
}
