package io.rightsizer.job;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * For the side inputs of the job — rule updates, the inventory, decisions: permanently idle as far
 * as event time goes, so the operators' watermark is the telemetry's alone. A compacted topic that
 * changes rarely must never hold back the telemetry's watermark. Not a watermark of Long.MAX_VALUE
 * either: while the telemetry is idle, the operators' event time would then jump to the end of
 * time, every pending week would close, every reminder would fire and every later sample would be
 * late. Record timestamps stay the source's (the Kafka record timestamp).
 */
public final class IdleWatermarks<T> implements WatermarkStrategy<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
                output.markIdle();
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        };
    }
}
