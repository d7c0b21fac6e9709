package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `rightsizer rules status` over RuleSetStatus records written as the job writes them. */
class RulesStatusCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final String SHA_A = RuleEnvelopes.sha256Hex("a");
    private static final String SHA_B = RuleEnvelopes.sha256Hex("b");
    private static final String SHA_C = RuleEnvelopes.sha256Hex("c");
    private static final String SHA_D = RuleEnvelopes.sha256Hex("d");

    /** The audit trail of four updates, in the order the job decided them. */
    private static final List<RuleSetStatus> DECISIONS =
            List.of(
                    decision(RuleUpdateOutcome.ACCEPTED, "2026.12.0", "alice", SHA_A, null)
                            .setPreviousVersion("2026.11.0")
                            .setInForceVersion("2026.12.0")
                            .setPublishedAt(Instant.parse("2026-12-01T08:59:58Z"))
                            .setDecidedAt(Instant.parse("2026-12-01T09:00:00.250Z"))
                            .setSourceOffset(0L)
                            .build(),
                    bobsRejection()
                            .setPreviousVersion("2026.12.0")
                            .setInForceVersion("2026.12.0")
                            .setPublishedAt(Instant.parse("2026-12-02T10:00:00Z"))
                            .setDecidedAt(Instant.parse("2026-12-02T10:00:01Z"))
                            .setSourceOffset(1L)
                            .build(),
                    decision(RuleUpdateOutcome.ACCEPTED, "2026.12.2", "carol", SHA_C, null)
                            .setPreviousVersion("2026.12.0")
                            .setInForceVersion("2026.12.2")
                            .setPublishedAt(Instant.parse("2026-12-03T11:00:00.500Z"))
                            .setDecidedAt(Instant.parse("2026-12-03T11:00:01.750Z"))
                            .setSourceOffset(2L)
                            .build(),
                    decision(
                                    RuleUpdateOutcome.REJECTED,
                                    "2026.12.3",
                                    "dave",
                                    SHA_D,
                                    "rightsizing-rules@0:4:5: unknown key 'average-abov-pct' in"
                                            + " scale-up.memory.weekly-average (did you mean"
                                            + " 'average-above-pct'?)\n"
                                            + "rightsizing-rules@0:6:22:"
                                            + " scale-up.storage.usage.usage-above-pct is 170: a"
                                            + " percentage must be from 0 to 100")
                            .setPreviousVersion("2026.12.2")
                            .setInForceVersion("2026.12.2")
                            .setPublishedAt(Instant.parse("2026-12-04T12:00:00Z"))
                            .setDecidedAt(Instant.parse("2026-12-04T12:00:02Z"))
                            .setSourceOffset(3L)
                            .build());

    @TempDir Path tmp;

    @Test
    void withoutDecisionsTheConfiguredRuleSetIsInForce() throws Exception {
        String topic = KAFKA.freshTopic("rules-status", 1);
        Path rules = write("rules.yaml", "version: \"2026.11.0\"\n");
        Path config =
                write(
                        "job.yaml",
                        "kafka:\n  bootstrap-servers: "
                                + KAFKA.bootstrapServers()
                                + "\n  topics:\n    rules-status: "
                                + topic
                                + "\nrules:\n  file: "
                                + rules
                                + "\n");

        Cli.Run run = Cli.run("rules", "status", "--config", config.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "no rule-set update has been decided yet ("
                                + topic
                                + " holds no decision): the job uses the rule set of its"
                                + " configuration",
                        "configured:    2026.11.0 (" + rules + ", rules.file of " + config + ")");
        assertThat(run.errLines()).isEmpty();
    }

    @Test
    void showsTheVersionInForceSinceWhenByWhomAndTheLastRejectionWithItsReason() throws Exception {
        String topic = auditTrail();

        Cli.Run run = status(topic);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "in force:      2026.12.2",
                        "since:         2026-12-03T11:00:01.750Z",
                        "published by:  carol at 2026-12-03T11:00:00.500Z (sha256 "
                                + SHA_C.substring(0, 12)
                                + ")",
                        "last rejected: 2026.12.3 by dave, published 2026-12-04T12:00:00.000Z"
                                + " (sha256 "
                                + SHA_D.substring(0, 12)
                                + ")",
                        "decided:       2026-12-04T12:00:02.000Z",
                        "reason:        rightsizing-rules@0:4:5: unknown key 'average-abov-pct'"
                                + " in scale-up.memory.weekly-average (did you mean"
                                + " 'average-above-pct'?)",
                        "               rightsizing-rules@0:6:22:"
                                + " scale-up.storage.usage.usage-above-pct is 170: a percentage"
                                + " must be from 0 to 100",
                        "4 decisions on "
                                + topic
                                + " (2 accepted, 2 rejected); --history lists them");
        assertThat(run.errLines())
                .containsExactly(
                        "warning: "
                                + topic
                                + " partition 0 offset 2: not a RuleSetStatus: not Avro"
                                + " single-object encoding (no complete C3 01 header and"
                                + " fingerprint); skipped");
    }

    @Test
    void historyListsEveryDecisionInOrder() throws Exception {
        String topic = auditTrail();

        Cli.Run run = status(topic, "--history");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "2026-12-01T09:00:00.250Z  ACCEPTED  2026.12.0  by alice  2026.11.0 ->"
                                + " 2026.12.0",
                        "2026-12-02T10:00:01.000Z  REJECTED  2026.12.1  by bob  2026.12.0 ->"
                                + " 2026.12.0  version must not be empty",
                        "2026-12-03T11:00:01.750Z  ACCEPTED  2026.12.2  by carol  2026.12.0 ->"
                                + " 2026.12.2",
                        "2026-12-04T12:00:02.000Z  REJECTED  2026.12.3  by dave  2026.12.2 ->"
                                + " 2026.12.2  rightsizing-rules@0:4:5: unknown key"
                                + " 'average-abov-pct' in scale-up.memory.weekly-average (did"
                                + " you mean 'average-above-pct'?)");
    }

    @Test
    void jsonIsOneDocumentWithTheSameFacts() throws Exception {
        String topic = auditTrail();

        Cli.Run run = status(topic, "--json", "--history");

        assertThat(run.exitCode()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        String rejected =
                """
                {"decidedAt": "2026-12-04T12:00:02.000Z", "outcome": "REJECTED",
                 "version": "2026.12.3", "author": "dave",
                 "publishedAt": "2026-12-04T12:00:00.000Z", "sha256": "%s",
                 "previousVersion": "2026.12.2", "inForceVersion": "2026.12.2",
                 "reason": %s, "sourcePartition": 0, "sourceOffset": 3}
                """
                        .formatted(SHA_D, mapper.writeValueAsString(DECISIONS.get(3).getReason()));
        String expected =
                """
                {"statusTopic": "%s", "decisions": 4,
                 "inForce": {"version": "2026.12.2", "since": "2026-12-03T11:00:01.750Z",
                             "author": "carol", "publishedAt": "2026-12-03T11:00:00.500Z",
                             "sha256": "%s"},
                 "lastRejected": %s,
                 "configured": null,
                 "history": [
                   {"decidedAt": "2026-12-01T09:00:00.250Z", "outcome": "ACCEPTED",
                    "version": "2026.12.0", "author": "alice",
                    "publishedAt": "2026-12-01T08:59:58.000Z", "sha256": "%s",
                    "previousVersion": "2026.11.0", "inForceVersion": "2026.12.0",
                    "reason": null, "sourcePartition": 0, "sourceOffset": 0},
                   {"decidedAt": "2026-12-02T10:00:01.000Z", "outcome": "REJECTED",
                    "version": "2026.12.1", "author": "bob",
                    "publishedAt": "2026-12-02T10:00:00.000Z", "sha256": "%s",
                    "previousVersion": "2026.12.0", "inForceVersion": "2026.12.0",
                    "reason": "version must not be empty", "sourcePartition": 0,
                    "sourceOffset": 1},
                   {"decidedAt": "2026-12-03T11:00:01.750Z", "outcome": "ACCEPTED",
                    "version": "2026.12.2", "author": "carol",
                    "publishedAt": "2026-12-03T11:00:00.500Z", "sha256": "%s",
                    "previousVersion": "2026.12.0", "inForceVersion": "2026.12.2",
                    "reason": null, "sourcePartition": 0, "sourceOffset": 2},
                   %s
                 ]}
                """
                        .formatted(topic, SHA_C, rejected, SHA_A, SHA_B, SHA_C, rejected);
        assertThat(mapper.readTree(run.out())).isEqualTo(mapper.readTree(expected));
    }

    @Test
    void whenOnlyRejectionsWereDecidedTheConfiguredRuleSetIsStillInForce() throws Exception {
        String topic = KAFKA.freshTopic("rules-status", 1);
        KAFKA.produce(
                topic,
                List.of(
                        record(
                                bobsRejection()
                                        .setPreviousVersion("2026.11.0")
                                        .setInForceVersion("2026.11.0")
                                        .setDecidedAt(Instant.parse("2026-12-02T10:00:01Z"))
                                        .build())));

        Cli.Run run = status(topic);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "in force:      2026.11.0",
                        "since:         the job's start ("
                                + topic
                                + " has no accepted update of 2026.11.0: it is the rule set of"
                                + " the job's configuration)",
                        "last rejected: 2026.12.1 by bob, published - (sha256 "
                                + SHA_B.substring(0, 12)
                                + ")",
                        "decided:       2026-12-02T10:00:01.000Z",
                        "reason:        version must not be empty",
                        "1 decision on "
                                + topic
                                + " (0 accepted, 1 rejected); --history lists them");
    }

    @Test
    void anUnreachableBrokerIsNamedAndTheExitCodeIsTwo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        Cli.Run run =
                Cli.run(
                        "rules",
                        "status",
                        "--bootstrap-servers",
                        "127.0.0.1:" + port,
                        "--connect-timeout",
                        "2s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines()).isEmpty();
        assertThat(run.errLines())
                .containsExactly(
                        "cannot reach Kafka at 127.0.0.1:"
                                + port
                                + " (--bootstrap-servers) within 2s");
        assertThat(run.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingStatusTopicIsNamed() {
        Cli.Run run = status("no-such-topic");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "topic no-such-topic does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers); the job writes its decisions on"
                                + " rule-set updates there");
    }

    /** A fresh status topic holding {@link #DECISIONS} and, among them, one record of garbage. */
    private static String auditTrail() throws Exception {
        String topic = KAFKA.freshTopic("rules-status", 1);
        KAFKA.produce(
                topic,
                List.of(
                        record(DECISIONS.get(0)),
                        record(DECISIONS.get(1)),
                        new ProducerRecord<>(
                                topic, 0, null, "not a status".getBytes(StandardCharsets.UTF_8)),
                        record(DECISIONS.get(2)),
                        record(DECISIONS.get(3))));
        return topic;
    }

    /** As the job writes a decision: key = the update's version. */
    private static ProducerRecord<byte[], byte[]> record(RuleSetStatus s) {
        return new ProducerRecord<>(
                "ignored",
                0,
                s.getVersion().getBytes(StandardCharsets.UTF_8),
                RuleEnvelopes.encode(s));
    }

    private static Cli.Run status(String topic, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "rules",
                                "status",
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--status-topic",
                                topic));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    /** The rejection of bob's 2026.12.1: in the audit trail, and alone in another test. */
    private static RuleSetStatus.Builder bobsRejection() {
        return decision(
                RuleUpdateOutcome.REJECTED, "2026.12.1", "bob", SHA_B, "version must not be empty");
    }

    private static RuleSetStatus.Builder decision(
            RuleUpdateOutcome outcome, String version, String author, String sha, String reason) {
        return RuleSetStatus.newBuilder()
                .setOutcome(outcome)
                .setVersion(version)
                .setAuthor(author)
                .setSha256(sha)
                .setReason(reason)
                .setSourcePartition(0);
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
