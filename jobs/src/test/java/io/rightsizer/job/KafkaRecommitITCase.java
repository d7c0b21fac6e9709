package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LogEvents;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.internal.BackchannelFactory;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.flink.connector.kafka.sink.internal.ReadableBackchannel;
import org.apache.flink.connector.kafka.sink.internal.TransactionFinished;
import org.apache.flink.connector.kafka.sink.internal.TransactionalIdFactory;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the KafkaSink's committer meets when it commits a transaction again after a recovery, on the
 * commit path it uses (FlinkKafkaInternalProducer.resumeTransaction with the producer id and epoch
 * stored in the checkpoint, then commitTransaction): the three cases a TaskManager loss can leave.
 * Then the same cases through the job's {@link CheckedKafkaSink}, restored in Flink's own committer
 * operator, with the log lines each one leaves.
 */
class KafkaRecommitITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    record Precommitted(long producerId, short epoch) {}

    Properties props() {
        Properties p = KAFKA.clientProps();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return p;
    }

    /** Writes one record in a transaction and flushes it, as the sink's writer precommits. */
    Precommitted precommit(FlinkKafkaInternalProducer<byte[], byte[]> p, String topic) {
        p.initTransactions();
        p.beginTransaction();
        p.send(new ProducerRecord<>(topic, "v".getBytes()));
        p.flush();
        return new Precommitted(p.getProducerId(), p.getEpoch());
    }

    /** Commits as the committer does after a recovery; returns the exception, or "committed". */
    String recommit(String id, Precommitted t) {
        try (var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id)) {
            p.resumeTransaction(t.producerId(), t.epoch());
            p.commitTransaction();
            return "committed";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    int committedRecords(String topic, int expected) {
        return KAFKA.readCommitted(
                        topic,
                        rs -> rs.size() >= expected,
                        Duration.ofSeconds(10),
                        Duration.ofMillis(500))
                .size();
    }

    @Test
    void recommitOfAnAlreadyCommittedTransaction() throws Exception {
        String topic = KAFKA.freshTopic("recommit-committed", 1);
        Precommitted t;
        try (var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), "t-committed")) {
            t = precommit(p, topic);
            p.commitTransaction();
        }

        String outcome = recommit("t-committed", t);

        assertThat(committedRecords(topic, 1)).isEqualTo(1);
        assertThat(outcome).isEqualTo("ProducerFencedException");
    }

    @Test
    void recommitOfATransactionLeftPrecommitted() throws Exception {
        String topic = KAFKA.freshTopic("recommit-pending", 1);
        Precommitted t;
        var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), "t-pending");
        t = precommit(p, topic);
        // The TaskManager dies here: the producer is gone without a commit or an abort.
        p.close(Duration.ZERO);

        String outcome = recommit("t-pending", t);

        assertThat(outcome).isEqualTo("committed");
        assertThat(committedRecords(topic, 1)).isEqualTo(1);
    }

    @Test
    void recommitOfATransactionAbortedMeanwhile() throws Exception {
        String topic = KAFKA.freshTopic("recommit-aborted", 1);
        Precommitted t;
        var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), "t-aborted");
        t = precommit(p, topic);
        p.close(Duration.ZERO);
        // Another producer with the same id (or the transaction timeout) aborts it: data lost.
        try (var q = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), "t-aborted")) {
            q.initTransactions();
        }

        String outcome = recommit("t-aborted", t);

        assertThat(committedRecords(topic, 0)).isEqualTo(0);
        assertThat(List.of(outcome)).containsExactly("ProducerFencedException");
    }

    // Through the job's sink: Flink's committer operator restored from a checkpoint that holds the
    // transaction, as after a TaskManager loss right after that checkpoint.

    static final long RESTORED = 5;
    static final Duration CHECK = Duration.ofSeconds(10);
    static final String FENCED_ERROR = "this most likely signals data loss";

    CheckedKafkaSink<String> sink(String prefix, String topic, Properties checkClient, Duration t) {
        KafkaSink<String> kafka =
                KafkaSink.<String>builder()
                        .setBootstrapServers(KAFKA.bootstrapServers())
                        .setKafkaProducerConfig(props())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(prefix)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<String>builder()
                                        .setTopic(topic)
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .build();
        return new CheckedKafkaSink<>(kafka, checkClient, t);
    }

    static OneInputStreamOperatorTestHarness<
                    CommittableMessage<KafkaCommittable>, CommittableMessage<KafkaCommittable>>
            committerOf(CheckedKafkaSink<String> sink) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new CommitterOperatorFactory<>(sink, false, true), 1, 1, 0);
    }

    /** The committer's state at {@code checkpoint}, holding {@code c} (if any) uncommitted. */
    static OperatorSubtaskState checkpointHolding(
            CheckedKafkaSink<String> sink, long checkpoint, KafkaCommittable... c)
            throws Exception {
        try (var h = committerOf(sink)) {
            h.open();
            deliver(h, checkpoint, c);
            return h.snapshot(checkpoint, checkpoint);
        }
    }

    /** The writer's output for a checkpoint: its summary, then its committables. */
    static void deliver(
            OneInputStreamOperatorTestHarness<
                            CommittableMessage<KafkaCommittable>,
                            CommittableMessage<KafkaCommittable>>
                    h,
            long checkpoint,
            KafkaCommittable... c)
            throws Exception {
        if (c.length == 0) {
            return;
        }
        h.processElement(
                new StreamRecord<>(new CommittableSummary<>(0, 1, checkpoint, c.length, 0)));
        for (KafkaCommittable k : c) {
            h.processElement(new StreamRecord<>(new CommittableWithLineage<>(k, checkpoint, 0)));
        }
    }

    /**
     * The committer restored from {@code state} of checkpoint {@link #RESTORED}; Flink commits what
     * it holds while opening it.
     */
    static OneInputStreamOperatorTestHarness<
                    CommittableMessage<KafkaCommittable>, CommittableMessage<KafkaCommittable>>
            restored(CheckedKafkaSink<String> sink, OperatorSubtaskState state) throws Exception {
        var h = committerOf(sink);
        h.setRestoredCheckpointId(RESTORED);
        h.initializeState(state);
        h.open();
        return h;
    }

    /** What the committer reported downstream: per checkpoint, how many transactions committed. */
    static List<String> summaries(
            OneInputStreamOperatorTestHarness<
                            CommittableMessage<KafkaCommittable>,
                            CommittableMessage<KafkaCommittable>>
                    h) {
        return h.extractOutputValues().stream()
                .filter(m -> m instanceof CommittableSummary)
                .map(m -> (CommittableSummary<KafkaCommittable>) m)
                .map(
                        s ->
                                "checkpoint "
                                        + s.getCheckpointId()
                                        + ": "
                                        + s.getNumberOfCommittables()
                                        + " committed")
                .toList();
    }

    static KafkaCommittable restoredCommittable(String id, Precommitted t) {
        // No producer: a committable read from a checkpoint carries only the ids.
        return new KafkaCommittable(t.producerId(), t.epoch(), id, null);
    }

    static LogEvents capture() {
        return LogEvents.capture(Level.INFO, CheckedKafkaCommitter.class, KafkaCommitter.class);
    }

    static String transaction(String id, Precommitted t) {
        return "Transaction "
                + id
                + " (producer id "
                + t.producerId()
                + ", epoch "
                + t.epoch()
                + ")";
    }

    @Test
    void theJobsSinkSaysATransactionCommittedBeforeTheFailureLostNothing() throws Exception {
        String topic = KAFKA.freshTopic("checked-committed", 1);
        String id = TransactionalIdFactory.buildTransactionalId("it-committed", 0, RESTORED);
        Precommitted t;
        try (var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id)) {
            t = precommit(p, topic);
            p.commitTransaction();
        }
        CheckedKafkaSink<String> sink = sink("it-committed", topic, KAFKA.clientProps(), CHECK);
        OperatorSubtaskState checkpoint =
                checkpointHolding(sink, RESTORED, restoredCommittable(id, t));
        ReadableBackchannel<TransactionFinished> writer =
                BackchannelFactory.getInstance().getReadableBackchannel(0, 0, "it-committed");

        try (LogEvents log = capture();
                var committer = restored(sink, checkpoint)) {
            assertThat(log.lines())
                    .containsExactly(
                            new LogEvents.Line(
                                    "INFO",
                                    "CheckedKafkaCommitter",
                                    transaction(id, t)
                                            + " was committed before the failure, nothing lost:"
                                            + " the broker reports it CompleteCommit; not"
                                            + " committing it again"));
            assertThat(summaries(committer)).containsExactly("checkpoint 5: 1 committed");
        }
        assertThat(writer.poll()).isEqualTo(TransactionFinished.successful(id));
        writer.close();
        assertThat(committedRecords(topic, 1)).isEqualTo(1);
    }

    @Test
    void theJobsSinkReportsATransactionAbortedByItsTimeoutAsLost() throws Exception {
        String topic = KAFKA.freshTopic("checked-timed-out", 1);
        String id = TransactionalIdFactory.buildTransactionalId("it-timed-out", 0, RESTORED);
        Properties shortLived = props();
        shortLived.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "1000");
        var p = new FlinkKafkaInternalProducer<byte[], byte[]>(shortLived, id);
        Precommitted t = precommit(p, topic);
        p.close(Duration.ZERO);
        // The recovery comes after the transaction timeout: the broker aborts the transaction
        // (its check for timed-out transactions runs every 10 s by default).
        awaitState(id, TransactionState.COMPLETE_ABORT, Duration.ofSeconds(30));
        CheckedKafkaSink<String> sink = sink("it-timed-out", topic, KAFKA.clientProps(), CHECK);
        OperatorSubtaskState checkpoint =
                checkpointHolding(sink, RESTORED, restoredCommittable(id, t));

        try (LogEvents log = capture();
                var committer = restored(sink, checkpoint)) {
            assertThat(log.lines())
                    .extracting(l -> l.level() + " " + l.logger())
                    .containsExactly("ERROR CheckedKafkaCommitter", "ERROR KafkaCommitter");
            assertThat(log.lines().get(0).message())
                    .isEqualTo(
                            transaction(id, t)
                                    + " was ABORTED: the broker reports it CompleteAbort, so its"
                                    + " records are lost (it ended before this recovery could"
                                    + " commit it, e.g. after transaction.timeout.ms)");
            assertThat(log.lines().get(1).message()).contains(FENCED_ERROR);
            assertThat(summaries(committer)).containsExactly("checkpoint 5: 0 committed");
        }
        assertThat(committedRecords(topic, 0)).isEqualTo(0);
    }

    @Test
    void theJobsSinkCommitsATransactionLeftOpenByTheFailure() throws Exception {
        String topic = KAFKA.freshTopic("checked-open", 1);
        String id = TransactionalIdFactory.buildTransactionalId("it-open", 0, RESTORED);
        var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id);
        Precommitted t = precommit(p, topic);
        p.close(Duration.ZERO);
        CheckedKafkaSink<String> sink = sink("it-open", topic, KAFKA.clientProps(), CHECK);
        OperatorSubtaskState checkpoint =
                checkpointHolding(sink, RESTORED, restoredCommittable(id, t));

        try (LogEvents log = capture();
                var committer = restored(sink, checkpoint)) {
            assertThat(log.lines())
                    .containsExactly(
                            new LogEvents.Line(
                                    "INFO",
                                    "CheckedKafkaCommitter",
                                    transaction(id, t)
                                            + " is still open on the broker: committing it now"));
            assertThat(summaries(committer)).containsExactly("checkpoint 5: 1 committed");
        }
        assertThat(committedRecords(topic, 1)).isEqualTo(1);
    }

    @Test
    void theJobsSinkLeavesATransactionWhoseIdWasReinitializedToTheConnector() throws Exception {
        String topic = KAFKA.freshTopic("checked-reinitialized", 1);
        String id = TransactionalIdFactory.buildTransactionalId("it-reinit", 0, RESTORED);
        var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id);
        Precommitted t = precommit(p, topic);
        p.close(Duration.ZERO);
        try (var q = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id)) {
            q.initTransactions();
        }
        CheckedKafkaSink<String> sink = sink("it-reinit", topic, KAFKA.clientProps(), CHECK);
        OperatorSubtaskState checkpoint =
                checkpointHolding(sink, RESTORED, restoredCommittable(id, t));

        try (LogEvents log = capture();
                var committer = restored(sink, checkpoint)) {
            assertThat(log.lines())
                    .extracting(l -> l.level() + " " + l.logger())
                    .containsExactly("WARN CheckedKafkaCommitter", "ERROR KafkaCommitter");
            // Another producer's initTransactions aborted it and bumped the epoch twice: the
            // same broker state as a committed transaction whose id was initialized again.
            assertThat(log.lines().get(0).message())
                    .isEqualTo(
                            transaction(id, t)
                                    + ": the broker reports Empty with producer id "
                                    + t.producerId()
                                    + ", epoch "
                                    + (t.epoch() + 2)
                                    + ", which does not tell whether it was committed;"
                                    + " committing it as the connector does");
            assertThat(log.lines().get(1).message()).contains(FENCED_ERROR);
            assertThat(summaries(committer)).containsExactly("checkpoint 5: 0 committed");
        }
        assertThat(committedRecords(topic, 0)).isEqualTo(0);
    }

    @Test
    void whenTheBrokerCannotBeAskedTheConnectorDecidesAsBefore() throws Exception {
        String topic = KAFKA.freshTopic("checked-unasked", 1);
        String id = TransactionalIdFactory.buildTransactionalId("it-unasked", 0, RESTORED);
        Precommitted t;
        try (var p = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id)) {
            t = precommit(p, topic);
            p.commitTransaction();
        }
        CheckedKafkaSink<String> sink =
                sink("it-unasked", topic, nobodyListening(), Duration.ofSeconds(1));
        OperatorSubtaskState checkpoint =
                checkpointHolding(sink, RESTORED, restoredCommittable(id, t));

        try (LogEvents log = capture();
                var committer = restored(sink, checkpoint)) {
            assertThat(log.lines())
                    .extracting(l -> l.level() + " " + l.logger())
                    .containsExactly("WARN CheckedKafkaCommitter", "ERROR KafkaCommitter");
            assertThat(log.lines().get(0).message())
                    .startsWith(
                            transaction(id, t)
                                    + ": could not ask the broker whether it was committed (")
                    .endsWith("); committing it as the connector does");
            assertThat(log.lines().get(1).message()).contains(FENCED_ERROR);
            assertThat(summaries(committer)).containsExactly("checkpoint 5: 0 committed");
        }
        assertThat(committedRecords(topic, 1)).isEqualTo(1);
    }

    @Test
    void afterARestoreTheNextCheckpointsCommitAsksTheBrokerNothing() throws Exception {
        String topic = KAFKA.freshTopic("checked-healthy", 1);
        String id = TransactionalIdFactory.buildTransactionalId("it-healthy", 0, RESTORED + 1);
        // The check would ask a broker nobody listens on: a question would leave a WARN line.
        CheckedKafkaSink<String> sink =
                sink("it-healthy", topic, nobodyListening(), Duration.ofSeconds(1));
        OperatorSubtaskState checkpoint = checkpointHolding(sink, RESTORED);

        try (var writer = new FlinkKafkaInternalProducer<byte[], byte[]>(props(), id);
                LogEvents log = capture();
                var committer = restored(sink, checkpoint)) {
            Precommitted t = precommit(writer, topic);
            deliver(committer, RESTORED + 1, restoredCommittable(id, t));
            committer.notifyOfCompletedCheckpoint(RESTORED + 1);

            assertThat(log.lines()).isEmpty();
            assertThat(summaries(committer)).containsExactly("checkpoint 6: 1 committed");
        }
        assertThat(committedRecords(topic, 1)).isEqualTo(1);
    }

    /** Client settings pointing at a loopback port nobody listens on. */
    static Properties nobodyListening() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + port);
        return p;
    }

    static void awaitState(String id, TransactionState state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            while (true) {
                TransactionState now =
                        admin.describeTransactions(List.of(id)).description(id).get().state();
                if (now == state) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(id + " still " + now + " after " + timeout);
                }
                Thread.sleep(200);
            }
        }
    }
}
