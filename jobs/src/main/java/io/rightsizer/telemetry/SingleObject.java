package io.rightsizer.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Avro single-object encoding, the value format of every topic (schemas/README.md), read boundedly
 * and with every released schema of the record.
 *
 * <p>A {@link Reader} accepts records written with the record's current schema, with any earlier
 * version in {@code schemas/history/} ({@link SchemaHistory}), or with a newer one that the writer
 * names in the {@link #WRITER_SCHEMA_HEADER} header, and resolves them to the current class (Avro
 * schema resolution: fields the reader does not know are skipped, fields the writer did not know
 * take their defaults). Decoding never allocates more than the record holds ({@link
 * BoundedBinaryDecoder}).
 */
public final class SingleObject {
    /**
     * A Kafka header with the writer schema (Parsing Canonical Form) of the record, which the job
     * and the command line attach to every record they write except telemetry: a reader one release
     * behind, that does not know the fingerprint, reads the record with it.
     */
    public static final String WRITER_SCHEMA_HEADER = "rightsizer.writer-schema";

    /** Header schemas a reader keeps, so hostile headers cannot grow its memory. */
    static final int MAX_FOREIGN_SCHEMAS = 16;

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
     * The writer-schema header for records of {@code schema}: its Parsing Canonical Form (no docs,
     * defaults or logical types, which resolution takes from the reader's schema), a few hundred
     * bytes, whose fingerprint is the record's.
     */
    public static byte[] writerSchemaHeader(Schema schema) {
        return SchemaNormalization.toParsingForm(schema).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code record} with the writer-schema header of {@code schema}. */
    public static <K> org.apache.kafka.clients.producer.ProducerRecord<K, byte[]> withWriterSchema(
            org.apache.kafka.clients.producer.ProducerRecord<K, byte[]> record, byte[] header) {
        record.headers().add(WRITER_SCHEMA_HEADER, header);
        return record;
    }

    /** Why bytes are not a record, in the words the dead letters and the command line use. */
    public enum Problem {
        /** Not {@code C3 01} and an 8-byte fingerprint. */
        HEADER,
        /** A fingerprint of no schema of the record the reader knows. */
        UNKNOWN_SCHEMA,
        /** The body does not decode with the writer schema. */
        BODY,
        /** Bytes after the end of the body. */
        TRAILING,
        /**
         * Confluent-framed ({@link ConfluentFrame}) with a writer schema the reader cannot have: no
         * schema registry configured, an id the registry does not know, or a schema that is not a
         * version of the record.
         */
        FRAME
    }

    /** Bytes that are not a record of the expected kind; the message says why. */
    public static final class DecodeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        public final Problem problem;

        DecodeException(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }
    }

    /** A reader for records of {@code type}, knowing its current and every earlier schema. */
    public static <T extends SpecificRecord> Reader<T> reader(Class<T> type) {
        return new Reader<>(SpecificData.get().getSchema(type));
    }

    /** Reads one record's bytes; thread-safe, one per record type. */
    public static final class Reader<T> {
        private final Schema current;
        private final GenericData data;
        private final Map<Long, GenericDatumReader<T>> known = new ConcurrentHashMap<>();
        private final Map<Long, GenericDatumReader<T>> foreign = new ConcurrentHashMap<>();

        /** Confluent-framed records' writer schemas, from their headers. */
        private final Map<Integer, ConfluentFrame.Resolved<T>> framed = ConfluentFrame.newCache();

        Reader(Schema current) {
            this(current, SchemaHistory.earlier(current.getFullName()));
        }

        /** A reader with the given earlier versions (tests). */
        public Reader(Schema current, Iterable<Schema> earlier) {
            this(current, earlier, SpecificData.get());
        }

        /**
         * A reader whose records are made by {@code data}: {@link GenericData} makes generic
         * records, as a release whose classes are of an older schema would read them (tests).
         */
        public Reader(Schema current, Iterable<Schema> earlier, GenericData data) {
            this.current = current;
            this.data = data;
            known.put(SchemaNormalization.parsingFingerprint64(current), datumReader(current));
            for (Schema s : earlier) {
                known.putIfAbsent(SchemaNormalization.parsingFingerprint64(s), datumReader(s));
            }
        }

        public String recordName() {
            return current.getName();
        }

        /** How many writer schemas it reads without a header: the current and the earlier. */
        public int knownSchemas() {
            return known.size();
        }

        private GenericDatumReader<T> datumReader(Schema writer) {
            return data instanceof SpecificData specific
                    ? new SpecificDatumReader<>(writer, current, specific)
                    : new GenericDatumReader<>(writer, current, data);
        }

        /**
         * @throws DecodeException saying why, when the bytes are not one record
         */
        public T read(byte[] value) {
            return read(value, (byte[]) null);
        }

        /** As {@link #read(byte[])}, with the record's headers (for a newer writer schema). */
        public T read(byte[] value, Headers headers) {
            return read(value, headers, null);
        }

        /**
         * @param writerSchema the {@link #WRITER_SCHEMA_HEADER} header's value, or null
         */
        public T read(byte[] value, byte[] writerSchema) {
            return read(value, null, writerSchema);
        }

