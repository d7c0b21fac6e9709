package io.rightsizer.job;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.Sizing;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 *
 * vm-rules ─► hours, weeks, data quality ─┐
 * approval topic, dead letters ───────────┴─► history lines ─► InfluxDB   (when writesHistory)
 *
 * inventory ─► route-inventory ─► (joins the samples, keyed by vmId, into vm-rules)
 *                  └─ rejected ─► dead letters        (vm-rules ─► time-limit notices)
 *
 * with collectors (ingest.collectd.enabled), their values assembled into samples per VM and
 * interval ({@link CollectorStage}), which join the samples into vm-rules
 *
 * with a lifecycle (LifecycleStage), between the rules and the approval topic:
 * recommendations ─► decision-router ◄─ decisions ─► lifecycle ◄─ inventory ─► approval topic
 *                                                        └─► audit trail
 * </pre>
 *
 * <p>The operators that route and judge records (the routers, the rules operators on both inputs,
 * and the lifecycle's) send a record they fail on to the dead letters as FAILED instead of failing
 * the job ({@link RecordFailures}, docs/failures.md).
 *
 * <p>The rule updates, the inventory and the decisions never hold back the watermark: their sources
 * declare themselves idle ({@link IdleWatermarks}), so every operator's event time is the
 * telemetry's alone.
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
     * @param timeLimits the time limits of temporary allocations with the working calendar
     *     (config/calendar.yaml); required when the job reads an inventory, unused without one
     * @param lifecycle the approval lifecycle's parameters, or null to send every firing of the
     *     rules to the approval topic (replay and rules diff unless --with-lifecycle)
     * @param silenceAfter the data-quality watch's silence period, or null for no watch
     */
    public record Settings(
            RuleSet rules,
            Duration retention,
            String sourceName,
            int sourceParallelism,
            Sizing sizing,
            TimeLimits timeLimits,
            LifecycleStage.Settings lifecycle,
            Duration silenceAfter)
            implements Serializable {
        public Settings {
            Objects.requireNonNull(sizing, "sizing (the service catalog)");
            if (silenceAfter != null && silenceAfter.isZero()) {
                silenceAfter = null;
            }
        }

        public Settings(
                RuleSet rules,
                Duration retention,
                String sourceName,
                int sourceParallelism,
                Sizing sizing,
                TimeLimits timeLimits,
                LifecycleStage.Settings lifecycle) {
            this(
                    rules,
                    retention,
                    sourceName,
                    sourceParallelism,
                    sizing,
                    timeLimits,
                    lifecycle,
                    null);
        }

        /** Without an inventory (no time limits to watch) and without the lifecycle. */
        public Settings(
                RuleSet rules,
                Duration retention,
                String sourceName,
                int sourceParallelism,
                Sizing sizing) {
            this(rules, retention, sourceName, sourceParallelism, sizing, null, null);
        }

        public Settings withTimeLimits(TimeLimits limits) {
            return new Settings(
                    rules,
                    retention,
                    sourceName,
                    sourceParallelism,
                    sizing,
                    limits,
                    lifecycle,
                    silenceAfter);
        }

        public Settings withLifecycle(LifecycleStage.Settings settings) {
            return new Settings(
                    rules,
                    retention,
                    sourceName,
                    sourceParallelism,
                    sizing,
                    timeLimits,
                    settings,
                    silenceAfter);
        }

        /** With the data-quality watch (null or zero: none). */
        public Settings withDataQuality(Duration silence) {
            return new Settings(
                    rules,
                    retention,
                    sourceName,
                    sourceParallelism,
                    sizing,
                    timeLimits,
                    lifecycle,
                    silence);
        }
    }

    /**
     * The sources. Only the telemetry is required; each side input is null when the run has none.
     *
     * @param ruleUpdates rule sets published while the job runs, or null when the rule set of the
     *     settings is the only one (replay, tests)
     * @param inventory the VMs' allocations (vm-inventory, decoded by {@link
     *     InventoryDeserializer}), or null when there is none (replay): each VM's samples then give
     *     its size
     * @param decisions the data center's decisions (rightsizing-decisions, decoded by {@link
     *     DecisionDeserializer}); only read when the settings have a lifecycle
     */
    public record Inputs(
            Source<Ingested, ?, ?> telemetry,
            WatermarkStrategy<Ingested> watermarks,
            Source<RuleUpdate, ?, ?> ruleUpdates,
            Source<VmInput, ?, ?> inventory,
            Source<DecisionInput, ?, ?> decisions,
            List<CollectorStage.Input> collectors,
            Duration inventoryWait) {

        public Inputs {
            collectors = collectors == null ? List.of() : List.copyOf(collectors);
        }

        public static Inputs of(
                Source<Ingested, ?, ?> telemetry, WatermarkStrategy<Ingested> watermarks) {
            return new Inputs(telemetry, watermarks, null, null, null, List.of(), null);
        }

        public Inputs withRuleUpdates(Source<RuleUpdate, ?, ?> s) {
            return new Inputs(
                    telemetry, watermarks, s, inventory, decisions, collectors, inventoryWait);
        }

        public Inputs withInventory(Source<VmInput, ?, ?> s) {
            return new Inputs(
                    telemetry, watermarks, ruleUpdates, s, decisions, collectors, inventoryWait);
        }

        public Inputs withDecisions(Source<DecisionInput, ?, ?> s) {
            return new Inputs(
                    telemetry, watermarks, ruleUpdates, inventory, s, collectors, inventoryWait);
        }

        /**
         * With a collector's readings, assembled into samples per VM and interval, held for at most
         * {@code wait} (ingest.inventory-wait) for the VM's allocation; needs the inventory.
         */
        public Inputs withCollector(CollectorStage.Input c, Duration wait) {
            List<CollectorStage.Input> all = new java.util.ArrayList<>(collectors);
            all.add(c);
            return new Inputs(telemetry, watermarks, ruleUpdates, inventory, decisions, all, wait);
        }
    }

    /** Where the outputs go. */
    public interface Sinks {
        /**
         * What goes to the approval topic: the rules' firings, or with a lifecycle what it lets
         * through (new recommendations and reminders).
         */
        void recommendations(DataStream<Recommendation> recommendations);

        void deadLetters(DataStream<Rejected> deadLetters);

        /** The decision on each rule update; only runs that read rule updates have any. */
        default void ruleStatus(DataStream<RuleSetStatus> status) {}

        /**
         * Time-limit notices of temporary allocations (for rightsizing-notices, see {@link
         * NoticeSerializer}); only runs that read an inventory have any.
         */
        default void notices(DataStream<TimeLimitNotice> notices) {}

        /**
         * The approval audit trail (for rightsizing-recommendation-events, see {@link
         * RecommendationEventSerializer}); only runs with a lifecycle have any.
         */
        default void recommendationEvents(DataStream<RecommendationEvent> events) {}

        /**
         * The data-quality watch's events (for rightsizing-data-quality, see {@link
         * DataQualitySerializer}); only runs with {@link Settings#silenceAfter} have any.
         */
        default void dataQuality(DataStream<DataQualityEvent> events) {}

        /**
         * Whether this run writes the utilization history; the rules emit the hour and week
         * summaries it is made of only then.
         */
        default boolean writesHistory() {
            return false;
        }

        /**
         * The utilization history as InfluxDB line protocol (see {@link HistoryStreams}), in
         * streams named {@code hourly} and {@code rest}, each to be written by a sink of its own;
         * called only when {@link #writesHistory()}.
         */
        default void history(String name, DataStream<String> lines) {}

        /** The processing-time interval of the history's dead-letter counts. */
        default Duration deadLetterInterval() {
            return Duration.ofMinutes(1);
        }
    }

    public static void defineWorkflow(
            StreamExecutionEnvironment env, Inputs inputs, Settings settings, Sinks sinks) {
        Source<Ingested, ?, ?> source = inputs.telemetry();
        Source<RuleUpdate, ?, ?> ruleUpdates = inputs.ruleUpdates();
        Source<VmInput, ?, ?> inventory = inputs.inventory();
        if (inventory != null) {
            Objects.requireNonNull(
                    settings.timeLimits(),
                    "an inventory needs the time limits and working calendar"
                            + " (Settings.timeLimits)");
        }
        SingleOutputStreamOperator<Ingested> telemetry =
                env.fromSource(source, inputs.watermarks(), "telemetry").uid("telemetry-source");
        if (settings.sourceParallelism() > 0) {
            telemetry.setParallelism(settings.sourceParallelism());
        }

        SingleOutputStreamOperator<Sample> samples =
                telemetry
                        .process(new IngestRouter(settings.sourceName()))
                        .name("route-samples")
                        .uid("route-samples");
        if (settings.sourceParallelism() > 0) {
            samples.setParallelism(settings.sourceParallelism());
        }

        // Without rule updates (replay, backfill) the same functions run in one-input operators,
        // which chain to their input; see FixedRules.
        BroadcastStream<RuleUpdate> rules =
                ruleUpdates == null
                        ? null
                        : env.fromSource(ruleUpdates, new IdleWatermarks<>(), "rule-updates")
                                .uid("rule-updates-source")
                                .setParallelism(1)
                                .broadcast(Tags.RULES);

        DataStream<VmInput> vmInputs =
                samples.map(new PipelineFunctions.AsVmInput())
                        .name("samples-as-vm-input")
                        .uid("samples-as-vm-input");
        if (settings.sourceParallelism() > 0) {
            ((SingleOutputStreamOperator<VmInput>) vmInputs)
                    .setParallelism(settings.sourceParallelism());
        }
        SingleOutputStreamOperator<VmInput> allocations = null;
        if (inventory != null) {
            allocations =
                    env.fromSource(inventory, new IdleWatermarks<>(), "inventory")
                            .uid("inventory-source")
                            .process(new InventoryRouter())
                            .name("route-inventory")
                            .uid("route-inventory");
            vmInputs = vmInputs.union(allocations);
        }
        DataStream<Rejected> collectorRejects = null;
        if (!inputs.collectors().isEmpty()) {
            CollectorStage.Result collected =
                    CollectorStage.apply(
                            env, inputs.collectors(), inputs.inventoryWait(), allocations);
            vmInputs = vmInputs.union(collected.samples());
            collectorRejects = collected.rejected();
        }

        VmRuleFunction vmRules =
                new VmRuleFunction(
                        settings.rules(),
                        settings.sizing(),
                        settings.retention(),
                        settings.sourceName(),
                        inventory == null ? null : settings.timeLimits());
        vmRules.withDataQuality(settings.silenceAfter()).withHistory(sinks.writesHistory());
        KeyedStream<VmInput, String> byVm =
                source instanceof PartitionedSampleFileSource
                                && inventory == null
                                && inputs.collectors().isEmpty()
                        // Each reader already holds exactly its subtask's VMs.
                        ? DataStreamUtils.reinterpretAsKeyedStream(
                                vmInputs, new ByVm(), Types.STRING)
                        : byKey(vmInputs, new ByVm(), settings);
        SingleOutputStreamOperator<Recommendation> vmRecommendations =
                (rules == null
                                ? byVm.process(new FixedRules<>(vmRules), RECOMMENDATION)
                                : byVm.connect(rules).process(vmRules))
                        .name("vm-rules")
                        .uid("vm-rules");

        SystemRuleFunction systemRules =
                new SystemRuleFunction(
                        settings.rules(), settings.retention(), settings.sizing().messages());
        KeyedStream<BusinessReport, String> bySystem =
                byKey(vmRecommendations.getSideOutput(Tags.BUSINESS), new BySystem(), settings);
        SingleOutputStreamOperator<Recommendation> systemRecommendations =
                (rules == null
                                ? bySystem.process(new FixedRules<>(systemRules), RECOMMENDATION)
                                : bySystem.connect(rules).process(systemRules))
                        .name("system-rules")
                        .uid("system-rules");

        DataStream<Recommendation> recommendations = vmRecommendations.union(systemRecommendations);
        DataStream<Rejected> deadLetters =
                samples.getSideOutput(Tags.REJECTED)
                        .union(
                                samples.getSideOutput(Tags.FAILED),
                                vmRecommendations.getSideOutput(Tags.LATE),
                                vmRecommendations.getSideOutput(Tags.FAILED),
                                systemRecommendations.getSideOutput(Tags.FAILED));
        if (allocations != null) {
            deadLetters =
                    deadLetters.union(
                            allocations.getSideOutput(Tags.REJECTED),
                            allocations.getSideOutput(Tags.FAILED));
        }
        if (collectorRejects != null) {
            deadLetters = deadLetters.union(collectorRejects);
        }

        if (settings.lifecycle() != null) {
            LifecycleStage.Result approval =
                    LifecycleStage.apply(
                            recommendations,
                            decisions(env, inputs.decisions(), recommendations),
                            allocations == null
                                    ? null
                                    : allocations
                                            .flatMap(
                                                    new PipelineFunctions.AllocationsOnly(),
                                                    TypeInformation.of(VmAllocation.class))
                                            .name("inventory-allocations")
                                            .uid("inventory-allocations"),
                            settings.lifecycle());
            recommendations = approval.approvals();
            deadLetters = deadLetters.union(approval.failed());
            sinks.recommendationEvents(approval.events());
        }
        sinks.recommendations(recommendations);
        sinks.deadLetters(deadLetters);
        sinks.ruleStatus(vmRecommendations.getSideOutput(Tags.RULE_STATUS));
        if (inventory != null) {
            sinks.notices(vmRecommendations.getSideOutput(Tags.NOTICES));
        }
        DataStream<DataQualityEvent> dataQuality =
                settings.silenceAfter() == null
                        ? null
                        : vmRecommendations.getSideOutput(Tags.DATA_QUALITY);
        if (dataQuality != null) {
            sinks.dataQuality(dataQuality);
        }
        if (sinks.writesHistory()) {
            sinks.history(
                    "hourly", HistoryStreams.hourly(vmRecommendations.getSideOutput(Tags.HOURLY)));
            sinks.history(
                    "rest",
                    HistoryStreams.rest(
                            vmRecommendations.getSideOutput(Tags.WEEKLY),
                            recommendations,
                            deadLetters,
                            dataQuality,
                            sinks.deadLetterInterval()));
        }
    }

    /**
     * Without a decisions source (replay --with-lifecycle), an input that never carries a record;
     * derived from the firings rather than a finished source, so it has their event time.
     */
    private static DataStream<DecisionInput> decisions(
            StreamExecutionEnvironment env,
            Source<DecisionInput, ?, ?> decisions,
            DataStream<Recommendation> firings) {
        if (decisions != null) {
            return env.fromSource(decisions, new IdleWatermarks<>(), "decisions")
                    .uid("decisions-source")
                    .setParallelism(1);
        }
        return firings.flatMap(
                        new PipelineFunctions.NoDecisions(),
                        TypeInformation.of(DecisionInput.class))
                .name("no-decisions")
                .uid("no-decisions");
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

    static final class ByVm implements KeySelector<VmInput, String> {
        @Override
        public String getKey(VmInput in) {
            return in.vmId();
        }
    }

    static final class BySystem implements KeySelector<BusinessReport, String> {
        @Override
        public String getKey(BusinessReport r) {
            return r.systemId;
        }
    }
}
