package io.rightsizer.job;

import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Samples;
import io.rightsizer.testing.Scenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job end to end: a real broker, a MiniCluster at parallelism 2, telemetry in on four
 * partitions, recommendations and dead letters out exactly once, read with read_committed.
 */
class LiveJobITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    @TempDir Path tmp;

    @Test
    void recommendsExactlyOnceAndSendsBadInputToTheDeadLetterTopic() throws Exception {
        Topics t = freshTopics();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.addAll(Scenario.malformed());
        for (Sample s : Scenario.samples()) {
            records.add(raw(s.vmId, SampleCodec.encode(s)));
            if (s.vmId.equals("vm-disk") && s.timestamp == Scenario.S) {
                // A producer retry: ignored, not a dead letter.
                records.add(raw(s.vmId, SampleCodec.encode(s)));
            }
        }
        KAFKA.produce(t.metrics(), records);

        JobClient job = startLiveJob(t);
        try {
            List<Recommendation> recs = readRecommendations(t, Scenario.expected().size());
            assertThat(recs)
                    .extracting(r -> Scenario.key(r.getRuleId(), subject(r), at(r)))
                    .containsExactlyInAnyOrderElementsOf(Scenario.expected());
            assertThat(recs)
                    .allSatisfy(r -> assertThat(r.getRuleSetVersion()).isEqualTo("scenario-1"));

            // The watermark has passed the fifth week by now, so this sample is late.
            Sample late = Samples.running("vm-busy", "sys-a", Scenario.S + HOUR + MINUTE, 99);
            KAFKA.produce(t.metrics(), List.of(raw(late.vmId, SampleCodec.encode(late))));

            List<DeadLetter> dead = readDeadLetters(t, 4);
            assertThat(dead)
                    .extracting(DeadLetter::getReason, DeadLetter::getVmId)
                    .containsExactlyInAnyOrder(
                            tuple(DeadLetterReason.UNDECODABLE, null),
                            tuple(DeadLetterReason.UNDECODABLE, null),
                            tuple(DeadLetterReason.INVALID, "vm-bad"),
                            tuple(DeadLetterReason.LATE, "vm-busy"));
            assertThat(dead)
                    .filteredOn(d -> d.getReason() == DeadLetterReason.INVALID)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getMessage())
                                        .isEqualTo(
                                                "memoryUsedBytes 20 is greater than"
                                                        + " memoryTotalBytes 10");
                                assertThat(d.getSourceTopic()).isEqualTo(t.metrics());
                                assertThat(d.getSourceOffset()).isNotNull();
                            });
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void replayOfTheSameInputGivesTheSameRecommendations() throws Exception {
        Topics t = freshTopics();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Sample s : Scenario.samples()) {
            records.add(raw(s.vmId, SampleCodec.encode(s)));
            lines.add(RecordJson.toJson(s));
        }
        KAFKA.produce(t.metrics(), records);
        Path input = tmp.resolve("scenario.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);

        List<Recommendation> live;
        JobClient job = startLiveJob(t);
        try {
            live = readRecommendations(t, Scenario.expected().size());
        } finally {
            job.cancel().get();
        }
        ReplayJob.Result replay =
                ReplayJob.run(
                        Scenario.RULES,
                        RuleHarnesses.SIZING,
                        input,
                        2,
                        Duration.ofMinutes(5),
                        Duration.ofDays(42),
                        null,
                        new Configuration());

        live.sort(ReplayJob.ORDER);
        assertThat(replay.recommendations()).hasSize(Scenario.expected().size());
        assertThat(replay.recommendations()).containsExactlyElementsOf(live);
        assertThat(replay.deadLetters()).isEmpty();
    }

    private Topics freshTopics() throws Exception {
        return Topics.fresh(KAFKA, 4, 2);
    }

    @Test
    void atParallelismOneTheChainedJobRecommendsTheSame() throws Exception {
        Topics t = freshTopics();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Sample s : Scenario.samples()) {
            records.add(raw(s.vmId, SampleCodec.encode(s)));
        }
        KAFKA.produce(t.metrics(), records);

        JobClient job = startLiveJob(t, 1);
        try {
            assertThat(readRecommendations(t, Scenario.expected().size()))
                    .extracting(r -> Scenario.key(r.getRuleId(), subject(r), at(r)))
                    .containsExactlyInAnyOrderElementsOf(Scenario.expected());
        } finally {
            job.cancel().get();
        }
    }

    private JobClient startLiveJob(Topics t) throws Exception {
        return startLiveJob(t, 2);
    }

    private JobClient startLiveJob(Topics t, int parallelism) throws Exception {
        JobConfig cfg =
                LiveJobs.config(
                        KAFKA,
                        t,
                        Map.of(
                                "checkpoint.interval",
                                "300 ms",
                                // Five VMs may leave one of the four partitions empty; it
                                // must not hold the watermark back for the default minute.
                                "source.idle-timeout",
                                "5 s",
                                "parallelism",
                                String.valueOf(parallelism)));
        return LiveJobs.start(KAFKA, cfg, Scenario.RULES, "live-job-it", null);
    }

    private List<Recommendation> readRecommendations(Topics t, int expected) {
        return KAFKA.readCommitted(
                t.recommendations(),
                r -> {
                    Recommendation rec = RecommendationSerializer.decode(r.value());
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(subject(rec));
                    return rec;
                },
                expected,
                Duration.ofSeconds(120),
                Duration.ofSeconds(2));
    }

    private List<DeadLetter> readDeadLetters(Topics t, int expected) {
        return KAFKA.readCommitted(
                t.deadLetters(),
                r -> DeadLetterSerializer.decode(r.value()),
                expected,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1));
    }

    private static String subject(Recommendation r) {
        return r.getVmId() != null ? r.getVmId() : r.getSystemId();
    }

    private static long at(Recommendation r) {
        return r.getFiredAt().toEpochMilli();
    }
}
