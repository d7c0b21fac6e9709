package io.rightsizer.job;

import io.rightsizer.model.RuleUpdate;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The rule-update stream is permanently idle as far as event time goes: it never emits a watermark,
 * so the rules operators' watermark is the telemetry's alone. Not a watermark of Long.MAX_VALUE:
 * while the telemetry is idle, the operators' event time would then jump to the end of time, every
 * pending week would close and every later sample would be late.
 */
final class RuleUpdateWatermarks implements WatermarkStrategy<RuleUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<RuleUpdate> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(RuleUpdate event, long eventTimestamp, WatermarkOutput output) {
                output.markIdle();
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        };
    }

    @Override
    public TimestampAssigner<RuleUpdate> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (u, previous) -> u.publishedAt;
    }
}
