package io.rightsizer.job;

import io.rightsizer.model.Ingested;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A replay file read by {@code n} readers at once, one per subtask, each keeping the samples of the
 * VMs that {@code keyBy(vmId)} would send to its subtask, so the rules run chained to their reader
 * on every core with no record crossing a shuffle. Every reader reads the whole file: the watermark
 * is a function of the file alone (W = max timestamp of the valid samples read so far − bound − 1
 * ms, emitted right after the sample that raises it, as {@link SampleWatermarks}), and each reader
 * emits that same watermark at the same place among its own samples, so every LATE verdict and
 * every timer is what a single reader gives. A JSON line whose bytes name another reader's VM and
 * that cannot raise the watermark is passed over undecoded ({@link ForeignLineSkim}). A rejected
 * line goes out once: from the reader of the VM its bytes name, else from reader 0.
 *
 * <p>A replay takes no checkpoints; a restored reader starts its group over from the beginning.
 */
public final class PartitionedSampleFileSource
        implements Source<Ingested, PartitionedSampleFileSource.Group, Void>,
                ResultTypeQueryable<Ingested> {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String sourceName;
    private final long boundMillis;
    private final int maxParallelism;

    /**
     * @param path the file (a Flink path URI)
     * @param maxParallelism the keyed operators' max parallelism: it decides which subtask a VM's
     *     key group belongs to
     */
    public PartitionedSampleFileSource(
            String path, String sourceName, java.time.Duration bound, int maxParallelism) {
        this.path = path;
        this.sourceName = sourceName;
        this.boundMillis = bound.toMillis();
        this.maxParallelism = maxParallelism;
    }

    /** The VMs of one subtask: group {@code index} of {@code count}. */
    public record Group(int index, int count) implements SourceSplit {
        @Override
        public String splitId() {
            return index + "/" + count;
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Ingested, Group> createReader(SourceReaderContext ctx) {
        return PartitionedSampleFileReader.create(
                path, sourceName, boundMillis, maxParallelism, ctx);
    }

    @Override
    public SplitEnumerator<Group, Void> createEnumerator(SplitEnumeratorContext<Group> ctx) {
        return new Enumerator(ctx);
    }

    @Override
    public SplitEnumerator<Group, Void> restoreEnumerator(
            SplitEnumeratorContext<Group> ctx, Void checkpoint) {
        return new Enumerator(ctx);
    }

    @Override
    public SimpleVersionedSerializer<Group> getSplitSerializer() {
        return new GroupSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
        return new NothingSerializer();
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }

    /**
     * The strategy to pass to {@code fromSource}: the sample's timestamp, and no generator of its
     * own, since the readers emit the file's watermark themselves.
     */
    public static WatermarkStrategy<Ingested> watermarks() {
        return new ReaderWatermarks();
    }

    private static final class ReaderWatermarks implements WatermarkStrategy<Ingested> {
        private static final long serialVersionUID = 1L;

        @Override
        public WatermarkGenerator<Ingested> createWatermarkGenerator(
                WatermarkGeneratorSupplier.Context context) {
            return new WatermarkGenerator<>() {
                @Override
                public void onEvent(Ingested e, long ts, WatermarkOutput out) {}

                @Override
                public void onPeriodicEmit(WatermarkOutput out) {}
            };
        }

        @Override
        public TimestampAssigner<Ingested> createTimestampAssigner(
                TimestampAssignerSupplier.Context context) {
            return (element, recordTimestamp) ->
                    element.sample != null ? element.sample.timestamp : recordTimestamp;
        }
    }

    /** Group i to subtask i, whenever that reader (re)registers. */
    private static final class Enumerator implements SplitEnumerator<Group, Void> {
        private final SplitEnumeratorContext<Group> ctx;

        Enumerator(SplitEnumeratorContext<Group> ctx) {
            this.ctx = ctx;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Group> splits, int subtaskId) {
            for (Group g : splits) {
                ctx.assignSplit(g, subtaskId);
            }
        }

        @Override
        public void addReader(int subtaskId) {
            ctx.assignSplit(new Group(subtaskId, ctx.currentParallelism()), subtaskId);
            ctx.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Void snapshotState(long checkpointId) {
            return null;
        }

        @Override
        public void close() {}
    }

    static final class GroupSerializer implements SimpleVersionedSerializer<Group> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Group g) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(8);
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeInt(g.index());
                out.writeInt(g.count());
            }
            return b.toByteArray();
        }

        @Override
        public Group deserialize(int version, byte[] bytes) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                return new Group(in.readInt(), in.readInt());
            }
        }
    }

    private static final class NothingSerializer implements SimpleVersionedSerializer<Void> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Void v) {
            return new byte[0];
        }

        @Override
        public Void deserialize(int version, byte[] bytes) {
            return null;
        }
    }
}
