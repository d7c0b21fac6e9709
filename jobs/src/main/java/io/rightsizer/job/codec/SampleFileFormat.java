package io.rightsizer.job.codec;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.telemetry.AvroContainerReader;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.telemetry.SampleLineParser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a replay file: JSON Lines of samples, or an Avro object container file of MetricSample
 * (recognised by its {@code Obj\1} magic). Every record keeps its 1-based line (or record) number
 * so a bad one can be reported where it stands. Never throws on bad records; a file is one split.
 */
public class SampleFileFormat implements StreamFormat<Ingested> {
    private static final long serialVersionUID = 1L;
    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

    private final String sourceName;

    public SampleFileFormat(String sourceName) {
        this.sourceName = sourceName;
    }

    /** Chooses, from a JSON line's bytes alone, whether a reader decodes it or passes over it. */
    public interface LineFilter {
        boolean decode(byte[] buf, int start, int end);
    }

    @Override
    public Reader<Ingested> createReader(
            Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        return createReader(stream, null);
    }

    /**
     * A reader that decodes only the JSON lines {@code filter} takes (null: all of them); the lines
     * passed over still count in the line numbers. Avro files are read whole.
     */
    public Reader<Ingested> createReader(FSDataInputStream stream, LineFilter filter)
            throws IOException {
        byte[] head = new byte[4];
        int n = 0;
        while (n < 4) {
            int r = stream.read(head, n, 4 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        stream.seek(0);
        if (n == 4 && Arrays.equals(head, AVRO_MAGIC)) {
            return new AvroReader(stream, sourceName);
        }
        return new JsonLinesReader(stream, sourceName, filter);
    }

    /**
     * Restarts from the beginning: readers report their position as a record count from the start
     * of the file (no byte offset), and the file source skips that many records, so line numbers
     * stay exact after a restore.
     */
    @Override
    public Reader<Ingested> restoreReader(
            Configuration config,
            FSDataInputStream stream,
            long restoredOffset,
            long fileLen,
            long splitEnd)
            throws IOException {
        stream.seek(0);
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }

    static Ingested rejected(
            String source, long number, DeadLetterReason reason, String message, byte[] raw) {
        Rejected r = Rejected.of(reason, message, raw);
        r.sourceTopic = source;
        r.sourceOffset = number;
        return Ingested.rejected(r);
    }

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /** JSON Lines straight from bytes: no String per line, blank lines skipped. */
    static final class JsonLinesReader implements StreamFormat.Reader<Ingested> {
        private final InputStream in;
        private final String source;
        private final SampleLineParser parser = new SampleLineParser();
        private final LineFilter filter;
        private byte[] buf = new byte[1 << 20];
        private int pos;
        private int limit;
        private boolean eof;
        private long line;
        private long records;

        JsonLinesReader(InputStream in, String source, LineFilter filter) {
            this.in = in;
            this.source = source;
            this.filter = filter;
        }

        @Override
        public Ingested read() throws IOException {
            while (true) {
                int nl = indexOfNewline();
                int end;
                int next;
                if (nl >= 0) {
                    end = nl;
                    next = nl + 1;
                } else if (eof) {
                    if (pos >= limit) {
                        return null;
                    }
                    end = limit;
                    next = limit;
                } else {
                    fill();
                    continue;
                }
                int start = pos;
                pos = next;
                line++;
                if (end > start && buf[end - 1] == '\r') {
                    end--;
                }
                if (isBlank(start, end)) {
                    continue;
                }
                records++;
                if (filter != null && !filter.decode(buf, start, end)) {
                    continue;
                }
                SampleJson.Result r = parser.parse(buf, start, end - start);
                if (r.ok()) {
                    r.sample.sourceOffset = line;
                    return Ingested.of(r.sample);
                }
                Ingested bad =
                        rejected(
                                source,
                                line,
                                r.reason,
                                r.message,
                                Arrays.copyOfRange(buf, start, end));
                bad.rejected.vmId = r.vmId;
                bad.rejected.sampleTimestamp = r.timestamp;
                return bad;
            }
        }

        private int indexOfNewline() {
            int i = pos;
            // Eight bytes at a time: finding the line ends is a pass over the whole file.
            for (; i + 8 <= limit; i += 8) {
                long x = (long) LONGS.get(buf, i) ^ NEWLINES;
                // A zero byte is a newline; the lowest flagged byte is always a true one.
                long m = (x - ONES) & ~x & HIGHS;
                if (m != 0) {
                    return i + (Long.numberOfTrailingZeros(m) >>> 3);
                }
            }
            for (; i < limit; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }

        private boolean isBlank(int start, int end) {
            for (int i = start; i < end; i++) {
                byte b = buf[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public CheckpointedPosition getCheckpointedPosition() {
            return new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, records);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** An Avro object container file of MetricSample records. */
    static final class AvroReader implements StreamFormat.Reader<Ingested> {
        private final AvroContainerReader<MetricSample> avro;
        private final String source;
        private long record;
        private boolean broken;

        AvroReader(InputStream in, String source) throws IOException {
            this.avro = new AvroContainerReader<>(in, MetricSample.class);
            this.source = source;
        }

        @Override
        public Ingested read() throws IOException {
            if (broken) {
                return null;
            }
            MetricSample m;
            boolean counted = false;
            try {
                if (!avro.hasNext()) {
                    return null;
                }
                record++;
                counted = true;
                m = avro.next();
            } catch (AvroContainerReader.CorruptFileException | RuntimeException e) {
                if (!counted) {
                    record++; // a corrupt block header: reported as the record it would hold
                }
                // A corrupt block cannot be skipped record by record: report it and stop.
                Ingested bad =
                        rejected(
                                source,
                                record,
                                DeadLetterReason.UNDECODABLE,
                                "corrupt Avro block: " + e.getMessage(),
                                new byte[0]);
                broken = true;
                return bad;
            }
            SampleJson.Result r = SampleCodec.fromAvro(m);
            if (r.ok()) {
                r.sample.sourceOffset = record;
                return Ingested.of(r.sample);
            }
            Ingested bad = rejected(source, record, r.reason, r.message, SampleCodec.encode(m));
            bad.rejected.vmId = r.vmId;
            bad.rejected.sampleTimestamp = r.timestamp;
            return bad;
        }

        @Override
        public CheckpointedPosition getCheckpointedPosition() {
            return new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, record);
        }

        @Override
        public void close() throws IOException {
            avro.close();
        }
    }
}
