package io.rightsizer.job;

import io.rightsizer.job.codec.DecisionDeserializer;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.job.operators.DecisionRouter;
import io.rightsizer.job.operators.LifecycleFunction;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.VmAllocation;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The approval lifecycle after the rules (rules/README.md, "Approval lifecycle"):
 *
 * <pre>
 * firings ──────► keyBy(recommendationId) decision-router ──► keyBy(subject) lifecycle ─► approvals
 * decisions ────►        │ rejected decisions                      ▲      │
 *                        ▼                                         │      └─► events
 * inventory ─────────────┼─────────────────── keyBy("vm:" + vmId) ─┘
 *                        └──────────────────────────────────────────────────► events
 * </pre>
 *
 * <p>The decisions and inventory sources must not hold back event time: give them {@link
 * IdleWatermarks}, so the operators' watermark is the telemetry's (the firings').
 */
public final class LifecycleStage {
    private LifecycleStage() {}

    /**
     * @param reminderAfter an OPEN recommendation without decision is re-sent once this long after
     *     it fired (default 14 days)
     * @param rejectCooldown the rule stays quiet for the subject this long after a rejection's
     *     decidedAt (default 30 days)
     * @param decisionWindow how long after its firing, or its latest decision, a recommendation can
     *     be decided (default 180 days); longer than reminderAfter
     */
    public record Settings(Duration reminderAfter, Duration rejectCooldown, Duration decisionWindow)
            implements Serializable {
        public Settings {
            lifecycleOf(reminderAfter, rejectCooldown, decisionWindow);
        }

        public static Settings defaults() {
            return new Settings(
                    RightsizerOptions.LIFECYCLE_REMINDER_AFTER.defaultValue(),
                    RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN.defaultValue(),
                    RightsizerOptions.LIFECYCLE_DECISION_WINDOW.defaultValue());
        }

        public Lifecycle lifecycle() {
            return lifecycleOf(reminderAfter, rejectCooldown, decisionWindow);
        }

        private static Lifecycle lifecycleOf(
                Duration reminder, Duration cooldown, Duration window) {
            return new Lifecycle(reminder, cooldown, window);
        }
    }

    /**
     * @param approvals what goes to the approval topic: new recommendations, and reminders (same
     *     id, reminder = true)
     * @param events the audit trail, for rightsizing-recommendation-events
     * @param failed the FAILED dead letters of the router and the lifecycle (docs/failures.md)
     */
    public record Result(
            DataStream<Recommendation> approvals,
            DataStream<RecommendationEvent> events,
            DataStream<Rejected> failed) {}

    /**
     * @param firings the rules' firings, VM- and system-level, event time = firedAt
     * @param decisions read with {@link DecisionDeserializer}, its source idle-marked
     * @param inventory the VMs' allocations, its source idle-marked; null when there is none
     */
    public static Result apply(
            DataStream<Recommendation> firings,
            DataStream<DecisionInput> decisions,
            DataStream<VmAllocation> inventory,
            Settings settings) {
        SingleOutputStreamOperator<LifecycleInput> routed =
                firings.connect(decisions)
                        .keyBy(new ByRecommendationId(), new ByDecisionKey())
                        .process(
                                new DecisionRouter(settings.decisionWindow()),
                                TypeInformation.of(LifecycleInput.class))
                        .name("decision-router")
                        .uid("decision-router");
        DataStream<VmAllocation> allocations =
                inventory != null
                        ? inventory
                        : routed.flatMap(new NoInventory(), TypeInformation.of(VmAllocation.class))
                                .name("no-inventory")
                                .uid("no-inventory");
        SingleOutputStreamOperator<Recommendation> approvals =
                routed.keyBy(new BySubject(), Types.STRING)
                        .connect(allocations.keyBy(new ByVmSubject(), Types.STRING))
                        .process(
                                new LifecycleFunction(settings),
                                TypeInformation.of(Recommendation.class))
                        .name("lifecycle")
                        .uid("lifecycle");
        DataStream<RecommendationEvent> events =
                routed.getSideOutput(Tags.LIFECYCLE_EVENTS)
                        .union(approvals.getSideOutput(Tags.LIFECYCLE_EVENTS));
        return new Result(
                approvals,
                events,
                routed.getSideOutput(Tags.FAILED).union(approvals.getSideOutput(Tags.FAILED)));
    }

    public static final class ByRecommendationId implements KeySelector<Recommendation, String> {
        @Override
        public String getKey(Recommendation r) {
            return r.getRecommendationId();
        }
    }

    public static final class ByDecisionKey implements KeySelector<DecisionInput, String> {
        @Override
        public String getKey(DecisionInput d) {
            return d.routingKey();
        }
    }

    public static final class BySubject implements KeySelector<LifecycleInput, String> {
        @Override
        public String getKey(LifecycleInput in) {
            return in.subject;
        }
    }

    public static final class ByVmSubject implements KeySelector<VmAllocation, String> {
        @Override
        public String getKey(VmAllocation a) {
            return Lifecycle.vmSubject(a.getVmId());
        }
    }

    /** Without an inventory topic: an inventory input that never carries a record. */
    static final class NoInventory implements FlatMapFunction<LifecycleInput, VmAllocation> {
        @Override
        public void flatMap(LifecycleInput in, Collector<VmAllocation> out) {}
    }
}
