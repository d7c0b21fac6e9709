package io.rightsizer.job;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Sample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Lets samples through and turns rejected records aside to the dead letters, counting both. */
public class IngestRouter extends ProcessFunction<Ingested, Sample> {
    private transient Counter running;
    private transient Counter stopped;
    private transient Counter undecodable;
    private transient Counter invalid;
    private transient Counter late;

    @Override
    public void open(OpenContext ctx) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        running = g.addGroup("power_state", "RUNNING").counter("samples_in");
        stopped = g.addGroup("power_state", "STOPPED").counter("samples_in");
        undecodable = g.addGroup("reason", "UNDECODABLE").counter("dead_letters");
        invalid = g.addGroup("reason", "INVALID").counter("dead_letters");
        // Only the collectors' assembly (route-collected) rejects LATE here.
        late = g.addGroup("reason", "LATE").counter("dead_letters");
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<Sample> out) {
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
}
