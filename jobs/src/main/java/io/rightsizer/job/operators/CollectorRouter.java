package io.rightsizer.job.operators;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Reading;
import io.rightsizer.job.Tags;
import io.rightsizer.model.Rejected;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets a collector's readings through to the assembly and turns its rejected messages aside to the
 * dead letters, counting both, before the readings are keyed by VM. A record it fails on goes to
 * the dead letters as FAILED ({@link RecordFailures}, operator {@code route-<collector>}); chained
 * to the source, it would otherwise fail the source's task.
 */
public class CollectorRouter extends ProcessFunction<Collected, Reading> {
    private static final long serialVersionUID = 1L;

    private final String collector;

    private transient Counter readings;
    private transient Counter undecodable;
    private transient Counter invalid;
    private transient RecordFailures failures;

    /**
     * @param collector the collector's name, the metric's {@code format} label ("collectd")
     */
    public CollectorRouter(String collector) {
        this.collector = collector;
    }

    @Override
    public void open(OpenContext ctx) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        readings = g.addGroup("format", collector).counter("collector_values_in");
        undecodable = g.addGroup("reason", "UNDECODABLE").counter("dead_letters");
        invalid = g.addGroup("reason", "INVALID").counter("dead_letters");
        failures = new RecordFailures(g, "route-" + collector);
    }

    @Override
    public void processElement(Collected in, Context ctx, Collector<Reading> out) {
        try {
            route(in, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            ctx.output(Tags.FAILED, failed(e, in));
        }
    }

    private void route(Collected in, Context ctx, Collector<Reading> out) {
        if (in.reading != null) {
            readings.inc();
            out.collect(in.reading);
        } else {
            switch (in.rejected.reason) {
                case UNDECODABLE -> undecodable.inc();
                default -> invalid.inc();
            }
            ctx.output(Tags.REJECTED, in.rejected);
        }
    }

    private Rejected failed(Throwable e, Collected in) {
        if (in.reading != null) {
            return failures.failed(
                    e,
                    "collector value of " + in.reading.vmId,
                    RecordFailures.ofReading(in.reading));
        }
        if (in.rejected != null) {
            return failures.failed(
                    e,
                    "record rejected as " + in.rejected.reason,
                    RecordFailures.ofRejected(in.rejected));
        }
        return failures.failed(e, "empty record", RecordFailures.of(null, null));
    }
}
