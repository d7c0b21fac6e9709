package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.ReplayJob;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimWriters;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `rightsizer verify` against a real broker: passes on the right output, fails on a gap. */
class VerifyCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir static Path tmp;
    static Path fleet;
    static List<Recommendation> recommendations;

    @BeforeAll
    static void replayASimulatedFleet() throws Exception {
        FleetSimulator sim =
                new FleetSimulator(
                        12,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        100,
                        Duration.ofHours(1),
                        3,
                        RuleSet.DEFAULT_ZONE);
        fleet = tmp.resolve("fleet.jsonl");
        SimWriters.writeJsonLines(sim, fleet);
        recommendations =
                ReplayJob.run(
                                RuleSet.defaults("verify-test"),
                                new io.rightsizer.rules.sizing.Sizing(
                                        io.rightsizer.rules.sizing.Catalog.defaults()),
                                fleet,
                                1,
                                Duration.ofMinutes(5),
                                Duration.ofDays(42),
                                null,
                                new Configuration())
                        .recommendations();
    }

    @Test
    void passesWhenTheTopicHoldsWhatTheGroundTruthExpects() throws Exception {
        String topic = publish(recommendations);

        Cli.Run run = verify(topic);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .first()
                .isEqualTo(
                        recommendations.size()
                                + " recommendations (0 reminders), "
                                + recommendations.size()
                                + " distinct ids, 0 repeated");
        assertThat(run.out()).contains("PASSED");
    }

    @Test
    void failsWhenAnExpectedRuleDidNotFireOrAnIdRepeats() throws Exception {
        Recommendation inactive =
                recommendations.stream()
                        .filter(r -> r.getRuleId().equals("reduce.vm.inactive"))
                        .findFirst()
                        .orElseThrow();
        List<Recommendation> gap =
                recommendations.stream()
                        .filter(r -> !r.getRuleId().equals("reduce.vm.inactive"))
                        .toList();
        assertThat(verify(publish(gap)).exitCode()).isEqualTo(1);
        assertThat(verify(publish(gap)).out()).contains("missing    reduce.vm.inactive");

        List<Recommendation> repeated = new java.util.ArrayList<>(recommendations);
        repeated.add(inactive);
        Cli.Run run = verify(publish(repeated));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .first()
                .isEqualTo(
                        (recommendations.size() + 1)
                                + " recommendations (0 reminders), "
                                + recommendations.size()
                                + " distinct ids, 1 repeated");
    }

    @Test
    void aReminderRepeatsItsRecommendationsIdOnceWithoutFailing() throws Exception {
        Recommendation first = recommendations.get(0);
        Recommendation reminder = Recommendation.newBuilder(first).setReminder(true).build();
        List<Recommendation> withReminder = new java.util.ArrayList<>(recommendations);
        withReminder.add(reminder);

        Cli.Run run = verify(publish(withReminder));

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .first()
                .isEqualTo(
                        (recommendations.size() + 1)
                                + " recommendations (1 reminders), "
                                + recommendations.size()
                                + " distinct ids, 0 repeated");

        withReminder.add(reminder);
        Cli.Run twice = verify(publish(withReminder));
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.outLines().get(0)).endsWith(" distinct ids, 1 repeated");
    }

    @Test
    void withDeadLettersEachPlantedMalformedRecordMustBeThereExactlyOnce() throws Exception {
        io.rightsizer.sim.GroundTruth.Malformed planted =
                io.rightsizer.sim.GroundTruth.read(SimWriters.truthFile(fleet)).malformed();
        List<io.rightsizer.schema.DeadLetter> dead = new java.util.ArrayList<>();
        for (int i = 0; i < planted.invalid() + planted.undecodable(); i++) {
            dead.add(
                    io.rightsizer.schema.DeadLetter.newBuilder()
                            .setPayload(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}))
                            .setSourceTopic("vm-metrics")
                            .setSourcePartition(i % 2)
                            .setSourceOffset((long) i)
                            .setReason(
                                    i < planted.invalid()
                                            ? io.rightsizer.schema.DeadLetterReason.INVALID
                                            : io.rightsizer.schema.DeadLetterReason.UNDECODABLE)
                            .setMessage("planted " + i)
                            .build());
        }
        String approvals = publish(recommendations);
        long total = planted.invalid() + planted.undecodable();

        Cli.Run run = verifyWithDeadLetters(approvals, publishDeadLetters(dead));
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .last()
                .isEqualTo(
                        "PASSED: "
                                + total
                                + " dead letters: "
                                + planted.invalid()
                                + " INVALID ("
                                + planted.invalid()
                                + " planted), "
                                + planted.undecodable()
                                + " UNDECODABLE ("
                                + planted.undecodable()
                                + " planted), 0 LATE, 0 other, 0 repeated");

        List<io.rightsizer.schema.DeadLetter> twice = new java.util.ArrayList<>(dead);
        twice.add(dead.get(0));
        Cli.Run repeated = verifyWithDeadLetters(approvals, publishDeadLetters(twice));
        assertThat(repeated.exitCode()).isEqualTo(1);
        assertThat(repeated.outLines().get(repeated.outLines().size() - 1))
                .startsWith("FAILED: " + (total + 1) + " dead letters: ")
                .endsWith(", 0 LATE, 0 other, 1 repeated");

        Cli.Run lost =
                verifyWithDeadLetters(approvals, publishDeadLetters(dead.subList(1, dead.size())));
        assertThat(lost.exitCode()).isEqualTo(1);
        assertThat(lost.outLines().get(lost.outLines().size() - 1))
                .contains((planted.invalid() - 1) + " INVALID (" + planted.invalid() + " planted)");
    }

    private static Cli.Run verifyWithDeadLetters(String topic, String deadLetters) {
        return Cli.run(
                "verify",
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--topic",
                topic,
                "--dead-letters",
                deadLetters,
                "--truth",
                SimWriters.truthFile(fleet).toString());
    }

    private static String publishDeadLetters(List<io.rightsizer.schema.DeadLetter> dead)
            throws Exception {
        String topic = KAFKA.freshTopic("dead-letters", 1);
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            for (io.rightsizer.schema.DeadLetter d : dead) {
                p.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                io.rightsizer.job.codec.DeadLetterSerializer.encode(d)));
            }
            p.flush();
        }
        return topic;
    }

    private static Cli.Run verify(String topic) {
        return Cli.run(
                "verify",
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--topic",
                topic,
                "--truth",
                SimWriters.truthFile(fleet).toString());
    }

    private static String publish(List<Recommendation> recs) throws Exception {
        String topic = KAFKA.freshTopic("approval", 2);
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            for (Recommendation r : recs) {
                p.send(
                        new ProducerRecord<>(
                                topic,
                                r.getSystemId().getBytes(StandardCharsets.UTF_8),
                                RecommendationSerializer.encode(r)));
            }
            p.flush();
        }
        return topic;
    }
}
