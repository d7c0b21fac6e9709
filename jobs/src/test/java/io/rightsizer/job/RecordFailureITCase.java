package io.rightsizer.job;

import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.cli.JobWatch;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live job meets a record that passes every check of its deserializer and still fails in
 * vm-rules (docs/failures.md): it becomes one FAILED dead letter, the job does not restart (its
 * numRestarts, read from the job's REST API, stays 0) and judges the rest of the telemetry.
 */
class RecordFailureITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /**
     * As {@link LiveJobs#miniCluster()}, with the REST API's metrics fetched every 200 ms instead
     * of every 10 s, so the job's metrics are read soon after they move.
     */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(
                                    new Configuration()
                                            .set(
                                                    MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL,
                                                    Duration.ofMillis(200)))
                            .build());

    /**
     * A valid inventory record whose temporary resource starts a day before the end of Java's
     * millisecond time: its six-month time limit overflows a long in vm-rules
     * (ArithmeticException), which nobody foresaw.
     */
    static VmAllocation overflowing() {
        long from = Long.MAX_VALUE - Duration.ofDays(1).toMillis();
        return Allocations.active("vm-poison", "sys-poison")
                .setTemporaryResource(Allocations.resource(from, Long.MAX_VALUE))
                .build();
    }

    static String rest() {
        Configuration c = FLINK.getClientConfiguration();
        return "http://" + c.get(RestOptions.ADDRESS) + ":" + c.get(RestOptions.PORT);
    }

    @Test
    void aRecordThatFailsInVmRulesIsAFailedDeadLetterAndTheJobNeverRestarts() throws Exception {
        Topics t = Topics.fresh(KAFKA, 2, 1);
        String inventory = KAFKA.freshTopic("vm-inventory", 1);
        KAFKA.produce(
                inventory,
                List.of(
                        raw(
                                "vm-poison",
                                SingleObject.encode(VmAllocation.getEncoder(), overflowing()))));
        List<ProducerRecord<byte[], byte[]>> samples = new ArrayList<>();
        for (var s : Scenario.samples()) {
            samples.add(raw(s.vmId, SampleCodec.encode(s)));
        }
        KAFKA.produce(t.metrics(), samples);

        JobConfig cfg =
                LiveJobs.config(
                        KAFKA,
                        t,
                        Map.of(
                                "kafka.topics.inventory", inventory,
                                "checkpoint.interval", "300 ms",
                                "source.idle-timeout", "5 s",
                                "parallelism", "2"));
        JobClient job = LiveJobs.start(KAFKA, cfg, Scenario.RULES, "record-failure-it", null);
        try {
            List<DeadLetter> dead =
                    KAFKA.readCommitted(
                            t.deadLetters(),
                            r -> DeadLetterSerializer.decode(r.value()),
                            1,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1));
            // Named by its coordinates on the inventory topic, as a telemetry letter is.
            assertThat(dead)
                    .extracting(
                            DeadLetter::getReason,
                            DeadLetter::getVmId,
                            DeadLetter::getSourceTopic,
                            DeadLetter::getSourcePartition,
                            DeadLetter::getSourceOffset)
                    .containsExactly(tuple(DeadLetterReason.FAILED, "vm-poison", inventory, 0, 0L));
            assertThat(dead.get(0).getMessage())
                    .startsWith(
                            "vm-rules: inventory record of vm-poison:"
                                    + " java.lang.ArithmeticException: long overflow\n\tat ");

            // The telemetry around it is judged as without it.
            List<Recommendation> recs =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            r -> RecommendationSerializer.decode(r.value()),
                            Scenario.expected().size(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1));
            assertThat(recs)
                    .extracting(
                            r ->
                                    Scenario.key(
                                            r.getRuleId(),
                                            r.getVmId() != null ? r.getVmId() : r.getSystemId(),
                                            r.getFiredAt().toEpochMilli()))
                    .containsExactlyInAnyOrderElementsOf(Scenario.expected());

            // Read from the job, not inferred: no restart, one failed record.
            JobWatch watch = new JobWatch(rest(), job.getJobID().toHexString());
            JobWatch.Health h = watch.poll();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((h.restarts() < 0 || h.recordsFailed() < 1) && System.nanoTime() < deadline) {
                // The REST API serves metrics from a cache it fills asynchronously.
                Thread.sleep(100);
                h = watch.poll();
            }
            assertThat(h.restarts()).isEqualTo(0);
            assertThat(h.lastFailure()).isNull();
            assertThat(h.recordsFailed()).isEqualTo(1);
            assertThat(h.failedIn()).containsEntry("vm-rules", 1L);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            // What `rightsizer run` prints about it.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            watch.report(
                    new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(
                            "run: 1 record failed unforeseen in vm-rules (1) and went to the dead"
                                    + " letters as FAILED (1 since the job started); the job goes"
                                    + " on"
                                    + System.lineSeparator());
        } finally {
            job.cancel().get();
        }
    }

    /** Fails its first attempt, then runs until cancelled. */
    static final class FailsOnce
            extends org.apache.flink.api.common.functions.RichMapFunction<Long, Long> {
        @Override
        public Long map(Long x) {
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                throw new IllegalStateException("first attempt fails");
            }
            return x;
        }
    }

    @Test
    void runPrintsTheRestartsAndTheLastFailuresFirstLine() throws Exception {
        Configuration conf = new Configuration();
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY,
                "fixed-delay");
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions
                        .RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                3);
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions
                        .RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(100));
        var env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE)
                .map(new FailsOnce())
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        JobClient job = env.executeAsync("fails-once");
        try {
            JobWatch watch = new JobWatch(rest(), job.getJobID().toHexString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintWriter print =
                    new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                watch.report(print);
            }

            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(
                            "run: the job restarted (1 restart since it started); last failure:"
                                    + " java.lang.IllegalStateException: first attempt fails"
                                    + System.lineSeparator());
            // Nothing changed since: the next report prints nothing.
            watch.report(print);
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
        } finally {
            job.cancel().get();
        }
    }
}
