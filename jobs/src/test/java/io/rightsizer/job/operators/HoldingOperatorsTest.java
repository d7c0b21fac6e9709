package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.STORAGE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.job.operators.VmRulesOnRocksDbTest.BOUND;
import static io.rightsizer.job.operators.VmRulesOnRocksDbTest.START;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.withStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * vm-rules in the operators the job runs it in ({@link HoldingOperators}), which hold samples ahead
 * of the watermark on the heap, judges exactly as Flink's own operators do with every sample in
 * keyed state and a timer: the same outputs on the heap and on RocksDB, across snapshots taken
 * while samples are held, with a full hold, with inventory records and late samples among held
 * ones, and when a held sample's judgement fails.
 */
class HoldingOperatorsTest {
    /** The five VMs of {@link VmRulesOnRocksDbTest#fleet}, with inventory records among them. */
    static List<Object> fleet() {
        List<Object> in = new ArrayList<>(VmRulesOnRocksDbTest.fleet());
        // "busy" gets a record of the size it reports, "short" is resized while it reports (it has
        // no week to judge), and "stopping" is decommissioned once its week was judged; each
        // arrives amid held samples.
        insertAfter(in, START + 3 * DAY + 10 * MINUTE, allocation("busy", "sys-a", 16 * GIB));
        insertAfter(in, START + 2 * DAY + 40 * MINUTE, allocation("short", "sys-b", 32 * GIB));
        insertAfter(
                in,
                START + 8 * DAY,
                VmInput.of(Allocations.decommissioned("stopping", "sys-b"), START + 8 * DAY));
        return in;
    }

    static VmInput allocation(String vm, String system, long memoryBytes) {
        return VmInput.of(Allocations.active(vm, system).setMemoryBytes(memoryBytes).build(), 0L);
    }

