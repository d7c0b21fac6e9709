package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.VmInput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets inventory records through to vm-rules and turns rejected ones aside to the dead letters,
 * counting both, before the stream is keyed (a rejected record may have no vmId to key by). A
 * record it fails on goes to the dead letters as FAILED ({@link RecordFailures}, operator {@code
 * route-inventory}); chained to the source, it would otherwise fail the source's task.
 */
public class InventoryRouter extends ProcessFunction<VmInput, VmInput> {
    private static final long serialVersionUID = 1L;

    private transient Counter allocations;
    private transient Counter undecodable;
    private transient Counter invalid;
    private transient RecordFailures failures;

    @Override
    public void open(OpenContext ctx) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        allocations = g.counter("inventory_records_in");
        undecodable = g.addGroup("reason", "UNDECODABLE").counter("dead_letters");
        invalid = g.addGroup("reason", "INVALID").counter("dead_letters");
        failures = new RecordFailures(g, "route-inventory");
    }

    @Override
    public void processElement(VmInput in, Context ctx, Collector<VmInput> out) {
        try {
            route(in, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            ctx.output(Tags.FAILED, failed(e, in));
        }
    }

    private void route(VmInput in, Context ctx, Collector<VmInput> out) {
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

    private Rejected failed(Throwable e, VmInput in) {
        if (in.rejected != null) {
            return failures.failed(
                    e,
                    "inventory record rejected as " + in.rejected.reason,
                    RecordFailures.ofRejected(in.rejected));
        }
        String vmId = in.allocation == null ? null : in.allocation.getVmId();
        return failures.failed(
                e, "inventory record of " + vmId, RecordFailures.ofInventory(in, vmId));
    }
}
