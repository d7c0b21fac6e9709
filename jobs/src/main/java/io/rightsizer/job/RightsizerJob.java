package io.rightsizer.job;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.history.InfluxSettings;
import io.rightsizer.job.codec.ApprovalSchema;
import io.rightsizer.job.codec.DecisionDeserializer;
import io.rightsizer.job.codec.InventoryDeserializer;
import io.rightsizer.job.codec.KafkaSampleDeserializer;
import io.rightsizer.job.codec.RuleUpdateDeserializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.KafkaClientCheck;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.job.operators.RulesInForce;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.sizing.Sizing;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The live job: telemetry from Kafka, recommendations and dead letters to Kafka, exactly once.
 * {@link #main} is the entry point of the job jar for {@code flink run}; {@code rightsizer run}
 * calls {@link #define} on a local environment.
 */
public final class RightsizerJob {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(RightsizerJob.class);

    private RightsizerJob() {}

    /**
     * {@code flink run rightsizer-jobs-*-flink-job.jar [--config production.yaml]}. The job's keys
     * come from the file and from Flink's configuration ({@code rightsizer.<key>}, over the file);
     * the file and the rule, catalog and calendar files it names are read where this method runs
     * (the client for {@code flink run}, the JobManager in application mode) and their content is
     * shipped with the job graph: the TaskManagers read no file.
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        java.util.Map<String, String> flink = env.getConfiguration().toMap();
        JobConfig cfg = JobConfig.resolve(params.get("config"), flink);
        // Names only: values may be credentials.
        LOG.info(
                "job keys from Flink's configuration (over {}): {}",
                params.get("config", "no --config file"),
                new java.util.TreeSet<>(
                        flink.keySet().stream()
                                .filter(k -> k.startsWith(JobConfig.FLINK_KEY_PREFIX))
                                .toList()));
        KafkaClientCheck.Result clients =
                KafkaClientCheck.check(cfg, cfg.get(RightsizerOptions.BOOTSTRAP_SERVERS));
        if (!clients.ok()) {
            throw new JobConfig.InvalidConfigException(String.join("\n", clients.problems()));
        }
        if (clients.skipped() != null) {
            LOG.warn(clients.skipped());
        }
        configure(env, cfg);
        RuleSet rules = cfg.rules();
        define(
                env,
                cfg,
                rules,
                cfg.sizing(),
                cfg.timeLimits(),
                cfg.get(RightsizerOptions.BOOTSTRAP_SERVERS),
                false);
        LOG.info(
                "rightsizer {}: configuration {}, parallelism {} ({})",
                rules.version(),
                cfg.file(),
                env.getParallelism(),
                cfg.parallelism().isPresent() ? "the job's parallelism" : "Flink's");
        env.execute("rightsizer " + rules.version());
    }

    /** The parallelism of a local run whose configuration sets none. */
    public static final int LOCAL_PARALLELISM = 2;

    /**
     * The Flink configuration of a local run (a MiniCluster the process starts itself): the
     * job-level settings of {@link #configure}, at {@link #LOCAL_PARALLELISM} unless the file's
     * {@code parallelism} or {@code flink.parallelism.default} says otherwise.
     */
    public static Configuration flinkConfiguration(JobConfig cfg) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, LOCAL_PARALLELISM);
        conf.addAll(jobSettings(cfg));
        return conf;
    }

    /**
     * Flink settings the job sets on every run, wherever it runs: no generic types, object reuse,
     * the file's {@code flink.*} keys, and the parallelism only when the configuration sets it.
     */
    static Configuration jobSettings(JobConfig cfg) {
        Configuration conf = new Configuration();
        // Records are Avro or POJOs; a Kryo fallback would be a silent performance and
        // compatibility bug, so it fails the job graph instead.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.addAll(cfg.flinkConfiguration());
        cfg.parallelism().ifPresent(p -> conf.set(CoreOptions.DEFAULT_PARALLELISM, p));
        return conf;
    }

    /**
     * Local runs checkpoint to a directory: the JobManager's memory storage caps a task's state at
     * 5 MB, which a few thousand VMs exceed. Unless the config names one, a temporary directory is
     * used and deleted on exit.
     */
    public static void useLocalCheckpointDir(Configuration conf) throws java.io.IOException {
        if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            java.nio.file.Path dir =
                    java.nio.file.Files.createTempDirectory("rightsizer-checkpoints");
            dir.toFile().deleteOnExit();
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try (var files = java.nio.file.Files.walk(dir)) {
                                            files.sorted(java.util.Comparator.reverseOrder())
                                                    .forEach(f -> f.toFile().delete());
                                        } catch (java.io.IOException ignored) {
                                            // Best effort: it is a temporary directory.
                                        }
                                    }));
        }
    }

    public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
        env.configure(jobSettings(cfg));
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        // Otherwise Flink's: flink run -p, the cluster's parallelism.default.
        cfg.parallelism().ifPresent(env::setParallelism);
        env.enableCheckpointing(
                cfg.get(RightsizerOptions.CHECKPOINT_INTERVAL).toMillis(),
                CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Adds the live pipeline to {@code env}. With {@code bounded}, the source stops at the end
     * offsets it sees at start (a backfill that finishes); a backfill reads no rule updates, no
     * inventory and no decisions, whose topics never end.
     */
    public static void define(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            RuleSet rules,
            Sizing sizing,
            TimeLimits timeLimits,
            String bootstrapServers,
            boolean bounded) {
        define(env, cfg, rules, sizing, timeLimits, bootstrapServers, bounded, null);
    }

    /**
     * As above, writing the utilization history to {@code influxUrl} instead of {@code
     * influxdb.url} when it is not null (a local influxd on a port of its own).
     */
    public static void define(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            RuleSet rules,
            Sizing sizing,
            TimeLimits timeLimits,
            String bootstrapServers,
            boolean bounded,
            String influxUrl) {
        if (bounded && CollectorStage.boundedRunRefusal(cfg) != null) {
            throw new IllegalArgumentException(CollectorStage.boundedRunRefusal(cfg));
        }
        InfluxSettings history = cfg.history(influxUrl);
        // Before any sink is built: a registry that refuses the schema fails the start, not a
        // sink subtask over and over.
        int approvalSchemaId =
                ApprovalSchema.register(
                        cfg.get(RightsizerOptions.SCHEMA_REGISTRY_URL),
                        cfg.get(RightsizerOptions.RECOMMENDATIONS_TOPIC));
        String metricsTopic = cfg.get(RightsizerOptions.METRICS_TOPIC);
        // A backfill judges with the rule set in force when it starts, like a replay: when a
        // rule update would reach the operators relative to the samples is a matter of wall-clock
        // time, which must not decide a finite run's output.
        RuleSet judging = bounded ? RulesInForce.atStart(cfg, bootstrapServers, rules) : rules;
        RightsizerPipeline.Inputs inputs =
                RightsizerPipeline.Inputs.of(
                        source(cfg, bootstrapServers, bounded),
                        SampleWatermarks.forKafka(
                                cfg.get(RightsizerOptions.OUT_OF_ORDERNESS),
                                cfg.get(RightsizerOptions.IDLE_TIMEOUT),
                                cfg.get(RightsizerOptions.MAX_DRIFT)));
        if (!bounded) {
            inputs =
                    inputs.withRuleUpdates(ruleUpdatesSource(cfg, bootstrapServers))
                            .withInventory(
                                    sideInput(
                                            cfg,
                                            bootstrapServers,
                                            RightsizerOptions.INVENTORY_TOPIC,
                                            "-inventory",
                                            new InventoryDeserializer(
                                                    cfg.get(
                                                            RightsizerOptions
                                                                    .SCHEMA_REGISTRY_URL))))
                            .withDecisions(
                                    sideInput(
                                            cfg,
                                            bootstrapServers,
                                            RightsizerOptions.DECISIONS_TOPIC,
                                            "-decisions",
                                            new DecisionDeserializer(
                                                    cfg.get(RightsizerOptions.MAX_AHEAD).toMillis(),
                                                    cfg.get(
                                                            RightsizerOptions
                                                                    .SCHEMA_REGISTRY_URL))));
        }
        for (CollectorStage.Input c : CollectorStage.enabled(cfg, bootstrapServers)) {
            inputs = inputs.withCollector(c, cfg.get(RightsizerOptions.INVENTORY_WAIT));
        }
        RightsizerPipeline.defineWorkflow(
                env,
                inputs,
                new RightsizerPipeline.Settings(
                                judging,
                                cfg.get(RightsizerOptions.STATE_RETENTION),
                                metricsTopic,
                                // At parallelism 1 the whole job chains into one task (no
                                // shuffle): the effective one, wherever it came from.
                                env.getParallelism() == 1 ? 1 : 0,
                                sizing)
                        .withTimeLimits(timeLimits)
                        .withLifecycle(cfg.lifecycle())
                        .withDataQuality(cfg.get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER))
                        .withHistory(
                                history == null
                                        ? null
                                        : cfg.get(InfluxOptions.DEAD_LETTER_INTERVAL)),
                new LiveSinks(cfg, bootstrapServers, approvalSchemaId, history));
    }

    /**
     * A side input read from its earliest offset when the job has no state (the inventory is
     * compacted: reading it from the start rebuilds every VM's allocation; the decisions must all
     * be seen). Subscribed by pattern like the rules topic, so a missing topic does not fail the
     * job: it is found within {@link #RULES_DISCOVERY} of its creation.
     */
    static <T> KafkaSource<T> sideInput(
            JobConfig cfg,
            String bootstrap,
            org.apache.flink.configuration.ConfigOption<String> topic,
            String groupSuffix,
            KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaSource.<T>builder()
                .setProperties(cfg.kafkaProperties())
                .setBootstrapServers(bootstrap)
                .setTopicPattern(Pattern.compile(Pattern.quote(cfg.get(topic))))
                .setProperty(
                        "partition.discovery.interval.ms",
                        String.valueOf(RULES_DISCOVERY.toMillis()))
                .setGroupId(cfg.get(RightsizerOptions.GROUP_ID) + groupSuffix)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(deserializer)
                .build();
    }

    /**
     * The rules topic, always from its earliest offset when the job has no state: it is compacted
     * by version, so replaying it rebuilds the rule set in force.
     *
     * <p>Subscribed by pattern, so a missing rules topic does not fail the job: it runs with the
     * configured rule set and finds the topic within {@link #RULES_DISCOVERY} of its creation.
     */
    static final Duration RULES_DISCOVERY = Duration.ofSeconds(10);

    static KafkaSource<RuleUpdate> ruleUpdatesSource(JobConfig cfg, String bootstrap) {
        return sideInput(
                cfg,
                bootstrap,
                RightsizerOptions.RULES_TOPIC,
                "-rules",
                new RuleUpdateDeserializer());
    }

    /** The starting offsets of the telemetry and the collectors' topics. */
    static OffsetsInitializer startingOffsets(JobConfig cfg) {
        return switch (cfg.get(RightsizerOptions.STARTING_OFFSETS)) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    static KafkaSource<Ingested> source(JobConfig cfg, String bootstrap, boolean bounded) {
        OffsetsInitializer start = startingOffsets(cfg);
        KafkaSourceBuilder<Ingested> b =
                KafkaSource.<Ingested>builder()
                        .setProperties(cfg.kafkaProperties())
                        .setBootstrapServers(bootstrap)
                        .setTopics(cfg.get(RightsizerOptions.METRICS_TOPIC))
                        .setGroupId(cfg.get(RightsizerOptions.GROUP_ID))
                        .setStartingOffsets(start)
                        .setProperty("isolation.level", "read_committed")
                        .setDeserializer(
                                new KafkaSampleDeserializer(
                                        cfg.get(RightsizerOptions.MAX_AHEAD).toMillis(),
                                        cfg.get(RightsizerOptions.SCHEMA_REGISTRY_URL)));
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    static Properties producerProperties(JobConfig cfg) {
        Properties p = cfg.kafkaProperties();
        p.setProperty(
                "transaction.timeout.ms",
                String.valueOf(cfg.get(RightsizerOptions.TRANSACTION_TIMEOUT).toMillis()));
        return p;
    }

    /**
     * An exactly-once Kafka sink; {@code name} makes its transactional ids unique within the job
     * (the prefix from the configuration makes them unique on the cluster). Its committer checks on
     * the broker whether a transaction it recommits after a recovery was committed already, so the
     * failover log says what happened ({@link CheckedKafkaSink}). The transaction naming stays the
     * connector's default, INCREMENTING, which that check relies on.
     */
    static <T> CheckedKafkaSink<T> exactlyOnce(
            JobConfig cfg,
            String bootstrap,
            String name,
            KafkaRecordSerializationSchema<T> serializer) {
        Properties client = producerProperties(cfg);
        client.setProperty("bootstrap.servers", bootstrap);
        KafkaSink<T> sink =
                KafkaSink.<T>builder()
                        .setBootstrapServers(bootstrap)
                        .setKafkaProducerConfig(producerProperties(cfg))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(
                                cfg.get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                        .setRecordSerializer(serializer)
                        .build();
        return new CheckedKafkaSink<>(sink, client);
    }
}
