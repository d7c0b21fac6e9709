package io.rightsizer.job.state;

import static io.rightsizer.rules.VmState.NONE;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.VmState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The vm-rules state of one VM ({@link VmState}), written field by field instead of by Flink's POJO
 * serializer: no per-field null flags or subclass tags, absent instants left out, counts as
 * varints. On RocksDB every access of the state goes through this class, so its cost is paid per
 * sample. The format is fixed by {@link Snapshot#VERSION}: a change of the fields is a new version.
 */
public final class VmStateSerializer extends HandWrittenSerializer<VmState> {
    private static final long serialVersionUID = 1L;

    public static final VmStateSerializer INSTANCE = new VmStateSerializer();

    private static final long[] NO_TIMES = new long[0];
    private static final Sample[] NO_SAMPLES = new Sample[0];

    @Override
    public VmState createInstance() {
        return new VmState();
    }

    @Override
    public VmState copy(VmState from) {
        VmState s = new VmState();
        s.systemId = from.systemId;
        s.unitId = from.unitId;
        s.inPeak = from.inPeak;
        s.inSpell = from.inSpell;
        s.spellFired = from.spellFired;
        s.businessReported = from.businessReported;
        s.lastStopped = from.lastStopped;
        s.silenceReported = from.silenceReported;
        s.lastEvaluatedAt = from.lastEvaluatedAt;
        s.judgeWeeksFrom = from.judgeWeeksFrom;
        s.weekStart = from.weekStart;
        s.weekEnd = from.weekEnd;
        s.weekLastHour = from.weekLastHour;
        s.hourStart = from.hourStart;
        s.peaksLastFiredAt = from.peaksLastFiredAt;
        s.storageLastFiredAt = from.storageLastFiredAt;
        s.emergencyRunStart = from.emergencyRunStart;
        s.emergencyRunLast = from.emergencyRunLast;
        s.memoryEmergencyLastFiredAt = from.memoryEmergencyLastFiredAt;
        s.storageEmergencyLastFiredAt = from.storageEmergencyLastFiredAt;
        s.spellStart = from.spellStart;
        s.spellDeadline = from.spellDeadline;
        s.businessPassedAt = from.businessPassedAt;
        s.businessHeldAt = from.businessHeldAt;
        s.silentAfter = from.silentAfter;
        s.memoryTotalBytes = from.memoryTotalBytes;
        s.storageTotalBytes = from.storageTotalBytes;
        s.allocatedMemoryBytes = from.allocatedMemoryBytes;
        s.allocatedStorageBytes = from.allocatedStorageBytes;
        s.weekSamples = from.weekSamples;
        s.weekCoveredHours = from.weekCoveredHours;
        s.hourSamples = from.hourSamples;
        s.hourStoppedSamples = from.hourStoppedSamples;
        s.hourMemorySamples = from.hourMemorySamples;
        s.hourStorageSamples = from.hourStorageSamples;
        s.hourPeakStarts = from.hourPeakStarts;
        s.weekSum = from.weekSum;
        s.weekCompensation = from.weekCompensation;
        s.weekPeak = from.weekPeak;
        s.hourMemorySum = from.hourMemorySum;
        s.hourMemoryMax = from.hourMemoryMax;
        s.hourStorageMax = from.hourStorageMax;
        s.peakStarts = from.peakStarts.length == 0 ? NO_TIMES : from.peakStarts.clone();
        s.businessHeldUnitId = from.businessHeldUnitId;
        s.businessHeldSystemId = from.businessHeldSystemId;
        // Buffered samples of a state restored from before the one wake-up (0.1.0, 0.2.0); new
        // samples are buffered in their own list state (vm-pending).
        s.pendingCount = from.pendingCount;
        s.pending = from.pendingCount == 0 ? NO_SAMPLES : new Sample[from.pendingCount];
        for (int i = 0; i < from.pendingCount; i++) {
            s.pending[i] = StateCodec.copySample(from.pending[i]);
        }
        return s;
    }

    @Override
    public void serialize(VmState s, DataOutputView out) throws IOException {
        StateCodec.writeString(s.systemId, out);
        StateCodec.writeString(s.unitId, out);
        out.writeByte(
                (s.inPeak ? 1 : 0)
                        | (s.inSpell ? 2 : 0)
                        | (s.spellFired ? 4 : 0)
                        | (s.businessReported ? 8 : 0)
                        | (s.lastStopped ? 16 : 0)
                        | (s.silenceReported ? 32 : 0));
        int present =
                bit(s.lastEvaluatedAt, 0)
                        | bit(s.judgeWeeksFrom, 1)
                        | bit(s.weekStart, 2)
                        | bit(s.weekEnd, 3)
                        | bit(s.weekLastHour, 4)
                        | bit(s.hourStart, 5)
                        | bit(s.peaksLastFiredAt, 6)
                        | bit(s.storageLastFiredAt, 7)
                        | bit(s.emergencyRunStart, 8)
                        | bit(s.emergencyRunLast, 9)
                        | bit(s.memoryEmergencyLastFiredAt, 10)
                        | bit(s.storageEmergencyLastFiredAt, 11)
                        | bit(s.spellStart, 12)
                        | bit(s.spellDeadline, 13)
                        | bit(s.businessPassedAt, 14)
                        | bit(s.businessHeldAt, 15)
                        | bit(s.silentAfter, 16);
        StateCodec.writeVarInt(present, out);
        StateCodec.writeInstant(s.lastEvaluatedAt, out);
        StateCodec.writeInstant(s.judgeWeeksFrom, out);
        StateCodec.writeInstant(s.weekStart, out);
        StateCodec.writeInstant(s.weekEnd, out);
        StateCodec.writeInstant(s.weekLastHour, out);
        StateCodec.writeInstant(s.hourStart, out);
        StateCodec.writeInstant(s.peaksLastFiredAt, out);
        StateCodec.writeInstant(s.storageLastFiredAt, out);
        StateCodec.writeInstant(s.emergencyRunStart, out);
        StateCodec.writeInstant(s.emergencyRunLast, out);
        StateCodec.writeInstant(s.memoryEmergencyLastFiredAt, out);
        StateCodec.writeInstant(s.storageEmergencyLastFiredAt, out);
        StateCodec.writeInstant(s.spellStart, out);
        StateCodec.writeInstant(s.spellDeadline, out);
        StateCodec.writeInstant(s.businessPassedAt, out);
        StateCodec.writeInstant(s.businessHeldAt, out);
        StateCodec.writeInstant(s.silentAfter, out);
        StateCodec.writeVarLong(s.memoryTotalBytes, out);
        StateCodec.writeVarLong(s.storageTotalBytes, out);
        StateCodec.writeVarLong(s.allocatedMemoryBytes, out);
        StateCodec.writeVarLong(s.allocatedStorageBytes, out);
        StateCodec.writeVarLong(s.weekSamples, out);
        StateCodec.writeVarInt(s.weekCoveredHours, out);
        StateCodec.writeVarInt(s.hourSamples, out);
        StateCodec.writeVarInt(s.hourStoppedSamples, out);
        StateCodec.writeVarInt(s.hourMemorySamples, out);
        StateCodec.writeVarInt(s.hourStorageSamples, out);
        StateCodec.writeVarInt(s.hourPeakStarts, out);
        out.writeDouble(s.weekSum);
        out.writeDouble(s.weekCompensation);
        out.writeDouble(s.weekPeak);
        out.writeDouble(s.hourMemorySum);
        out.writeDouble(s.hourMemoryMax);
        out.writeDouble(s.hourStorageMax);
        StateCodec.writeLongs(s.peakStarts, out);
        StateCodec.writeString(s.businessHeldUnitId, out);
        StateCodec.writeString(s.businessHeldSystemId, out);
        // Buffered samples of a state restored from before the one wake-up.
        StateCodec.writeVarInt(s.pendingCount, out);
        for (int i = 0; i < s.pendingCount; i++) {
            StateCodec.writeSample(s.pending[i], out);
        }
    }

    @Override
    public VmState deserialize(DataInputView in) throws IOException {
        VmState s = new VmState();
        s.systemId = StateCodec.readString(in);
        s.unitId = StateCodec.readString(in);
        int flags = in.readByte();
        s.inPeak = (flags & 1) != 0;
        s.inSpell = (flags & 2) != 0;
        s.spellFired = (flags & 4) != 0;
        s.businessReported = (flags & 8) != 0;
        s.lastStopped = (flags & 16) != 0;
        s.silenceReported = (flags & 32) != 0;
        int present = StateCodec.readVarInt(in);
        s.lastEvaluatedAt = StateCodec.readInstant(present, 1 << 0, in);
        s.judgeWeeksFrom = StateCodec.readInstant(present, 1 << 1, in);
        s.weekStart = StateCodec.readInstant(present, 1 << 2, in);
        s.weekEnd = StateCodec.readInstant(present, 1 << 3, in);
        s.weekLastHour = StateCodec.readInstant(present, 1 << 4, in);
        s.hourStart = StateCodec.readInstant(present, 1 << 5, in);
        s.peaksLastFiredAt = StateCodec.readInstant(present, 1 << 6, in);
        s.storageLastFiredAt = StateCodec.readInstant(present, 1 << 7, in);
        s.emergencyRunStart = StateCodec.readInstant(present, 1 << 8, in);
        s.emergencyRunLast = StateCodec.readInstant(present, 1 << 9, in);
        s.memoryEmergencyLastFiredAt = StateCodec.readInstant(present, 1 << 10, in);
        s.storageEmergencyLastFiredAt = StateCodec.readInstant(present, 1 << 11, in);
        s.spellStart = StateCodec.readInstant(present, 1 << 12, in);
        s.spellDeadline = StateCodec.readInstant(present, 1 << 13, in);
        s.businessPassedAt = StateCodec.readInstant(present, 1 << 14, in);
        s.businessHeldAt = StateCodec.readInstant(present, 1 << 15, in);
        s.silentAfter = StateCodec.readInstant(present, 1 << 16, in);
        s.memoryTotalBytes = StateCodec.readVarLong(in);
        s.storageTotalBytes = StateCodec.readVarLong(in);
        s.allocatedMemoryBytes = StateCodec.readVarLong(in);
        s.allocatedStorageBytes = StateCodec.readVarLong(in);
        s.weekSamples = StateCodec.readVarLong(in);
        s.weekCoveredHours = StateCodec.readVarInt(in);
        s.hourSamples = StateCodec.readVarInt(in);
        s.hourStoppedSamples = StateCodec.readVarInt(in);
        s.hourMemorySamples = StateCodec.readVarInt(in);
        s.hourStorageSamples = StateCodec.readVarInt(in);
        s.hourPeakStarts = StateCodec.readVarInt(in);
        s.weekSum = in.readDouble();
        s.weekCompensation = in.readDouble();
        s.weekPeak = in.readDouble();
        s.hourMemorySum = in.readDouble();
        s.hourMemoryMax = in.readDouble();
        s.hourStorageMax = in.readDouble();
        s.peakStarts = StateCodec.readLongs(in, NO_TIMES);
        s.businessHeldUnitId = StateCodec.readString(in);
        s.businessHeldSystemId = StateCodec.readString(in);
        // Buffered samples of a state restored from before the one wake-up.
        s.pendingCount = StateCodec.readVarInt(in);
        s.pending = s.pendingCount == 0 ? NO_SAMPLES : new Sample[s.pendingCount];
        for (int i = 0; i < s.pendingCount; i++) {
            s.pending[i] = StateCodec.readSample(in);
        }
        return s;
    }

    /** A state from the bytes {@link #serialize} wrote. */
    public VmState fromBytes(byte[] bytes) throws IOException {
        return deserialize(new DataInputDeserializer(bytes));
    }

    @Override
    public TypeSerializerSnapshot<VmState> snapshotConfiguration() {
        return new Snapshot();
    }

    private static int bit(long instant, int i) {
        return instant == NONE ? 0 : 1 << i;
    }

    /** Format 1: the fields as {@link #serialize} writes them. */
    public static final class Snapshot extends HandWrittenSnapshot<VmState> {
        static final int VERSION = 1;

        public Snapshot() {
            super(INSTANCE, VERSION);
        }
    }
}
