package io.rightsizer.job;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Reading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets a collector's readings through to the assembly and turns its rejected messages aside to the
 * dead letters, counting both, before the readings are keyed by VM.
 */
public class CollectorRouter extends ProcessFunction<Collected, Reading> {
    private static final long serialVersionUID = 1L;

    private final String collector;

    private transient Counter readings;
    private transient Counter undecodable;
    private transient Counter invalid;

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
    }

    @Override
    public void processElement(Collected in, Context ctx, Collector<Reading> out) {
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
}
