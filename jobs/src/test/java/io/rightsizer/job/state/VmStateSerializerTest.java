package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.VmState;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's contract for serializers (copy, serialize, serialized copy, snapshot and restore,
 * duplicate) over a fresh state, a state from real samples with two still pending, and one with
 * every field set.
 */
class VmStateSerializerTest extends SerializerTestBase<VmState> {
    /** The base class compares with this checker where it does not call {@link #deepEquals}. */
    VmStateSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) -> a instanceof VmState && b instanceof VmState,
                                (a, b, checker) ->
                                        StateFixtures.holds(
                                                () ->
                                                        same(
                                                                "deeply equal",
                                                                (VmState) a,
                                                                (VmState) b))));
    }

    @Override
    protected TypeSerializer<VmState> createSerializer() {
        return new VmStateSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<VmState> getTypeClass() {
        return VmState.class;
    }

    @Override
    protected VmState[] getTestData() {
        return new VmState[] {
            new VmState(), StateFixtures.evaluated(), StateFixtures.everyFieldSet()
        };
    }

    /** Equal field by field; of the pending array only the samples in use count. */
    @Override
    protected void deepEquals(String message, VmState should, VmState is) {
        same(message, should, is);
    }

    static void same(String message, VmState should, VmState is) {
        assertThat(is)
                .as(message)
                .usingRecursiveComparison()
                .ignoringFields("pending")
                .isEqualTo(should);
        assertThat(is.pendingSamples())
                .as(message)
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(should.pendingSamples());
    }
}
