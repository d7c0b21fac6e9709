package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.CheckedKafkaCommitter.Outcome;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

/**
 * How the broker's description of a transactional id is read for a restored committable. The states
 * and epochs are the ones KafkaRecommitITCase measured on a Kafka 4.x broker (transaction version
 * 2): a commit or an abort ends epoch E at E + 1; another producer initialized on the id leaves
 * Empty at E + 2.
 */
class CheckedKafkaCommitterTest {
    static final long PRODUCER = 42;
    static final short EPOCH = 3;
    static final KafkaCommittable RESTORED =
            new KafkaCommittable(PRODUCER, EPOCH, "rightsizer-recommendations-1-17", null);

    static TransactionDescription broker(TransactionState state, long producer, int epoch) {
        return new TransactionDescription(
                0, state, producer, epoch, 600_000, OptionalLong.empty(), Set.of());
    }

    static Outcome v2(TransactionState state, long producer, int epoch) {
        return CheckedKafkaCommitter.outcome(RESTORED, broker(state, producer, epoch), true);
    }

    @Test
    void aCommitOfThisTransactionIsCommittedBeforeTheFailure() {
        assertThat(v2(TransactionState.COMPLETE_COMMIT, PRODUCER, EPOCH + 1))
                .isEqualTo(Outcome.COMMITTED);
    }

    @Test
    void anAbortOfThisTransactionIsALoss() {
        assertThat(v2(TransactionState.COMPLETE_ABORT, PRODUCER, EPOCH + 1))
                .isEqualTo(Outcome.ABORTED);
    }

    @Test
    void thisTransactionStillOngoingIsOpen() {
        assertThat(v2(TransactionState.ONGOING, PRODUCER, EPOCH)).isEqualTo(Outcome.OPEN);
    }

    @Test
    void anAnswerAboutAnotherTransactionOnTheSameIdTellsNothing() {
        assertThat(v2(TransactionState.COMPLETE_COMMIT, PRODUCER, EPOCH + 2))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(v2(TransactionState.COMPLETE_ABORT, PRODUCER, EPOCH + 3))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(v2(TransactionState.COMPLETE_COMMIT, PRODUCER + 1, EPOCH + 1))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(v2(TransactionState.ONGOING, PRODUCER, EPOCH + 1)).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void anIdInitializedAgainOrATransactionStillEndingTellsNothing() {
        assertThat(v2(TransactionState.EMPTY, PRODUCER, EPOCH + 2)).isEqualTo(Outcome.UNKNOWN);
        assertThat(v2(TransactionState.PREPARE_COMMIT, PRODUCER, EPOCH)).isEqualTo(Outcome.UNKNOWN);
        assertThat(v2(TransactionState.PREPARE_EPOCH_FENCE, PRODUCER, EPOCH))
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void withTransactionVersion1TheEndKeepsTheEpoch() {
        assertThat(
                        CheckedKafkaCommitter.outcome(
                                RESTORED,
                                broker(TransactionState.COMPLETE_COMMIT, PRODUCER, EPOCH),
                                false))
                .isEqualTo(Outcome.COMMITTED);
        // Version 1 bumps the epoch only to fence: a commit at E + 1 is another producer's.
        assertThat(
                        CheckedKafkaCommitter.outcome(
                                RESTORED,
                                broker(TransactionState.COMPLETE_COMMIT, PRODUCER, EPOCH + 1),
                                false))
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void theCheckpointIsTheLastPartOfAnIncrementingTransactionalId() {
        assertThat(CheckedKafkaCommitter.checkpointOf("rightsizer-recommendations-1-17"))
                .hasValue(17);
        assertThat(CheckedKafkaCommitter.checkpointOf("rightsizer-recommendations-1-x")).isEmpty();
    }

    @Test
    void theAdminClientGetsTheConnectionSettingsNotTheProducerOnes() {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", "kafka:9092");
        client.setProperty("security.protocol", "SASL_SSL");
        client.setProperty("sasl.mechanism", "PLAIN");
        client.setProperty("transaction.timeout.ms", "600000");
        client.setProperty("linger.ms", "5");

        Properties admin = CheckedKafkaSink.adminProperties(client);

        assertThat(admin.stringPropertyNames())
                .containsExactlyInAnyOrder(
                        "bootstrap.servers", "security.protocol", "sasl.mechanism");
    }
}
