package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets samples through and turns rejected records aside to the dead letters, counting both. A
 * record it fails on goes to the dead letters as FAILED ({@link RecordFailures}, operator {@code
 * route-samples}); chained to the source, it would otherwise fail the source's task.
 */
public class IngestRouter extends ProcessFunction<Ingested, Sample> {
    private static final long serialVersionUID = 1L;

    private final String sourceName;

    private transient Counter running;
    private transient Counter stopped;
    private transient Counter undecodable;
    private transient Counter invalid;
    private transient Counter late;
    private transient RecordFailures failures;

    private final String operator;

    /**
     * @param sourceName the telemetry topic (or file), named by the dead letter of a failed sample
     */
    public IngestRouter(String sourceName) {
        this(sourceName, "route-samples");
    }

    /**
     * @param operator the operator's name in records_failed{operator} (route-samples, or
     *     route-collected for the samples assembled from collectors)
     */
    public IngestRouter(String sourceName, String operator) {
        this.sourceName = sourceName;
        this.operator = operator;
    }

    @Override
    public void open(OpenContext ctx) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        running = g.addGroup("power_state", "RUNNING").counter("samples_in");
        stopped = g.addGroup("power_state", "STOPPED").counter("samples_in");
        undecodable = g.addGroup("reason", "UNDECODABLE").counter("dead_letters");
        invalid = g.addGroup("reason", "INVALID").counter("dead_letters");
        // Only the collectors' assembly (route-collected) rejects LATE here.
        late = g.addGroup("reason", "LATE").counter("dead_letters");
        failures = new RecordFailures(g, operator);
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<Sample> out) {
        try {
            route(in, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            ctx.output(Tags.FAILED, failed(e, in));
        }
    }

    private void route(Ingested in, Context ctx, Collector<Sample> out) {
        if (in.sample != null) {
            (in.sample.stopped ? stopped : running).inc();
            out.collect(in.sample);
        } else {
            switch (in.rejected.reason) {
                case UNDECODABLE -> undecodable.inc();
                case LATE -> late.inc();
                case FAILED -> {
                    // Counted where it failed: records_failed{operator}.
                }
                default -> invalid.inc();
            }
            ctx.output(Tags.REJECTED, in.rejected);
        }
    }

    private Rejected failed(Throwable e, Ingested in) {
        if (in.sample != null) {
            return failures.failed(
                    e,
                    "sample of "
                            + in.sample.vmId
                            + " at "
                            + Instant.ofEpochMilli(in.sample.timestamp),
                    RecordFailures.ofSample(in.sample, sourceName));
        }
        if (in.rejected != null) {
            return failures.failed(
                    e,
                    "record rejected as " + in.rejected.reason,
                    RecordFailures.ofRejected(in.rejected));
        }
        return failures.failed(e, "empty record", RecordFailures.of(sourceName, null));
    }
}
