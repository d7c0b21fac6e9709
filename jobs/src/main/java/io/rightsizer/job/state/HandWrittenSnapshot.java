package io.rightsizer.job.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The snapshot of a hand-written state serializer: its format is its version, nothing else is
 * written. State written by Flink's POJO serializer (savepoints 0.1.0 and 0.2.0) is read with that
 * serializer, restored from its own snapshot, and written anew with this one: the heap backend does
 * it as it loads the savepoint, RocksDB value by value when the state is first registered. A format
 * whose reader also reads the formats before it (from {@code oldestReadable} on) takes their state
 * as it is.
 */
abstract class HandWrittenSnapshot<T> implements TypeSerializerSnapshot<T> {
    private final TypeSerializer<T> serializer;
    private final int currentVersion;
    private final int oldestReadable;
    private int readVersion;

    HandWrittenSnapshot(TypeSerializer<T> serializer, int currentVersion) {
        this(serializer, currentVersion, currentVersion);
    }

    HandWrittenSnapshot(TypeSerializer<T> serializer, int currentVersion, int oldestReadable) {
        this.serializer = serializer;
        this.currentVersion = currentVersion;
        this.oldestReadable = oldestReadable;
        this.readVersion = currentVersion;
    }

    @Override
    public int getCurrentVersion() {
        return currentVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
            throws IOException {
        if (!readable(version)) {
            throw new IOException(
                    getClass().getName()
                            + ": state written in format "
                            + version
                            + ", this build reads format "
                            + (oldestReadable == currentVersion
                                    ? String.valueOf(currentVersion)
                                    : oldestReadable + " to " + currentVersion));
        }
        readVersion = version;
    }

    private boolean readable(int version) {
        return version >= oldestReadable && version <= currentVersion;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return serializer;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> old) {
        if (old instanceof PojoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        if (old.getClass() == getClass() && readable(((HandWrittenSnapshot<T>) old).readVersion)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
