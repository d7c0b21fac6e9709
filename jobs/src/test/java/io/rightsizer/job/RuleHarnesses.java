package io.rightsizer.job;

import io.rightsizer.job.operators.HoldingOperators;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.rules.VmState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** Test harnesses of the rules operators, wired as in the job. */
public final class RuleHarnesses {
    /** The shipped service catalog (config/catalog.yaml). */
    public static final io.rightsizer.rules.sizing.Sizing SIZING =
            io.rightsizer.testing.Shipped.SIZING;

    private RuleHarnesses() {}

    /**
     * The rule-update input declared idle, as {@link IdleWatermarks} does in the job, so the
     * operator's watermark is the telemetry's alone.
     */
    public static <K, I, O>
            KeyedBroadcastOperatorTestHarness<K, I, RuleUpdate, O> withIdleRuleUpdates(
                    KeyedBroadcastOperatorTestHarness<K, I, RuleUpdate, O> h) throws Exception {
        h.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
        return h;
    }

    /** A harness restored from a snapshot (keyed and broadcast state). */
    public static <I, O> KeyedBroadcastOperatorTestHarness<String, I, RuleUpdate, O> restored(
            KeyedBroadcastProcessFunction<String, I, RuleUpdate, O> function,
            KeySelector<I, String> key,
            OperatorSubtaskState snapshot)
            throws Exception {
        return onBackend(function, key, null, snapshot);
    }

    /**
     * A harness on {@code backend} (null: the harness' default, the heap), new or restored from
     * {@code snapshot} (null: new), its rule-update input idle.
     */
    public static <I, O> KeyedBroadcastOperatorTestHarness<String, I, RuleUpdate, O> onBackend(
            KeyedBroadcastProcessFunction<String, I, RuleUpdate, O> function,
            KeySelector<I, String> key,
            StateBackend backend,
            OperatorSubtaskState snapshot)
            throws Exception {
        return onBackend(function, key, backend, snapshot, false);
    }

    /**
     * {@link #onBackend}, {@code holding}: in the operator the job runs the rules operators in,
     * which holds records ahead of the watermark on the heap ({@link HoldingOperators}).
     */
    public static <I, O> KeyedBroadcastOperatorTestHarness<String, I, RuleUpdate, O> onBackend(
            KeyedBroadcastProcessFunction<String, I, RuleUpdate, O> function,
            KeySelector<I, String> key,
            StateBackend backend,
            OperatorSubtaskState snapshot,
            boolean holding)
            throws Exception {
        java.util.List<org.apache.flink.api.common.state.MapStateDescriptor<?, ?>> states =
                java.util.List.of(Tags.RULES);
        CoBroadcastWithKeyedOperator<String, I, RuleUpdate, O> operator =
                holding
                        ? new HoldingOperators.Broadcast<>(function, states)
                        : new CoBroadcastWithKeyedOperator<>(function, states);
        KeyedBroadcastOperatorTestHarness<String, I, RuleUpdate, O> h =
                new KeyedBroadcastOperatorTestHarness<>(operator, key, Types.STRING, 1, 1, 0);
        if (backend != null) {
            h.setStateBackend(backend);
        }
        if (snapshot == null) {
            h.setup();
        } else {
            h.initializeState(snapshot);
        }
        h.open();
        return withIdleRuleUpdates(h);
    }

    /**
     * The VM's rules' state where vm-rules keeps it: in its record (vm-wakeup), or in the rules'
     * own keyed state (vm) for a VM of a version before the two were one record; null for none.
     */
    public static VmState vmRules(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h, String vm)
            throws Exception {
        h.getOperator().setCurrentKey(vm);
        VmWakeUp w = h.getOperator().getKeyedStateStore().getState(Tags.vmWakeUp()).value();
        if (w != null && w.rulesKept) {
            return w.rules();
        }
        return h.getOperator().getKeyedStateStore().getState(Tags.vmState()).value();
    }

    /** Keyed state entries across all keys (heap backend, as in the harness). */
    public static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }
}
