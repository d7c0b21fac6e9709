package io.rightsizer.ingest.prometheus;

import java.nio.charset.StandardCharsets;

/**
 * A bounded reader of protocol buffer wire format over one byte array: the few messages of a remote
 * write request are read field by field, every length checked against the bytes that are left
 * before anything is allocated, so a hostile length cannot make it allocate more than the (already
 * bounded) body holds. Unknown fields are skipped by their wire type, as protobuf requires of a
 * reader that knows an older version of a message.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** Bytes that are not the message they should be; the message says where and why. */
    static final class MalformedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private final byte[] buf;
    private int pos;
    private final int end;
    private int tag;

    ProtoReader(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Reads the next field's key; then {@link #field()} and {@link #wireType()} describe it. */
    void next() {
        long key = readVarint();
        if (key >>> 3 == 0 || key >>> 3 > 0x1FFFFFFFL) {
            throw malformed("field number " + (key >>> 3) + " is not valid");
        }
        tag = (int) key;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw malformed("truncated varint");
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    long readFixed64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    double readDouble() {
        expect(FIXED64);
        return Double.longBitsToDouble(readFixed64());
    }

    long readInt64() {
        expect(VARINT);
        return readVarint();
    }

    /** The current length-delimited field as a reader of its own bytes. */
    ProtoReader readMessage() {
        expect(LENGTH_DELIMITED);
        int len = readLength();
        ProtoReader r = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return r;
    }

    /**
     * The current length-delimited field as UTF-8 text.
     *
     * @param maxBytes the longest accepted, checked before the string is made
     * @param what what it is, for the message
     */
    String readString(int maxBytes, String what) {
        expect(LENGTH_DELIMITED);
        int len = readLength();
        if (len > maxBytes) {
            throw new LimitException(
                    what + " is " + len + " bytes long, more than the maximum of " + maxBytes);
        }
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Skips the current field, whatever its wire type (groups, deprecated, are refused). */
    void skip() {
        switch (wireType()) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                // Not "pos += readLength()": that adds to pos as it was before the length.
                int len = readLength();
                pos += len;
            }
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw malformed("field " + field() + " has wire type " + wireType());
        }
    }

    private int readLength() {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw malformed(
                    "length "
                            + len
                            + " of field "
                            + field()
                            + " exceeds the "
                            + (end - pos)
                            + " bytes left");
        }
        return (int) len;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw malformed("field " + field() + " truncated");
        }
    }

    private void expect(int wire) {
        if (wireType() != wire) {
            throw malformed(
                    "field " + field() + " has wire type " + wireType() + ", expected " + wire);
        }
    }

    private MalformedException malformed(String why) {
        return new MalformedException(why + " at byte " + pos);
    }

    /** A well-formed value beyond a configured limit. */
    static final class LimitException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }
}
