package io.rightsizer.job;

import io.rightsizer.job.codec.SampleFileFormat;
import io.rightsizer.model.Ingested;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The reader of {@link PartitionedSampleFileSource}: parses on Flink's fetcher thread (the same
 * {@link SampleFileFormat} readers as the single-reader replay, so the same records and dead
 * letters), keeps its group's samples, and places the file's watermark among them as {@link Tick}s
 * that the task thread turns into watermarks. Another group's JSON line is decoded only when it may
 * raise the watermark or its VM cannot be told from its bytes ({@link ForeignLineSkim}).
 */
final class PartitionedSampleFileReader
        extends SingleThreadMultiplexSourceReaderBase<
                Object,
                Ingested,
                PartitionedSampleFileSource.Group,
                PartitionedSampleFileSource.Group> {

    /** The file's watermark, due right after the records fetched before it. */
    record Tick(long watermark) {}

    private PartitionedSampleFileReader(
            Fetch fetch, Configuration config, SourceReaderContext ctx) {
        super(() -> fetch, new Emitter(), config, ctx);
    }

    static PartitionedSampleFileReader create(
            String path,
            String sourceName,
            long boundMillis,
            int maxParallelism,
            SourceReaderContext ctx) {
        return new PartitionedSampleFileReader(
                new Fetch(path, sourceName, boundMillis, maxParallelism),
                ctx.getConfiguration(),
                ctx);
    }

    @Override
    protected void onSplitFinished(Map<String, PartitionedSampleFileSource.Group> finished) {}

    @Override
    protected PartitionedSampleFileSource.Group initializedState(
            PartitionedSampleFileSource.Group split) {
        return split;
    }

    @Override
    protected PartitionedSampleFileSource.Group toSplitType(
            String splitId, PartitionedSampleFileSource.Group state) {
        return state;
    }

    private static final class Emitter
            implements RecordEmitter<Object, Ingested, PartitionedSampleFileSource.Group> {
        @Override
        public void emitRecord(
                Object element,
                SourceOutput<Ingested> output,
                PartitionedSampleFileSource.Group group) {
            if (element instanceof Tick t) {
                output.emitWatermark(new Watermark(t.watermark()));
            } else {
                output.collect((Ingested) element);
            }
        }
    }

    /** Reads the whole file on the fetcher thread, a batch per call. */
    static final class Fetch implements SplitReader<Object, PartitionedSampleFileSource.Group> {
        private static final int BATCH = 4096;

        private final String path;
        private final String sourceName;
        private final long bound;
        private final int maxParallelism;
        private PartitionedSampleFileSource.Group group;
        private StreamFormat.Reader<Ingested> reader;
        private long maxTimestamp = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        /** The reader that reports the line just read when it is rejected; see filter(). */
        private int owner = ForeignLineSkim.UNPREFIXED;

        Fetch(String path, String sourceName, long bound, int maxParallelism) {
            this.path = path;
            this.sourceName = sourceName;
            this.bound = bound;
            this.maxParallelism = maxParallelism;
        }

        @Override
        public RecordsWithSplitIds<Object> fetch() throws IOException {
            RecordsBySplits.Builder<Object> out = new RecordsBySplits.Builder<>();
            if (group == null) {
                return out.build();
            }
            if (reader == null) {
                Path p = new Path(path);
                FileSystem fs = p.getFileSystem();
                FSDataInputStream in = fs.open(p);
                reader = new SampleFileFormat(sourceName).createReader(in, filter());
            }
            String id = group.splitId();
            // One list handed over per batch: the builder's add looks the split up per record.
            List<Object> records = new ArrayList<>(BATCH + BATCH / 8);
            int n = 0;
            while (n < BATCH) {
                Ingested r = reader.read();
                if (r == null) {
                    reader.close();
                    reader = null;
                    out.addFinishedSplit(id);
                    group = null;
                    break;
                }
                n++;
                if (r.sample == null) {
                    // Reported once: by the reader of its prefix ID, or else by reader 0.
                    int reporter = owner == ForeignLineSkim.UNPREFIXED ? 0 : owner;
                    if (group.index() == reporter) {
                        records.add(r);
                    }
                    continue;
                }
                if (owns(r.sample.vmId)) {
                    records.add(r);
                } else if (owner == group.index()) {
                    throw new IllegalStateException(
                            "line "
                                    + r.sample.sourceOffset
                                    + " of prefix ID for reader "
                                    + owner
                                    + " decoded to VM "
                                    + r.sample.vmId);
                }
                long ts = r.sample.timestamp;
                if (ts > maxTimestamp) {
                    maxTimestamp = ts;
                    long w = ts - bound - 1;
                    if (w > emitted) {
                        emitted = w;
                        records.add(new Tick(w));
                    }
                }
            }
            if (!records.isEmpty()) {
                out.addAll(id, records);
            }
            return out.build();
        }

        /**
         * With more than one reader: the lines of other readers' VMs that cannot raise the
         * watermark are passed over undecoded ({@link ForeignLineSkim}).
         */
        private SampleFileFormat.LineFilter filter() {
            owner = ForeignLineSkim.UNPREFIXED;
            if (group.count() == 1) {
                return null;
            }
            ForeignLineSkim skim = new ForeignLineSkim(maxParallelism, group.count());
            return (b, start, end) -> {
                owner = skim.owner(b, start, end, maxTimestamp);
                return owner == ForeignLineSkim.UNPREFIXED
                        || owner == group.index()
                        || skim.mayRaise();
            };
        }

        private boolean owns(String vmId) {
            return group.count() == 1
                    || KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                    vmId, maxParallelism, group.count())
                            == group.index();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<PartitionedSampleFileSource.Group> change) {
            if (change instanceof SplitsAddition<PartitionedSampleFileSource.Group> add) {
                for (PartitionedSampleFileSource.Group g : add.splits()) {
                    if (group != null) {
                        throw new IllegalStateException(
                                "one group per reader, got " + g + " beside " + group);
                    }
                    group = g;
                }
            }
        }

        @Override
        public void wakeUp() {}

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
