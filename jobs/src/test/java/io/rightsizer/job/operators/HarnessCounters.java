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

    /** {@code records_failed{operator}} of the harness's operator; fails if it was never made. */
    static long recordsFailed(AbstractStreamOperatorTestHarness<?> h, String operator)
            throws ReflectiveOperationException {
        AbstractStreamOperator<?> op = h.getOperator();
        // addGroup returns the groups the operator made, as it made them.
        MetricGroup g = op.getMetricGroup().addGroup("rightsizer").addGroup("operator", operator);
        Field f = AbstractMetricGroup.class.getDeclaredField("metrics");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Metric m = ((Map<String, Metric>) f.get(g)).get("records_failed");
        if (m == null) {
            throw new AssertionError("no records_failed counter for operator " + operator);
        }
        return ((Counter) m).getCount();
    }
}
