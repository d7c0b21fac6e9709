package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.operators.HoldingOperators;
import io.rightsizer.rules.RuleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the rules operators run: without rule updates (a replay) they are one-input operators
 * chained to their input, so a parallelism-1 replay is one task; the live job connects them to the
 * broadcast rule updates.
 */
class PipelineChainingTest {
    static final RuleSet RULES = RuleSet.defaults("chaining-test");

    @TempDir Path tmp;

    /** The replay's topology over a file in {@code tmp}. */
    static void defineReplay(StreamExecutionEnvironment env, Path tmp, RuleSet rules) {
        ReplayJob.define(
                env,
                rules,
                RuleHarnesses.SIZING,
                tmp.resolve("input.jsonl"),
                tmp.resolve("work"),
                Duration.ofMinutes(5),
                Duration.ofDays(42),
                null);
    }

    /** The live job's topology on {@code cfg}, reading rule updates. */
    static void defineLive(StreamExecutionEnvironment env, JobConfig cfg, RuleSet rules)
            throws Exception {
        RightsizerJob.define(
                env,
                cfg,
                rules,
                RuleHarnesses.SIZING,
                io.rightsizer.testing.Shipped.TIME_LIMITS,
                "127.0.0.1:1",
                false);
    }

    static List<String> vertexNames(StreamExecutionEnvironment env) {
        JobGraph graph = env.getStreamGraph().getJobGraph();
        return java.util.stream.StreamSupport.stream(graph.getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }

    @Test
    void aReplayAtParallelismOneRunsItsRulesInTheSourceTask() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(1);
        defineReplay(env, tmp, RULES);

        // The file sinks take the union of two streams, so they are tasks of their own.
        assertThat(vertexNames(env))
                .containsExactlyInAnyOrder(
                        "Source: telemetry -> route-samples -> samples-as-vm-input -> vm-rules"
                                + " -> system-rules",
                        "recommendations-file: Writer",
                        "dead-letters-file: Writer");
    }

    /** The operator class of the stream node named {@code name}. */
    static Class<?> operatorOf(StreamExecutionEnvironment env, String name) {
        return env.getStreamGraph(false).getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals(name))
                .map(
                        n ->
                                ((org.apache.flink.streaming.api.operators.SimpleOperatorFactory<?>)
                                                n.getOperatorFactory())
                                        .getOperator()
                                        .getClass())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theRulesOperatorsHoldTheirArrivalsInTheLiveJobAndInAReplay() throws Exception {
        JobConfig cfg = JobConfig.of(Map.of("kafka.bootstrap-servers", "127.0.0.1:1"));
        StreamExecutionEnvironment live = NoKryoTest.environment(cfg);
        defineLive(live, cfg, RULES);
        StreamExecutionEnvironment replay =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        defineReplay(replay, tmp, RULES);

        assertThat(operatorOf(live, "vm-rules")).isEqualTo(HoldingOperators.Broadcast.class);
        assertThat(operatorOf(replay, "vm-rules")).isEqualTo(HoldingOperators.Keyed.class);
        assertThat(operatorOf(live, "system-rules")).isEqualTo(HoldingOperators.Broadcast.class);
        assertThat(operatorOf(replay, "system-rules")).isEqualTo(HoldingOperators.Keyed.class);
    }

    @Test
    void theLiveJobReadsRuleUpdatesIntoBothRulesOperators() throws Exception {
        JobConfig cfg =
                JobConfig.of(Map.of("kafka.bootstrap-servers", "127.0.0.1:1", "parallelism", "2"));
        StreamExecutionEnvironment env = NoKryoTest.environment(cfg);
        defineLive(env, cfg, RULES);

        JobGraph graph = env.getStreamGraph().getJobGraph();
        JobVertex updates = null;
        for (JobVertex v : graph.getVertices()) {
            if (v.getName().contains("rule-updates")) {
                updates = v;
            }
        }
        assertThat(updates).isNotNull();
        assertThat(updates.getParallelism()).isEqualTo(1);
        // Broadcast to vm-rules and to system-rules.
        assertThat(updates.getProducedDataSets()).flatExtracting(d -> d.getConsumers()).hasSize(2);
    }

    @Test
    void theLiveJobRunsAtFlinksParallelismWhenItsConfigurationSetsNone() throws Exception {
        JobConfig cfg = JobConfig.of(Map.of("kafka.bootstrap-servers", "127.0.0.1:1"));
        for (int flinks : new int[] {1, 3}) {
            Configuration cluster = new Configuration();
            cluster.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, flinks);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(cluster);
            RightsizerJob.configure(env, cfg);
            RightsizerJob.define(
                    env,
                    cfg,
                    RULES,
                    RuleHarnesses.SIZING,
                    io.rightsizer.testing.Shipped.TIME_LIMITS,
                    "127.0.0.1:1",
                    false);

            JobGraph graph = env.getStreamGraph().getJobGraph();
            List<Integer> telemetry =
                    java.util.stream.StreamSupport.stream(graph.getVertices().spliterator(), false)
                            .filter(v -> v.getName().startsWith("Source: telemetry"))
                            .map(JobVertex::getParallelism)
                            .toList();
            assertThat(telemetry).containsExactly(flinks);
        }
    }
}
