package io.rightsizer.job;

import io.rightsizer.model.VmInput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets inventory records through to vm-rules and turns rejected ones aside to the dead letters,
 * counting both, before the stream is keyed (a rejected record may have no vmId to key by).
 */
public class InventoryRouter extends ProcessFunction<VmInput, VmInput> {
    private static final long serialVersionUID = 1L;

    private transient Counter allocations;
    private transient Counter undecodable;
    private transient Counter invalid;

    @Override
    public void open(OpenContext ctx) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        allocations = g.counter("inventory_records_in");
        undecodable = g.addGroup("reason", "UNDECODABLE").counter("dead_letters");
        invalid = g.addGroup("reason", "INVALID").counter("dead_letters");
    }

    @Override
    public void processElement(VmInput in, Context ctx, Collector<VmInput> out) {
        if (in.rejected == null) {
            allocations.inc();
            out.collect(in);
        } else {
            switch (in.rejected.reason) {
                case UNDECODABLE -> undecodable.inc();
                default -> invalid.inc();
            }
            ctx.output(Tags.REJECTED, in.rejected);
        }
    }
}
