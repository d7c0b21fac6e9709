package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.config.JobConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/flink-cluster.example.yaml is a Flink 2 config.yaml that Flink itself loads, with only
 * current (not deprecated) Flink keys; the job example keeps only job-level Flink settings.
 */
class FlinkClusterExampleTest {
    static final Path CLUSTER = Path.of("..", "config", "flink-cluster.example.yaml");

    /** The holders of the options the example uses (and their neighbours). */
    static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    CoreOptions.class,
                    CheckpointingOptions.class,
                    StateBackendOptions.class,
                    StateRecoveryOptions.class,
                    RestartStrategyOptions.class,
                    MetricOptions.class,
                    PipelineOptions.class,
                    org.apache.flink.configuration.TaskManagerOptions.class,
                    org.apache.flink.state.rocksdb.RocksDBOptions.class);

    /** Options a reporter takes under metrics.reporter.NAME.: Flink's and the Prometheus one's. */
    static final Set<String> REPORTER_KEYS = Set.of("factory.class", "port", "interval");

    @TempDir Path tmp;

    private Configuration load() throws Exception {
        Files.copy(
                CLUSTER,
                tmp.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return GlobalConfiguration.loadConfiguration(tmp.toString());
    }

    @Test
    void flinkLoadsTheClusterExampleWithRocksDbAndIncrementalCheckpoints() throws Exception {
        Configuration conf = load();

        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        // Timers on the heap: measured (docs/performance.md, "A province on RocksDB").
        assertThat(conf.get(org.apache.flink.state.rocksdb.RocksDBOptions.TIMER_SERVICE_FACTORY))
                .isEqualTo(
                        org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend
                                .PriorityQueueStateType.HEAP);
        assertThat(conf.get(org.apache.flink.state.rocksdb.RocksDBOptions.USE_MANAGED_MEMORY))
                .isTrue();
        assertThat(
                        conf.get(
                                org.apache.flink.configuration.TaskManagerOptions
                                        .MANAGED_MEMORY_FRACTION))
                .isEqualTo(0.4f);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("s3://dc-flink/rightsizer/checkpoints");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .isEqualTo("s3://dc-flink/rightsizer/savepoints");
        assertThat(conf.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isEqualTo(3);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(
                        conf.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(8);
        assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(1024);
        assertThat(conf.toMap())
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.port", "9249-9260");
    }

    @Test
    void theClusterExampleUsesOnlyCurrentFlinkKeys() throws Exception {
        Set<String> current = new HashSet<>();
        Set<String> deprecated = new HashSet<>();
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    current.add(o.key());
                    for (FallbackKey k : o.fallbackKeys()) {
                        deprecated.add(k.getKey());
                    }
                }
            }
        }

        Set<String> unknown = new TreeSet<>();
        for (String key : load().keySet()) {
            String reporterOption = key.replaceFirst("^metrics\\.reporter\\.[^.]+\\.", "");
            boolean reporter = key.startsWith("metrics.reporter.");
            if (reporter ? !REPORTER_KEYS.contains(reporterOption) : !current.contains(key)) {
                unknown.add(key + (deprecated.contains(key) ? " (deprecated)" : ""));
            }
        }

        assertThat(unknown).isEmpty();
        assertThat(load().keySet())
                .containsExactlyInAnyOrder(
                        "metrics.reporter.prom.factory.class",
                        "metrics.reporter.prom.port",
                        "state.backend.type",
                        "execution.checkpointing.incremental",
                        "state.backend.rocksdb.timer-service.factory",
                        "state.backend.rocksdb.memory.managed",
                        "taskmanager.memory.managed.fraction",
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "execution.checkpointing.num-retained",
                        "restart-strategy.type",
                        "restart-strategy.exponential-delay.initial-backoff",
                        "restart-strategy.exponential-delay.max-backoff",
                        "restart-strategy.exponential-delay.backoff-multiplier",
                        "restart-strategy.exponential-delay.reset-backoff-threshold",
                        "parallelism.default",
                        "pipeline.max-parallelism");
    }

    @Test
    void theJobExampleLeavesEveryClusterSettingToTheCluster() throws Exception {
        JobConfig job = JobConfig.load(Path.of("..", "config", "production.example.yaml"));
        Set<String> jobFlinkKeys = job.flinkConfiguration().keySet();

        assertThat(jobFlinkKeys).containsExactly("execution.checkpointing.min-pause");
        assertThat(load().keySet()).doesNotContainAnyElementsOf(jobFlinkKeys);
    }
}
