package io.rightsizer.job;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DAY;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.GIB;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.HOUR;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.SYSTEM;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.UNIT;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.firing;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static io.rightsizer.schema.DecisionState.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.DecisionInput;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.testing.LiveJobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LifecycleStage#apply} on a MiniCluster at parallelism 2: fire, approve, a suppressed
 * repeat, the inventory confirms, the rule fires again and opens a new recommendation; a rejection
 * keeps the rule quiet for its cooldown; an unknown id is rejected. The three inputs come from one
 * scripted source in event-time order, as the rules, the decisions topic and the inventory topic
 * would deliver them, so the run is deterministic.
 */
class LifecycleStageITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final String VM_A = "vm-a";
    static final String VM_B = "vm-b";

    static final OutputTag<DecisionInput> DECISIONS =
            new OutputTag<>("decisions", TypeInformation.of(DecisionInput.class));
    static final OutputTag<VmAllocation> INVENTORY =
            new OutputTag<>("inventory", TypeInformation.of(VmAllocation.class));

    /** One scripted input: a firing, a decision or an allocation, at its instant. A POJO. */
    public static class Step {
        public Recommendation firing;
        public Decision decision;
        public VmAllocation allocation;
        public long at;

        public Step() {}

        static Step of(Recommendation r) {
            Step s = new Step();
            s.firing = r;
            s.at = r.getFiredAt().toEpochMilli();
            return s;
        }

        static Step of(Decision d) {
            Step s = new Step();
            s.decision = d;
            s.at = d.getDecidedAt().toEpochMilli();
            return s;
        }

        static Step of(VmAllocation a) {
            Step s = new Step();
            s.allocation = a;
            s.at = a.getEffectiveAt().toEpochMilli();
            return s;
        }
    }

    /** Splits the script into the stage's three inputs. */
    static final class Split extends ProcessFunction<Step, Recommendation> {
        @Override
        public void processElement(Step s, Context ctx, Collector<Recommendation> out) {
            if (s.firing != null) {
                out.collect(s.firing);
            } else if (s.decision != null) {
                ctx.output(DECISIONS, DecisionInput.of(s.decision));
            } else {
                ctx.output(INVENTORY, s.allocation);
            }
        }
    }

    /** The watermark follows every step, as the telemetry's would. */
    static final class EveryStep implements WatermarkStrategy<Step> {
        @Override
        public WatermarkGenerator<Step> createWatermarkGenerator(
                org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context c) {
            return new WatermarkGenerator<>() {
                @Override
                public void onEvent(Step s, long ts, WatermarkOutput out) {
                    out.emitWatermark(new Watermark(s.at));
                }

                @Override
                public void onPeriodicEmit(WatermarkOutput out) {}
            };
        }

        @Override
        public org.apache.flink.api.common.eventtime.TimestampAssigner<Step>
                createTimestampAssigner(
                        org.apache.flink.api.common.eventtime.TimestampAssignerSupplier.Context c) {
            return (s, previous) -> s.at;
        }
    }

    static final class ApprovalLine implements MapFunction<Recommendation, String> {
        @Override
        public String map(Recommendation r) {
            return "approval " + r.getRecommendationId() + (r.getReminder() ? " reminder" : "");
        }
    }

    static final class EventLine
            implements MapFunction<io.rightsizer.schema.RecommendationEvent, String> {
        @Override
        public String map(io.rightsizer.schema.RecommendationEvent e) {
            return "event "
                    + e.getKind()
                    + " "
                    + e.getRecommendationId()
                    + " "
                    + e.getFromState()
                    + "->"
                    + e.getToState()
                    + " +"
                    + (e.getAt().toEpochMilli() - FIRED)
                    + " "
                    + e.getBy();
        }
    }

    static VmAllocation resized(String vm, long memoryBytes, long at) {
        return VmAllocation.newBuilder()
                .setVmId(vm)
                .setSystemId(SYSTEM)
                .setUnitId(UNIT)
                .setVcpus(4)
                .setMemoryBytes(memoryBytes)
                .setStorageBytes(100 * GIB)
                .setStatus(AllocationStatus.ACTIVE)
                .setOnboardedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .setEffectiveAt(Instant.ofEpochMilli(at))
                .build();
    }

    static String approval(Recommendation r) {
        return "approval " + r.getRecommendationId();
    }

    static String event(String kind, Recommendation r, String transition, long at, String by) {
        return "event "
                + kind
                + " "
                + r.getRecommendationId()
                + " "
                + transition
                + " +"
                + at
                + " "
                + by;
    }

    @Test
    void firingsDecisionsAndTheInventoryRunTheLifecycleEndToEnd() throws Exception {
        Recommendation a1 = firing(Rule.WEEKLY_AVERAGE, VM_A, FIRED);
        Recommendation b1 = firing(Rule.STORAGE_USAGE, VM_B, FIRED + HOUR);
        Recommendation a2 = firing(Rule.WEEKLY_AVERAGE, VM_A, FIRED + 7 * DAY);
        Recommendation b2 = firing(Rule.STORAGE_USAGE, VM_B, FIRED + 7 * DAY + HOUR);
        Recommendation a3 = firing(Rule.WEEKLY_AVERAGE, VM_A, FIRED + 14 * DAY);
        Recommendation b3 = firing(Rule.STORAGE_USAGE, VM_B, FIRED + 34 * DAY);
        Decision unknown = decision("0123456789abcdef0123456789abcdef", APPROVED, FIRED + 3 * DAY);
        List<Step> script =
                List.of(
                        Step.of(a1),
                        Step.of(b1),
                        Step.of(decision(a1, APPROVED, FIRED + DAY)),
                        Step.of(decision(b1, REJECTED, FIRED + 2 * DAY)),
                        Step.of(unknown),
                        Step.of(a2),
                        Step.of(b2),
                        Step.of(resized(VM_A, 32 * GIB, FIRED + 8 * DAY)),
                        Step.of(a3),
                        Step.of(b3));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SingleOutputStreamOperator<Recommendation> firings =
                env.fromData(script, TypeInformation.of(Step.class))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(new EveryStep())
                        .setParallelism(1)
                        .process(new Split(), TypeInformation.of(Recommendation.class))
                        .setParallelism(1);
        LifecycleStage.Result r =
                LifecycleStage.apply(
                        firings,
                        firings.getSideOutput(DECISIONS),
                        firings.getSideOutput(INVENTORY),
                        LifecycleStage.Settings.defaults());
        DataStream<String> lines =
                r.approvals()
                        .map(new ApprovalLine(), Types.STRING)
                        .union(r.events().map(new EventLine(), Types.STRING));

        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it = lines.executeAndCollect("lifecycle-stage")) {
            it.forEachRemaining(out::add);
        }

        long a3Reminder = 28 * DAY;
        assertThat(out.stream().filter(l -> l.startsWith("approval")))
                .containsExactlyInAnyOrder(
                        approval(a1),
                        approval(b1),
                        approval(a3),
                        approval(b3),
                        // b3 at +34 d takes event time past a3's reminder; the input's end
                        // reaches no later deadline (b3's reminder, the expiries).
                        approval(a3) + " reminder");
        assertThat(out.stream().filter(l -> l.startsWith("event")))
                .containsExactlyInAnyOrder(
                        event("OPENED", a1, "null->OPEN", 0, "rightsizer"),
                        event("OPENED", b1, "null->OPEN", HOUR, "rightsizer"),
                        event("TRANSITION", a1, "OPEN->APPROVED", DAY, "alice"),
                        event("TRANSITION", b1, "OPEN->REJECTED", 2 * DAY, "alice"),
                        "event DECISION_REJECTED "
                                + unknown.getRecommendationId()
                                + " null->APPROVED +"
                                + 3 * DAY
                                + " alice",
                        event("TRANSITION", a1, "APPROVED->IMPLEMENTED", 8 * DAY, "rightsizer"),
                        event("OPENED", a3, "null->OPEN", 14 * DAY, "rightsizer"),
                        event("OPENED", b3, "null->OPEN", 34 * DAY, "rightsizer"),
                        event("REMINDED", a3, "OPEN->OPEN", a3Reminder, "rightsizer"));
    }
}
