package io.rightsizer.bench;

import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.CatalogParser;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.telemetry.SampleCodec;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The live job and a bare consumer over one preloaded topic: the job's share of the hardware. */
final class LiveBench {
    static final String HISTORY_DATABASE = "bench";

    private LiveBench() {}

    static double bareConsumer(String bootstrap, String topic, long expected) {
        Properties p = TopicReader.properties(bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long t0 = System.nanoTime();
        long valid = 0;
        try (KafkaConsumer<byte[], byte[]> c = TopicReader.fromBeginning(p, topic)) {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            while (!TopicReader.atEnd(c, end)) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (SampleCodec.decode(r.value()).ok()) {
                        valid++;
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (valid != expected) {
            throw new IllegalStateException("consumer decoded " + valid + " of " + expected);
        }
        return valid / secs;
    }

    /** The job's settings for a run over {@code topic}; {@code influxUrl} null: no history. */
    static Map<String, String> settings(
            String bootstrap,
            String topic,
            int parallelism,
            String influxUrl,
            String transactionalIdPrefix,
            String checkpointInterval) {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap-servers", bootstrap);
        settings.put("kafka.topics.metrics", topic);
        settings.put("kafka.topics.recommendations", "bench-recommendations");
        settings.put("kafka.topics.dead-letters", "bench-dead-letters");
        settings.put("kafka.starting-offsets", "earliest");
        settings.put("kafka.transactional-id-prefix", transactionalIdPrefix);
        settings.put("checkpoint.interval", checkpointInterval);
        settings.put("parallelism", String.valueOf(parallelism));
        if (influxUrl != null) {
            settings.put("influxdb.enabled", "true");
            settings.put("influxdb.url", influxUrl);
            settings.put("influxdb.database", HISTORY_DATABASE);
        }
        return settings;
    }

    /**
     * The live job, bounded at the topic's end: samples/s over its net runtime. On {@code cluster},
     * or (null) on a local environment of its own started for this run: rounds on one cluster start
     * its RPC system once, not once a round, whose classes the JIT would compile again each time.
     */
    static double fullJob(
            ClusterRun cluster,
            String bootstrap,
            String topic,
            RuleSet rules,
            long samples,
            int parallelism,
            String influxUrl,
            String transactionalIdPrefix,
            String checkpointInterval)
            throws Exception {
        JobConfig cfg =
                JobConfig.of(
                        settings(
                                bootstrap,
                                topic,
                                parallelism,
                                influxUrl,
                                transactionalIdPrefix,
                                checkpointInterval));
        Configuration conf = flinkConfiguration(cfg);
        StreamExecutionEnvironment env =
                cluster == null
                        ? StreamExecutionEnvironment.createLocalEnvironment(conf)
                        : StreamExecutionEnvironment.getExecutionEnvironment(conf);
        RightsizerJob.configure(env, cfg);
        // A bounded run reads no inventory, so no time limits are watched.
        RightsizerJob.define(env, cfg, rules, shippedCatalog(), null, bootstrap, true);
        if (cluster == null) {
            JobExecutionResult r = env.execute("bench");
            return samples / (r.getNetRuntime() / 1000.0);
        }
        return samples / (cluster.awaitSuccess(cluster.submit(env.getStreamGraph())) / 1000.0);
    }

    /** The Flink configuration of a bench job (and of a cluster that runs bench jobs). */
    static Configuration flinkConfiguration(JobConfig cfg) throws java.io.IOException {
        Configuration conf = RightsizerJob.flinkConfiguration(cfg);
        RightsizerJob.useLocalCheckpointDir(conf);
        return conf;
    }

    /** A cluster for rounds of {@link #fullJob} with these settings. */
    static ClusterRun cluster(
            String bootstrap, String topic, int parallelism, String checkpointInterval)
            throws Exception {
        JobConfig cfg =
                JobConfig.of(
                        settings(bootstrap, topic, parallelism, null, "bench", checkpointInterval));
        return new ClusterRun(flinkConfiguration(cfg), parallelism);
    }

    /** The repository's catalog: the bench runs from the repository root, like the demo. */
    static Sizing shippedCatalog() throws Exception {
        return new Sizing(CatalogParser.parse(Paths.get("config/catalog.yaml")));
    }
}
