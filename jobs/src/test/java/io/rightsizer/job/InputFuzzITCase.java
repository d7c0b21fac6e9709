package io.rightsizer.job;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Samples;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.SchemaNormalization;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile records on every topic the live job reads: telemetry, rules, inventory and decisions.
 * Each one is a dead letter, a refused rule update or a refused decision with a reason; the job
 * never restarts (read from its JobManager); the valid records after them are judged.
 */
class InputFuzzITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final long W1 = MON_2026_03_02;
    static final long W2 = W1 + 7 * DAY;
    static final String BUSY = "vm-busy";
    static final String INVENTORIED = "vm-inv";
    static final Random RANDOM = new Random(12);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes that are neither JSON nor single-object Avro. */
    static byte[] randomBytes() {
        byte[] b = new byte[1 + RANDOM.nextInt(200)];
        RANDOM.nextBytes(b);
        b[0] = (byte) (0x80 | RANDOM.nextInt(0x40)); // never '{', blank or C3
        return b;
    }

    static byte[] unknownFingerprint() {
        byte[] b = new byte[30];
        RANDOM.nextBytes(b);
        b[0] = (byte) 0xC3;
        b[1] = 1;
        return b;
    }

    /** {@code C3 01}, MetricSample's fingerprint, a string length of 2,000,000,000, 3 bytes. */
    static byte[] allocationBomb() {
        long fp = SchemaNormalization.parsingFingerprint64(MetricSample.getClassSchema());
        byte[] b = new byte[18];
        b[0] = (byte) 0xC3;
        b[1] = 1;
        for (int i = 0; i < 8; i++) {
            b[2 + i] = (byte) (fp >>> (8 * i));
        }
        byte[] len = {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e};
        System.arraycopy(len, 0, b, 10, len.length);
        return b;
    }

    static String json(String vmId, String systemId, String timestamp, String extra) {
        return "{\"vmId\":\""
                + vmId
                + "\",\"systemId\":\""
                + systemId
                + "\",\"timestamp\":"
                + timestamp
                + extra
                + "}";
    }

    static byte[] avro(Function<MetricSample.Builder, MetricSample.Builder> change) {
        return SampleCodec.encode(
                change.apply(
                                MetricSample.newBuilder()
                                        .setVmId("vm-fuzz")
                                        .setSystemId("sys-fuzz")
                                        .setTimestamp(Instant.ofEpochMilli(W1 + HOUR))
                                        .setMemoryUsedBytes(1L << 30)
                                        .setMemoryTotalBytes(16L << 30))
                        .build());
    }

    record Hostile(byte[] value, DeadLetterReason reason) {}

    static List<Hostile> hostileTelemetry() {
        byte[] valid = SampleCodec.encode(Samples.running("vm-fuzz", "sys-fuzz", W1, 50));
        String nested = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        List<Hostile> h = new ArrayList<>();
        h.add(new Hostile(null, DeadLetterReason.UNDECODABLE));
        h.add(new Hostile(new byte[0], DeadLetterReason.UNDECODABLE));
        for (int i = 0; i < 10; i++) {
            h.add(new Hostile(randomBytes(), DeadLetterReason.UNDECODABLE));
        }
        byte[] big = new byte[1_048_480];
        Arrays.fill(big, (byte) 'x');
        h.add(new Hostile(big, DeadLetterReason.UNDECODABLE));
        h.add(new Hostile(unknownFingerprint(), DeadLetterReason.UNDECODABLE));
        for (int n : new int[] {1, 5, 12, valid.length - 1}) {
            h.add(new Hostile(Arrays.copyOf(valid, n), DeadLetterReason.UNDECODABLE));
        }
        h.add(new Hostile(allocationBomb(), DeadLetterReason.UNDECODABLE));
        h.add(
                new Hostile(
                        utf8(json("v".repeat(400_000), "s", String.valueOf(W1), "")),
                        DeadLetterReason.INVALID));
        h.add(
                new Hostile(
                        utf8(json("vm-fuzz", "s".repeat(900_000), String.valueOf(W1), "")),
                        DeadLetterReason.INVALID));
        h.add(new Hostile(utf8(nested), DeadLetterReason.UNDECODABLE));
        h.add(
                new Hostile(
                        utf8(
                                json(
                                        "vm-fuzz",
                                        "s",
                                        String.valueOf(W1),
                                        ",\"cpuUtilizationPct\":NaN")),
                        DeadLetterReason.UNDECODABLE));
        h.add(new Hostile(avro(b -> b.setCpuUtilizationPct(Double.NaN)), DeadLetterReason.INVALID));
        h.add(
                new Hostile(
                        avro(b -> b.setCpuUtilizationPct(Double.POSITIVE_INFINITY)),
                        DeadLetterReason.INVALID));
        h.add(
                new Hostile(
                        avro(b -> b.setCpuUtilizationPct(Double.NEGATIVE_INFINITY)),
                        DeadLetterReason.INVALID));
        h.add(
                new Hostile(
                        utf8(json("vm-fuzz", "s", String.valueOf(W1), ",\"memoryUsedBytes\":-1")),
                        DeadLetterReason.INVALID));
        h.add(
                new Hostile(
                        avro(b -> b.setMemoryUsedBytes(Long.MAX_VALUE)), DeadLetterReason.INVALID));
        h.add(
                new Hostile(
                        utf8(json("vm-fuzz", "s", String.valueOf(Long.MAX_VALUE), "")),
                        DeadLetterReason.INVALID));
        h.add(new Hostile(utf8(json("vm-fuzz", "s", "-1", "")), DeadLetterReason.INVALID));
        h.add(new Hostile(utf8(json("vm-fuzz", "s", "1e400", "")), DeadLetterReason.INVALID));
        return h;
    }

    /** Values that are not rule updates; a null value is a tombstone and changes nothing. */
    static List<byte[]> hostileRules() {
        byte[] valid =
                RuleEnvelopes.encode(
                        RuleEnvelopes.envelope(
                                RuleFiles.weeklyAnyHour("2026.12.0", 70),
                                "2026.12.0",
                                "ops@example",
                                Instant.parse("2026-11-26T09:00:00Z")));
        return List.of(
                new byte[0],
                randomBytes(),
                randomBytes(),
                unknownFingerprint(),
                Arrays.copyOf(valid, valid.length / 2),
                RuleEnvelopes.encode(
                        RuleEnvelopes.envelope(
                                "[".repeat(300_000),
                                "2026.12.9",
                                "ops@example",
                                Instant.parse("2026-11-26T09:00:00Z"))));
    }

    static List<Hostile> hostileInventory() {
        byte[] valid =
                SingleObject.encode(
                        VmAllocation.getEncoder(), Allocations.active("vm-x", "sys-x").build());
        return List.of(
                new Hostile(new byte[0], DeadLetterReason.UNDECODABLE),
                new Hostile(randomBytes(), DeadLetterReason.UNDECODABLE),
                new Hostile(unknownFingerprint(), DeadLetterReason.UNDECODABLE),
                new Hostile(Arrays.copyOf(valid, valid.length - 1), DeadLetterReason.UNDECODABLE),
                new Hostile(
                        SingleObject.encode(
                                VmAllocation.getEncoder(),
                                Allocations.active("v".repeat(400_000), "sys-x").build()),
                        DeadLetterReason.INVALID),
                new Hostile(
                        SingleObject.encode(
                                VmAllocation.getEncoder(),
                                Allocations.active("vm-x", "sys-x").setVcpus(-1).build()),
                        DeadLetterReason.INVALID));
    }

    static List<byte[]> hostileDecisions() {
        byte[] valid =
                DecisionSerializer.encode(
                        Decision.newBuilder()
                                .setRecommendationId("0".repeat(32))
                                .setState(DecisionState.APPROVED)
                                .setDecidedBy("x")
                                .setDecidedAt(Instant.ofEpochMilli(W1))
                                .build());
        return Arrays.asList(
                null,
                new byte[0],
                randomBytes(),
                unknownFingerprint(),
                Arrays.copyOf(valid, valid.length - 3));
    }

    @Test
    void hostileRecordsOnEveryInputAreRejectedWithAReasonAndTheJobNeverRestarts(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Topics t = Topics.freshWithRules(KAFKA, 1, 1);
        String inventory = KAFKA.freshTopic("vm-inventory", 1);
        String decisions = KAFKA.freshTopic("rightsizing-decisions", 1);
        String events = KAFKA.freshTopic("rightsizing-recommendation-events", 1);
        String notices = KAFKA.freshTopic("rightsizing-notices", 1);

        List<Hostile> telemetry = hostileTelemetry();
        List<Hostile> inventoryRecords = hostileInventory();
        List<byte[]> rules = hostileRules();
        List<byte[]> decisionRecords = hostileDecisions();
        try (KafkaProducer<byte[], byte[]> p = bigProducer()) {
            for (Hostile h : telemetry) {
                p.send(new ProducerRecord<>(t.metrics(), utf8("hostile"), h.value())).get();
            }
            p.send(new ProducerRecord<>(t.rules(), utf8("tombstone"), null)).get();
            for (byte[] v : rules) {
                p.send(new ProducerRecord<>(t.rules(), utf8("hostile"), v)).get();
            }
            p.send(new ProducerRecord<>(inventory, utf8("tombstone"), null)).get();
            for (Hostile h : inventoryRecords) {
                p.send(new ProducerRecord<>(inventory, utf8("hostile"), h.value())).get();
            }
            for (byte[] v : decisionRecords) {
                p.send(new ProducerRecord<>(decisions, utf8("hostile"), v)).get();
            }
            // The valid records after them.
            p.send(
                            new ProducerRecord<>(
                                    t.rules(),
                                    utf8("2026.12.0"),
                                    RuleEnvelopes.encode(
                                            RuleEnvelopes.envelope(
                                                    RuleFiles.weeklyAnyHour("2026.12.0", 70),
                                                    "2026.12.0",
                                                    "ops@example",
                                                    Instant.parse("2026-11-26T09:00:00Z")))))
                    .get();
            // A temporary expansion of four months: longer than Article 22 allows.
            p.send(
                            new ProducerRecord<>(
                                    inventory,
                                    null,
                                    W1 - DAY,
                                    utf8(INVENTORIED),
                                    SingleObject.encode(
                                            VmAllocation.getEncoder(),
                                            Allocations.active(INVENTORIED, "sys-inv")
                                                    .setTemporaryExpansions(
                                                            List.of(
                                                                    Allocations.expansion(
                                                                            4L << 30,
                                                                            W1,
                                                                            W1 + 120 * DAY)))
                                                    .build())))
                    .get();
            for (long ts = W1; ts <= W2 + HOUR; ts += HOUR) {
                Sample s = Samples.running(BUSY, "sys-busy", ts, 85);
                p.send(new ProducerRecord<>(t.metrics(), utf8(BUSY), SampleCodec.encode(s))).get();
            }
        }

        JobClient job =
                LiveJobs.start(
                        KAFKA,
                        LiveJobs.config(
                                KAFKA,
                                t,
                                Map.of(
                                        "kafka.topics.inventory", inventory,
                                        "kafka.topics.decisions", decisions,
                                        "kafka.topics.recommendation-events", events,
                                        "kafka.topics.notices", notices,
                                        "lifecycle.enabled", "true",
                                        "checkpoint.interval", "300 ms",
                                        "parallelism", "1")),
                        RuleFiles.parse(RuleFiles.weeklyAnyHour("2026.11.0", 70)),
                        "input-fuzz-it",
                        null);
        try {
            // The busy VM's week was judged after all the hostile telemetry before it.
            String r1 = Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY, W2);
            Recommendation first =
                    KAFKA.readCommitted(
                                    t.recommendations(),
                                    r -> RecommendationSerializer.decode(r.value()),
                                    1,
                                    Duration.ofSeconds(90),
                                    Duration.ofSeconds(1))
                            .get(0);
            assertThat(first.getRecommendationId()).isEqualTo(r1);

            // Late and far-future telemetry after the watermark passed the week; an approval of
            // the recommendation, which takes effect when the telemetry reaches its time.
            try (KafkaProducer<byte[], byte[]> p = bigProducer()) {
                p.send(
                                new ProducerRecord<>(
                                        t.metrics(),
                                        utf8(BUSY),
                                        SampleCodec.encode(
                                                Samples.running(BUSY, "sys-busy", 0, 85))))
                        .get();
                p.send(
                                new ProducerRecord<>(
                                        t.metrics(),
                                        utf8(BUSY),
                                        utf8(json(BUSY, "sys-busy", "32503680000000", ""))))
                        .get();
                p.send(
                                DecisionSerializer.record(
                                        decisions,
                                        Decision.newBuilder()
                                                .setRecommendationId(r1)
                                                .setState(DecisionState.APPROVED)
                                                .setDecidedBy("ops-anna")
                                                .setDecidedAt(Instant.ofEpochMilli(W2 + 2 * HOUR))
                                                .build()))
                        .get();
                for (long ts = W2 + 2 * HOUR; ts <= W2 + 4 * HOUR; ts += HOUR) {
                    Sample s = Samples.running(BUSY, "sys-busy", ts, 85);
                    p.send(new ProducerRecord<>(t.metrics(), utf8(BUSY), SampleCodec.encode(s)))
                            .get();
                }
            }

            List<RecommendationEvent> audit =
                    KAFKA.readCommitted(
                            events,
                            r -> RecommendationEventSerializer.decode(r.value()),
                            2 + decisionRecords.size(),
                            Duration.ofSeconds(90),
                            Duration.ofSeconds(1));
            assertThat(audit)
                    .extracting(RecommendationEvent::getKind, RecommendationEvent::getToState)
                    .containsExactlyInAnyOrderElementsOf(expectedEvents(decisionRecords.size()));

            int telemetryDeadLetters = telemetry.size() + 2;
            List<DeadLetter> dead =
                    KAFKA.readCommitted(
                            t.deadLetters(),
                            r -> DeadLetterSerializer.decode(r.value()),
                            telemetryDeadLetters + inventoryRecords.size(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(2));
            Map<Long, DeadLetterReason> fromTelemetry =
                    dead.stream()
                            .filter(d -> t.metrics().equals(d.getSourceTopic()))
                            .collect(
                                    Collectors.toMap(
                                            DeadLetter::getSourceOffset, DeadLetter::getReason));
            Map<Long, DeadLetterReason> expectedTelemetry = new java.util.HashMap<>();
            for (int i = 0; i < telemetry.size(); i++) {
                expectedTelemetry.put((long) i, telemetry.get(i).reason());
            }
            long afterBusy = telemetry.size() + (W2 + HOUR - W1) / HOUR + 1;
            expectedTelemetry.put(afterBusy, DeadLetterReason.LATE);
            expectedTelemetry.put(afterBusy + 1, DeadLetterReason.INVALID);
            assertThat(fromTelemetry).containsExactlyInAnyOrderEntriesOf(expectedTelemetry);

            Map<Long, DeadLetterReason> fromInventory =
                    dead.stream()
                            .filter(d -> inventory.equals(d.getSourceTopic()))
                            .collect(
                                    Collectors.toMap(
                                            DeadLetter::getSourceOffset, DeadLetter::getReason));
            Map<Long, DeadLetterReason> expectedInventory = new java.util.HashMap<>();
            for (int i = 0; i < inventoryRecords.size(); i++) {
                // Offset 0 is the tombstone, skipped and counted, not a dead letter.
                expectedInventory.put(i + 1L, inventoryRecords.get(i).reason());
            }
            assertThat(fromInventory).containsExactlyInAnyOrderEntriesOf(expectedInventory);
            assertThat(dead).hasSize(telemetryDeadLetters + inventoryRecords.size());
            assertThat(dead)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getMessage()).isNotBlank();
                                assertThat(d.getPayload().remaining())
                                        .isLessThanOrEqualTo(64 * 1024);
                            });

            List<RuleSetStatus> status =
                    KAFKA.readCommitted(
                            t.status(),
                            r -> RuleEnvelopes.decodeStatus(r.value()),
                            rules.size() + 1,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1));
            assertThat(status)
                    .extracting(RuleSetStatus::getOutcome)
                    .containsExactlyElementsOf(
                            expectedStatuses(rules.size(), RuleUpdateOutcome.ACCEPTED));
            assertThat(status.get(rules.size()).getInForceVersion()).isEqualTo("2026.12.0");

            List<TimeLimitNotice> issued =
                    KAFKA.readCommitted(
                            notices,
                            r -> NoticeSerializer.decode(r.value()),
                            1,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1));
            assertThat(issued)
                    .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getVmId)
                    .contains(tuple(NoticeKind.EXPANSION_TOO_LONG, INVENTORIED));

            JobHealth health =
                    new JobHealth(
                            URI.create(cluster.getRestAddress().get().toString()), job.getJobID());
            assertThat(health.awaitRestarts(Duration.ofSeconds(30))).isZero();
            assertThat(health.failures()).isZero();
        } finally {
            job.cancel().get();
        }
    }

    static List<RuleUpdateOutcome> expectedStatuses(int rejected, RuleUpdateOutcome last) {
        List<RuleUpdateOutcome> out = new ArrayList<>();
        for (int i = 0; i < rejected; i++) {
            out.add(RuleUpdateOutcome.REJECTED);
        }
        out.add(last);
        return out;
    }

    static List<org.assertj.core.groups.Tuple> expectedEvents(int refused) {
        List<org.assertj.core.groups.Tuple> out = new ArrayList<>();
        out.add(tuple(RecommendationEventKind.OPENED, LifecycleState.OPEN));
        for (int i = 0; i < refused; i++) {
            out.add(tuple(RecommendationEventKind.DECISION_REJECTED, null));
        }
        out.add(tuple(RecommendationEventKind.TRANSITION, LifecycleState.APPROVED));
        return out;
    }

    static KafkaProducer<byte[], byte[]> bigProducer() {
        java.util.Properties p = KAFKA.clientProps();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        p.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
