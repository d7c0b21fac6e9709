package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.testing.JobRest;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LogEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager lost while the job's exactly-once sink writes steadily: the recovery restores the
 * last checkpoint's transaction and commits it again. Its output is then read once under
 * read_committed, and the log says so: the restored transaction was committed before the failure
 * (or, if the TaskManager died between the checkpoint and its commit, is committed now), never the
 * connector's "this most likely signals data loss".
 */
class RecommitAfterFailoverITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** At 2 ms each, several seconds of output: every checkpoint interval has a transaction. */
    static final long RECORDS = 3000;

    static final String COMMITTED_BEFORE = "was committed before the failure, nothing lost";
    static final String STILL_OPEN = "is still open on the broker: committing it now";

    /** Slows the sequence down so that the sink writes in every checkpoint interval. */
    static final class Steady implements MapFunction<Long, Long> {
        @Override
        public Long map(Long n) throws InterruptedException {
            Thread.sleep(2);
            return n;
        }
    }

    @Test
    void aTaskManagerLossLeavesTheOutputOnceAndNoClaimOfDataLoss() throws Exception {
        String topic = KAFKA.freshTopic("recommit-after-failover", 1);
        JobConfig cfg =
                JobConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "kafka.transactional-id-prefix",
                                topic));
        Configuration conf = JobRest.clusterSettings();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));

        try (MiniCluster flink =
                        new MiniCluster(
                                new MiniClusterConfiguration.Builder()
                                        .setConfiguration(conf)
                                        .setNumTaskManagers(1)
                                        .setNumSlotsPerTaskManager(1)
                                        .build());
                LogEvents log =
                        LogEvents.capture(
                                Level.INFO, CheckedKafkaCommitter.class, KafkaCommitter.class)) {
            flink.start();
            TestStreamEnvironment.setAsContext(flink, 1);
            try {
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment();
                env.enableCheckpointing(200);
                env.fromSequence(0, RECORDS - 1)
                        .map(new Steady())
                        .sinkTo(
                                RightsizerJob.exactlyOnce(
                                        cfg,
                                        KAFKA.bootstrapServers(),
                                        "numbers",
                                        (Long n,
                                                KafkaRecordSerializationSchema.KafkaSinkContext c,
                                                Long ts) ->
                                                new ProducerRecord<>(
                                                        topic,
                                                        String.valueOf(n)
                                                                .getBytes(StandardCharsets.UTF_8))))
                        .name("numbers")
                        .uid("numbers-sink");
                JobClient job = env.executeAsync("recommit-after-failover");

                // A checkpoint completed and committed: the next ones commit as they complete.
                KAFKA.readCommitted(
                        topic, rs -> rs.size() >= 100, Duration.ofSeconds(60), Duration.ZERO);
                flink.terminateTaskManager(0).get();
                flink.startTaskManager();
                job.getJobExecutionResult().get();

                List<Long> read =
                        KAFKA
                                .readCommitted(
                                        topic,
                                        rs -> rs.size() >= RECORDS,
                                        Duration.ofSeconds(30),
                                        Duration.ofSeconds(1))
                                .stream()
                                .map(
                                        r ->
                                                Long.valueOf(
                                                        new String(
                                                                r.value(), StandardCharsets.UTF_8)))
                                .toList();
                assertThat(read)
                        .containsExactlyElementsOf(LongStream.range(0, RECORDS).boxed().toList());
            } finally {
                TestStreamEnvironment.unsetAsContext();
            }
            List<LogEvents.Line> lines = log.lines();
            lines.forEach(l -> System.out.println("recommit-after-failover: " + l));
            assertThat(lines)
                    .as("the restored transaction is said to be committed (or committed now)")
                    .hasSizeGreaterThanOrEqualTo(1)
                    .allSatisfy(
                            l -> {
                                assertThat(l.logger()).isEqualTo("CheckedKafkaCommitter");
                                assertThat(l.level()).isEqualTo("INFO");
                                assertThat(l.message()).containsAnyOf(COMMITTED_BEFORE, STILL_OPEN);
                            });
        }
    }
}
