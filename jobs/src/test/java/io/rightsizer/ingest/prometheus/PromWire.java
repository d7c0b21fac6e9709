package io.rightsizer.ingest.prometheus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Writes remote write 1.0 bodies for the tests, field by field as protobuf's wire format defines
 * them (so the reader is checked against the format, not against itself).
 */
public final class PromWire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A series of one sample; labels are written sorted by name, as the spec requires. */
    public PromWire series(Map<String, String> labels, long timestamp, double value) {
        PromWire ts = new PromWire();
        new TreeMap<>(labels).forEach((k, v) -> ts.message(1, new PromWire().str(1, k).str(2, v)));
        ts.message(
                2,
                new PromWire().fixed64(1, Double.doubleToRawLongBits(value)).varint(2, timestamp));
        return message(1, ts);
    }

    public PromWire message(int field, PromWire m) {
        return bytes(field, m.toByteArray());
    }

    public PromWire str(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public PromWire bytes(int field, byte[] b) {
        key(field, 2);
        rawVarint(b.length);
        out.writeBytes(b);
        return this;
    }

    public PromWire varint(int field, long v) {
        key(field, 0);
        rawVarint(v);
        return this;
    }

    public PromWire fixed64(int field, long v) {
        key(field, 1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public PromWire fixed32(int field, int v) {
        key(field, 5);
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
        return this;
    }

    public PromWire key(int field, int wire) {
        rawVarint((long) field << 3 | wire);
        return this;
    }

    public PromWire rawVarint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public byte[] snappy() {
        return compress(toByteArray());
    }

    public static byte[] compress(byte[] b) {
        try {
            return Snappy.compress(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
