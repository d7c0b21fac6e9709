package io.rightsizer.job;

import static io.rightsizer.job.HostileRecords.decision;
import static io.rightsizer.job.HostileRecords.envelope;
import static io.rightsizer.job.HostileRecords.epochSamples;
import static io.rightsizer.job.HostileRecords.sample;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.HostileRecords.Hostile;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.RecordCaps;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Samples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile records on every input topic of the live job (telemetry, rules, inventory, decisions), on
 * a real broker and a MiniCluster: random bytes, empty and null values, a value at the broker's
 * default size limit, a valid header with an unknown fingerprint, truncated records, strings of
 * megabytes, NaN, ±Infinity, negative and {@code Long.MAX_VALUE} numbers, timestamps 0 and far in
 * the future, JSON nested 100,000 deep and the 18-byte record that declares a 2,000,000,000-byte
 * string. Each is a dead letter with its reason (a refused update on the rules status topic, a
 * rejected decision on the audit topic), the job never restarts (its {@code numRestarts} read from
 * the MiniCluster's REST API) and the valid records produced after them are judged.
 */
class InputFuzzITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(fastMetrics())
                            .build());

    static final long SEED = 0x1E12_F022L;

    /**
     * The raised {@code max.message.bytes} of the test's input topics, so that records of several
     * megabytes reach the job, as they would on a cluster configured for larger messages.
     */
    static final int TOPIC_LIMIT = 8 * 1024 * 1024;

    /** The issue's record: at the broker's default limit, over the producer's once wrapped. */
    static final int AT_DEFAULT_LIMIT = 1_048_480;

    static final String VM = "vm-a";
    static final String SYSTEM = "sys-a";
    static final long W1 = Samples.MON_2026_03_02;
    static final long W2 = W1 + 7 * DAY;
    static final long RESIZED = W2 + 12 * HOUR;

    static Configuration fastMetrics() {
        Configuration c = new Configuration();
        // The REST API serves metrics from a cache refreshed every 10 s by default.
        c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(200));
        return c;
    }

    private final HostileRecords hostile = new HostileRecords(SEED);

    @Test
    void everyHostileRecordIsRejectedWithItsReasonAndTheJobNeverRestarts() throws Exception {
        Map<String, String> big = Map.of("max.message.bytes", String.valueOf(TOPIC_LIMIT));
        String metrics = KAFKA.freshTopic("vm-metrics", 1, big);
        String rules = KAFKA.freshTopic("rightsizing-rules", 1, big);
        String inventory = KAFKA.freshTopic("vm-inventory", 1, big);
        String decisions = KAFKA.freshTopic("rightsizing-decisions", 1, big);
        Topics t =
                new Topics(
                        metrics,
                        KAFKA.freshTopic("rightsizing-recommendations", 1),
                        KAFKA.freshTopic("rightsizing-dead-letters", 1),
                        rules,
                        KAFKA.freshTopic("rightsizing-rules-status", 1));
        String events = KAFKA.freshTopic("rightsizing-recommendation-events", 1);
        String notices = KAFKA.freshTopic("rightsizing-notices", 1);

        // Telemetry: a valid sample of week 1 (the watermark passes the epoch), every hostile
        // record, then the first samples of week 2, which close week 1: vm-a at 85 % must fire.
        Map<Long, Hostile> sentSamples = new LinkedHashMap<>();
        produceValid(metrics, List.of(sample(W1, 85)));
        List<Hostile> samples = hostile.hostileSamples();
        sentSamples.putAll(produce(metrics, samples));
        produceValid(metrics, List.of(sample(W2, 85), sample(W2 + HOUR, 85)));

        Map<Long, Hostile> sentAllocations = produce(inventory, hostile.hostileAllocations());
        List<Hostile> rulesHostile = hostile.hostileRuleUpdates();
        produce(rules, rulesHostile);
        produceValid(
                rules, List.of(envelope("2026.12.0", RuleFiles.weeklyAnyHour("2026.12.0", 60))));
        List<Hostile> decisionsHostile = hostile.hostileDecisions();
        produce(decisions, decisionsHostile);

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
            // The VM that must fire fires.
            String r1 = Recommendations.id(Rule.WEEKLY_AVERAGE, VM, W2);
            List<Recommendation> recs =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            r -> RecommendationSerializer.decode(r.value()),
                            1,
                            Duration.ofSeconds(180),
                            Duration.ofMillis(500));
            assertThat(recs)
                    .extracting(Recommendation::getRecommendationId, Recommendation::getVmId)
                    .containsExactly(tuple(r1, VM));

            sentSamples.putAll(produce(metrics, epochSamples()));

            // Every hostile sample and allocation is exactly one dead letter with its reason.
            Map<Long, DeadLetterReason> expectedSamples = expected(sentSamples);
            Map<Long, DeadLetterReason> expectedAllocations = expected(sentAllocations);
            List<ConsumerRecord<byte[], byte[]>> dead =
                    KAFKA.readCommitted(
                            t.deadLetters(),
                            rs -> rs.size() >= expectedSamples.size() + expectedAllocations.size(),
                            Duration.ofSeconds(180),
                            Duration.ofSeconds(1));
            Map<Long, DeadLetterReason> sampleLetters = new LinkedHashMap<>();
            Map<Long, DeadLetterReason> allocationLetters = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                DeadLetter d = DeadLetterSerializer.decode(r.value());
                Map<Long, DeadLetterReason> into =
                        d.getSourceTopic().equals(metrics) ? sampleLetters : allocationLetters;
                assertThat(into.put(d.getSourceOffset(), d.getReason()))
                        .as("one dead letter per record: %s", d)
                        .isNull();
                assertFits(r);
                Hostile h =
                        (d.getSourceTopic().equals(metrics) ? sentSamples : sentAllocations)
                                .get(d.getSourceOffset());
                assertThat(h).as("a dead letter of a hostile record: %s", d).isNotNull();
                assertCarriesTheWhole(d, h);
                assertThat(d.getMessage()).as(h.what()).isNotBlank();
            }
            assertThat(sampleLetters).isEqualTo(expectedSamples);
            assertThat(allocationLetters).isEqualTo(expectedAllocations);
            assertTheIssuesTwoRecords(dead, sentSamples);

            // Every hostile rule update that is not a tombstone is refused; the valid one after
            // them is accepted.
            long refusals = rulesHostile.stream().filter(h -> h.value() != null).count();
            List<RuleSetStatus> status =
                    KAFKA.readCommitted(
                            t.status(),
                            r -> RuleEnvelopes.decodeStatus(r.value()),
                            (int) refusals + 1,
                            Duration.ofSeconds(180),
                            Duration.ofSeconds(1));
            assertThat(status).hasSize((int) refusals + 1);
            assertThat(status.subList(0, (int) refusals))
                    .allSatisfy(
                            s -> {
                                assertThat(s.getOutcome()).isEqualTo(RuleUpdateOutcome.REJECTED);
                                assertThat(s.getReason()).isNotBlank();
                                assertThat(s.getInForceVersion()).isEqualTo("2026.11.0");
                            });
            assertThat(status.get((int) refusals))
                    .extracting(
                            RuleSetStatus::getOutcome,
                            RuleSetStatus::getVersion,
                            RuleSetStatus::getInForceVersion)
                    .containsExactly(RuleUpdateOutcome.ACCEPTED, "2026.12.0", "2026.12.0");

            // A valid decision after the hostile ones takes effect, and a valid allocation after
            // the hostile ones is used: the approved size is in place (IMPLEMENTED). Both are
            // judged in event time, so samples after them move the watermark on.
            produceValid(decisions, List.of(decision(r1, "ops-anna", W2 + HOUR)));
            produceValid(
                    inventory,
                    List.of(
                            SingleObject.encode(
                                    VmAllocation.getEncoder(),
                                    Allocations.active(VM, SYSTEM)
                                            .setMemoryBytes(32 * GIB)
                                            .setEffectiveAt(Instant.ofEpochMilli(RESIZED))
                                            .build())));
            List<byte[]> after = new ArrayList<>();
            for (long ts = W2 + 2 * HOUR; ts <= RESIZED + 2 * HOUR; ts += HOUR) {
                after.add(sample(ts, 40));
            }
            produceValid(metrics, after);
            List<RecommendationEvent> audit =
                    awaitEvents(
                            events,
                            es ->
                                    es.stream()
                                            .anyMatch(
                                                    e ->
                                                            e.getToState()
                                                                    == LifecycleState.IMPLEMENTED));
            List<String> refused = new ArrayList<>();
            audit.stream()
                    .filter(e -> e.getKind() == RecommendationEventKind.DECISION_REJECTED)
                    .forEach(e -> refused.add(e.getReason()));
            assertThat(audit)
                    .as("refused decisions: %s", refused)
                    .filteredOn(e -> e.getKind() != RecommendationEventKind.DECISION_REJECTED)
                    .extracting(
                            RecommendationEvent::getKind,
                            RecommendationEvent::getRecommendationId,
                            RecommendationEvent::getToState,
                            RecommendationEvent::getBy)
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.OPENED,
                                    r1,
                                    LifecycleState.OPEN,
                                    "rightsizer"),
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    r1,
                                    LifecycleState.APPROVED,
                                    "ops-anna"),
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    r1,
                                    LifecycleState.IMPLEMENTED,
                                    "rightsizer"));
            // Each hostile decision is refused once on the audit topic.
            assertThat(refused).hasSize(decisionsHostile.size());
            assertThat(audit)
                    .filteredOn(e -> e.getKind() == RecommendationEventKind.DECISION_REJECTED)
                    .allSatisfy(
                            e ->
                                    assertThat(e.getComment() == null ? 0 : e.getComment().length())
                                            .isLessThanOrEqualTo(RecordCaps.TEXT_CAP));

            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(numRestarts(job)).isZero();
        } finally {
            job.cancel().get();
        }
    }

    // ---------------------------------------------------------------- producing and reading

    static KafkaProducer<byte[], byte[]> producer() {
        Properties p = KAFKA.clientProps();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(TOPIC_LIMIT));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p);
    }

    /** Produces {@code records} in order; returns each by its offset. */
    static Map<Long, Hostile> produce(String topic, List<Hostile> records) throws Exception {
        Map<Long, Hostile> byOffset = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Hostile h : records) {
                long offset =
                        producer.send(new ProducerRecord<>(topic, 0, h.key(), h.value()))
                                .get()
                                .offset();
                byOffset.put(offset, h);
            }
        }
        return byOffset;
    }

    static void produceValid(String topic, List<byte[]> values) throws Exception {
        List<Hostile> records = new ArrayList<>();
        for (byte[] v : values) {
            records.add(new Hostile("valid", null, v, null));
        }
        produce(topic, records);
    }

    static Map<Long, DeadLetterReason> expected(Map<Long, Hostile> sent) {
        Map<Long, DeadLetterReason> out = new LinkedHashMap<>();
        sent.forEach(
                (offset, h) -> {
                    if (h.reason() != null) {
                        out.put(offset, h.reason());
                    }
                });
        return out;
    }

    static List<RecommendationEvent> awaitEvents(
            String topic, java.util.function.Predicate<List<RecommendationEvent>> done) {
        Function<ConsumerRecord<byte[], byte[]>, RecommendationEvent> decode =
                r -> RecommendationEventSerializer.decode(r.value());
        List<RecommendationEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readCommitted(
                        topic,
                        rs -> done.test(rs.stream().map(decode).toList()),
                        Duration.ofSeconds(180),
                        Duration.ofSeconds(1))) {
            out.add(decode.apply(r));
        }
        return out;
    }

    static void assertFits(ConsumerRecord<byte[], byte[]> r) {
        int size = (r.key() == null ? 0 : r.key().length) + r.value().length;
        assertThat(size).isLessThan(Rejected.PAYLOAD_CAP + 32 * 1024);
    }

    /** The payload is the value's first bytes, with the size and hash of the whole value. */
    static void assertCarriesTheWhole(DeadLetter d, Hostile h) throws Exception {
        if (d.getReason() == DeadLetterReason.LATE) {
            return; // a late sample is re-encoded, not carried as received
        }
        byte[] whole = h.value() == null ? new byte[0] : h.value();
        byte[] payload = new byte[d.getPayload().remaining()];
        d.getPayload().duplicate().get(payload);
        assertThat(payload)
                .as(h.what())
                .isEqualTo(Arrays.copyOf(whole, Math.min(whole.length, Rejected.PAYLOAD_CAP)));
        assertThat(d.getPayloadSize()).as(h.what()).isEqualTo(whole.length);
        assertThat(d.getPayloadSha256())
                .as(h.what())
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(whole)));
    }

    /** The issue's two records: each one dead letter, capped, with the whole value's size. */
    static void assertTheIssuesTwoRecords(
            List<ConsumerRecord<byte[], byte[]>> dead, Map<Long, Hostile> sent) {
        Map<String, ConsumerRecord<byte[], byte[]>> byWhat = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            DeadLetter d = DeadLetterSerializer.decode(r.value());
            Hostile h = sent.get(d.getSourceOffset());
            if (h != null && d.getSourceTopic().startsWith("vm-metrics")) {
                byWhat.put(h.what(), r);
            }
        }
        ConsumerRecord<byte[], byte[]> atLimit = byWhat.get("at the default limit");
        DeadLetter a = DeadLetterSerializer.decode(atLimit.value());
        assertThat(a.getPayload().remaining()).isEqualTo(Rejected.PAYLOAD_CAP);
        assertThat(a.getPayloadSize()).isEqualTo(AT_DEFAULT_LIMIT);
        assertThat(atLimit.key()).isNull();

        ConsumerRecord<byte[], byte[]> longId = byWhat.get("400 KB JSON, 400,000-char vmId");
        DeadLetter l = DeadLetterSerializer.decode(longId.value());
        assertThat(l.getReason()).isEqualTo(DeadLetterReason.INVALID);
        assertThat(l.getMessage())
                .isEqualTo("vmId is 400000 characters long, more than the maximum of 256");
        assertThat(l.getVmId()).hasSize(Rejected.ID_CAP).startsWith("vvvv").endsWith("chars)");
        assertThat(new String(longId.key(), StandardCharsets.UTF_8)).isEqualTo(l.getVmId());
        assertThat(l.getPayload().remaining()).isEqualTo(Rejected.PAYLOAD_CAP);
        assertThat(l.getPayloadSize()).isGreaterThan(400_000L);
    }

    /** The job's restart count, read from the MiniCluster's REST API. */
    static long numRestarts(JobClient job) throws Exception {
        Configuration c = FLINK.getClientConfiguration();
        URI uri =
                URI.create(
                        "http://"
                                + c.get(RestOptions.ADDRESS)
                                + ":"
                                + c.get(RestOptions.PORT)
                                + "/jobs/"
                                + job.getJobID()
                                + "/metrics?get=numRestarts");
        HttpClient http = HttpClient.newHttpClient();
        Pattern value = Pattern.compile("\"value\"\\s*:\\s*\"(\\d+)\"");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body =
                    http.send(
                                    HttpRequest.newBuilder(uri).GET().build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            Matcher m = value.matcher(body);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no numRestarts from " + uri + ": " + body);
    }
}
