package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.feed;
import static io.rightsizer.job.operators.VmRuleFunctionTest.running;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.Recommendation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * What a sample costs vm-rules in keyed-state accesses (each a serialization and a JNI call on
 * RocksDB), at the two paces the benches run: the live bench's (a VM's samples a few tens ahead of
 * the watermark, one wake-up per sample) and the province's (one sample per VM every 4 hours, the
 * deadman after an hour of silence, so two wake-ups per sample). Counted through the function's
 * runtime context, in the steady state after a warm-up.
 */
class VmStateAccessesTest {
    static final int WARM_UP = 40;
    static final int COUNTED = 100;

    /** Every call on a state the function gets from its runtime context, by state and method. */
    static final class CountingVmRuleFunction extends VmRuleFunction {
        private static final long serialVersionUID = 1L;
        final transient Map<String, Integer> calls = new TreeMap<>();

        CountingVmRuleFunction() {
            super(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE);
            withDataQuality(Duration.ofHours(1));
        }

        @Override
        public RuntimeContext getRuntimeContext() {
            RuntimeContext rc = super.getRuntimeContext();
            return proxy(
                    RuntimeContext.class,
                    (p, m, args) -> {
                        Object r = invoke(rc, m, args);
                        if (m.getName().startsWith("get") && m.getName().endsWith("State")) {
                            Object name = args[0].getClass().getMethod("getName").invoke(args[0]);
                            return counted(m.getReturnType(), r, (String) name);
                        }
                        return r;
                    });
        }

        private Object counted(Class<?> type, Object state, String name) {
            return proxy(
                    type,
                    (p, m, args) -> {
                        if (m.getDeclaringClass() != Object.class) {
                            calls.merge(name + "." + m.getName(), 1, Integer::sum);
                        }
                        return invoke(state, m, args);
                    });
        }

        private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
                throws Throwable {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @SuppressWarnings("unchecked")
        private static <X> X proxy(Class<X> type, InvocationHandler h) {
            return (X)
                    Proxy.newProxyInstance(
                            VmStateAccessesTest.class.getClassLoader(), new Class<?>[] {type}, h);
        }
    }

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            CountingVmRuleFunction f) throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        f, new RightsizerPipeline.ByVm(), Types.STRING, Tags.RULES));
    }

    /** The calls per sample over {@link #COUNTED} samples, after {@link #WARM_UP}. */
    static Map<String, Double> perSample(long interval, long watermarkLag) throws Exception {
        CountingVmRuleFunction f = new CountingVmRuleFunction();
        try (var h = harness(f)) {
            for (int i = 0; i < WARM_UP + COUNTED; i++) {
                if (i == WARM_UP) {
                    f.calls.clear();
                }
                long ts = T + i * interval;
                h.processWatermark(ts - watermarkLag);
                feed(h, running(ts, 50));
            }
            Map<String, Double> out = new TreeMap<>();
            f.calls.forEach((k, v) -> out.put(k, v / (double) COUNTED));
            return out;
        }
    }

    @Test
    void atTheBenchsPaceASampleCosts() throws Exception {
        // Every 5 minutes, the watermark 30 samples behind: each sample's arrival, one wake-up.
        Map<String, Double> calls = perSample(5 * MINUTE, 30 * 5 * MINUTE);

        // One record, read and written at the arrival and at the wake-up. Before the rules'
        // state was part of it: 6 (vm read and written at the wake-up); before the lone sample and
        // the inventory flag: 9 (vm-pending add, get and clear, and vm-inventory read at each
        // wake-up).
        assertThat(calls).isEqualTo(Map.of("vm-wakeup.value", 2.0, "vm-wakeup.update", 2.0));
    }

    @Test
    void atTheProvincesPaceASampleCosts() throws Exception {
        // Every 4 hours, the watermark 5 minutes behind the newest sample: the previous sample's
        // wake-up and the deadman's an hour later, both passed before this one arrives.
        Map<String, Double> calls = perSample(4 * HOUR, 5 * MINUTE);

        // Before the rules' state was part of the record: 6; before that: 10, as at the bench's
        // pace with the wake-up written once more.
        assertThat(calls).isEqualTo(Map.of("vm-wakeup.value", 2.0, "vm-wakeup.update", 2.0));
    }
}
