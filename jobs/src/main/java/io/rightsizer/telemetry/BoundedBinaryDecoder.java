package io.rightsizer.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding over one record's bytes that never allocates more than the record holds.
 *
 * <p>Avro's own decoder allocates a string, a byte array or an array of the length the record
 * declares before it reads a byte of it: 18 bytes declaring a 2,000,000,000-byte string are an
 * {@code OutOfMemoryError}. Avro's {@code org.apache.avro.limits.*} system properties would cap
 * that, but they are JVM-wide and read once, which a job on a shared cluster cannot rely on. Here
 * every declared length and block count is checked against the bytes that remain: a string or bytes
 * value longer than the rest of the record, or an array or map block with more items than bytes
 * left, is an {@link IOException} naming the position. Items are never zero bytes in the project's
 * schemas, so a count above the remaining bytes is always a lie.
 *
 * <p>A writer schema from a record's header (a newer release's) may have items of zero bytes (an
 * array of nulls): each block would then be checked against bytes it never consumes, and blocks of
 * one byte each could declare a million items apiece. So the items of all arrays and maps of a
 * record together may not outnumber the record's body bytes either: decoding time and memory stay
 * linear in the record's size.
 */
final class BoundedBinaryDecoder extends Decoder {
    private final byte[] buf;
    private int pos;
    private final int limit;

    /** Array and map items the record may still declare. */
    private long itemBudget;

    BoundedBinaryDecoder(byte[] buf, int offset, int limit) {
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
        this.itemBudget = limit - offset;
    }

    private void spend(long count, String what) throws IOException {
        if (count > itemBudget) {
            throw new IOException(
                    what
                            + " block declares "
                            + count
                            + " items at byte "
                            + pos
                            + " but the record's arrays and maps may hold only "
                            + itemBudget
                            + " more (one item per byte of the body)");
        }
        itemBudget -= count;
    }

    /** Bytes not read yet. */
    int remaining() {
        return limit - pos;
    }

    private IOException truncated(String what) {
        return new IOException(
                "truncated: " + what + " runs past the end of the record at byte " + pos);
    }

    private void need(long n, String what) throws IOException {
        if (n < 0 || n > limit - pos) {
            throw new IOException(
                    what
                            + " declares "
                            + n
                            + " bytes at byte "
                            + pos
                            + " but only "
                            + (limit - pos)
                            + " remain");
        }
    }

    @Override
    public void readNull() {}

    @Override
    public boolean readBoolean() throws IOException {
        if (pos >= limit) {
            throw truncated("a boolean");
        }
        int b = buf[pos++];
        if (b != 0 && b != 1) {
            throw new IOException("a boolean byte is " + b + " at byte " + (pos - 1));
        }
        return b == 1;
    }

    @Override
    public int readInt() throws IOException {
        long v = readLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IOException("an int out of range: " + v);
        }
        return (int) v;
    }

    @Override
    public long readLong() throws IOException {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (pos >= limit) {
                throw truncated("a varint");
            }
            int b = buf[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IOException("a varint longer than 10 bytes at byte " + pos);
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    @Override
    public float readFloat() throws IOException {
        need(4, "a float");
        int bits =
                (buf[pos] & 0xff)
                        | (buf[pos + 1] & 0xff) << 8
                        | (buf[pos + 2] & 0xff) << 16
                        | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() throws IOException {
        need(8, "a double");
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = bits << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    private int length(String what) throws IOException {
        long n = readLong();
        need(n, what);
        return (int) n;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int n = length("a string");
        Utf8 u = old != null ? old : new Utf8();
        u.setByteLength(n);
        System.arraycopy(buf, pos, u.getBytes(), 0, n);
        pos += n;
        return u;
    }

    @Override
    public String readString() throws IOException {
        int n = length("a string");
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    @Override
    public void skipString() throws IOException {
        int n = length("a string"); // read first: "pos += length()" would add to the old pos
        pos += n;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int n = length("a bytes value");
        ByteBuffer b = old != null && old.capacity() >= n ? old : ByteBuffer.allocate(n);
        b.clear();
        b.put(buf, pos, n);
        b.flip();
        pos += n;
        return b;
    }

    @Override
    public void skipBytes() throws IOException {
        int n = length("a bytes value");
        pos += n;
    }

    @Override
    public void readFixed(byte[] bytes, int start, int len) throws IOException {
        need(len, "a fixed value");
        System.arraycopy(buf, pos, bytes, start, len);
        pos += len;
    }

    @Override
    public void skipFixed(int len) throws IOException {
        need(len, "a fixed value");
        pos += len;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    private long itemCount(String what) throws IOException {
        long count = readLong();
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw new IOException(what + " block count out of range at byte " + pos);
            }
            count = -count;
            long size = readLong();
            need(size, what + " block");
        }
        return counted(count, what, " items at byte " + pos);
    }

    /** {@code count} items, refused when more than the bytes left, and spent from the record. */
    private long counted(long count, String what, String where) throws IOException {
        if (count > limit - pos) {
            throw new IOException(
                    what
                            + " block declares "
                            + count
                            + where
                            + " but only "
                            + (limit - pos)
                            + " bytes remain");
        }
        spend(count, what);
        return count;
    }

    private long skipItems(String what) throws IOException {
        long count = readLong();
        while (count < 0) {
            long size = readLong();
            need(size, what + " block");
            pos += (int) size;
            count = readLong();
        }
        return counted(count, what, " items");
    }

    @Override
    public long readArrayStart() throws IOException {
        return itemCount("an array");
    }

    @Override
    public long arrayNext() throws IOException {
        return itemCount("an array");
    }

    @Override
    public long skipArray() throws IOException {
        return skipItems("an array");
    }

    @Override
    public long readMapStart() throws IOException {
        return itemCount("a map");
    }

    @Override
    public long mapNext() throws IOException {
        return itemCount("a map");
    }

    @Override
    public long skipMap() throws IOException {
        return skipItems("a map");
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }
}
