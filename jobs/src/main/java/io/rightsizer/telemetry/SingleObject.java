package io.rightsizer.telemetry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;

/**
 * Avro single-object encoding, the value format of every topic (schemas/README.md), with decoding
 * errors turned into one reason a person can act on.
 */
public final class SingleObject {
    private SingleObject() {}

    public static <T> byte[] encode(BinaryMessageEncoder<T> encoder, T record) {
        try {
            ByteBuffer b = encoder.encode(record);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes one record value.
     *
     * @param schema the record's name, for the reason ({@code not a <schema>: ...})
     * @throws IllegalArgumentException saying why, when the bytes are not a {@code schema} record
     *     in single-object encoding, or hold more than one
     */
    public static <T> T decode(BinaryMessageDecoder<T> decoder, byte[] value, String schema) {
        String not = "not a " + schema + ": ";
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException(not + "empty record value (a tombstone?)");
        }
        ByteArrayInputStream in = new ByteArrayInputStream(value);
        T record;
        try {
            record = decoder.decode(in, null);
        } catch (BadHeaderException e) {
            throw new IllegalArgumentException(
                    not
                            + "not Avro single-object encoding (no complete C3 01 header and"
                            + " fingerprint)",
                    e);
        } catch (MissingSchemaException e) {
            throw new IllegalArgumentException(
                    not + "unknown writer schema fingerprint: " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    not + "the Avro body does not match the schema: " + e, e);
        }
        if (in.available() > 0) {
            throw new IllegalArgumentException(
                    not + in.available() + " bytes after the end of the Avro body");
        }
        return record;
    }
}
