package io.rightsizer.job.operators;

import java.io.IOException;
import java.util.HashMap;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed value state with a write-through cache of its objects on the heap, for a small record
 * that is read at every sample: vm-rules' wake-up record ({@link io.rightsizer.job.VmWakeUp}), read
 * when a sample arrives and again when the watermark passes it. On RocksDB each read is a search of
 * the memtable's skip list and a deserialization; in a profile of the province (perf, the native
 * frames JFR does not sample) the reads of vm-rules took a third of its thread, most of it in the
 * skip list (docs/design.md, "vm-rules: the wake-up record cached on RocksDB").
 *
 * <p>Every write still goes to the state, so a checkpoint holds exactly what it held without the
 * cache, and a restore or a failover (a new operator instance, an empty cache) reads the state
 * again. What the cache holds for a key is always the object last written, or read, for it: the
 * callers change the object only on the way to an {@code update} (or a {@code clear}), as they must
 * for RocksDB anyway.
 *
 * <p>Only a state that hands out a fresh object at every read (RocksDB's) is cached ({@link
 * #servesCopies}). The heap backend's state is a cache already, and its objects must not be kept
 * past a call: while a snapshot is written, a read hands out a copy and the snapshot reads the
 * original. Any other state, a wrapper of Flink's or a test's, passes through uncached.
 *
 * <p>The cache holds at most {@code capacity} keys; when full, keys not in it are read and written
 * through without being cached (keys are dropped when the state is cleared), so it costs at most
 * {@code capacity} entries of heap and at worst one hash lookup per access.
 *
 * <p>Not thread-safe: one instance per operator instance, used from its task thread. {@link #at}
 * names the key of the record at hand before any other call, since the cache cannot ask the backend
 * for it.
 */
final class CachedValueState<V> implements ValueState<V> {
    /** RocksDB's value state, the one that serializes on every write and read. */
    static final String ROCKSDB_VALUE_STATE = "org.apache.flink.state.rocksdb.RocksDBValueState";

    private final ValueState<V> state;
    private final HashMap<Object, V> cache;
    private final int capacity;
    private Object key;
    private long hits;
    private long reads;

    /**
     * @param state the keyed state to cache; cached only when it {@linkplain #servesCopies serves
     *     copies}
     * @param capacity the most keys held (0: no cache)
     */
    CachedValueState(ValueState<V> state, int capacity) {
        this(state, capacity, servesCopies(state));
    }

    /** {@code copies}: whether {@code state} hands out a new object at every read. */
    CachedValueState(ValueState<V> state, int capacity, boolean copies) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity < 0: " + capacity);
        }
        this.state = state;
        this.capacity = copies ? capacity : 0;
        this.cache = this.capacity == 0 ? null : new HashMap<>();
    }

    /** Whether {@code state} deserializes a new object at every read, so one may be kept. */
    static boolean servesCopies(ValueState<?> state) {
        return state.getClass().getName().equals(ROCKSDB_VALUE_STATE);
    }

    /** Whether this instance caches at all. */
    boolean caching() {
        return cache != null;
    }

    /** The key of the next calls: the operator's current key. */
    void at(Object currentKey) {
        this.key = currentKey;
    }

    /** Reads served from the cache, for the tests and the metrics. */
    long hits() {
        return hits;
    }

    /** Reads that went to the state, cached or not. */
    long reads() {
        return reads;
    }

    /** Keys held. */
    int size() {
        return cache == null ? 0 : cache.size();
    }

    @Override
    public V value() throws IOException {
        reads++;
        if (cache == null) {
            return state.value();
        }
        V v = cache.get(key);
        if (v != null) {
            reads--;
            hits++;
            return v;
        }
        v = state.value();
        if (v != null) {
            keep(v);
        }
        return v;
    }

    @Override
    public void update(V value) throws IOException {
        if (cache != null) {
            // Out of the cache first: should the write fail, the next read goes to the state.
            cache.remove(key);
        }
        state.update(value);
        if (cache != null && value != null) {
            keep(value);
        }
    }

    @Override
    public void clear() {
        if (cache != null) {
            cache.remove(key);
        }
        state.clear();
    }

    private void keep(V v) {
        if (cache.size() < capacity) {
            cache.put(key, v);
        }
    }
}
