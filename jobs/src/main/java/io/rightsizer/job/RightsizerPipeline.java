package io.rightsizer.job;

import io.rightsizer.job.operators.RecordFailures;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
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
 * approval topic, dead letters ───────────┴─► history lines ─► InfluxDB   (Settings.withHistory)
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
     * @param historyDeadLetterInterval null when the run writes no utilization history (the rules
     *     then emit no hour and week summaries); else the processing-time interval of the history's
     *     dead-letter counts, and the sinks get the history ({@link Sinks#history})
     */
    public record Settings(
            RuleSet rules,
            Duration retention,
            String sourceName,
            int sourceParallelism,
            Sizing sizing,
            TimeLimits timeLimits,
            LifecycleStage.Settings lifecycle,
            Duration silenceAfter,
            Duration historyDeadLetterInterval)
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
                    null,
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
                    silenceAfter,
                    historyDeadLetterInterval);
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
                    silenceAfter,
                    historyDeadLetterInterval);
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
                    silence,
                    historyDeadLetterInterval);
        }

        /**
         * Writing the utilization history, its dead-letter counts per {@code deadLetterInterval}
         * (null: no history).
         */
        public Settings withHistory(Duration deadLetterInterval) {
            return new Settings(
                    rules,
                    retention,
                    sourceName,
                    sourceParallelism,
                    sizing,
                    timeLimits,
                    lifecycle,
                    silenceAfter,
                    deadLetterInterval);
        }

        /** Whether the run writes the utilization history. */
        public boolean writesHistory() {
            return historyDeadLetterInterval != null;
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
            List<CollectorStage.Input> all = new ArrayList<>(collectors);
            all.add(c);
            return new Inputs(telemetry, watermarks, ruleUpdates, inventory, decisions, all, wait);
        }
    }

    /** Where the outputs go: each method gets one output stream and adds its sink. */
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
         * The utilization history as InfluxDB line protocol (see {@link HistoryStreams}), in
         * streams named {@code hourly} and {@code rest}, each to be written by a sink of its own;
         * called only when the settings write the history ({@link
         * Settings#historyDeadLetterInterval}).
         */
        default void history(String name, DataStream<String> lines) {}
    }

    /**
     * Adds the topology to {@code env}: ingest, judge the VMs, judge the systems, approve, emit.
     * docs/design.md "The topology" lists each stage's operators by uid.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env, Inputs inputs, Settings settings, Sinks sinks) {
        RuleInput rules = RuleInput.of(env, inputs.ruleUpdates());
        IngestStage.Result ingested = IngestStage.apply(env, inputs, settings);
        RulesStage.VmVerdicts vms = RulesStage.judgeVms(ingested, rules, settings);
        RulesStage.SystemVerdicts systems =
                RulesStage.judgeSystems(vms.businessReports(), rules, settings);
        Approval approval =
                approve(
                        env,
                        inputs.decisions(),
                        ingested.inventory(),
                        vms.firings().union(systems.firings()),
                        settings);

        List<DataStream<Rejected>> deadLetters = new ArrayList<>(ingested.deadLetters());
        deadLetters.addAll(vms.deadLetters());
        deadLetters.addAll(systems.deadLetters());
        deadLetters.addAll(approval.deadLetters());
        emit(sinks, settings, vms, approval, union(deadLetters));
    }

    /**
     * What goes to the approval topic and the audit trail.
     *
     * @param recommendations the firings, or with a lifecycle what it lets through
     * @param events the lifecycle's audit trail, when the settings have one
     * @param deadLetters the records the lifecycle's operators failed on (FAILED)
     */
    record Approval(
            DataStream<Recommendation> recommendations,
            Optional<DataStream<RecommendationEvent>> events,
            List<DataStream<Rejected>> deadLetters) {}

    /**
     * The approval lifecycle ({@link LifecycleStage}) between the rules and the approval topic;
     * without one in the settings, every firing goes to the approval topic.
     */
    private static Approval approve(
            StreamExecutionEnvironment env,
            Source<DecisionInput, ?, ?> decisions,
            Optional<SingleOutputStreamOperator<VmInput>> inventory,
            DataStream<Recommendation> firings,
            Settings settings) {
        if (settings.lifecycle() == null) {
            return new Approval(firings, Optional.empty(), List.of());
        }
        LifecycleStage.Result lifecycle =
                LifecycleStage.apply(
                        firings,
                        decisions(env, decisions, firings),
                        inventory.map(RightsizerPipeline::allocations).orElse(null),
                        settings.lifecycle());
        return new Approval(
                lifecycle.approvals(),
                Optional.of(lifecycle.events()),
                List.of(lifecycle.failed()));
    }

    /** The inventory's allocations, for the lifecycle. */
    private static DataStream<VmAllocation> allocations(DataStream<VmInput> inventory) {
        return inventory
                .flatMap(
                        new PipelineFunctions.AllocationsOnly(),
                        TypeInformation.of(VmAllocation.class))
                .name("inventory-allocations")
                .uid("inventory-allocations");
    }

    /** Every output to its sink. */
    private static void emit(
            Sinks sinks,
            Settings settings,
            RulesStage.VmVerdicts vms,
            Approval approval,
            DataStream<Rejected> deadLetters) {
        approval.events().ifPresent(sinks::recommendationEvents);
        sinks.recommendations(approval.recommendations());
        sinks.deadLetters(deadLetters);
        sinks.ruleStatus(vms.ruleStatus());
        vms.notices().ifPresent(sinks::notices);
        vms.dataQuality().ifPresent(sinks::dataQuality);
        if (settings.writesHistory()) {
            sinks.history("hourly", HistoryStreams.hourly(vms.hours()));
            sinks.history(
                    "rest",
                    HistoryStreams.rest(
                            vms.weeks(),
                            approval.recommendations(),
                            deadLetters,
                            vms.dataQuality(),
                            settings.historyDeadLetterInterval()));
        }
    }

    /** One stream of every stream in {@code streams} (at least one). */
    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T>[] rest = streams.subList(1, streams.size()).toArray(new DataStream[0]);
        return rest.length == 0 ? streams.get(0) : streams.get(0).union(rest);
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
    static <T> KeyedStream<T, String> byKey(
            DataStream<T> stream, KeySelector<T, String> key, Settings settings) {
        if (settings.sourceParallelism() == 1
                && stream.getExecutionEnvironment().getParallelism() == 1) {
            return DataStreamUtils.reinterpretAsKeyedStream(stream, key, Types.STRING);
        }
        return stream.keyBy(key, Types.STRING);
    }

    public static final class ByVm implements KeySelector<VmInput, String> {
        @Override
        public String getKey(VmInput in) {
            return in.vmId();
        }
    }

    public static final class BySystem implements KeySelector<BusinessReport, String> {
        @Override
        public String getKey(BusinessReport r) {
            return r.systemId;
        }
    }
}
