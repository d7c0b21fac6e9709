package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.VmInventory;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/** Flink's contract for serializers over an empty inventory and one with every field set. */
class VmInventorySerializerTest extends SerializerTestBase<VmInventory> {
    /** The base class compares with this checker where it does not call {@link #deepEquals}. */
    VmInventorySerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) -> a instanceof VmInventory && b instanceof VmInventory,
                                (a, b, checker) ->
                                        StateFixtures.holds(
                                                () ->
                                                        same(
                                                                "deeply equal",
                                                                (VmInventory) a,
                                                                (VmInventory) b))));
    }

    @Override
    protected TypeSerializer<VmInventory> createSerializer() {
        return new VmInventorySerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<VmInventory> getTypeClass() {
        return VmInventory.class;
    }

    @Override
    protected VmInventory[] getTestData() {
        return new VmInventory[] {new VmInventory(), StateFixtures.inventoryWithEveryFieldSet()};
    }

    @Override
    protected void deepEquals(String message, VmInventory should, VmInventory is) {
        same(message, should, is);
    }

    static void same(String message, VmInventory should, VmInventory is) {
        assertThat(is).as(message).usingRecursiveComparison().isEqualTo(should);
    }
}
