package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.testing.Samples;
import java.lang.reflect.Field;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
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

        TypeSerializerSchemaCompatibility<VmWakeUp> compatibility =
                now.snapshotConfiguration().resolveSchemaCompatibility(stored);
        VmWakeUp read =
                PojoStateMigrationTest.throughBytes(written, pojo, stored.restoreSerializer());
        VmWakeUp migrated = PojoStateMigrationTest.throughBytes(read, now, now);

        assertThat(now).isInstanceOf(VmWakeUpSerializer.class);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(migrated).usingRecursiveComparison().isEqualTo(written);
    }

    @Test
    void aLoneSampleIsKeptThroughTheCurrentLayout() throws Exception {
        TypeSerializer<VmWakeUp> now = Tags.vmWakeUp().getSerializer();
        VmWakeUp w = VmWakeUp.ofNewVm();
        w.lone = Samples.running("vm-1", "sys-1", T, 50);
        w.earliestBuffered = T;

        VmWakeUp read = PojoStateMigrationTest.throughBytes(w, now, now);

        assertThat(read).usingRecursiveComparison().isEqualTo(w);
        assertThat(read.listEmpty).isTrue();
        assertThat(read.noInventory).isTrue();
    }
}