    /** Puts {@code x} right after the first sample at or after {@code at}. */
    static void insertAfter(List<Object> in, long at, VmInput x) {
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i) instanceof Sample s && s.timestamp >= at) {
                if (x.receivedAt == 0L) {
                    x.receivedAt = s.timestamp;
                }
                in.add(i + 1, x);
                return;
            }
        }
        throw new IllegalArgumentException("no sample at or after " + at);
    }

    static VmRuleFunction function(int holdCapacity) {
        return new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE)
                .withDataQuality(Duration.ofHours(1))
                .withHistory(true)
                .holdCapacity(holdCapacity);
    }

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            VmRuleFunction f, boolean holding, StateBackend backend, OperatorSubtaskState restore)
            throws Exception {
        return RuleHarnesses.onBackend(f, new RightsizerPipeline.ByVm(), backend, restore, holding);
    }

    static void feed(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            List<Object> in)
            throws Exception {
        VmRulesOnRocksDbTest.feed(h, in);
    }

    /** What a run held: the most at once, and how many when its snapshot was taken. */
    record Held(int most, int atSnapshot, int afterSnapshot) {}

    /**
     * The fleet up to day 5, a snapshot, a restore (into a holding operator or not, on the same
     * backend), the rest, the end of input; the outputs by kind. {@code held} gets what the first
     * part held.
     */
    static Map<String, List<Object>> run(
            boolean holdingBefore,
            boolean holdingAfter,
            int capacity,
            StateBackend backend,
            List<Held> held)
            throws Exception {
        List<Object> in = fleet();
        int split = 0;
        while (!(in.get(split) instanceof Sample s
                && s.timestamp >= VmRulesOnRocksDbTest.SNAPSHOT_AT)) {
            split++;
        }
        Map<String, List<Object>> outputs = new TreeMap<>();
        OperatorSubtaskState snapshot;
        VmRuleFunction first = function(capacity);
        try (var h = harness(first, holdingBefore, backend, null)) {
            int most = 0;
            for (Object x : in.subList(0, split)) {
                feed(h, List.of(x));
                most = Math.max(most, first.held());
            }
            int atSnapshot = first.held();
            // As the task does before a snapshot; the harness' snapshot alone does not.
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            held.add(new Held(most, atSnapshot, first.held()));
            VmRulesOnRocksDbTest.collect(h, outputs);
        }
        try (var h = harness(function(capacity), holdingAfter, backend, snapshot)) {
            feed(h, in.subList(split, in.size()));
            h.processWatermark(Long.MAX_VALUE);
            VmRulesOnRocksDbTest.collect(h, outputs);
        }
        return outputs;
    }

    static void assertSameOutputs(Map<String, List<Object>> actual, Map<String, List<Object>> x) {
        assertThat(actual.keySet()).isEqualTo(x.keySet());
        for (String name : x.keySet()) {
            assertThat(actual.get(name))
                    .as(name)
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(x.get(name));
        }
    }

    static Map<String, List<Object>> keyedStatePath() throws Exception {
        Map<String, List<Object>> out =
                run(false, false, VmRuleFunction.HOLD_CAPACITY, new HashMapStateBackend(), list());
        // Not an empty comparison: the rules fired, the inventory records counted.
        assertThat(
                        out.get("recommendations").stream()
                                .map(r -> ((Recommendation) r).getRuleId().toString())
                                .distinct())
                .containsExactlyInAnyOrder(
                        STORAGE,
                        VmRuleFunctionTest.WEEKLY_AVERAGE,
                        "reduce.memory.weekly-underuse");
        assertThat(out.get("late")).hasSize(10);
        assertThat(out.get("failed")).isEmpty();
        return out;
    }

    static List<Held> list() {
        return new ArrayList<>();
    }

    @Test
    void holdingJudgesAsKeyedStateDoesOnTheHeapAcrossASnapshotTakenWhileHolding() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();
        List<Held> held = list();

        Map<String, List<Object>> actual =
                run(true, true, VmRuleFunction.HOLD_CAPACITY, new HashMapStateBackend(), held);

        assertSameOutputs(actual, expected);
        // Samples were held (the watermark trails by 5 minutes: the samples of one or two 30-minute
        // steps), the snapshot found some and released them into keyed state.
        assertThat(held.get(0).most()).isBetween(5, 12);
        assertThat(held.get(0).atSnapshot()).isPositive();
        assertThat(held.get(0).afterSnapshot()).isZero();
    }

    @Test
    void holdingJudgesAsKeyedStateDoesOnRocksDb() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();

        Map<String, List<Object>> actual =
                run(
                        true,
                        true,
                        VmRuleFunction.HOLD_CAPACITY,
                        new EmbeddedRocksDBStateBackend(),
                        list());

        assertSameOutputs(actual, expected);
    }

    @Test
    void aSnapshotTakenWhileHoldingRestoresIntoAnOperatorThatDoesNotHold() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();
        List<Held> held = list();

        Map<String, List<Object>> actual =
                run(true, false, VmRuleFunction.HOLD_CAPACITY, new HashMapStateBackend(), held);

        assertSameOutputs(actual, expected);
        assertThat(held.get(0).atSnapshot()).isPositive();
    }

    @Test
    void aFullHoldSendsTheNextSamplesThroughKeyedState() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();
        List<Held> held = list();

        Map<String, List<Object>> actual = run(true, true, 2, new HashMapStateBackend(), held);

        assertSameOutputs(actual, expected);
        assertThat(held.get(0).most()).isEqualTo(2);
    }

    @Test
    void theOneInputOperatorJudgesAsTheBroadcastOneDoes() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();
        List<Object> in = fleet();
        Map<String, List<Object>> actual = new TreeMap<>();

        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new HoldingOperators.Keyed<>(
                                new FixedRules<>(function(VmRuleFunction.HOLD_CAPACITY))),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING)) {
            h.open();
            for (Object x : in) {
                if (x instanceof Sample s) {
                    h.processElement(VmInput.of(s), s.timestamp);
                } else if (x instanceof VmInput v) {
                    h.processElement(v, v.receivedAt);
                } else {
                    h.processWatermark((Watermark) x);
                }
            }
            h.processWatermark(Long.MAX_VALUE);
            VmRulesOnRocksDbTest.add(actual, "recommendations", h.extractOutputValues());
            add(actual, "hours", h.getSideOutput(Tags.HOURLY));
            add(actual, "weeks", h.getSideOutput(Tags.WEEKLY));
            add(actual, "business", h.getSideOutput(Tags.BUSINESS));
            add(actual, "late", h.getSideOutput(Tags.LATE));
            add(actual, "data-quality", h.getSideOutput(Tags.DATA_QUALITY));
            add(actual, "failed", h.getSideOutput(Tags.FAILED));
        }

        assertSameOutputs(actual, expected);
    }

    static <X> void add(Map<String, List<Object>> into, String name, Queue<StreamRecord<X>> q) {
        List<Object> xs = new ArrayList<>();
        if (q != null) {
            q.forEach(r -> xs.add(r.getValue()));
        }
        VmRulesOnRocksDbTest.add(into, name, xs);
    }

    @Test
    void aHeldSampleWhoseJudgementFailsIsOneFailedDeadLetterAndItsVmStartsOver() throws Exception {
        VmRuleFunction f = new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE);
        try (var h = harness(f, true, new HashMapStateBackend(), null)) {
            feed(h, List.of(VmRuleFailureTest.unjudgeable(T)));
            // Still held after the watermark, ahead of it: it goes with the failed VM's state.
            Sample next = Samples.running(VmRuleFailureTest.BAD, SYSTEM, T + MINUTE, 50);
            next.sourcePartition = 2;
            next.sourceOffset = 18;
            feed(h, List.of(next));
            Sample healthy = withStorage(Samples.running(VM, SYSTEM, T, 50), 75);
            feed(h, List.of(healthy));
            assertThat(f.held()).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isZero();

            h.processWatermark(T);

            assertThat(f.held()).isZero();
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getVmId)
                    .containsExactly(tuple(STORAGE, VM));
            assertThat(side(h, Tags.FAILED))
                    .extracting(
                            r -> r.reason,
                            r -> r.vmId,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.sampleTimestamp)
                    .containsExactly(
                            tuple(DeadLetterReason.FAILED, VmRuleFailureTest.BAD, 2, 17L, T),
                            tuple(
                                    DeadLetterReason.FAILED,
                                    VmRuleFailureTest.BAD,
                                    2,
                                    18L,
                                    T + MINUTE));
            assertThat(side(h, Tags.FAILED).get(0).message)
                    .startsWith(
                            "vm-rules: timer of vm-bad at 2026-03-03T02:00:00Z, judging its sample"
                                    + " at 2026-03-03T02:00:00Z: java.lang.IllegalStateException:"
                                    + " injected");
            // The failed VM has no state left; the healthy one its record and one wake-up.
            assertThat(RuleHarnesses.vmRules(h, VmRuleFailureTest.BAD)).isNull();
            assertThat(RuleHarnesses.vmRules(h, VM)).isNotNull();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aVmWithASampleHeldIsNotForgottenWhenItsRetentionIsDue() throws Exception {
        // Silent until after its retention check (forgotten at T + 8 days, as in
        // VmRuleFunctionTest), then a sample that waits on the heap while the watermark passes
        // the check: the VM is kept with its rules' state, as when the sample waited in keyed
        // state.
        for (boolean holding : new boolean[] {false, true}) {
            VmRuleFunction f =
                    new VmRuleFunction(
                            RULES,
                            RuleHarnesses.SIZING,
                            VmRuleFunctionTest.SHORT_RETENTION,
                            SOURCE);
            try (var h = harness(f, holding, new HashMapStateBackend(), null)) {
                feed(h, List.of(Samples.running(VM, SYSTEM, T, 50), new Watermark(T)));
                feed(h, List.of(Samples.running(VM, SYSTEM, T + 9 * DAY, 50)));
                assertThat(f.held()).isEqualTo(holding ? 1 : 0);

                h.processWatermark(T + 9 * DAY - 1);

                assertThat(RuleHarnesses.vmRules(h, VM)).as("holding: " + holding).isNotNull();
                assertThat(RuleHarnesses.vmRules(h, VM).lastEvaluatedAt).isEqualTo(T);
                h.processWatermark(T + 9 * DAY);
                assertThat(RuleHarnesses.vmRules(h, VM).lastEvaluatedAt).isEqualTo(T + 9 * DAY);
                assertThat(f.held()).isZero();
            }
        }
    }

    @Test
    void aLateSampleOfAVmWithHeldOnesIsJudgedAfterThem() throws Exception {
        VmRuleFunction f = new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE);
        try (var h = harness(f, true, new HashMapStateBackend(), null)) {
            h.processWatermark(T);
            Sample ahead = withStorage(Samples.running(VM, SYSTEM, T + MINUTE, 50), 75);
            feed(h, List.of(ahead));
            assertThat(f.held()).isEqualTo(1);

            // At the watermark: LATE, and the held sample goes to keyed state with its timer first.
            feed(h, List.of(Samples.running(VM, SYSTEM, T, 50)));

            assertThat(f.held()).isZero();
            assertThat(side(h, Tags.LATE))
                    .extracting(r -> r.vmId, r -> r.sampleTimestamp)
                    .containsExactly(tuple(VM, T));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(T + MINUTE + BOUND);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(tuple(STORAGE, java.time.Instant.ofEpochMilli(T + MINUTE)));
        }
    }
}
