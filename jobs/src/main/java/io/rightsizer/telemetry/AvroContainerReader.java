package io.rightsizer.telemetry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * An Avro object container file (a replay file of samples) read within bounds: Avro's {@code
 * DataFileStream} allocates a block of the size the file declares (up to 2 GiB from a 30-byte file)
 * and decodes records with an unbounded decoder. Here a block is read only as far as the file has
 * bytes and at most {@link #MAX_BLOCK_BYTES} (also when inflated), metadata at most {@link
 * #MAX_METADATA_BYTES}, and each record is decoded by {@link BoundedBinaryDecoder}, resolved from
 * the file's schema to the current class. The {@code null} and {@code deflate} codecs are read this
 * way; other codecs are decompressed by Avro's codec (bounded only by the block size).
 */
public final class AvroContainerReader<T extends SpecificRecord> implements Closeable {
    /** The largest block, compressed or not. Avro's writers default to 64 KiB blocks. */
    public static final int MAX_BLOCK_BYTES = 64 << 20;

    /** The largest file header metadata (the schema and the codec). */
    public static final int MAX_METADATA_BYTES = 1 << 20;

    /** A file that is not a well-formed container, with why. */
    public static final class CorruptFileException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptFileException(String message) {
            super(message);
        }
    }

    private static final byte[] MAGIC = {'O', 'b', 'j', 1};

    private final InputStream in;
    private final byte[] sync = new byte[16];
    private final String codec;
    private final SpecificDatumReader<T> reader;
    private BoundedBinaryDecoder block;
    private long left;

    public AvroContainerReader(InputStream raw, Class<T> type) throws IOException {
        this.in = new BufferedInputStream(raw, 1 << 16);
        if (!Arrays.equals(bytes(4, "the magic"), MAGIC)) {
            throw new CorruptFileException("not an Avro data file");
        }
        Map<String, byte[]> meta = metadata();
        byte[] schemaText = meta.get("avro.schema");
        if (schemaText == null) {
            throw new CorruptFileException("no avro.schema in the file header");
        }
        Schema writer;
        try {
            writer = new Schema.Parser().parse(new String(schemaText, StandardCharsets.UTF_8));
        } catch (RuntimeException | StackOverflowError e) {
            throw new CorruptFileException("the file's avro.schema is not a schema: " + e);
        }
        byte[] c = meta.get("avro.codec");
        this.codec = c == null ? "null" : new String(c, StandardCharsets.UTF_8);
        if (!codec.equals("null") && !codec.equals("deflate")) {
            // Other codecs' libraries size their output by what the block declares.
            throw new CorruptFileException(
                    "codec " + codec + " is not read (null, Avro's default, and deflate are)");
        }
        System.arraycopy(bytes(16, "the sync marker"), 0, sync, 0, 16);
        Schema current = SpecificData.get().getSchema(type);
        this.reader = new SpecificDatumReader<>(writer, current);
    }

    /** Whether a record follows. */
    public boolean hasNext() throws IOException {
        while (left == 0) {
            if (!nextBlock()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The next record.
     *
     * @throws CorruptFileException when it does not decode; the rest of its block cannot be found
     */
    public T next() throws IOException {
        if (!hasNext()) {
            throw new EOFException("no more records");
        }
        T record;
        try {
            record = reader.read(null, block);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new CorruptFileException(SingleObject.describe(e));
        }
        left--;
        if (left == 0 && block.remaining() > 0) {
            throw new CorruptFileException(
                    block.remaining() + " bytes after the last record of a block");
        }
        return record;
    }

    private boolean nextBlock() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        long count = varint(first);
        long size = varint(in.read());
        if (count < 0) {
            throw new CorruptFileException("a block declares " + count + " records");
        }
        if (size < 0 || size > MAX_BLOCK_BYTES) {
            throw new CorruptFileException(
                    "a block declares "
                            + size
                            + " bytes, more than the maximum of "
                            + MAX_BLOCK_BYTES
                            + " or negative");
        }
        byte[] data = bytes((int) size, "a block");
        if (!Arrays.equals(bytes(16, "a block's sync marker"), sync)) {
            throw new CorruptFileException("a block's sync marker differs from the file's");
        }
        byte[] body = decompress(data);
        // Every record is at least one byte: more records than bytes is a lie.
        if (count > body.length) {
            throw new CorruptFileException(
                    "a block declares " + count + " records in " + body.length + " bytes");
        }
        block = new BoundedBinaryDecoder(body, 0, body.length);
        left = count;
        return true;
    }

    private byte[] decompress(byte[] data) throws IOException {
        switch (codec) {
            case "null":
                return data;
            case "deflate":
                return inflate(data);
            default:
                throw new IllegalStateException("checked when the file was opened: " + codec);
        }
    }

    private static byte[] inflate(byte[] data) throws IOException {
        Inflater inflater = new Inflater(true); // Avro's deflate is raw, without zlib header
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length * 2));
            byte[] chunk = new byte[1 << 16];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CorruptFileException("a deflate block ends early");
                }
                if (out.size() + n > MAX_BLOCK_BYTES) {
                    throw new CorruptFileException(
                            "a block inflates to more than " + MAX_BLOCK_BYTES + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new CorruptFileException("a deflate block is corrupt: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private Map<String, byte[]> metadata() throws IOException {
        Map<String, byte[]> meta = new HashMap<>();
        long total = 0;
        while (true) {
            long count = varint(in.read());
            if (count == 0) {
                return meta;
            }
            if (count < 0) {
                count = -count;
                varint(in.read()); // the block's byte size, not needed
            }
            if (count > MAX_METADATA_BYTES) {
                throw new CorruptFileException("the header declares " + count + " entries");
            }
            for (long i = 0; i < count; i++) {
                byte[] key = lengthPrefixed(MAX_METADATA_BYTES - total);
                total += key.length;
                byte[] value = lengthPrefixed(MAX_METADATA_BYTES - total);
                total += value.length;
                meta.put(new String(key, StandardCharsets.UTF_8), value);
            }
        }
    }

    private byte[] lengthPrefixed(long max) throws IOException {
        long n = varint(in.read());
        if (n < 0 || n > max) {
            throw new CorruptFileException(
                    "the header declares a value of "
                            + n
                            + " bytes; its metadata may hold at most "
                            + MAX_METADATA_BYTES);
        }
        return bytes((int) n, "the header");
    }

    /** Avro's zig-zag varint, its first byte already read. */
    private long varint(int first) throws IOException {
        long raw = 0;
        int b = first;
        for (int shift = 0; ; shift += 7) {
            if (b < 0) {
                throw new CorruptFileException("the file ends inside a number");
            }
            if (shift > 63) {
                throw new CorruptFileException("a number longer than 10 bytes");
            }
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            b = in.read();
        }
    }

    /** {@code n} bytes, allocated only as the file delivers them. */
    private byte[] bytes(int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new CorruptFileException(
                    "the file ends inside " + what + " (" + b.length + " of " + n + " bytes)");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
