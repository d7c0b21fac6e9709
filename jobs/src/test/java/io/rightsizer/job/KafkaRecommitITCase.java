package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the KafkaSink's committer meets when it commits a transaction again after a recovery, on the
 * commit path it uses (FlinkKafkaInternalProducer.resumeTransaction with the producer id and epoch
 * stored in the checkpoint, then commitTransaction): the three cases a TaskManager loss can leave.
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
}
