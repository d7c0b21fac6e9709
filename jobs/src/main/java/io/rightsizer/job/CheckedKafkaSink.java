package io.rightsizer.job;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A {@link KafkaSink} whose committer asks the broker, before it commits a transaction again after
 * a recovery, whether that transaction was committed already ({@link CheckedKafkaCommitter}).
 * Without it, every failover logs the connector's "producer is already fenced … this most likely
 * signals data loss" ERROR for transactions that were committed before the failure; with it that
 * line is left for the transactions the broker does not report committed.
 *
 * <p>Everything else is the wrapped sink's: writer, writer state and committable serializers, the
 * transactional ids and the co-location of writer and committer. The sink implements the same Sink
 * V2 interfaces as {@link KafkaSink} in flink-connector-kafka 5.0.0 ({@code
 * TwoPhaseCommittingStatefulSink} is only their internal union), so Flink's translator builds the
 * same writer and committer operators with the same uids and state: savepoints stay compatible both
 * ways.
 */
public final class CheckedKafkaSink<IN>
        implements Sink<IN>,
                SupportsWriterState<IN, KafkaWriterState>,
                SupportsCommitter<KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable>,
                LineageVertexProvider {
    private static final long serialVersionUID = 1L;

    private final KafkaSink<IN> sink;
    private final Properties admin;
    private final Duration checkTimeout;

    /**
     * @param clientProperties the sink's Kafka client settings (bootstrap servers, security); the
     *     Admin client of the check takes those an Admin client knows.
     */
    public CheckedKafkaSink(KafkaSink<IN> sink, Properties clientProperties) {
        this(sink, clientProperties, CheckedKafkaCommitter.CHECK_TIMEOUT);
    }

    CheckedKafkaSink(KafkaSink<IN> sink, Properties clientProperties, Duration checkTimeout) {
        this.sink = sink;
        this.admin = adminProperties(clientProperties);
        this.checkTimeout = checkTimeout;
    }

    static Properties adminProperties(Properties client) {
        Properties p = new Properties();
        for (String name : client.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(name)) {
                p.setProperty(name, client.getProperty(name));
            }
        }
        return p;
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return sink.createWriter(context);
    }

    @Override
    public StatefulSinkWriter<IN, KafkaWriterState> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState)
            throws IOException {
        return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) {
        return new CheckedKafkaCommitter(
                sink.createCommitter(context),
                context.getRestoredCheckpointId(),
                new CheckedKafkaCommitter.Broker(admin, checkTimeout));
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committed) {
        sink.addPostCommitTopology(committed);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return sink.getLineageVertex();
    }
}
