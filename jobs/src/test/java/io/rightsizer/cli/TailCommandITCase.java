package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `rightsizer tail` on a real broker, over records written as the job writes them. */
class TailCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final TailRows UTC = new TailRows(ZoneId.of("UTC"));
    private static final byte[] NOT_AVRO = "{\"vmId\":\"vm-1\"}".getBytes(StandardCharsets.UTF_8);
    private static final String NOT_A_RECOMMENDATION =
            "not a Recommendation: not Avro single-object encoding (no complete C3 01 header and"
                    + " fingerprint)";

    /** The approval topic and the notices topic, each with one partition, filled. */
    private record Topics(String recommendations, String notices) {}

    private static Topics filled() throws Exception {
        Topics t =
                new Topics(KAFKA.freshTopic("recommendations", 1), KAFKA.freshTopic("notices", 1));
        KAFKA.produce(
                t.recommendations(),
                List.of(
                        record(RecommendationSerializer.encode(DataCenterRecords.memoryScaleUp())),
                        record(NOT_AVRO),
                        record(
                                RecommendationSerializer.encode(
                                        DataCenterRecords.storageEmergencyReminder()))));
        KAFKA.produce(
                t.notices(),
                List.of(
                        record(
                                SingleObject.encode(
                                        TimeLimitNotice.getEncoder(),
                                        DataCenterRecords.expansionEnding()))));
        return t;
    }

    private static ProducerRecord<byte[], byte[]> record(byte[] value) {
        return new ProducerRecord<>("ignored", 0, null, value);
    }

    private static Cli.Run tail(Topics t, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "tail",
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--topic",
                                t.recommendations(),
                                "--notices-topic",
                                t.notices()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void showsEveryRecordFromTheBeginningAsARowUndecodableOnesIncluded() throws Exception {
        Topics t = filled();

        Cli.Run run = tail(t, "--from-beginning", "--max", "4", "--timeout", "20s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines().get(0)).isEqualTo(UTC.header());
        String scaleUp = UTC.row(DataCenterRecords.memoryScaleUp());
        String undecodable =
                "undecodable record on "
                        + t.recommendations()
                        + " partition 0 offset 1: "
                        + NOT_A_RECOMMENDATION;
        String emergency = UTC.row(DataCenterRecords.storageEmergencyReminder());
        String notice = UTC.row(DataCenterRecords.expansionEnding());
        assertThat(run.outLines().subList(1, run.outLines().size()))
                .containsExactlyInAnyOrder(scaleUp, undecodable, emergency, notice);
        assertThat(run.outLines().stream().filter(l -> !l.equals(notice) && !l.startsWith("time")))
                .as("one partition's records in offset order")
                .containsExactly(scaleUp, undecodable, emergency);
        assertThat(run.errLines())
                .containsExactly(
                        "following "
                                + t.recommendations()
                                + " and "
                                + t.notices()
                                + " at "
                                + KAFKA.bootstrapServers()
                                + " from the beginning");
    }

    @Test
    void jsonIsOneTypedObjectPerRecord() throws Exception {
        Topics t = filled();

        Cli.Run run = tail(t, "--json", "--from-beginning", "--max", "4", "--timeout", "20s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactlyInAnyOrder(
                        TailRows.json(DataCenterRecords.memoryScaleUp()),
                        "{\"type\":\"undecodable\",\"topic\":\""
                                + t.recommendations()
                                + "\",\"partition\":0,\"offset\":1,\"timestamp\":"
                                + timestampOfUndecodable(t)
                                + ",\"reason\":\""
                                + NOT_A_RECOMMENDATION
                                + "\"}",
                        TailRows.json(DataCenterRecords.storageEmergencyReminder()),
                        TailRows.json(DataCenterRecords.expansionEnding()));
    }

    @Test
    void startsAtTheEndAndStopsAfterTheTimeoutWithoutRecords() throws Exception {
        Topics t = filled();

        Cli.Run run = tail(t, "--timeout", "2s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(UTC.header());
        assertThat(run.took().toMillis()).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void aMissingTopicIsNamedAndTheOtherFollowed() throws Exception {
        Topics t = filled();

        Cli.Run run =
                tail(
                        new Topics(t.recommendations(), "no-such-notices"),
                        "--from-beginning",
                        "--max",
                        "1",
                        "--timeout",
                        "20s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(UTC.header(), UTC.row(DataCenterRecords.memoryScaleUp()));
        assertThat(run.errLines())
                .containsExactly(
                        "warning: topic no-such-notices does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers); not followed",
                        "following "
                                + t.recommendations()
                                + " at "
                                + KAFKA.bootstrapServers()
                                + " from the beginning");
    }

    @Test
    void withNoTopicToFollowItExitsTwo() {
        Cli.Run run = tail(new Topics("no-such-recommendations", "no-such-notices"), "--max", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "warning: topic no-such-recommendations does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers); not followed",
                        "warning: topic no-such-notices does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers); not followed",
                        "none of the topics exists: nothing to follow");
        assertThat(run.out()).isEmpty();
    }

    // ------------------------------------------------------------------ --events

    private static final String NOT_AN_EVENT =
            "not a RecommendationEvent: not Avro single-object encoding (no complete C3 01 header"
                    + " and fingerprint)";

    /**
     * One partition of audit trail, keyed by recommendationId as the job writes it: the scale-up's
     * events with the emergency's and an unknown id's between them, and two undecodable records,
     * one keyed by each recommendation.
     */
    private static String auditTrail() throws Exception {
        String topic = KAFKA.freshTopic("recommendation-events", 1);
        KAFKA.produce(
                topic,
                List.of(
                        event(AuditEvents.opened()),
                        event(AuditEvents.emergencyReminded()),
                        keyed(AuditEvents.EMERGENCY_ID, NOT_AVRO),
                        event(AuditEvents.approved()),
                        keyed(AuditEvents.SCALE_UP_ID, NOT_AVRO),
                        event(AuditEvents.unknownIdRefused()),
                        event(AuditEvents.lateRejectionRefused())));
        return topic;
    }

    private static ProducerRecord<byte[], byte[]> event(RecommendationEvent e) {
        return keyed(e.getRecommendationId(), RecommendationEventSerializer.encode(e));
    }

    private static ProducerRecord<byte[], byte[]> keyed(String key, byte[] value) {
        return new ProducerRecord<>("ignored", 0, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static Cli.Run tailEvents(String topic, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "tail",
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--events",
                                "--events-topic",
                                topic));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String undecodableEvent(String topic, long offset) {
        return "undecodable record on "
                + topic
                + " partition 0 offset "
                + offset
                + ": "
                + NOT_AN_EVENT;
    }

    @Test
    void eventsShowsTheAuditTrailInOffsetOrderUndecodableRecordsIncluded() throws Exception {
        String topic = auditTrail();

        Cli.Run run = tailEvents(topic, "--from-beginning", "--max", "7", "--timeout", "20s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        UTC.eventHeader(),
                        UTC.row(AuditEvents.opened()),
                        UTC.row(AuditEvents.emergencyReminded()),
                        undecodableEvent(topic, 2),
                        UTC.row(AuditEvents.approved()),
                        undecodableEvent(topic, 4),
                        UTC.row(AuditEvents.unknownIdRefused()),
                        UTC.row(AuditEvents.lateRejectionRefused()));
        assertThat(run.errLines())
                .containsExactly(
                        "following "
                                + topic
                                + " at "
                                + KAFKA.bootstrapServers()
                                + " from the beginning");
    }

    @Test
    void idShowsOnlyThatRecommendationsEventsAndTheUndecodableRecordKeyedByIt() throws Exception {
        String topic = auditTrail();

        // No --max: only the timeout ends it, so nothing after the last row was left unshown.
        Cli.Run run =
                tailEvents(
                        topic,
                        "--id",
                        AuditEvents.SCALE_UP_ID,
                        "--from-beginning",
                        "--timeout",
                        "3s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        UTC.eventHeader(),
                        UTC.row(AuditEvents.opened()),
                        UTC.row(AuditEvents.approved()),
                        undecodableEvent(topic, 4),
                        UTC.row(AuditEvents.lateRejectionRefused()));
        assertThat(run.errLines())
                .containsExactly(
                        "following "
                                + topic
                                + " for recommendation "
                                + AuditEvents.SCALE_UP_ID
                                + " at "
                                + KAFKA.bootstrapServers()
                                + " from the beginning");
    }

    @Test
    void maxCountsOnlyTheEventsOfTheIdShown() throws Exception {
        String topic = auditTrail();

        Cli.Run run =
                tailEvents(
                        topic,
                        "--id",
                        AuditEvents.EMERGENCY_ID,
                        "--json",
                        "--from-beginning",
                        "--max",
                        "2",
                        "--timeout",
                        "20s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        TailRows.json(AuditEvents.emergencyReminded()),
                        "{\"type\":\"undecodable\",\"topic\":\""
                                + topic
                                + "\",\"partition\":0,\"offset\":2,\"timestamp\":"
                                + KAFKA.readCommitted(
                                                topic,
                                                rs -> rs.size() >= 3,
                                                java.time.Duration.ofSeconds(20),
                                                java.time.Duration.ZERO)
                                        .get(2)
                                        .timestamp()
                                + ",\"reason\":\""
                                + NOT_AN_EVENT
                                + "\"}");
    }

    @Test
    void eventsStartAtTheEndLikeTheApprovalTopic() throws Exception {
        String topic = auditTrail();

        Cli.Run run = tailEvents(topic, "--timeout", "2s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(UTC.eventHeader());
    }

    @TempDir Path tmp;

    @Test
    void withoutEventsTopicTheConfigurationNamesTheAuditTrail() throws Exception {
        String topic = auditTrail();
        Path rules = Files.writeString(tmp.resolve("rules.yaml"), "version: \"2026.11.0\"\n");
        Path config =
                Files.writeString(
                        tmp.resolve("job.yaml"),
                        "kafka:\n  bootstrap-servers: "
                                + KAFKA.bootstrapServers()
                                + "\n  topics:\n    recommendation-events: "
                                + topic
                                + "\nrules:\n  file: "
                                + rules
                                + "\n");

        Cli.Run run =
                Cli.run(
                        "tail",
                        "--config",
                        config.toString(),
                        "--events",
                        "--from-beginning",
                        "--max",
                        "1",
                        "--timeout",
                        "20s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
                .containsExactly(UTC.eventHeader(), UTC.row(AuditEvents.opened()));
    }

    @Test
    void aMissingEventsTopicExitsTwo() {
        Cli.Run run = tailEvents("no-such-events", "--max", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "topic no-such-events does not exist at "
                                + KAFKA.bootstrapServers()
                                + " (--bootstrap-servers): nothing to follow");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void eventsWithTheApprovalOrNoticesTopicIsAUsageError() {
        for (String option : List.of("--topic", "--notices-topic")) {
            Cli.Run run = tailEvents("rightsizing-recommendation-events", option, "x");

            assertThat(run.exitCode()).as(option).isEqualTo(2);
            assertThat(run.errLines())
                    .containsExactly(
                            "--events follows the audit trail only: name its topic with"
                                    + " --events-topic, not --topic or --notices-topic");
        }
    }

    @Test
    void idMustBeARecommendationIdAndNeedsEvents() {
        Cli.Run upperCase = tailEvents("t", "--id", AuditEvents.SCALE_UP_ID.toUpperCase());
        Cli.Run tooShort = tailEvents("t", "--id", AuditEvents.SCALE_UP_ID.substring(1));
        Cli.Run withoutEvents =
                Cli.run(
                        "tail",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--id",
                        AuditEvents.SCALE_UP_ID);
        Cli.Run topicWithoutEvents =
                Cli.run(
                        "tail",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--events-topic",
                        "t");

        assertThat(upperCase.exitCode()).isEqualTo(2);
        assertThat(upperCase.errLines())
                .containsExactly(
                        "--id: '"
                                + AuditEvents.SCALE_UP_ID.toUpperCase()
                                + "' is not a recommendation id: 32 lowercase hex digits, the"
                                + " recommendationId `rightsizer tail --json` shows");
        assertThat(tooShort.exitCode()).isEqualTo(2);
        assertThat(tooShort.errLines())
                .containsExactly(
                        "--id: '"
                                + AuditEvents.SCALE_UP_ID.substring(1)
                                + "' is not a recommendation id: 32 lowercase hex digits, the"
                                + " recommendationId `rightsizer tail --json` shows");
        assertThat(withoutEvents.exitCode()).isEqualTo(2);
        assertThat(withoutEvents.errLines())
                .containsExactly(
                        "--id needs --events: it selects the audit-trail events of one"
                                + " recommendation");
        assertThat(topicWithoutEvents.exitCode()).isEqualTo(2);
        assertThat(topicWithoutEvents.errLines()).containsExactly("--events-topic needs --events");
    }

    private static long timestampOfUndecodable(Topics t) {
        return KAFKA.readCommitted(
                        t.recommendations(),
                        rs -> rs.size() >= 3,
                        java.time.Duration.ofSeconds(20),
                        java.time.Duration.ZERO)
                .get(1)
                .timestamp();
    }
}
