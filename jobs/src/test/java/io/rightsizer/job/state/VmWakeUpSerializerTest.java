package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.Sample;
import io.rightsizer.testing.Samples;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's contract for serializers over a new VM's record, one with every instant and a lone
 * sample, and one of an older layout's defaults (nothing known to be empty).
 */
class VmWakeUpSerializerTest extends SerializerTestBase<VmWakeUp> {
    static final long T = Samples.MON_2026_03_02;

    VmWakeUpSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) -> a instanceof VmWakeUp && b instanceof VmWakeUp,
                                (a, b, checker) ->
                                        StateFixtures.holds(() -> same("deeply equal", a, b))));
    }

    @Override
    protected TypeSerializer<VmWakeUp> createSerializer() {
        return new VmWakeUpSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<VmWakeUp> getTypeClass() {
        return VmWakeUp.class;
    }

    @Override
    protected VmWakeUp[] getTestData() {
        return new VmWakeUp[] {VmWakeUp.ofNewVm(), everyFieldSet(), new VmWakeUp()};
    }

    @Override
    protected void deepEquals(String message, VmWakeUp should, VmWakeUp is) {
        same(message, should, is);
    }

    static VmWakeUp everyFieldSet() {
        VmWakeUp w = new VmWakeUp();
        w.wakeUp = T + 300_000;
        w.earliestBuffered = T + 300_000;
        w.lastEvaluatedAt = T;
        w.expiryAt = T + 42 * Samples.DAY;
        w.trackedBy = 1_733_000_000_123L;
        Sample lone = Samples.running("vm-1", "sys-1", T + 300_000, 50);
        lone.unitId = "unit-ü";
        lone.sourcePartition = 3;
        lone.sourceOffset = 12_345_678_901L;
        w.lone = lone;
        w.listEmpty = true;
        w.noInventory = false;
        return w;
    }

    static void same(String message, Object should, Object is) {
        assertThat(is).as(message).usingRecursiveComparison().isEqualTo(should);
    }
}
