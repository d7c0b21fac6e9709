package io.rightsizer.job;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static io.rightsizer.testing.Samples.SHANGHAI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Samples;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Savepoint compatibility, as Flink's own migration tests do it: every release checks in a
 * savepoint of the live job (RightsizerJob.define: the same uids, Kafka sources and sinks) taken
 * mid-way through a small fleet, under {@code src/test/resources/savepoints/<release>/}, and this
 * test restores every one of them with the current code.
 *
 * <p>The scenario (part of the format: a release that needs another adds a new test): the job
 * starts with rule set 2026.11.0 (weekly average above 70 %), 2026.12.0 (above 60 %) is published
 * on the rules topic and accepted; vm-busy at 75 % fires the weekly average at W2 (an OPEN
 * recommendation whose reminder is due 14 days later); vm-stopped stops on W1 + 1 day (an inactive
 * spell whose 3 months end on 2026-06-03). The savepoint is taken at W3, before the reminder and
 * the spell's end. After the restore, on a fresh broker: the reminder is the stored recommendation
 * with {@code reminder} = true; vm-late at 65 % fires under 2026.12.0, still in force; the spell
 * fires at exactly its end.
 *
 * <p>Kafka: the savepoint holds topic names, offsets and the sinks' transactional ids of the broker
 * it was taken on. The generator waits until the job has consumed every record and committed its
 * output, so the savepoint holds no pending transaction, and records each partition's end offset
 * ({@code topics.properties}); the restore creates the same topics on a fresh broker and fills each
 * partition up to that offset with records the restored sources never read.
 *
 * <p>Generate (once per release, then commit the directory):
 *
 * <pre>
 * mvn -B -pl jobs -am test -Dtest=SavepointGenerator -Dgenerate.savepoint=RELEASE \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SavepointCompatibilityITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final Path SAVEPOINTS = Path.of("src", "test", "resources", "savepoints");
    static final String GENERATE = "generate.savepoint";

    static final long W1 = MON_2026_03_02;
    static final long W2 = W1 + 7 * DAY;
    static final long W3 = W2 + 7 * DAY;
    static final long W4 = W3 + 7 * DAY;
    static final long W5 = W4 + 7 * DAY;
    static final long W7 = W5 + 14 * DAY;

    static final String BUSY = "vm-busy";
    static final String STOPPED = "vm-stopped";
    static final String LATE = "vm-late";

    /** vm-stopped's inactive spell: its first STOPPED sample, and 3 calendar months later. */
    static final long SPELL_START = W1 + DAY;

    static final long SPELL_END =
            Instant.ofEpochMilli(SPELL_START)
                    .atZone(SHANGHAI)
                    .plusMonths(3)
                    .toInstant()
                    .toEpochMilli();

    static final RuleSet CONFIGURED = RuleFiles.parse(RuleFiles.weeklyAnyHour("2026.11.0", 70));
    static final String PUBLISHED = "2026.12.0";

    /** Fixed names: the savepoint's sources and sinks refer to them. */
    static final Map<String, String> TOPICS =
            Map.of(
                    "kafka.topics.metrics", "sp-vm-metrics",
                    "kafka.topics.recommendations", "sp-recommendations",
                    "kafka.topics.dead-letters", "sp-dead-letters",
                    "kafka.topics.rules", "sp-rules",
                    "kafka.topics.rules-status", "sp-rules-status",
                    "kafka.topics.inventory", "sp-inventory",
                    "kafka.topics.decisions", "sp-decisions",
                    "kafka.topics.recommendation-events", "sp-recommendation-events",
                    "kafka.topics.notices", "sp-notices");

    static final String GROUP = "savepoint-compat";

    @TempDir Path tmp;

    static Stream<Path> savepoints() throws IOException {
        try (Stream<Path> dirs = Files.list(SAVEPOINTS)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @Test
    void everyReleaseHasItsSavepointCheckedIn() throws IOException {
        assertThat(savepoints().map(d -> d.getFileName().toString())).contains("0.1.0", "0.2.0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("savepoints")
    void theSpellFiresOnTimeRemindersResendTheStoredRecommendationsAndThePublishedRulesStay(
            Path release) throws Exception {
        List<Recommendation> sent = readSent(release.resolve("sent.hex"));
        assertThat(sent)
                .extracting(Recommendation::getRecommendationId, Recommendation::getRuleSetVersion)
                .containsExactly(
                        tuple(Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY, W2), PUBLISHED));
        Path savepoint = tmp.resolve("savepoint");
        copy(release.resolve("savepoint"), savepoint);

        KafkaBroker kafka = new KafkaBroker();
        kafka.beforeAll(null);
        try {
            createTopics(kafka);
            refill(kafka, release.resolve("topics.properties"));
            JobClient job = start(kafka, savepoint.toUri().toString());
            try {
                produce(kafka, phase2());
                List<Recommendation> out = approvals(kafka, 4);
                Recommendation busy = sent.get(0);
                assertThat(out.get(0))
                        .isEqualTo(Recommendation.newBuilder(busy).setReminder(true).build());
                assertThat(out)
                        .extracting(
                                Recommendation::getRecommendationId,
                                Recommendation::getRuleId,
                                Recommendation::getVmId,
                                r -> r.getFiredAt().toEpochMilli(),
                                Recommendation::getRuleSetVersion,
                                Recommendation::getReminder)
                        .containsExactly(
                                tuple(
                                        busy.getRecommendationId(),
                                        Rule.WEEKLY_AVERAGE.id(),
                                        BUSY,
                                        W2,
                                        PUBLISHED,
                                        true),
                                tuple(
                                        Recommendations.id(Rule.WEEKLY_AVERAGE, LATE, W5),
                                        Rule.WEEKLY_AVERAGE.id(),
                                        LATE,
                                        W5,
                                        PUBLISHED,
                                        false),
                                tuple(
                                        Recommendations.id(Rule.WEEKLY_AVERAGE, LATE, W5),
                                        Rule.WEEKLY_AVERAGE.id(),
                                        LATE,
                                        W5,
                                        PUBLISHED,
                                        true),
                                tuple(
                                        Recommendations.id(Rule.VM_INACTIVE, STOPPED, SPELL_END),
                                        Rule.VM_INACTIVE.id(),
                                        STOPPED,
                                        SPELL_END,
                                        PUBLISHED,
                                        false));
                assertThat(out.get(3).getEvidence().getInactiveSince())
                        .isEqualTo(Instant.ofEpochMilli(SPELL_START));
            } finally {
                job.cancel().get();
            }
        } finally {
            kafka.afterAll(null);
        }
    }

    // ------------------------------------------------------------------ the fleet

    /** W1 to W3 (exclusive), daily, in timestamp order. */
    static List<Sample> phase1() {
        List<Sample> out = new ArrayList<>();
        for (long ts = W1; ts < W3; ts += DAY) {
            out.add(Samples.running(BUSY, "sys-busy", ts, 75));
            out.add(
                    ts < SPELL_START
                            ? Samples.running(STOPPED, "sys-stopped", ts, 50)
                            : Samples.stopped(STOPPED, "sys-stopped", ts));
        }
        return out;
    }

    /** W3 to a week after the spell's end, daily; vm-late from W4. */
    static List<Sample> phase2() {
        List<Sample> out = new ArrayList<>();
        for (long ts = W3; ts < SPELL_END + 7 * DAY; ts += DAY) {
            out.add(Samples.stopped(STOPPED, "sys-stopped", ts));
            if (ts >= W4) {
                out.add(Samples.running(LATE, "sys-late", ts, 65));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the job and its topics

    static JobClient start(KafkaBroker kafka, String savepoint) throws Exception {
        Map<String, String> settings = new TreeMap<>(TOPICS);
        settings.put("lifecycle.enabled", "true");
        settings.put("kafka.group-id", GROUP);
        settings.put("checkpoint.interval", "300 ms");
        settings.put("source.idle-timeout", "2 s");
        settings.put("parallelism", "1");
        // Small state inline in _metadata: the checked-in savepoint is one relocatable file.
        settings.put("flink.execution.checkpointing.data-inline-threshold", "1 mb");
        LiveJobs.Topics t =
                new LiveJobs.Topics(
                        TOPICS.get("kafka.topics.metrics"),
                        TOPICS.get("kafka.topics.recommendations"),
                        TOPICS.get("kafka.topics.dead-letters"),
                        TOPICS.get("kafka.topics.rules"),
                        TOPICS.get("kafka.topics.rules-status"));
        return LiveJobs.start(
                kafka,
                LiveJobs.config(kafka, t, settings),
                CONFIGURED,
                "savepoint-compatibility-it",
                savepoint);
    }

    static void createTopics(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProps())) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : new TreeMap<>(TOPICS).values()) {
                topics.add(new NewTopic(t, 1, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    static void produce(KafkaBroker kafka, List<Sample> samples) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        String topic = TOPICS.get("kafka.topics.metrics");
        for (Sample s : samples) {
            records.add(
                    new ProducerRecord<>(
                            topic, s.vmId.getBytes(StandardCharsets.UTF_8), SampleCodec.encode(s)));
        }
        kafka.produce(topic, records);
    }

    static void publish(KafkaBroker kafka, String version, String document) {
        String topic = TOPICS.get("kafka.topics.rules");
        byte[] value =
                RuleEnvelopes.encode(
                        RuleEnvelopes.envelope(
                                document,
                                version,
                                "ops@example",
                                Instant.parse("2026-03-01T09:00:00Z")));
        kafka.produce(
                topic,
                List.of(
                        new ProducerRecord<>(
                                topic, version.getBytes(StandardCharsets.UTF_8), value)));
    }

    static List<Recommendation> approvals(KafkaBroker kafka, int expected) {
        List<Recommendation> out =
                kafka.readCommitted(
                        TOPICS.get("kafka.topics.recommendations"),
                        r -> RecommendationSerializer.decode(r.value()),
                        expected,
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(2));
        assertThat(out).hasSize(expected);
        return out;
    }

    /**
     * Until the job's consumer group has committed (on a completed checkpoint) the end offset of
     * every input partition: then the job has read everything and the savepoint's offsets are the
     * partitions' ends.
     */
    static void awaitConsumed(KafkaBroker kafka) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(kafka);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(kafka.clientProps())) {
            while (true) {
                Map<TopicPartition, Long> committed =
                        new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
                for (String suffix : List.of("", "-rules")) {
                    Map<TopicPartition, OffsetAndMetadata> m =
                            admin.listConsumerGroupOffsets(GROUP + suffix)
                                    .partitionsToOffsetAndMetadata()
                                    .get();
                    m.forEach((tp, o) -> committed.put(tp, o == null ? -1 : o.offset()));
                }
                String metrics = TOPICS.get("kafka.topics.metrics");
                String rules = TOPICS.get("kafka.topics.rules");
                TopicPartition m0 = new TopicPartition(metrics, 0);
                TopicPartition r0 = new TopicPartition(rules, 0);
                if (ends.get(m0).equals(committed.get(m0))
                        && ends.get(r0).equals(committed.get(r0))) {
                    return;
                }
                assertThat(System.nanoTime())
                        .as("inputs consumed: %s of %s", committed, ends)
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    static Map<TopicPartition, Long> endOffsets(KafkaBroker kafka) throws Exception {
        Map<TopicPartition, Long> out =
                new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        try (Admin admin = Admin.create(kafka.clientProps())) {
            Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
            for (String t : TOPICS.values()) {
                ask.put(new TopicPartition(t, 0), OffsetSpec.latest());
            }
            admin.listOffsets(ask).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }

    /** The input topics' end offsets (the outputs are written anew by the restored job). */
    static void writeEndOffsets(KafkaBroker kafka, Path file) throws Exception {
        Properties p = new Properties();
        Map<TopicPartition, Long> ends = endOffsets(kafka);
        for (String key :
                List.of(
                        "kafka.topics.metrics",
                        "kafka.topics.rules",
                        "kafka.topics.inventory",
                        "kafka.topics.decisions")) {
            TopicPartition tp = new TopicPartition(TOPICS.get(key), 0);
            p.setProperty(tp.toString(), String.valueOf(ends.get(tp)));
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "end offsets of the input partitions when the savepoint was taken");
        }
    }

    /**
     * Fills each input partition up to its offset in the savepoint: values the restored sources
     * never read, as they resume at that offset.
     */
    static void refill(KafkaBroker kafka, Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        for (String tp : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            int dash = tp.lastIndexOf('-');
            String topic = tp.substring(0, dash);
            int partition = Integer.parseInt(tp.substring(dash + 1));
            long n = Long.parseLong(p.getProperty(tp));
            List<ProducerRecord<byte[], byte[]>> fill = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                fill.add(new ProducerRecord<>(topic, partition, null, new byte[0]));
            }
            kafka.produce(topic, fill);
        }
    }

    static List<Recommendation> readSent(Path file) throws IOException {
        SingleObject.Reader<Recommendation> reader = SingleObject.reader(Recommendation.class);
        List<Recommendation> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(reader.read(HexFormat.of().parseHex(line.trim())));
            }
        }
        return out;
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                Path dst = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(f, dst);
                }
            }
        }
    }
}
