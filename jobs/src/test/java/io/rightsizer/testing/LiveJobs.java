package io.rightsizer.testing;

import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.rules.RuleSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The live job ({@link RightsizerJob}) in an end-to-end test: on the test's broker, its own fresh
 * topics, and the MiniCluster the test registers.
 */
public final class LiveJobs {
    private LiveJobs() {}

    /**
     * The topics of one test. {@code rules} and {@code status} are null where the test leaves the
     * job its default rule topics.
     */
    public record Topics(
            String metrics,
            String recommendations,
            String deadLetters,
            String rules,
            String status) {

        /**
         * Fresh telemetry, recommendation and dead-letter topics; one partition of dead letters.
         */
        public static Topics fresh(
                KafkaBroker kafka, int metricsPartitions, int recommendationPartitions)
                throws Exception {
            return new Topics(
                    kafka.freshTopic("vm-metrics", metricsPartitions),
                    kafka.freshTopic("rightsizing-recommendations", recommendationPartitions),
                    kafka.freshTopic("rightsizing-dead-letters", 1),
                    null,
                    null);
        }

        /** As {@link #fresh}, with fresh rules and rules-status topics of one partition each. */
        public static Topics freshWithRules(
                KafkaBroker kafka, int metricsPartitions, int recommendationPartitions)
                throws Exception {
            Topics t = fresh(kafka, metricsPartitions, recommendationPartitions);
            return new Topics(
                    t.metrics(),
                    t.recommendations(),
                    t.deadLetters(),
                    kafka.freshTopic("rightsizing-rules", 1),
                    kafka.freshTopic("rightsizing-rules-status", 1));
        }
    }

    /** A MiniCluster of one task manager with two slots: room for the job at parallelism 2. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /**
     * The settings of a live job that reads one collector ({@code collectd}, {@code telegraf}) from
     * {@code topic} with the inventory on {@code inventory}, tuned so its samples are assembled and
     * judged within seconds: checkpoints every 500 ms, no out-of-orderness, a 1 s inventory wait.
     */
    public static Map<String, String> collectorSettings(
            String inventory, String collector, String topic) {
        Map<String, String> settings = new HashMap<>();
        settings.put("checkpoint.interval", "500 ms");
        settings.put("source.idle-timeout", "1 s");
        settings.put("watermark.out-of-orderness", "0 s");
        settings.put("kafka.topics.inventory", inventory);
        settings.put("ingest." + collector + ".enabled", "true");
        settings.put("ingest." + collector + ".topic", topic);
        settings.put("ingest.inventory-wait", "1 s");
        return settings;
    }

    /**
     * The live job's configuration: the broker at {@code kafka}, the topics {@code t}, the earliest
     * starting offsets, the metrics topic (unique to the test) as transactional-id prefix, no
     * approval lifecycle, no data-quality watch, and {@code settings} (flat keys, such as {@code
     * checkpoint.interval} or {@code parallelism}).
     */
    public static JobConfig config(KafkaBroker kafka, Topics t, Map<String, String> settings)
            throws Exception {
        Map<String, String> values = new HashMap<>();
        // These tests check the rules' firings (what a replay reports), so the approval lifecycle
        // is off unless a test turns it on; ApprovalLoopITCase does.
        values.put("lifecycle.enabled", "false");
        // Likewise the data-quality watch: its events go to a topic these tests do not create.
        values.put("data-quality.silence-after", "0 s");
        // The two slots of miniCluster(), whatever the test's MiniCluster would default to.
        values.put("parallelism", "2");
        values.putAll(settings);
        values.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        values.put("kafka.topics.metrics", t.metrics());
        values.put("kafka.topics.recommendations", t.recommendations());
        values.put("kafka.topics.dead-letters", t.deadLetters());
        if (t.rules() != null) {
            values.put("kafka.topics.rules", t.rules());
        }
        if (t.status() != null) {
            values.put("kafka.topics.rules-status", t.status());
        }
        values.put("kafka.starting-offsets", "earliest");
        values.put("kafka.transactional-id-prefix", t.metrics());
        return JobConfig.of(values);
    }

    /**
     * Starts the live job of {@code cfg} under the name {@code jobName}, with {@code rules} as the
     * rule set of its configuration; restored from {@code savepoint} unless that is null.
     */
    public static JobClient start(
            KafkaBroker kafka, JobConfig cfg, RuleSet rules, String jobName, String savepoint)
            throws Exception {
        return start(kafka.bootstrapServers(), cfg, rules, jobName, savepoint);
    }

    /**
     * As {@link #start(KafkaBroker, JobConfig, RuleSet, String, String)}, on the brokers at {@code
     * bootstrap} (any brokers, which may be down, or nowhere).
     */
    public static JobClient start(
            String bootstrap, JobConfig cfg, RuleSet rules, String jobName, String savepoint)
            throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        RightsizerJob.configure(env, cfg);
        RightsizerJob.define(
                env, cfg, rules, Shipped.SIZING, Shipped.TIME_LIMITS, bootstrap, false);
        return env.executeAsync(jobName);
    }
}
