package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.SystemState;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State written by Flink's POJO serializer (the checked-in savepoints 0.1.0 and 0.2.0) is read by
 * the POJO serializer restored from its snapshot and written on in the hand-written format, on the
 * heap and on RocksDB; a later restore reads the hand-written format alone.
 */
class PojoStateMigrationTest {
    static final long T1 = StateFixtures.W1;

    static <T> TypeSerializer<T> pojo(Class<T> type) {
        return TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
    }

    /** Through bytes, as a savepoint's metadata carries it. */
    static <T> TypeSerializerSnapshot<T> stored(TypeSerializerSnapshot<T> snapshot)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()),
                PojoStateMigrationTest.class.getClassLoader());
    }

    static <T> T throughBytes(T value, TypeSerializer<T> writer, TypeSerializer<T> reader)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        writer.serialize(value, out);
        return reader.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void aPojoSnapshotIsCompatibleAfterMigrationAndOurOwnAsIs() throws Exception {
        TypeSerializerSnapshot<VmState> oldVm = stored(pojo(VmState.class).snapshotConfiguration());
        TypeSerializerSnapshot<VmInventory> oldInventory =
                stored(pojo(VmInventory.class).snapshotConfiguration());

        TypeSerializerSchemaCompatibility<VmState> vm =
                VmStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(oldVm);
        TypeSerializerSchemaCompatibility<VmInventory> inventory =
                VmInventorySerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(oldInventory);
        TypeSerializerSchemaCompatibility<VmState> own =
                VmStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(
                                stored(VmStateSerializer.INSTANCE.snapshotConfiguration()));
        TypeSerializerSchemaCompatibility<VmState> inventoryAsVm =
                VmStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(
                                (TypeSerializerSnapshot)
                                        stored(
                                                VmInventorySerializer.INSTANCE
                                                        .snapshotConfiguration()));

        assertThat(vm.isCompatibleAfterMigration()).isTrue();
        assertThat(inventory.isCompatibleAfterMigration()).isTrue();
        assertThat(
                        SystemStateSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        stored(pojo(SystemState.class).snapshotConfiguration()))
                                .isCompatibleAfterMigration())
                .isTrue();
        assertThat(
                        VmWakeUpSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        stored(pojo(VmWakeUp.class).snapshotConfiguration()))
                                .isCompatibleAfterMigration())
                .isTrue();
        assertThat(own.isCompatibleAsIs()).isTrue();
        assertThat(inventoryAsVm.isIncompatible()).isTrue();
    }

    @Test
    void whatThePojoSerializerWroteIsWrittenAgainUnchanged() throws Exception {
        VmState state = StateFixtures.everyFieldSet();
        VmInventory inventory = StateFixtures.inventoryWithEveryFieldSet();
        TypeSerializer<VmState> oldVm =
                stored(pojo(VmState.class).snapshotConfiguration()).restoreSerializer();
        TypeSerializer<VmInventory> oldInventory =
                stored(pojo(VmInventory.class).snapshotConfiguration()).restoreSerializer();

        VmState vmMigrated =
                throughBytes(
                        throughBytes(state, pojo(VmState.class), oldVm),
                        VmStateSerializer.INSTANCE,
                        VmStateSerializer.INSTANCE);
        VmInventory inventoryMigrated =
                throughBytes(
                        throughBytes(inventory, pojo(VmInventory.class), oldInventory),
                        VmInventorySerializer.INSTANCE,
                        VmInventorySerializer.INSTANCE);

        assertThat(vmMigrated)
                .usingRecursiveComparison()
                .ignoringFields("pending")
                .isEqualTo(state);
        assertThat(vmMigrated.pendingSamples())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(state.pendingSamples());
        assertThat(inventoryMigrated).usingRecursiveComparison().isEqualTo(inventory);
    }

    /** Counts each VM's samples in its state, as POJO state or in the hand-written format. */
    static class Counting extends KeyedProcessFunction<String, Sample, String> {
        private final boolean pojo;
        private transient ValueState<VmState> state;
        private transient ValueState<VmInventory> inventory;
        private transient ValueState<VmWakeUp> wakeUp;
        private transient ValueState<SystemState> system;

        Counting(boolean pojo) {
            this.pojo = pojo;
        }

        @Override
        public void open(OpenContext ctx) {
            state =
                    getRuntimeContext()
                            .getState(
                                    pojo
                                            ? new ValueStateDescriptor<>(
                                                    "vm", TypeInformation.of(VmState.class))
                                            : Tags.vmState());
            inventory =
                    getRuntimeContext()
                            .getState(
                                    pojo
                                            ? new ValueStateDescriptor<>(
                                                    "vm-inventory",
                                                    TypeInformation.of(VmInventory.class))
                                            : Tags.vmInventory());
            wakeUp =
                    getRuntimeContext()
                            .getState(
                                    pojo
                                            ? new ValueStateDescriptor<>(
                                                    "vm-wakeup", TypeInformation.of(VmWakeUp.class))
                                            : Tags.vmWakeUp());
            system =
                    getRuntimeContext()
                            .getState(
                                    pojo
                                            ? new ValueStateDescriptor<>(
                                                    "system", TypeInformation.of(SystemState.class))
                                            : Tags.systemState());
        }

        @Override
        public void processElement(Sample x, Context ctx, Collector<String> out) throws Exception {
            VmState s = state.value();
            VmInventory inv = inventory.value();
            if (s == null) {
                s = new VmState();
                s.systemId = x.systemId;
                inv = new VmInventory();
                inv.protectedFrom = new long[] {x.timestamp};
                inv.protectedUntil = new long[] {x.timestamp + 1};
            }
            VmWakeUp w = wakeUp.value() == null ? VmWakeUp.ofNewVm() : wakeUp.value();
            SystemState sys = system.value() == null ? new SystemState() : system.value();
            s.weekSamples++;
            s.lastEvaluatedAt = x.timestamp;
            inv.memoryBytes = s.weekSamples;
            w.trackedBy++;
            w.lone = w.lone == null ? x : w.lone;
            w.earliestBuffered = w.lone.timestamp;
            sys.trackedBy++;
            sys.referenceUnitId = x.systemId;
            sys.pending =
                    new BusinessReport[] {
                        BusinessReport.of(x.systemId, "unit-1", x.timestamp, sys.trackedBy)
                    };
            state.update(s);
            inventory.update(inv);
            wakeUp.update(w);
            system.update(sys);
            out.collect(
                    x.vmId
                            + " "
                            + s.systemId
                            + " samples="
                            + s.weekSamples
                            + " since="
                            + (inv.protectedFrom[0] - T1)
                            + " inventory="
                            + inv.memoryBytes
                            + " wake-ups="
                            + w.trackedBy
                            + " lone="
                            + (w.lone.timestamp - T1)
                            + " reports="
                            + sys.pending[0].businessRecords
                            + " of "
                            + sys.referenceUnitId);
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Sample, String> harness(
            boolean pojo, StateBackend backend, OperatorSubtaskState restore) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Sample, String> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Counting(pojo)), x -> x.vmId, Types.STRING);
        h.setStateBackend(backend);
        if (restore == null) {
            h.setup();
        } else {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static List<String> run(
            KeyedOneInputStreamOperatorTestHarness<String, Sample, String> h, Sample... xs)
            throws Exception {
        for (Sample x : xs) {
            h.processElement(x, x.timestamp);
        }
        List<String> out = h.extractOutputValues();
        return out.subList(out.size() - xs.length, out.size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "rocksdb"})
    void pojoStateRestoresIntoTheHandWrittenFormatAndOnFromThere(String backend) throws Exception {
        OperatorSubtaskState pojoSnapshot;
        try (var h = harness(true, backend(backend), null)) {
            run(
                    h,
                    StateFixtures.sample("vm-a", T1),
                    StateFixtures.sample("vm-a", T1 + 1000),
                    StateFixtures.sample("vm-b", T1 + 2000));
            pojoSnapshot = h.snapshot(1, 1);
        }
        OperatorSubtaskState migrated;
        List<String> afterMigration;
        try (var h = harness(false, backend(backend), pojoSnapshot)) {
            afterMigration =
                    run(
                            h,
                            StateFixtures.sample("vm-a", T1 + 3000),
                            StateFixtures.sample("vm-c", T1 + 4000));
            migrated = h.snapshot(2, 2);
        }
        List<String> afterSecondRestore;
        try (var h = harness(false, backend(backend), migrated)) {
            afterSecondRestore =
                    run(
                            h,
                            StateFixtures.sample("vm-a", T1 + 5000),
                            StateFixtures.sample("vm-b", T1 + 6000),
                            StateFixtures.sample("vm-c", T1 + 7000));
        }

        assertThat(afterMigration)
                .containsExactly(
                        "vm-a sys-9 samples=3 since=0 inventory=3 wake-ups=3 lone=0 reports=3"
                                + " of sys-9",
                        "vm-c sys-9 samples=1 since=4000 inventory=1 wake-ups=1 lone=4000"
                                + " reports=1 of sys-9");
        assertThat(afterSecondRestore)
                .containsExactly(
                        "vm-a sys-9 samples=4 since=0 inventory=4 wake-ups=4 lone=0 reports=4"
                                + " of sys-9",
                        "vm-b sys-9 samples=2 since=2000 inventory=2 wake-ups=2 lone=2000"
                                + " reports=2 of sys-9",
                        "vm-c sys-9 samples=2 since=4000 inventory=2 wake-ups=2 lone=4000"
                                + " reports=2 of sys-9");
    }

    static StateBackend backend(String name) {
        return name.equals("rocksdb")
                ? new EmbeddedRocksDBStateBackend()
                : new HashMapStateBackend();
    }
}
