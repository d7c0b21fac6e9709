package io.rightsizer.history;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * Writes line-protocol strings (see {@link HistoryLines}) to InfluxDB through an {@link
 * InfluxWriter} per subtask: at-most-once and best effort, by design.
 *
 * <p>Why no delivery guarantee: the history must never slow down or block the job. A checkpoint
 * does not wait for InfluxDB (flush does nothing then), a full buffer drops instead of
 * back-pressuring, and what is lost is counted. Points are idempotent (same measurement, tags and
 * time overwrite), so the replay after a restore rewrites what the failure may have lost.
 *
 * <p>Metrics (operator scope): {@code rightsizer.influxdb.pointsWritten}, {@code pointsDropped},
 * {@code write_failures} (counters) and {@code bufferedPoints} (gauge); through the Prometheus
 * reporter {@code flink_taskmanager_job_task_operator_rightsizer_influxdb_*}.
 */
public final class InfluxHistorySink implements Sink<String> {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(InfluxHistorySink.class);

    private static final long serialVersionUID = 1L;

    private final InfluxSettings settings;

    public InfluxHistorySink(InfluxSettings settings) {
        this.settings = settings;
    }

    public InfluxSettings settings() {
        return settings;
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        return new Writer(settings, context.metricGroup());
    }

    /** One per subtask: owns the subtask's buffer and sender thread. */
    static final class Writer implements SinkWriter<String> {
        private final InfluxSettings settings;
        private final InfluxWriter writer;
        private boolean drainedAtEnd;

        Writer(InfluxSettings settings, MetricGroup operatorGroup) {
            this.settings = settings;
            MetricGroup group = operatorGroup.addGroup("rightsizer").addGroup("influxdb");
            // Thread-safe: the task thread counts full-buffer drops, the sender thread the rest.
            Counter written = group.counter("points_written", new ThreadSafeSimpleCounter());
            Counter dropped = group.counter("points_dropped", new ThreadSafeSimpleCounter());
            Counter failures = group.counter("write_failures", new ThreadSafeSimpleCounter());
            this.writer =
                    new InfluxWriter(
                            settings,
                            new InfluxWriter.Listener() {
                                @Override
                                public void pointsWritten(long n) {
                                    written.inc(n);
                                }

                                @Override
                                public void pointsDropped(long n) {
                                    dropped.inc(n);
                                }

                                @Override
                                public void writeFailed() {
                                    failures.inc();
                                }
                            });
            InfluxWriter w = writer;
            group.gauge("buffered_points", (Gauge<Integer>) w::bufferedPoints);
        }

        @Override
        public void write(String line, Context context) {
            writer.offer(line);
        }

        /**
         * On a checkpoint: nothing, as a checkpoint must never wait for InfluxDB. At the end of a
         * bounded input: waits up to the drain timeout, so that a replay's history is complete when
         * the job finishes, but a dead server delays the end by the drain timeout only.
         */
        @Override
        public void flush(boolean endOfInput) throws InterruptedException {
            if (endOfInput && !drainedAtEnd) {
                drainedAtEnd = true;
                int buffered = writer.bufferedPoints();
                long t0 = System.nanoTime();
                boolean drained = writer.drain(settings.drainTimeout());
                LOG.info(
                        "End of input: {} points were still buffered; {} after {} ms",
                        buffered,
                        drained ? "all written or dropped" : "the drain timeout passed",
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }

        @Override
        public void close() {
            if (drainedAtEnd) {
                // The end of input already waited its drain timeout: do not wait again.
                writer.close(java.time.Duration.ZERO);
            } else {
                writer.close();
            }
        }

        InfluxWriter writer() {
            return writer;
        }
    }
}
