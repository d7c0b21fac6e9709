package io.rightsizer.job.operators;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Reads a counter an operator under a test harness registered. The harness's metric groups register
 * nowhere, but each group keeps its metrics; Flink has no public getter for them, hence the
 * reflection.
 */
final class HarnessCounters {
    private HarnessCounters() {}

    /**
     * The counter {@code name} in the harness's operator's {@code rightsizer} group; fails if it
     * was never made.
     */
    static long counter(AbstractStreamOperatorTestHarness<?> h, String name)
            throws ReflectiveOperationException {
        return count(h.getOperator().getMetricGroup().addGroup("rightsizer"), name);
    }

    private static long count(MetricGroup g, String name) throws ReflectiveOperationException {
        Field f = AbstractMetricGroup.class.getDeclaredField("metrics");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Metric m = ((Map<String, Metric>) f.get(g)).get(name);
        if (m == null) {
            throw new AssertionError("no " + name + " counter in " + g.getMetricIdentifier(""));
        }
        return ((Counter) m).getCount();
    }

    /** {@code records_failed{operator}} of the harness's operator; fails if it was never made. */
    static long recordsFailed(AbstractStreamOperatorTestHarness<?> h, String operator)
            throws ReflectiveOperationException {
        AbstractStreamOperator<?> op = h.getOperator();
        // addGroup returns the groups the operator made, as it made them.
        return count(
                op.getMetricGroup().addGroup("rightsizer").addGroup("operator", operator),
                "records_failed");
    }
}
