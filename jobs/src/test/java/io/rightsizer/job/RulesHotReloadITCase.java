package io.rightsizer.job;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Samples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload end to end on a real broker and a MiniCluster at parallelism 2: a rule set published
 * mid-stream judges the next weeks, invalid and older ones are rejected and reported, and the rule
 * set in force survives a stop with savepoint and a restart.
 *
 * <p>Each phase waits for an output that proves the previous one was processed: a recommendation
 * fired by a later sample of the same VM (so the week before it was already judged), or a status
 * record read with read_committed (committed only by a checkpoint that every parallel instance took
 * after processing the update).
 */
class RulesHotReloadITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final String VM = "vm-a";
    static final String SYSTEM = "sys-a";
    static final long WEEK = 7 * DAY;
    static final long W1 = MON_2026_03_02;
    static final long W2 = W1 + WEEK;
    static final long W3 = W2 + WEEK;
    static final long W4 = W3 + WEEK;
    static final long W5 = W4 + WEEK;
    static final String WEEKLY = "scale-up.memory.weekly-average";
    static final String STORAGE = "scale-up.storage.usage";

    @TempDir Path tmp;

    static String ruleFile(String version, int averageAbovePct) {
        return RuleFiles.weeklyAnyHour(version, averageAbovePct);
    }

    static final RuleSet CONFIGURED = parse(ruleFile("2026.11.0", 70));

    static RuleSet parse(String yaml) {
        return RuleFiles.parse(yaml);
    }

    @Test
    void aPublishedRuleSetJudgesTheNextWeeksRejectsAreReportedAndARestartKeepsIt()
            throws Exception {
        Topics t = Topics.freshWithRules(KAFKA, 2, 1);

        // Week 1 at 65 %: not above the configured 70 %. The first sample of week 2 fills the
        // disk, so its storage recommendation proves week 1 was judged (by 2026.11.0).
        List<Sample> phase1 = hours(W1, W2, 65);
        phase1.add(Samples.withStorage(Samples.running(VM, SYSTEM, W2, 65), 75));
        phase1.add(Samples.running(VM, SYSTEM, W2 + HOUR, 65));
        produce(t, phase1);

        JobClient job = start(t, null);
        try {
            assertThat(recommendations(t, 1))
                    .extracting(Recommendation::getRuleId, Recommendation::getRuleSetVersion)
                    .containsExactly(tuple(STORAGE, "2026.11.0"));

            publish(t, "2026.12.0", ruleFile("2026.12.0", 60));
            assertThat(status(t, 1))
                    .extracting(RuleSetStatus::getOutcome, RuleSetStatus::getInForceVersion)
                    .containsExactly(tuple(RuleUpdateOutcome.ACCEPTED, "2026.12.0"));

            // Week 2, also at 65 %, closes under the published 60 %.
            List<Sample> phase2 = hours(W2 + 2 * HOUR, W3, 65);
            phase2.add(Samples.running(VM, SYSTEM, W3, 65));
            phase2.add(Samples.running(VM, SYSTEM, W3 + HOUR, 65));
            produce(t, phase2);
            List<Recommendation> afterUpdate = recommendations(t, 2);
            assertThat(afterUpdate.get(1))
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getRuleSetVersion,
                            r -> r.getFiredAt().toEpochMilli())
                    .containsExactly(WEEKLY, "2026.12.0", W3);
            // 65 % of 16 GiB in whole bytes.
            assertThat(afterUpdate.get(1).getEvidence().getWeeklyAveragePct())
                    .isCloseTo(65.0, within(1e-6));

            // An invalid file and an older version: both rejected, 2026.12.0 stays in force.
            publish(t, "2026.12.1", ruleFile("2026.12.1", 170));
            publish(t, "2026.10.0", ruleFile("2026.10.0", 90));
            List<RuleSetStatus> decisions = status(t, 3);
            assertThat(decisions)
                    .extracting(
                            RuleSetStatus::getOutcome,
                            RuleSetStatus::getVersion,
                            RuleSetStatus::getPreviousVersion,
                            RuleSetStatus::getInForceVersion)
                    .containsExactly(
                            tuple(
                                    RuleUpdateOutcome.ACCEPTED,
                                    "2026.12.0",
                                    "2026.11.0",
                                    "2026.12.0"),
                            tuple(
                                    RuleUpdateOutcome.REJECTED,
                                    "2026.12.1",
                                    "2026.12.0",
                                    "2026.12.0"),
                            tuple(
                                    RuleUpdateOutcome.REJECTED,
                                    "2026.10.0",
                                    "2026.12.0",
                                    "2026.12.0"));
            assertThat(decisions.get(1).getReason())
                    .isEqualTo(
                            "the rule file fails validation (1 problem):\n"
                                    + "rule set 2026.12.1:6:24:"
                                    + " scale-up.memory.weekly-average.average-above-pct is 170:"
                                    + " a percentage must be from 0 to 100");
            assertThat(decisions.get(2).getReason())
                    .startsWith("version '2026.10.0' is older than the version in force");

            List<Sample> phase3 = hours(W3 + 2 * HOUR, W4, 65);
            phase3.add(Samples.running(VM, SYSTEM, W4, 65));
            phase3.add(Samples.running(VM, SYSTEM, W4 + HOUR, 65));
            produce(t, phase3);
            assertThat(recommendations(t, 3).get(2))
                    .extracting(
                            Recommendation::getRuleSetVersion, r -> r.getFiredAt().toEpochMilli())
                    .containsExactly("2026.12.0", W4);
        } catch (Throwable e) {
            job.cancel().get();
            throw e;
        }

        // Stop with a savepoint (no drain: event time must not jump to the end) and restart with
        // the same configuration, whose rule set is still 2026.11.0.
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                tmp.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        JobClient restarted = start(t, savepoint);
        try {
            List<Sample> phase4 = hours(W4 + 2 * HOUR, W5, 65);
            phase4.add(Samples.running(VM, SYSTEM, W5, 65));
            phase4.add(Samples.running(VM, SYSTEM, W5 + HOUR, 65));
            produce(t, phase4);
            List<Recommendation> all = recommendations(t, 4);
            assertThat(all)
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getRuleSetVersion,
                            r -> r.getFiredAt().toEpochMilli())
                    .containsExactly(
                            tuple(STORAGE, "2026.11.0", W2),
                            tuple(WEEKLY, "2026.12.0", W3),
                            tuple(WEEKLY, "2026.12.0", W4),
                            tuple(WEEKLY, "2026.12.0", W5));
            // The restored job resumed after the updates it had read: no decision twice.
            assertThat(status(t, 3)).hasSize(3);
        } finally {
            restarted.cancel().get();
        }
    }

    /** Hourly samples of the VM at {@code pct} % memory in [from, to). */
    static List<Sample> hours(long from, long to, double pct) {
        List<Sample> out = new ArrayList<>();
        for (long ts = from; ts < to; ts += HOUR) {
            out.add(Samples.running(VM, SYSTEM, ts, pct));
        }
        return out;
    }

    static void produce(Topics t, List<Sample> samples) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Sample s : samples) {
            records.add(
                    new ProducerRecord<>(
                            t.metrics(),
                            s.vmId.getBytes(StandardCharsets.UTF_8),
                            SampleCodec.encode(s)));
        }
        KAFKA.produce(t.metrics(), records);
    }

    static void publish(Topics t, String version, String document) {
        byte[] value =
                RuleEnvelopes.encode(
                        RuleEnvelopes.envelope(
                                document,
                                version,
                                "ops@example",
                                Instant.parse("2026-11-26T09:00:00Z")));
        KAFKA.produce(
                t.rules(),
                List.of(
                        new ProducerRecord<>(
                                t.rules(), version.getBytes(StandardCharsets.UTF_8), value)));
    }

    JobClient start(Topics t, String savepoint) throws Exception {
        JobConfig cfg =
                LiveJobs.config(
                        KAFKA,
                        t,
                        Map.of(
                                "checkpoint.interval",
                                "300 ms",
                                // Each VM lives on one of the two partitions; the empty one must
                                // not hold the watermark back for the default minute.
                                "source.idle-timeout",
                                "2 s",
                                "parallelism",
                                "2"));
        return LiveJobs.start(KAFKA, cfg, CONFIGURED, "rules-hot-reload-it", savepoint);
    }

    static List<Recommendation> recommendations(Topics t, int expected) {
        List<Recommendation> out =
                KAFKA.readCommitted(
                        t.recommendations(),
                        r -> RecommendationSerializer.decode(r.value()),
                        expected,
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(1));
        assertThat(out).hasSize(expected);
        return out;
    }

    static List<RuleSetStatus> status(Topics t, int expected) {
        return KAFKA.readCommitted(
                t.status(),
                RulesHotReloadITCase::statusKeyedByItsVersion,
                expected,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1));
    }

    static RuleSetStatus statusKeyedByItsVersion(ConsumerRecord<byte[], byte[]> r) {
        RuleSetStatus s;
        try {
            s = RuleSetStatus.getDecoder().decode(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.getVersion());
        return s;
    }
}
