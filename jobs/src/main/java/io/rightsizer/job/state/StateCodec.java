package io.rightsizer.job.state;

import io.rightsizer.model.Sample;
import io.rightsizer.model.StringFormat;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The encodings the hand-written state serializers share. Counts and sizes are zig-zag varints
 * (most are small: one byte instead of four or eight); instants that may be absent ({@code NONE} =
 * Long.MIN_VALUE) are left out and marked in a presence mask, the others are written in full, as a
 * varint of an epoch-millisecond instant would save two bytes at the price of a loop.
 */
final class StateCodec {
    private StateCodec() {}

    static void writeVarLong(long v, DataOutputView out) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long z = 0;
        int shift = 0;
        while (true) {
            byte b = in.readByte();
            z |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IOException("varint longer than 10 bytes: corrupt state");
            }
        }
        return (z >>> 1) ^ -(z & 1);
    }

    /**
     * An instant that may be absent (Long.MIN_VALUE, every state class's NONE), written in full
     * when present; its presence goes into the record's mask.
     */
    static void writeInstant(long instant, DataOutputView out) throws IOException {
        if (instant != Long.MIN_VALUE) {
            out.writeLong(instant);
        }
    }

    /** The instant {@link #writeInstant} wrote, Long.MIN_VALUE when {@code bit} is not in mask. */
    static long readInstant(int mask, int bit, DataInputView in) throws IOException {
        return (mask & bit) != 0 ? in.readLong() : Long.MIN_VALUE;
    }

    static void writeVarInt(int v, DataOutputView out) throws IOException {
        writeVarLong(v, out);
    }

    static int readVarInt(DataInputView in) throws IOException {
        return (int) readVarLong(in);
    }

    /** Null-safe, in the bytes of Flink's StringSerializer. */
    static void writeString(String s, DataOutputView out) throws IOException {
        StringFormat.write(s, out);
    }

    static String readString(DataInputView in) throws IOException {
        return StringFormat.read(in);
    }

    static void writeLongs(long[] a, DataOutputView out) throws IOException {
        writeVarInt(a.length, out);
        for (long v : a) {
            out.writeLong(v);
        }
    }

    static long[] readLongs(DataInputView in, long[] empty) throws IOException {
        int n = readVarInt(in);
        if (n == 0) {
            return empty;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    /** A sample as the operator buffers it: every field, as the POJO serializer kept them. */
    static void writeSample(Sample s, DataOutputView out) throws IOException {
        writeString(s.vmId, out);
        writeString(s.systemId, out);
        writeString(s.unitId, out);
        out.writeLong(s.timestamp);
        out.writeBoolean(s.stopped);
        writeVarLong(s.memoryUsedBytes, out);
        writeVarLong(s.memoryTotalBytes, out);
        writeVarLong(s.storageUsedBytes, out);
        writeVarLong(s.storageTotalBytes, out);
        out.writeDouble(s.cpuUtilizationPct);
        writeVarLong(s.businessRecords, out);
        writeVarInt(s.sourcePartition, out);
        writeVarLong(s.sourceOffset, out);
    }

    static Sample readSample(DataInputView in) throws IOException {
        Sample s = new Sample();
        s.vmId = readString(in);
        s.systemId = readString(in);
        s.unitId = readString(in);
        s.timestamp = in.readLong();
        s.stopped = in.readBoolean();
        s.memoryUsedBytes = readVarLong(in);
        s.memoryTotalBytes = readVarLong(in);
        s.storageUsedBytes = readVarLong(in);
        s.storageTotalBytes = readVarLong(in);
        s.cpuUtilizationPct = in.readDouble();
        s.businessRecords = readVarLong(in);
        s.sourcePartition = readVarInt(in);
        s.sourceOffset = readVarLong(in);
        return s;
    }

    static Sample copySample(Sample s) {
        Sample c = new Sample();
        c.vmId = s.vmId;
        c.systemId = s.systemId;
        c.unitId = s.unitId;
        c.timestamp = s.timestamp;
        c.stopped = s.stopped;
        c.memoryUsedBytes = s.memoryUsedBytes;
        c.memoryTotalBytes = s.memoryTotalBytes;
        c.storageUsedBytes = s.storageUsedBytes;
        c.storageTotalBytes = s.storageTotalBytes;
        c.cpuUtilizationPct = s.cpuUtilizationPct;
        c.businessRecords = s.businessRecords;
        c.sourcePartition = s.sourcePartition;
        c.sourceOffset = s.sourceOffset;
        return c;
    }
}
