package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.KafkaBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rightsizer rules publish` against a real broker, with the test standing in for the running job
 * where a decision is needed (it writes RuleSetStatus records as the job would).
 */
class RulesPublishCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** Comments, blank lines, trailing spaces and non-ASCII text: published byte for byte. */
    private static final String RULES =
            """
            # Storage rule tightened after the 2026 review — größere Platten kosten mehr.
            version: "2026.12.0"
            description: tighter storage   \s

            rules:
              scale-up.storage.usage:
                usage-above-pct: 65
            """;

    @TempDir Path tmp;

    @Test
    void publishesOneRecordKeyedByTheVersionWithTheFileExactlyItsAuthorAndDigest()
            throws Exception {
        Path file = write("rules.yaml", RULES);
        String topic = KAFKA.freshTopic("rules", 1);
        String sha = sha256Of(Files.readAllBytes(file));
        Instant before = Instant.now().minusMillis(1);

        Cli.Run run = publish(file, "alice", topic);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        published(sha, topic),
                        "the job decides whether to apply it: see its decision with `rightsizer"
                                + " rules status --bootstrap-servers "
                                + KAFKA.bootstrapServers()
                                + "` (or publish with --wait 30s)");
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(
                        topic, l -> !l.isEmpty(), Duration.ofSeconds(20), Duration.ofSeconds(1));
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("2026.12.0");
        RuleSetEnvelope e = RuleEnvelopes.decodeEnvelope(records.get(0).value());
        assertThat(e.getVersion()).isEqualTo("2026.12.0");
        assertThat(e.getAuthor()).isEqualTo("alice");
        assertThat(e.getDocument()).isEqualTo(RULES);
        assertThat(e.getDocument().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllBytes(file));
        assertThat(e.getSha256()).isEqualTo(sha);
        assertThat(e.getPublishedAt()).isBetween(before, Instant.now());
        assertThat(records.get(0).timestamp()).isEqualTo(e.getPublishedAt().toEpochMilli());
    }

    @Test
    void anInvalidFileIsReportedLikeValidateAndNothingIsPublished() throws Exception {
        Path file =
                write(
                        "bad.yaml",
                        """
                        version: "2026.12.1"
                        rules:
                          scale-up.memory.weekly-average:
                            average-abov-pct: 75
                          scale-up.storage.usage:
                            usage-above-pct: 170
                        """);
        String topic = KAFKA.freshTopic("rules", 1);

        Cli.Run run = publish(file, "alice", topic);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        file
                                + ":4:5: unknown key 'average-abov-pct' in"
                                + " scale-up.memory.weekly-average (did you mean"
                                + " 'average-above-pct'?)",
                        file
                                + ":6:22: scale-up.storage.usage.usage-above-pct is 170: a"
                                + " percentage must be from 0 to 100",
                        "2 problems; nothing published");
        assertThat(endOffset(topic)).isZero();
    }

    @Test
    void waitReturnsZeroWhenTheJobAcceptsThisPublicationNotAnotherWithTheSameVersion()
            throws Exception {
        Path file = write("rules.yaml", RULES);
        String rulesTopic = KAFKA.freshTopic("rules", 1);
        String statusTopic = KAFKA.freshTopic("rules-status", 1);
        // Topics from a job configuration, as an operator would run it.
        Path config =
                write(
                        "job.yaml",
                        "kafka:\n  bootstrap-servers: "
                                + KAFKA.bootstrapServers()
                                + "\n  topics:\n    rules: "
                                + rulesTopic
                                + "\n    rules-status: "
                                + statusTopic
                                + "\n");
        CompletableFuture<Void> job =
                decideLater(
                        rulesTopic,
                        statusTopic,
                        (update) ->
                                List.of(
                                        // The same version with other content: not the answer.
                                        status(update, RuleUpdateOutcome.REJECTED)
                                                .setSha256(RuleEnvelopes.sha256Hex("other"))
                                                .setReason("a different document")
                                                .build(),
                                        status(update, RuleUpdateOutcome.ACCEPTED)
                                                .setInForceVersion("2026.12.0")
                                                .build()));

        Cli.Run run = rulesPublish(file, "alice", "--config", config.toString(), "--wait", "30s");
        job.get(30, TimeUnit.SECONDS);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        published(RuleEnvelopes.sha256Hex(RULES), rulesTopic),
                        "ACCEPTED: 2026.12.0 is in force (was 2026.11.0)");
    }

    @Test
    void waitReturnsOneWithTheReasonWhenTheJobRejectsIt() throws Exception {
        Path file = write("rules.yaml", RULES);
        String rulesTopic = KAFKA.freshTopic("rules", 1);
        String statusTopic = KAFKA.freshTopic("rules-status", 1);
        CompletableFuture<Void> job =
                decideLater(
                        rulesTopic,
                        statusTopic,
                        (update) ->
                                List.of(
                                        status(update, RuleUpdateOutcome.REJECTED)
                                                .setReason(
                                                        "rightsizing-rules@0:1:1: first problem\n"
                                                                + "rightsizing-rules@0:7:5: second"
                                                                + " problem")
                                                .build()));

        Cli.Run run = publishAndWait(file, rulesTopic, statusTopic, "30s");
        job.get(30, TimeUnit.SECONDS);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        published(RuleEnvelopes.sha256Hex(RULES), rulesTopic),
                        "REJECTED: rightsizing-rules@0:1:1: first problem",
                        "  rightsizing-rules@0:7:5: second problem");
    }

    @Test
    void waitReturnsThreeWhenNoDecisionOnThisPublicationAppears() throws Exception {
        Path file = write("rules.yaml", RULES);
        String rulesTopic = KAFKA.freshTopic("rules", 1);
        String statusTopic = KAFKA.freshTopic("rules-status", 1);
        String sha = RuleEnvelopes.sha256Hex(RULES);
        Instant decided = Instant.parse("2026-12-01T09:00:00Z");
        // Decisions that look alike but are not on this publication: another document of the
        // same version, and the same document published earlier (another offset).
        RuleSetStatus otherDocument =
                RuleSetStatus.newBuilder()
                        .setOutcome(RuleUpdateOutcome.ACCEPTED)
                        .setVersion("2026.12.0")
                        .setSha256(RuleEnvelopes.sha256Hex("other"))
                        .setPreviousVersion("2026.11.0")
                        .setInForceVersion("2026.12.0")
                        .setDecidedAt(decided)
                        .setSourcePartition(0)
                        .setSourceOffset(0L)
                        .build();
        RuleSetStatus earlierPublication =
                RuleSetStatus.newBuilder(otherDocument)
                        .setSha256(sha)
                        .setSourceOffset(17L)
                        .setDecidedAt(decided.plusSeconds(1))
                        .build();
        KAFKA.produce(
                statusTopic,
                List.of(
                        new ProducerRecord<>(
                                statusTopic, null, RuleEnvelopes.encode(otherDocument)),
                        new ProducerRecord<>(
                                statusTopic, null, RuleEnvelopes.encode(earlierPublication))));

        Cli.Run run = publishAndWait(file, rulesTopic, statusTopic, "2s");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.outLines())
                .containsExactly(
                        published(sha, rulesTopic),
                        "no decision on 2026.12.0 (sha256 "
                                + sha.substring(0, 12)
                                + ") appeared on "
                                + statusTopic
                                + " within 2s; the job's latest decision there: ACCEPTED"
                                + " 2026.12.0 at 2026-12-01T09:00:01.000Z",
                        "no sign of a running job: no open transaction of transactional ids"
                                + " 'rightsizer*' at "
                                + KAFKA.bootstrapServers()
                                + " (a running job holds one while telemetry flows)",
                        "the rule set stays on "
                                + rulesTopic
                                + "; `rightsizer rules status --bootstrap-servers "
                                + KAFKA.bootstrapServers()
                                + " --status-topic "
                                + statusTopic
                                + "` shows the job's decision once there is one");
        assertThat(run.took()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void onTimeoutAnOpenTransactionOfTheJobsProducersCountsAsARunningJob() throws Exception {
        Path file = write("rules.yaml", RULES);
        String rulesTopic = KAFKA.freshTopic("rules", 1);
        String statusTopic = KAFKA.freshTopic("rules-status", 1);
        String approvals = KAFKA.freshTopic("approval", 1);
        Properties p = new Properties();
        p.putAll(KAFKA.clientProps());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "rightsizer-approval-topic-sink-0-1");
        try (KafkaProducer<byte[], byte[]> sink = new KafkaProducer<>(p)) {
            // What the job's exactly-once sink does between two checkpoints.
            sink.initTransactions();
            sink.beginTransaction();
            sink.send(new ProducerRecord<>(approvals, new byte[] {1})).get();

            Cli.Run run = publishAndWait(file, rulesTopic, statusTopic, "1s");

            assertThat(run.exitCode()).isEqualTo(3);
            assertThat(run.outLines().get(2))
                    .isEqualTo(
                            "a job appears to be running (1 open transaction of transactional ids"
                                    + " 'rightsizer*' at "
                                    + KAFKA.bootstrapServers()
                                    + ") but has not decided on this update: does it read "
                                    + rulesTopic
                                    + "?");
            sink.abortTransaction();
        }
    }

    @Test
    void anotherDocumentUnderAVersionAlreadyPublishedIsRefused() throws Exception {
        Path file = write("rules.yaml", RULES);
        Path changed = write("changed.yaml", RULES.replace("65", "60"));
        String topic = KAFKA.freshTopic("rules", 1);
        assertThat(publish(file, "alice", topic).exitCode()).isZero();
        RuleSetEnvelope first = onlyEnvelope(topic);

        Cli.Run run = publish(changed, "bob", topic);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        changed
                                + ": version 2026.12.0 is already published on "
                                + topic
                                + " with another document (sha256 "
                                + first.getSha256().substring(0, 12)
                                + ", by alice at "
                                + RulesStatusCommand.time(first.getPublishedAt())
                                + "); every published rule set needs its own version: nothing"
                                + " published");
        assertThat(endOffset(topic)).isEqualTo(1);
    }

    @Test
    void theSameDocumentAgainIsNotSentAgainAndWaitGivesTheDecisionOnTheFirst() throws Exception {
        Path file = write("rules.yaml", RULES);
        String rulesTopic = KAFKA.freshTopic("rules", 1);
        String statusTopic = KAFKA.freshTopic("rules-status", 1);
        assertThat(publish(file, "alice", rulesTopic).exitCode()).isZero();
        RuleSetEnvelope first = onlyEnvelope(rulesTopic);
        Instant decided = Instant.parse("2026-12-01T09:00:00Z");
        decideLater(
                        rulesTopic,
                        statusTopic,
                        (update) ->
                                List.of(
                                        status(update, RuleUpdateOutcome.ACCEPTED)
                                                .setInForceVersion("2026.12.0")
                                                .setDecidedAt(decided)
                                                .build()))
                .get(30, TimeUnit.SECONDS);

        Cli.Run run = publishAndWait(file, rulesTopic, statusTopic, "10s");
        // A later update replaced it: the answer says so.
        KAFKA.produce(
                statusTopic,
                List.of(
                        new ProducerRecord<>(
                                statusTopic,
                                null,
                                RuleEnvelopes.encode(
                                        RuleSetStatus.newBuilder()
                                                .setOutcome(RuleUpdateOutcome.ACCEPTED)
                                                .setVersion("2026.12.5")
                                                .setPreviousVersion("2026.12.0")
                                                .setInForceVersion("2026.12.5")
                                                .setDecidedAt(decided.plusSeconds(60))
                                                .build()))));
        Cli.Run later = publishAndWait(file, rulesTopic, statusTopic, "10s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "rule set 2026.12.0 (sha256 "
                                + first.getSha256().substring(0, 12)
                                + ") is already published, by alice at "
                                + RulesStatusCommand.time(first.getPublishedAt())
                                + ", on "
                                + rulesTopic
                                + " partition 0 offset 0: not published again",
                        "ACCEPTED: 2026.12.0 is in force (was 2026.11.0)");
        assertThat(later.exitCode()).isZero();
        assertThat(later.outLines())
                .last()
                .isEqualTo(
                        "ACCEPTED: 2026.12.0 was put in force at 2026-12-01T09:00:00.000Z (was"
                                + " 2026.11.0); 2026.12.5 is in force now");
        assertThat(endOffset(rulesTopic)).isEqualTo(1);
    }

    @Test
    void aMissingRulesTopicIsNamedAndNothingIsSent() throws Exception {
        Path file = write("rules.yaml", RULES);

        Cli.Run run = publish(file, "alice", "no-such-topic");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines()).isEmpty();
        assertThat(run.errLines())
                .containsExactly(
                        "topic no-such-topic does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers); create it with cleanup.policy=compact"
                                + " and 1 partition; nothing published");
    }

    @Test
    void withoutAReachableBrokerTheExitCodeIsTwo() throws Exception {
        Path file = write("rules.yaml", RULES);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        Cli.Run unreachable =
                rulesPublish(
                        file,
                        "alice",
                        "--bootstrap-servers",
                        "127.0.0.1:" + port,
                        "--connect-timeout",
                        "2s");
        // The tests run in jobs/, which has no config/local.yaml.
        Cli.Run nowhere = rulesPublish(file, "alice");

        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.errLines())
                .containsExactly(
                        "cannot reach Kafka at 127.0.0.1:"
                                + port
                                + " (--bootstrap-servers) within 2s");
        assertThat(unreachable.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.errLines())
                .containsExactly(
                        "where is Kafka? Pass --bootstrap-servers HOST:PORT or --config FILE"
                                + " (config/local.yaml does not exist in this directory)");
    }

    /** {@code rightsizer rules publish FILE --author AUTHOR OPTIONS...}. */
    private static Cli.Run rulesPublish(Path file, String author, String... options) {
        List<String> args =
                new ArrayList<>(List.of("rules", "publish", file.toString(), "--author", author));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    /** Publishes {@code file} to {@code topic} of the test's broker, with {@code extra} options. */
    private static Cli.Run publish(Path file, String author, String topic, String... extra) {
        List<String> options =
                new ArrayList<>(
                        List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic));
        options.addAll(List.of(extra));
        return rulesPublish(file, author, options.toArray(String[]::new));
    }

    /** The line publish prints on sending RULES by alice, as the first record of {@code topic}. */
    private static String published(String sha, String topic) {
        return "published rule set 2026.12.0 (sha256 "
                + sha.substring(0, 12)
                + ") by alice to "
                + topic
                + " partition 0 offset 0";
    }

    private static RuleSetEnvelope onlyEnvelope(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(
                        topic, l -> !l.isEmpty(), Duration.ofSeconds(20), Duration.ofMillis(500));
        assertThat(records).hasSize(1);
        return RuleEnvelopes.decodeEnvelope(records.get(0).value());
    }

    private Cli.Run publishAndWait(Path file, String rulesTopic, String statusTopic, String wait) {
        return publish(file, "alice", rulesTopic, "--status-topic", statusTopic, "--wait", wait);
    }

    /**
     * Stands in for the job: once the update is on the rules topic, writes the decisions {@code
     * decide} makes of it (key = the version) to the status topic.
     */
    private static CompletableFuture<Void> decideLater(
            String rulesTopic,
            String statusTopic,
            Function<ConsumerRecord<byte[], byte[]>, List<RuleSetStatus>> decide) {
        return CompletableFuture.runAsync(
                () -> {
                    List<ConsumerRecord<byte[], byte[]>> updates =
                            KAFKA.readCommitted(
                                    rulesTopic,
                                    l -> !l.isEmpty(),
                                    Duration.ofSeconds(30),
                                    Duration.ZERO);
                    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
                    for (RuleSetStatus s : decide.apply(updates.get(0))) {
                        out.add(
                                new ProducerRecord<>(
                                        statusTopic,
                                        s.getVersion().getBytes(StandardCharsets.UTF_8),
                                        RuleEnvelopes.encode(s)));
                    }
                    KAFKA.produce(statusTopic, out);
                });
    }

    /** The decision the job would write on the update read at {@code r}. */
    private static RuleSetStatus.Builder status(
            ConsumerRecord<byte[], byte[]> r, RuleUpdateOutcome outcome) {
        RuleSetEnvelope e = RuleEnvelopes.decodeEnvelope(r.value());
        return RuleSetStatus.newBuilder()
                .setOutcome(outcome)
                .setVersion(e.getVersion())
                .setAuthor(e.getAuthor())
                .setPublishedAt(e.getPublishedAt())
                .setSha256(e.getSha256())
                .setPreviousVersion("2026.11.0")
                .setInForceVersion("2026.11.0")
                .setDecidedAt(Instant.now())
                .setSourcePartition(r.partition())
                .setSourceOffset(r.offset());
    }

    private static long endOffset(String topic) {
        Map<String, Object> p = new HashMap<>();
        KAFKA.clientProps().forEach((k, v) -> p.put((String) k, v));
        p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static String sha256Of(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
