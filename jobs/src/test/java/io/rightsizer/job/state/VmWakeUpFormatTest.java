package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.testing.Samples;
import java.lang.reflect.Field;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * vm-wakeup as Flink's POJO serializer wrote it before the record kept a lone sample (fields
 * wakeUp, earliestBuffered, lastEvaluatedAt, expiryAt, trackedBy) is restored with the new fields
 * at their defaults, which make the operator read the buffered samples' list and the inventory; as
 * it wrote it with every field, before {@link VmWakeUpSerializer}, it is restored whole.
 */
class VmWakeUpFormatTest {
    static final long T = Samples.MON_2026_03_02;

    /** The serializer of the record's first layout, as its snapshot in a savepoint describes it. */
    static TypeSerializer<VmWakeUp> firstLayout() throws Exception {
        String[] names = {"earliestBuffered", "expiryAt", "lastEvaluatedAt", "trackedBy", "wakeUp"};
        Field[] fields = new Field[names.length];
        TypeSerializer<?>[] serializers = new TypeSerializer<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            fields[i] = VmWakeUp.class.getField(names[i]);
            serializers[i] = LongSerializer.INSTANCE;
        }
        return new PojoSerializer<>(
                VmWakeUp.class, serializers, fields, new SerializerConfigImpl());
    }

    @Test
    void aRecordOfTheFirstLayoutIsReadWithItsListAndInventoryToBeRead() throws Exception {
        TypeSerializer<VmWakeUp> first = firstLayout();
        TypeSerializerSnapshot<VmWakeUp> stored =
                PojoStateMigrationTest.stored(first.snapshotConfiguration());
        TypeSerializer<VmWakeUp> now = Tags.vmWakeUp().getSerializer();
        VmWakeUp written = new VmWakeUp();
        written.wakeUp = T + 300_000;
        written.earliestBuffered = T + 300_000;
        written.lastEvaluatedAt = T;
        written.expiryAt = T + 42 * Samples.DAY;
        written.trackedBy = 7;

        TypeSerializerSchemaCompatibility<VmWakeUp> compatibility =
                now.snapshotConfiguration().resolveSchemaCompatibility(stored);
        VmWakeUp read =
                PojoStateMigrationTest.throughBytes(written, first, stored.restoreSerializer());
        VmWakeUp migrated = PojoStateMigrationTest.throughBytes(read, now, now);

        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(migrated).usingRecursiveComparison().isEqualTo(written);
        assertThat(migrated.lone).isNull();
        assertThat(migrated.listEmpty).isFalse();
        assertThat(migrated.noInventory).isFalse();
    }

    @Test
    void aRecordOfThePojoLayoutWithALoneSampleIsMigratedWhole() throws Exception {
        TypeSerializer<VmWakeUp> pojo =
                TypeInformation.of(VmWakeUp.class).createSerializer(new SerializerConfigImpl());
        TypeSerializerSnapshot<VmWakeUp> stored =
                PojoStateMigrationTest.stored(pojo.snapshotConfiguration());
        TypeSerializer<VmWakeUp> now = Tags.vmWakeUp().getSerializer();
        VmWakeUp written = VmWakeUpSerializerTest.everyFieldSet();
        // The rules' state was not part of the record then.
        written.keepRules(null);
        written.rulesKept = false;

        TypeSerializerSchemaCompatibility<VmWakeUp> compatibility =
                now.snapshotConfiguration().resolveSchemaCompatibility(stored);
        VmWakeUp read =
                PojoStateMigrationTest.throughBytes(written, pojo, stored.restoreSerializer());
        VmWakeUp migrated = PojoStateMigrationTest.throughBytes(read, now, now);

        assertThat(now).isInstanceOf(VmWakeUpSerializer.class);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        VmWakeUpSerializerTest.same("migrated", written, migrated);
        assertThat(migrated.rulesKept).isFalse();
    }

    @Test
    void aLoneSampleIsKeptThroughTheCurrentLayout() throws Exception {
        TypeSerializer<VmWakeUp> now = Tags.vmWakeUp().getSerializer();
        VmWakeUp w = VmWakeUp.ofNewVm();
        w.lone = Samples.running("vm-1", "sys-1", T, 50);
        w.earliestBuffered = T;

        VmWakeUp read = PojoStateMigrationTest.throughBytes(w, now, now);

        VmWakeUpSerializerTest.same("read", w, read);
        assertThat(read.listEmpty).isTrue();
        assertThat(read.noInventory).isTrue();
    }

    @Test
    void aRecordOfFormatOneIsReadAsItIsWithItsRulesStateElsewhere() throws Exception {
        // Format 1 wrote the fields format 2 writes for a record whose rules' state it does not
        // keep: the flag of the rules' state clear, nothing after the lone sample.
        VmWakeUp written = VmWakeUpSerializerTest.everyFieldSet();
        written.keepRules(null);
        written.rulesKept = false;
        byte[] format1 = bytes(written);
        VmWakeUpSerializer.Snapshot stored = new VmWakeUpSerializer.Snapshot();
        stored.readSnapshot(1, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());

        VmWakeUp read = VmWakeUpSerializer.INSTANCE.deserialize(new DataInputDeserializer(format1));

        assertThat(format1[0] & 0x80).isZero();
        assertThat(
                        new VmWakeUpSerializer.Snapshot()
                                .resolveSchemaCompatibility(stored)
                                .isCompatibleAsIs())
                .isTrue();
        VmWakeUpSerializerTest.same("read", written, read);
        assertThat(read.rulesKept).isFalse();
        assertThat(read.rules()).isNull();
    }

    @Test
    void aFormatNewerThanThisBuildsIsRefusedWithTheFormatsItReads() {
        VmWakeUpSerializer.Snapshot stored = new VmWakeUpSerializer.Snapshot();

        assertThatThrownBy(
                        () ->
                                stored.readSnapshot(
                                        3,
                                        new DataInputDeserializer(new byte[0]),
                                        getClass().getClassLoader()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageEndingWith("state written in format 3, this build reads format 1 to 2");
    }

    @Test
    void theRulesStateIsCarriedAsStoredBytesUntilItIsUsed() throws Exception {
        VmWakeUp w = VmWakeUpSerializerTest.everyFieldSet();
        byte[] once = bytes(w);

        VmWakeUp read = VmWakeUpSerializer.INSTANCE.deserialize(new DataInputDeserializer(once));
        byte[] rulesAsStored = read.rulesBytes();
        byte[] twice = bytes(read);

        assertThat(rulesAsStored).isNotNull();
        assertThat(read.rulesBytes()).isSameAs(rulesAsStored);
        assertThat(twice).isEqualTo(once);
        VmStateSerializerTest.same("rules' state", w.rules(), read.rules());
        assertThat(read.rulesBytes()).isNull();
        assertThat(bytes(read)).isEqualTo(once);
    }

    @Test
    void aRecordWhoseRulesStateHoldsABacklogIsWrittenWholeAndTheNextOneToo() throws Exception {
        // 2,000 samples ahead of the watermark: far more than the writer's buffer keeps.
        VmWakeUp backlog = VmWakeUp.ofNewVm();
        VmState s = new VmState();
        for (int i = 0; i < 2_000; i++) {
            VmEvaluator.admitTo(s, StateFixtures.sample("vm-9", T + i * 300_000L), Long.MIN_VALUE);
        }
        backlog.keepRules(s);
        VmWakeUp small = VmWakeUpSerializerTest.everyFieldSet();

        VmWakeUp backlogRead = PojoStateMigrationTest.throughBytes(backlog, now(), now());
        VmWakeUp smallRead = PojoStateMigrationTest.throughBytes(small, now(), now());

        assertThat(bytes(backlog).length).isGreaterThan(64 * 1024);
        assertThat(backlogRead.rules().pendingSamples()).hasSize(2_000);
        VmWakeUpSerializerTest.same("backlog", backlog, backlogRead);
        VmWakeUpSerializerTest.same("small after it", small, smallRead);
    }

    static TypeSerializer<VmWakeUp> now() {
        return Tags.vmWakeUp().getSerializer();
    }

    static byte[] bytes(VmWakeUp w) throws java.io.IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        VmWakeUpSerializer.INSTANCE.serialize(w, out);
        return out.getCopyOfBuffer();
    }
}