        // The headers are looked at only for a fingerprint the reader does not know: vm-metrics
        // records of the current schema pay nothing for them.
        private T read(byte[] value, Headers headers, byte[] writerSchema) {
            if (value != null && value.length > 0 && value[0] == ConfluentFrame.MAGIC) {
                return ConfluentFrame.read(this, framed, value, headers, writerSchema, null);
            }
            if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 1) {
                throw new DecodeException(
                        Problem.HEADER,
                        "not Avro single-object encoding (no complete C3 01 header and"
                                + " fingerprint)");
            }
            long fp = fingerprint(value);
            GenericDatumReader<T> r = known.get(fp);
            if (r == null) {
                r = foreign.get(fp);
            }
            if (r == null) {
                if (writerSchema == null && headers != null) {
                    Header h = headers.lastHeader(WRITER_SCHEMA_HEADER);
                    writerSchema = h == null ? null : h.value();
                }
                r = fromHeader(fp, writerSchema);
            }
            return readBody(r, value, 10);
        }

        /** The body at {@code offset}, to the end of {@code value}, as boundedly as any record. */
        T readBody(GenericDatumReader<T> r, byte[] value, int offset) {
            BoundedBinaryDecoder in = new BoundedBinaryDecoder(value, offset, value.length);
            T record;
            try {
                record = r.read(null, in);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                throw new DecodeException(Problem.BODY, describe(e));
            }
            if (in.remaining() > 0) {
                throw new DecodeException(
                        Problem.TRAILING, in.remaining() + " bytes after the end of the Avro body");
            }
            return record;
        }

        Schema current() {
            return current;
        }

        /**
         * A reader of bodies written with {@code writer}, a schema that came with the record's
         * frame rather than its bytes (a schema registry's): the released version's reader when it
         * is one.
         */
        GenericDatumReader<T> resolving(Schema writer) {
            GenericDatumReader<T> r = known.get(SchemaNormalization.parsingFingerprint64(writer));
            return r != null ? r : datumReader(writer);
        }

        private GenericDatumReader<T> fromHeader(long fp, byte[] writerSchema) {
            String unknown =
                    "unknown writer schema fingerprint: "
                            + hex(fp)
                            + " (this release reads "
                            + known.size()
                            + (known.size() == 1 ? " version of " : " versions of ")
                            + current.getName()
                            + ")";
            if (writerSchema == null) {
                throw new DecodeException(Problem.UNKNOWN_SCHEMA, unknown);
            }
            Schema w;
            try {
                w = new Schema.Parser().parse(new String(writerSchema, StandardCharsets.UTF_8));
            } catch (RuntimeException | StackOverflowError e) {
                throw new DecodeException(
                        Problem.UNKNOWN_SCHEMA,
                        unknown + "; its " + WRITER_SCHEMA_HEADER + " header is not a schema");
            }
            if (SchemaNormalization.parsingFingerprint64(w) != fp
                    || !w.getFullName().equals(current.getFullName())) {
                throw new DecodeException(
                        Problem.UNKNOWN_SCHEMA,
                        unknown
                                + "; its "
                                + WRITER_SCHEMA_HEADER
                                + " header is another schema ("
                                + w.getFullName()
                                + ", "
                                + hex(SchemaNormalization.parsingFingerprint64(w))
                                + ")");
            }
            GenericDatumReader<T> r = datumReader(w);
            if (foreign.size() < MAX_FOREIGN_SCHEMAS) {
                foreign.put(fp, r);
            }
            return r;
        }
    }

    /**
     * The writer schema's fingerprint in a single-object encoded {@code value} (at least 10 bytes,
     * {@code C3 01} checked by the caller): bytes 2 to 9, little-endian.
     */
    static long fingerprint(byte[] value) {
        long fp = 0;
        for (int i = 9; i >= 2; i--) {
            fp = fp << 8 | (value[i] & 0xff);
        }
        return fp;
    }

    /**
     * What Avro's reader threw, for a record's dead-letter reason: {@code e.toString()}, except for
     * the exceptions the JIT may throw without their message once one place has thrown them often
     * ({@code -XX:+OmitStackTraceInFastThrow}, on by default), which give their class only, so that
     * a record's reason is the same in every run. An enum symbol or union branch the schema does
     * not have is such an {@code ArrayIndexOutOfBoundsException}.
     */
    static String describe(Throwable e) {
        if (e instanceof NullPointerException
                || e instanceof ArithmeticException
                || e instanceof ArrayIndexOutOfBoundsException
                || e instanceof ArrayStoreException
                || e instanceof ClassCastException) {
            return e.getClass().getName();
        }
        return e.toString();
    }

    /** A fingerprint as schemas/README.md prints it: its 8 bytes as on the wire. */
    static String hex(long fingerprint) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (fingerprint >>> (8 * i));
        }
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /**
     * Decodes one record value.
     *
     * @param schema the record's name, for the reason ({@code not a <schema>: ...})
     * @throws IllegalArgumentException saying why, when the bytes are not a {@code schema} record
     *     in single-object encoding, or hold more than one
     */
    public static <T> T decode(Reader<T> reader, byte[] value, String schema) {
        return decode(reader, value, null, null, schema);
    }

    /** As above, with the record's headers. */
    public static <T> T decode(Reader<T> reader, byte[] value, Headers headers, String schema) {
        return decode(reader, value, headers, null, schema);
    }

    private static <T> T decode(
            Reader<T> reader, byte[] value, Headers headers, byte[] writer, String schema) {
        String not = "not a " + schema + ": ";
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException(not + "empty record value (a tombstone?)");
        }
        try {
            return reader.read(value, headers, writer);
        } catch (DecodeException e) {
            String m =
                    e.problem == Problem.BODY
                            ? "the Avro body does not match the schema: " + e.getMessage()
                            : e.getMessage();
            throw new IllegalArgumentException(not + m, e);
        }
    }
}
