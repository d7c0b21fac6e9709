package io.rightsizer.job.state;

import static io.rightsizer.rules.SystemState.NONE;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.rules.SystemState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The system-rules state of one information system ({@link SystemState}), written field by field:
 * one byte of flags (the booleans and which instants are present), the present instants in full,
 * the reference's unit, the tracking incarnation as a varint, then the pending reports. On RocksDB
 * it is read and written at every business report, which Flink's POJO serializer did by reflection:
 * a quarter of system-rules' thread in a warm province run. Records written by the POJO serializer
 * (every savepoint before this class) are read with it and written anew with this one ({@link
 * HandWrittenSnapshot}).
 */
public final class SystemStateSerializer extends HandWrittenSerializer<SystemState> {
    private static final long serialVersionUID = 1L;

    public static final SystemStateSerializer INSTANCE = new SystemStateSerializer();

    private static final BusinessReport[] NO_REPORTS = new BusinessReport[0];

    private static final int HAS_REFERENCE = 1;
    private static final int REFERENCE_POSITIVE = 1 << 1;
    private static final int FIRED = 1 << 2;
    private static final int LAST_EVALUATED_AT = 1 << 3;
    private static final int REFERENCE_AT = 1 << 4;
    private static final int DEADLINE = 1 << 5;
    private static final int EXPIRY_TIMER = 1 << 6;
    private static final int DEADLINE_TIMER = 1 << 7;

    @Override
    public SystemState createInstance() {
        return new SystemState();
    }

    @Override
    public SystemState copy(SystemState from) {
        SystemState s = new SystemState();
        s.pending = from.pending.length == 0 ? NO_REPORTS : new BusinessReport[from.pending.length];
        for (int i = 0; i < from.pending.length; i++) {
            BusinessReport r = from.pending[i];
            s.pending[i] = BusinessReport.of(r.systemId, r.unitId, r.timestamp, r.businessRecords);
        }
        s.lastEvaluatedAt = from.lastEvaluatedAt;
        s.hasReference = from.hasReference;
        s.referenceAt = from.referenceAt;
        s.referencePositive = from.referencePositive;
        s.referenceUnitId = from.referenceUnitId;
        s.deadline = from.deadline;
        s.fired = from.fired;
        s.expiryTimer = from.expiryTimer;
        s.deadlineTimer = from.deadlineTimer;
        s.trackedBy = from.trackedBy;
        return s;
    }

    @Override
    public void serialize(SystemState s, DataOutputView out) throws IOException {
        int flags =
                (s.hasReference ? HAS_REFERENCE : 0)
                        | (s.referencePositive ? REFERENCE_POSITIVE : 0)
                        | (s.fired ? FIRED : 0)
                        | (s.lastEvaluatedAt != NONE ? LAST_EVALUATED_AT : 0)
                        | (s.referenceAt != NONE ? REFERENCE_AT : 0)
                        | (s.deadline != NONE ? DEADLINE : 0)
                        | (s.expiryTimer != NONE ? EXPIRY_TIMER : 0)
                        | (s.deadlineTimer != NONE ? DEADLINE_TIMER : 0);
        out.writeByte(flags);
        StateCodec.writeInstant(s.lastEvaluatedAt, out);
        StateCodec.writeInstant(s.referenceAt, out);
        StateCodec.writeInstant(s.deadline, out);
        StateCodec.writeInstant(s.expiryTimer, out);
        StateCodec.writeInstant(s.deadlineTimer, out);
        StateCodec.writeString(s.referenceUnitId, out);
        StateCodec.writeVarLong(s.trackedBy, out);
        StateCodec.writeVarInt(s.pending.length, out);
        for (BusinessReport r : s.pending) {
            StateCodec.writeString(r.systemId, out);
            StateCodec.writeString(r.unitId, out);
            out.writeLong(r.timestamp);
            StateCodec.writeVarLong(r.businessRecords, out);
        }
    }

    @Override
    public SystemState deserialize(DataInputView in) throws IOException {
        SystemState s = new SystemState();
        int flags = in.readUnsignedByte();
        s.hasReference = (flags & HAS_REFERENCE) != 0;
        s.referencePositive = (flags & REFERENCE_POSITIVE) != 0;
        s.fired = (flags & FIRED) != 0;
        s.lastEvaluatedAt = StateCodec.readInstant(flags, LAST_EVALUATED_AT, in);
        s.referenceAt = StateCodec.readInstant(flags, REFERENCE_AT, in);
        s.deadline = StateCodec.readInstant(flags, DEADLINE, in);
        s.expiryTimer = StateCodec.readInstant(flags, EXPIRY_TIMER, in);
        s.deadlineTimer = StateCodec.readInstant(flags, DEADLINE_TIMER, in);
        s.referenceUnitId = StateCodec.readString(in);
        s.trackedBy = StateCodec.readVarLong(in);
        int n = StateCodec.readVarInt(in);
        if (n < 0) {
            throw new IOException("negative count of pending reports: corrupt state");
        }
        s.pending = n == 0 ? NO_REPORTS : new BusinessReport[n];
        for (int i = 0; i < n; i++) {
            String systemId = StateCodec.readString(in);
            String unitId = StateCodec.readString(in);
            long ts = in.readLong();
            s.pending[i] = BusinessReport.of(systemId, unitId, ts, StateCodec.readVarLong(in));
        }
        return s;
    }

    @Override
    public TypeSerializerSnapshot<SystemState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1: the fields as {@link #serialize} writes them. */
    public static final class Snapshot extends HandWrittenSnapshot<SystemState> {
        static final int VERSION = 1;

        public Snapshot() {
            super(INSTANCE, VERSION);
        }
    }
}
