package io.rightsizer.job;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.Sizing;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rightsizer topology. Sources and sinks are passed in, so the same pipeline runs on Kafka (the
 * live job), on a file (replay) and in tests.
 *
 * <pre>
 * telemetry ─► route-samples ─► keyBy(vmId) vm-rules ─┬─► recommendations ─► sink
 *                  │                    │    ▲        │
 *                  │ rejected           │    │        └─ business reports ─► keyBy(systemId)
 *                  ▼               late │    │            system-rules ─► recommendations
 *               dead letters ◄──────────┘    │                 ▲
 *                                            │                 │
 * rule updates ─► broadcast ─────────────────┴─────────────────┘   (vm-rules ─► rule status)
 * </pre>
 *
 * <p>The rule updates never hold back the watermark: their source declares itself idle, so the
 * rules operators' event time is the telemetry's alone.
 */
public final class RightsizerPipeline {
    private RightsizerPipeline() {}

    private static final TypeInformation<Recommendation> RECOMMENDATION =
            TypeInformation.of(Recommendation.class);

    /**
     * What the operators need to know, beyond their input.
     *
     * @param sizing the service catalog every resize recommendation's target size comes from
     *     (catalog.file); it stays when rule updates replace the rule set
     */
    public record Settings(
            RuleSet rules,
            Duration retention,
            String sourceName,
            int sourceParallelism,
            Sizing sizing)
            implements Serializable {
        public Settings {
            java.util.Objects.requireNonNull(sizing, "sizing (the service catalog)");
        }
    }

    /** Where the outputs go. */
    public interface Sinks {
        void recommendations(DataStream<Recommendation> recommendations);

        void deadLetters(DataStream<Rejected> deadLetters);

        /** The decision on each rule update; only runs that read rule updates have any. */
        default void ruleStatus(DataStream<RuleSetStatus> status) {}
    }

    /**
     * @param ruleUpdates rule sets published while the job runs, or null when the rule set of the
     *     settings is the only one (replay, tests)
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<Ingested, ?, ?> source,
            WatermarkStrategy<Ingested> watermarks,
            Source<RuleUpdate, ?, ?> ruleUpdates,
            Settings settings,
            Sinks sinks) {
        SingleOutputStreamOperator<Ingested> telemetry =
                env.fromSource(source, watermarks, "telemetry").uid("telemetry-source");
        if (settings.sourceParallelism() > 0) {
            telemetry.setParallelism(settings.sourceParallelism());
        }

        SingleOutputStreamOperator<Sample> samples =
                telemetry.process(new IngestRouter()).name("route-samples").uid("route-samples");
        if (settings.sourceParallelism() > 0) {
            samples.setParallelism(settings.sourceParallelism());
        }

        // Without rule updates (replay, backfill) the same functions run in one-input operators,
        // which chain to their input; see FixedRules.
        BroadcastStream<RuleUpdate> rules =
                ruleUpdates == null
                        ? null
                        : env.fromSource(ruleUpdates, new RuleUpdateWatermarks(), "rule-updates")
                                .uid("rule-updates-source")
                                .setParallelism(1)
                                .broadcast(Tags.RULES);

        VmRuleFunction vmRules =
                new VmRuleFunction(
                        settings.rules(),
                        settings.sizing(),
                        settings.retention(),
                        settings.sourceName());
        KeyedStream<Sample, String> byVm = byKey(samples, new ByVm(), settings);
        SingleOutputStreamOperator<Recommendation> vmRecommendations =
                (rules == null
                                ? byVm.process(new FixedRules<>(vmRules), RECOMMENDATION)
                                : byVm.connect(rules).process(vmRules))
                        .name("vm-rules")
                        .uid("vm-rules");

        SystemRuleFunction systemRules =
                new SystemRuleFunction(settings.rules(), settings.retention());
        KeyedStream<BusinessReport, String> bySystem =
                byKey(vmRecommendations.getSideOutput(Tags.BUSINESS), new BySystem(), settings);
        DataStream<Recommendation> systemRecommendations =
                (rules == null
                                ? bySystem.process(new FixedRules<>(systemRules), RECOMMENDATION)
                                : bySystem.connect(rules).process(systemRules))
                        .name("system-rules")
                        .uid("system-rules");

        DataStream<Recommendation> recommendations = vmRecommendations.union(systemRecommendations);
        DataStream<Rejected> deadLetters =
                samples.getSideOutput(Tags.REJECTED)
                        .union(vmRecommendations.getSideOutput(Tags.LATE));

        sinks.recommendations(recommendations);
        sinks.deadLetters(deadLetters);
        sinks.ruleStatus(vmRecommendations.getSideOutput(Tags.RULE_STATUS));
    }

    /**
     * keyBy, except when the whole job runs in one task: then every record already is on the right
     * (only) subtask, and reinterpreting the stream as keyed lets the keyed operator chain to its
     * input instead of serializing each record through a network shuffle.
     */
    private static <T> KeyedStream<T, String> byKey(
            DataStream<T> stream, KeySelector<T, String> key, Settings settings) {
        if (settings.sourceParallelism() == 1
                && stream.getExecutionEnvironment().getParallelism() == 1) {
            return DataStreamUtils.reinterpretAsKeyedStream(stream, key, Types.STRING);
        }
        return stream.keyBy(key, Types.STRING);
    }

    static final class ByVm implements KeySelector<Sample, String> {
        @Override
        public String getKey(Sample s) {
            return s.vmId;
        }
    }

    static final class BySystem implements KeySelector<BusinessReport, String> {
        @Override
        public String getKey(BusinessReport r) {
            return r.systemId;
        }
    }
}
