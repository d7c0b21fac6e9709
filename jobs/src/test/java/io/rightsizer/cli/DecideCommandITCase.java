package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `rightsizer decide` on a real broker: the record it writes, decoded back. */
class DecideCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final String ID = DataCenterRecords.memoryScaleUp().getRecommendationId();
    private static final Instant DECIDED = Instant.parse("2026-03-10T09:00:00Z");
    private static final Instant REOPENS = Instant.parse("2026-03-16T16:00:00Z");

    @Test
    void publishesExactlyTheDecisionAskedForKeyedByTheRecommendation() throws Exception {
        String topic = KAFKA.freshTopic("decisions", 2);

        Cli.Run run =
                Cli.run(
                        "decide",
                        ID,
                        "defer",
                        "--by",
                        "alice",
                        "--until",
                        "2026-03-17T00:00:00+08:00",
                        "--comment",
                        "after the tax season",
                        "--at",
                        "2026-03-10T09:00:00Z",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        topic);

        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(
                        topic, rs -> rs.size() >= 1, Duration.ofSeconds(20), Duration.ofSeconds(1));
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> r = records.get(0);
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "published DEFERRED of "
                                + ID
                                + " by alice at 2026-03-10T09:00:00.000Z until"
                                + " 2026-03-16T16:00:00.000Z to "
                                + topic
                                + " partition "
                                + r.partition()
                                + " offset 0");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(ID);
        assertThat(r.timestamp()).isEqualTo(DECIDED.toEpochMilli());
        assertThat(SingleObject.decode(SingleObject.reader(Decision.class), r.value(), "Decision"))
                .isEqualTo(
                        Decision.newBuilder()
                                .setRecommendationId(ID)
                                .setState(DecisionState.DEFERRED)
                                .setDecidedBy("alice")
                                .setDecidedAt(DECIDED)
                                .setComment("after the tax season")
                                .setDeferUntil(REOPENS)
                                .build());
    }

    @Test
    void aMissingTopicPublishesNothingAndExitsTwo() {
        Cli.Run run =
                Cli.run(
                        "decide",
                        ID,
                        "approve",
                        "--by",
                        "alice",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "no-such-decisions");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "topic no-such-decisions does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers); nothing published");
        assertThat(run.out()).isEmpty();
    }
}
