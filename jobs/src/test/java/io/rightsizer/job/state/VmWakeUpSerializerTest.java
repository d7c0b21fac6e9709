package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.Sample;
import io.rightsizer.testing.Samples;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's contract for serializers over a new VM's record, one with every instant, a lone sample
 * and a rules' state, one with that rules' state still as stored bytes (a record read and not used
 * yet), and one of an older layout's defaults (nothing known to be empty, the rules' state in its
 * own keyed state).
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
        return new VmWakeUp[] {VmWakeUp.ofNewVm(), everyFieldSet(), rulesUnread(), new VmWakeUp()};
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
        w.keepRules(StateFixtures.everyFieldSet());
        return w;
    }

    /** {@link #everyFieldSet()} with its rules' state as stored bytes, not read. */
    static VmWakeUp rulesUnread() {
        VmWakeUp w = everyFieldSet();
        org.apache.flink.core.memory.DataOutputSerializer out =
                new org.apache.flink.core.memory.DataOutputSerializer(384);
        try {
            VmStateSerializer.INSTANCE.serialize(w.rules(), out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        w.keepRulesBytes(out.getCopyOfBuffer());
        return w;
    }

    /**
     * Equal records: the same fields and the same rules' state, whether read from its bytes or not
     * (reading them here changes neither record's stored form).
     */
    static void same(String message, Object should, Object is) {
        assertThat(is)
                .as(message)
                .usingRecursiveComparison()
                .ignoringFields("rules", "rulesBytes", "rulesMoved")
                .isEqualTo(should);
        if (should instanceof VmWakeUp s && is instanceof VmWakeUp i) {
            if (s.rules() == null) {
                assertThat(i.rules()).as(message + ", rules' state").isNull();
            } else {
                VmStateSerializerTest.same(message + ", rules' state", s.rules(), i.rules());
            }
        }
    }
}
