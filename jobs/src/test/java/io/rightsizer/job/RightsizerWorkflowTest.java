package io.rightsizer.job;

import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static io.rightsizer.testing.Samples.running;
import static io.rightsizer.testing.Samples.withStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleUpdates;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Shipped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole topology through {@link RightsizerPipeline#defineWorkflow}, as the Flink cookbook tests
 * a job: in-memory sources, in-memory sinks, a MiniCluster, no broker. Fast enough to run on every
 * change ({@code mvn test}); the same workflow on Kafka is {@code LiveJobITCase}.
 *
 * <p>Three VMs over two weeks and a day, at parallelism 2 so that the samples cross the keyBy
 * shuffle: one busy (75 % memory, a weekly average above 70 %), one idle (20 %, weekly underuse),
 * one with a full disk (80 % storage); plus one record the decoder rejected, one sample behind the
 * watermark, and two rule updates on the broadcast input (one accepted, one refused), both with the
 * configured thresholds so that the firings do not depend on when the updates arrive.
 */
class RightsizerWorkflowTest {
    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final long W1 = MON_2026_03_02;
    static final long W2 = W1 + Duration.ofDays(7).toMillis();
    static final long W3 = W2 + Duration.ofDays(7).toMillis();
    static final long FIVE_MINUTES = Duration.ofMinutes(5).toMillis();

    static final String CONFIGURED = RuleFiles.weeklyAnyHour("2026.11.0", 70);
    static final String PUBLISHED = RuleFiles.weeklyAnyHour("2026.12.0", 70);

    static List<Ingested> telemetry() {
        List<Ingested> in = new ArrayList<>();
        for (long t = W1; t <= W3 + Duration.ofHours(1).toMillis(); t += FIVE_MINUTES) {
            in.add(Ingested.of(running("vm-busy", "sys-a", t, 75)));
            in.add(Ingested.of(running("vm-idle", "sys-a", t, 20)));
            in.add(Ingested.of(withStorage(running("vm-full", "sys-b", t, 50), 80)));
        }
        in.add(
                Ingested.rejected(
                        Rejected.of(
                                DeadLetterReason.UNDECODABLE,
                                "not a sample: test input",
                                new byte[] {1, 2, 3})));
        in.add(Ingested.of(running("vm-busy", "sys-a", W1 + FIVE_MINUTES / 2, 75)));
        return in;
    }

    static List<RuleUpdate> ruleUpdates() {
        return List.of(
                RuleUpdate.of("2026.12.0", "ops", W2, PUBLISHED, RuleUpdates.sha256Hex(PUBLISHED)),
                RuleUpdate.of(
                        "2026.12.1", "ops", W2, "version: [", RuleUpdates.sha256Hex("version: [")));
    }

    @SuppressWarnings("unchecked")
    static <T> DataGeneratorSource<T> inMemory(Class<T> type, List<T> elements) {
        TypeInformation<T> info = TypeInformation.of(type);
        T[] array = elements.toArray((T[]) java.lang.reflect.Array.newInstance(type, 0));
        return new DataGeneratorSource<>(
                new FromElementsGeneratorFunction<>(info, array), array.length, info);
    }

    /** The outputs, collected in memory. */
    static final class Collected implements RightsizerPipeline.Sinks {
        CloseableIterator<Recommendation> recommendations;
        CloseableIterator<Rejected> deadLetters;
        CloseableIterator<RuleSetStatus> ruleStatus;

        @Override
        public void recommendations(DataStream<Recommendation> s) {
            recommendations = s.collectAsync();
        }

        @Override
        public void deadLetters(DataStream<Rejected> s) {
            deadLetters = s.collectAsync();
        }

        @Override
        public void ruleStatus(DataStream<RuleSetStatus> s) {
            ruleStatus = s.collectAsync();
        }
    }

    static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void theWholeTopologyJudgesRejectsAndDecidesRuleUpdatesWithoutABroker() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RuleSet rules = RuleFiles.parse(CONFIGURED);
        Collected sinks = new Collected();
        RightsizerPipeline.defineWorkflow(
                env,
                RightsizerPipeline.Inputs.of(
                                inMemory(Ingested.class, telemetry()),
                                new SampleWatermarks(Duration.ofMinutes(5)))
                        .withRuleUpdates(inMemory(RuleUpdate.class, ruleUpdates())),
                new RightsizerPipeline.Settings(
                        rules, Duration.ofDays(42), "in-memory", 1, Shipped.SIZING),
                sinks);

        env.executeAsync("workflow-test");
        List<Recommendation> recommendations = drain(sinks.recommendations);
        List<Rejected> deadLetters = drain(sinks.deadLetters);
        List<RuleSetStatus> status = drain(sinks.ruleStatus);

        assertThat(recommendations)
                .extracting(
                        Recommendation::getVmId,
                        r -> r.getRuleId(),
                        Recommendation::getAction,
                        r -> r.getFiredAt().toEpochMilli())
                .containsExactlyInAnyOrder(
                        tuple("vm-busy", "scale-up.memory.weekly-average", Action.SCALE_UP, W2),
                        tuple("vm-busy", "scale-up.memory.weekly-average", Action.SCALE_UP, W3),
                        tuple("vm-idle", "reduce.memory.weekly-underuse", Action.SCALE_DOWN, W2),
                        tuple("vm-idle", "reduce.memory.weekly-underuse", Action.SCALE_DOWN, W3),
                        // The full disk fires again once a cooldown (7 days) has passed.
                        tuple("vm-full", "scale-up.storage.usage", Action.SCALE_UP, W1),
                        tuple("vm-full", "scale-up.storage.usage", Action.SCALE_UP, W2),
                        tuple("vm-full", "scale-up.storage.usage", Action.SCALE_UP, W3));
        assertThat(deadLetters)
                .extracting(d -> d.reason, d -> d.vmId)
                .containsExactlyInAnyOrder(
                        tuple(DeadLetterReason.UNDECODABLE, null),
                        tuple(DeadLetterReason.LATE, "vm-busy"));
        assertThat(status)
                .extracting(RuleSetStatus::getOutcome, s -> s.getVersion())
                .containsExactlyInAnyOrder(
                        tuple(RuleUpdateOutcome.ACCEPTED, "2026.12.0"),
                        tuple(RuleUpdateOutcome.REJECTED, "2026.12.1"));
    }
}
