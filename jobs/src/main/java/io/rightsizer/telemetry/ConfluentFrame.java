package io.rightsizer.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Confluent wire format of schema-registry producers: byte {@code 0}, the writer schema's
 * registry id as 4 bytes big-endian, the Avro binary body (docs/providers/schema-registry.md).
 *
 * <p>The bytes do not carry the schema: it comes from a schema registry ({@link Schemas}), or, for
 * the records the job writes itself, from their {@link SingleObject#WRITER_SCHEMA_HEADER} header,
 * so that every reader of the project reads the approval topic without a registry. The body is
 * resolved to the reader's schema and decoded as boundedly as a single-object record.
 */
public final class ConfluentFrame {
    public static final byte MAGIC = 0;

    /** The magic byte and the schema id. */
    public static final int PREFIX = 5;

    /** The key that makes the job read framed records (and write the approval topic framed). */
    public static final String REGISTRY_KEY = "kafka.schema-registry.url";

    /** Writer schemas by id a reader keeps, so a stream of distinct ids cannot grow its memory. */
    static final int MAX_SCHEMAS = 64;

    private ConfluentFrame() {}

    /** A schema registry, as far as reading frames goes. */
    public interface Schemas {
        /**
         * The schema registered under {@code id}; may wait for a registry that is down, but not
         * without saying so.
         *
         * @throws UnknownSchemaException when the registry does not have it, or answers something
         *     that is not a schema
         */
        Schema byId(int id) throws UnknownSchemaException;
    }

    /** The registry has no usable schema for an id; the message says which and why. */
    public static class UnknownSchemaException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnknownSchemaException(String message) {
            super(message);
        }
    }

    /**
     * Whether {@code value} is framed: its first byte, which no single-object or JSON record has.
     */
    public static boolean isFramed(byte[] value) {
        return value != null && value.length > 0 && value[0] == MAGIC;
    }

    /**
     * The schema id of a framed value.
     *
     * @throws SingleObject.DecodeException when the value is too short to hold one
     */
    public static int schemaId(byte[] value) {
        if (value.length < PREFIX) {
            throw new SingleObject.DecodeException(
                    SingleObject.Problem.FRAME,
                    "Confluent-framed Avro (magic byte 0) but only "
                            + value.length
                            + (value.length == 1 ? " byte" : " bytes")
                            + ": no complete 4-byte schema id");
        }
        return (value[1] & 0xff) << 24
                | (value[2] & 0xff) << 16
                | (value[3] & 0xff) << 8
                | (value[4] & 0xff);
    }

    /** {@code record} framed with {@code schemaId}, its body written with its own schema. */
    public static <T extends org.apache.avro.specific.SpecificRecord> byte[] encode(
            int schemaId, T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<T>(record.getSchema()).write(record, e);
            e.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The start of every reason about a framed record. */
    static String framed(int id) {
        return "Confluent-framed Avro (schema id " + id + ")";
    }

    /**
     * Reads a framed record into {@code reader}'s type: the writer schema from {@code registry}
     * when there is one, else from the record's writer-schema header ({@code header}, or the one in
     * {@code headers}).
     */
    static <T> T read(
            SingleObject.Reader<T> reader,
            Map<Integer, Resolved<T>> cache,
            byte[] value,
            Headers headers,
            byte[] header,
            Schemas registry) {
        int id = schemaId(value);
        if (registry == null && header == null && headers != null) {
            Header h = headers.lastHeader(SingleObject.WRITER_SCHEMA_HEADER);
            header = h == null ? null : h.value();
        }
        Resolved<T> r = cache.get(id);
        // A cache has entries of one registry, or of headers only: an id means one schema there.
        if (r == null || !Arrays.equals(r.header, header)) {
            r = resolve(reader, id, registry, header);
            if (cache.size() >= MAX_SCHEMAS) {
                cache.clear();
            }
            cache.put(id, r);
        }
        try {
            return reader.readBody(r.datumReader, value, PREFIX);
        } catch (SingleObject.DecodeException e) {
            throw new SingleObject.DecodeException(
                    SingleObject.Problem.FRAME, framed(id) + ": " + bodyMessage(e, reader));
        }
    }

    private static String bodyMessage(SingleObject.DecodeException e, SingleObject.Reader<?> r) {
        return e.problem == SingleObject.Problem.BODY
                ? "the Avro body does not match its writer schema read as "
                        + r.recordName()
                        + ": "
                        + e.getMessage()
                : e.getMessage();
    }

    /** One id's writer schema, resolved to the reader's; {@code header} when it came from one. */
    record Resolved<T>(byte[] header, GenericDatumReader<T> datumReader) {}

    static <T> Map<Integer, Resolved<T>> newCache() {
        return new ConcurrentHashMap<>();
    }

    /**
     * Reads records of one type, framed with the ids of one registry, or in any format {@code
     * reader} reads; thread-safe.
     */
    public static final class Decoder<T> {
        private final SingleObject.Reader<T> reader;
        private final Schemas registry;
        private final Map<Integer, Resolved<T>> cache = newCache();

        public Decoder(SingleObject.Reader<T> reader, Schemas registry) {
            this.reader = reader;
            this.registry = java.util.Objects.requireNonNull(registry);
        }

        /**
         * @throws SingleObject.DecodeException saying why, when the bytes are not one record
         */
        public T read(byte[] value, Headers headers) {
            if (isFramed(value)) {
                return ConfluentFrame.read(reader, cache, value, null, null, registry);
            }
            return reader.read(value, headers);
        }
    }

    private static <T> Resolved<T> resolve(
            SingleObject.Reader<T> reader, int id, Schemas registry, byte[] header) {
        Schema writer;
        if (registry != null) {
            try {
                writer = registry.byId(id);
            } catch (UnknownSchemaException e) {
                throw new SingleObject.DecodeException(
                        SingleObject.Problem.FRAME, framed(id) + ": " + e.getMessage());
            }
        } else if (header != null) {
            try {
                writer = new Schema.Parser().parse(new String(header, StandardCharsets.UTF_8));
            } catch (RuntimeException | StackOverflowError e) {
                throw new SingleObject.DecodeException(
                        SingleObject.Problem.FRAME,
                        framed(id)
                                + " with a "
                                + SingleObject.WRITER_SCHEMA_HEADER
                                + " header that is not a schema");
            }
        } else {
            throw new SingleObject.DecodeException(
                    SingleObject.Problem.FRAME,
                    framed(id)
                            + " but no schema registry is configured: set "
                            + REGISTRY_KEY
                            + " to the registry's Confluent-compatible API");
        }
        SchemaCompatibility.SchemaPairCompatibility c =
                SchemaCompatibility.checkReaderWriterCompatibility(reader.current(), writer);
        if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SingleObject.DecodeException(
                    SingleObject.Problem.FRAME,
                    framed(id)
                            + ": its writer schema "
                            + writer.getFullName()
                            + " cannot be read as "
                            + reader.current().getFullName()
                            + ": "
                            + c.getResult().getIncompatibilities().stream()
                                    .map(i -> i.getMessage() + " at " + i.getLocation())
                                    .toList());
        }
        return new Resolved<>(registry == null ? header : null, reader.resolving(writer));
    }
}
