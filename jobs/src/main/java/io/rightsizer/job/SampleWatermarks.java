package io.rightsizer.job;

import io.rightsizer.model.Ingested;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks (W = max timestamp − bound − 1 ms) emitted right after the
 * sample that raises them rather than on a wall-clock period, so a replay produces the same
 * watermarks, and hence the same late samples, on every run. Rejected records carry no trusted
 * timestamp and never move the watermark.
 */
public final class SampleWatermarks implements WatermarkStrategy<Ingested> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;

    public SampleWatermarks(Duration outOfOrderness) {
        this.boundMillis = outOfOrderness.toMillis();
    }

    /**
     * The strategy for Kafka: an idle partition stops holding the watermark back, and a partition
     * whose watermark runs more than {@code maxDrift} ahead of the slowest one is paused. Without
     * that alignment a backlog read at uneven speed per partition would leave the fast partitions'
     * samples buffered until the slow ones catch up: days of samples per VM in state.
     */
    public static WatermarkStrategy<Ingested> forKafka(
            Duration outOfOrderness, Duration idle, Duration maxDrift) {
        WatermarkStrategy<Ingested> s = new SampleWatermarks(outOfOrderness);
        if (!idle.isZero()) {
            s = s.withIdleness(idle);
        }
        if (!maxDrift.isZero()) {
            s = s.withWatermarkAlignment("rightsizer-telemetry", maxDrift, Duration.ofMillis(200));
        }
        return s;
    }

    @Override
    public WatermarkGenerator<Ingested> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new Generator<>(boundMillis, e -> e.sample != null);
    }

    @Override
    public TimestampAssigner<Ingested> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (element, recordTimestamp) ->
                element.sample != null ? element.sample.timestamp : recordTimestamp;
    }

    /**
     * W = max timestamp − bound − 1 ms over the events {@code timed} accepts (the others carry no
     * trusted timestamp), emitted on the event that raises it.
     */
    static final class Generator<T> implements WatermarkGenerator<T> {
        private final long bound;
        private final java.util.function.Predicate<T> timed;
        private long maxTimestamp = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        Generator(long bound, java.util.function.Predicate<T> timed) {
            this.bound = bound;
            this.timed = timed;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            if (!timed.test(event)) {
                return;
            }
            if (eventTimestamp > maxTimestamp) {
                maxTimestamp = eventTimestamp;
                long w = maxTimestamp - bound - 1;
                if (w > emitted) {
                    emitted = w;
                    output.emitWatermark(new Watermark(w));
                }
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Watermarks are emitted on events only, so their positions in the stream are
            // deterministic; idleness is handled by the wrapping strategy.
        }
    }
}
