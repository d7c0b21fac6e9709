package io.rightsizer.job;

import io.rightsizer.ingest.Collected;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermarks of a collector's readings: the native samples' ({@link SampleWatermarks}) held
 * back by a further {@code ingest.inventory-wait} H, W = max timestamp − bound − H − 1 ms. The
 * assembly closes the interval ending e when W reaches e − H and may hold its sample until W
 * reaches e for the VM's allocation; since W stays below e until then, a sample stamped e is never
 * behind the watermark downstream (rules/README.md, "Samples assembled from collectors").
 */
public final class CollectedWatermarks implements WatermarkStrategy<Collected> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;

    public CollectedWatermarks(Duration outOfOrderness, Duration inventoryWait) {
        this.boundMillis = outOfOrderness.toMillis() + inventoryWait.toMillis();
    }

    /**
     * For Kafka: idle partitions stop holding the watermark back (an unused collector topic must
     * not stop event time for the whole job), and partitions are aligned among themselves, in a
     * group of their own: the collectors' watermarks trail the native ones by H by design.
     */
    public static WatermarkStrategy<Collected> forKafka(
            String collector,
            Duration outOfOrderness,
            Duration inventoryWait,
            Duration idle,
            Duration maxDrift) {
        WatermarkStrategy<Collected> s = new CollectedWatermarks(outOfOrderness, inventoryWait);
        if (!idle.isZero()) {
            s = s.withIdleness(idle);
        }
        if (!maxDrift.isZero()) {
            s =
                    s.withWatermarkAlignment(
                            "rightsizer-" + collector, maxDrift, Duration.ofMillis(200));
        }
        return s;
    }

    @Override
    public WatermarkGenerator<Collected> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new SampleWatermarks.Generator<>(boundMillis, c -> c.reading != null);
    }

    @Override
    public TimestampAssigner<Collected> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (element, recordTimestamp) ->
                element.reading != null ? element.reading.timestamp : recordTimestamp;
    }
}
