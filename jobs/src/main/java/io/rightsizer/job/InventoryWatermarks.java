package io.rightsizer.job;

import io.rightsizer.model.VmInput;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The inventory stream is permanently idle as far as event time goes, like the rule updates (see
 * {@link RuleUpdateWatermarks}): a compacted topic that changes rarely must never hold back the
 * telemetry's watermark, and must not push it to the end of time either.
 */
final class InventoryWatermarks implements WatermarkStrategy<VmInput> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<VmInput> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(VmInput event, long eventTimestamp, WatermarkOutput output) {
                output.markIdle();
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        };
    }

    @Override
    public TimestampAssigner<VmInput> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (in, previous) -> in.receivedAt != VmInput.UNKNOWN ? in.receivedAt : previous;
    }
}
