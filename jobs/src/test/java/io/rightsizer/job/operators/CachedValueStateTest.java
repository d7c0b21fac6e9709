package io.rightsizer.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.junit.jupiter.api.Test;

/**
 * The write-through cache in front of a keyed value state: every write reaches the state, reads
 * come from the cache while it holds the key, the bound holds, and a state that does not hand out
 * copies is never cached. (On a real RocksDB backend: {@link VmRulesOnRocksDbTest}.)
 */
class CachedValueStateTest {
    /** A keyed state that stores copies and hands out new ones, as RocksDB's does. */
    static final class CopyingState implements ValueState<int[]> {
        final Map<String, int[]> stored = new HashMap<>();
        String key;
        int reads;
        int writes;
        boolean failWrites;

        @Override
        public int[] value() {
            reads++;
            int[] v = stored.get(key);
            return v == null ? null : v.clone();
        }

        @Override
        public void update(int[] value) throws IOException {
            if (failWrites) {
                throw new IOException("disk full");
            }
            writes++;
            stored.put(key, value.clone());
        }

        @Override
        public void clear() {
            stored.remove(key);
        }
    }

    final CopyingState state = new CopyingState();

    CachedValueState<int[]> cached(int capacity) {
        return new CachedValueState<>(state, capacity, true);
    }

    void at(CachedValueState<int[]> c, String key) {
        state.key = key;
        c.at(key);
    }

    @Test
    void readsAfterAWriteAreServedFromTheCacheAndEveryWriteReachesTheState() throws Exception {
        CachedValueState<int[]> c = cached(10);
        at(c, "vm-a");
        assertThat(c.value()).isNull();
        int[] v = {1};
        c.update(v);
        v[0] = 2;
        c.update(v);

        assertThat(c.value()).isSameAs(v);
        assertThat(c.value()).containsExactly(2);
        assertThat(state.stored.get("vm-a")).containsExactly(2);
        assertThat(state.reads).isEqualTo(1);
        assertThat(state.writes).isEqualTo(2);
        assertThat(c.hits()).isEqualTo(2);
        assertThat(c.reads()).isEqualTo(1);
    }

    @Test
    void aReadOfAStoredRecordIsKeptForTheNextRead() throws Exception {
        state.stored.put("vm-a", new int[] {7});
        CachedValueState<int[]> c = cached(10);
        at(c, "vm-a");

        int[] first = c.value();

        assertThat(c.value()).isSameAs(first).containsExactly(7);
        assertThat(state.reads).isEqualTo(1);
    }

    @Test
    void keysAreKeptApart() throws Exception {
        CachedValueState<int[]> c = cached(10);
        at(c, "vm-a");
        c.update(new int[] {1});
        at(c, "vm-b");
        c.update(new int[] {2});

        at(c, "vm-a");
        assertThat(c.value()).containsExactly(1);
        at(c, "vm-b");
        assertThat(c.value()).containsExactly(2);
        at(c, "vm-c");
        assertThat(c.value()).isNull();
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void aClearedKeyIsReadFromTheStateAgain() throws Exception {
        CachedValueState<int[]> c = cached(10);
        at(c, "vm-a");
        c.update(new int[] {1});
        c.clear();

        assertThat(c.value()).isNull();
        assertThat(state.stored).isEmpty();
        assertThat(c.size()).isZero();
        assertThat(state.reads).isEqualTo(1);
    }

    @Test
    void aWriteThatFailedLeavesNothingCachedForTheKey() throws Exception {
        CachedValueState<int[]> c = cached(10);
        at(c, "vm-a");
        c.update(new int[] {1});
        state.failWrites = true;

        assertThatThrownBy(() -> c.update(new int[] {2})).isInstanceOf(IOException.class);

        assertThat(c.value()).containsExactly(1);
        assertThat(state.reads).isEqualTo(1);
    }

    @Test
    void whenFullKeysNotHeldGoThroughToTheState() throws Exception {
        CachedValueState<int[]> c = cached(2);
        for (String k : new String[] {"vm-a", "vm-b", "vm-c"}) {
            at(c, k);
            c.update(new int[] {k.charAt(3)});
        }
        assertThat(c.size()).isEqualTo(2);

        at(c, "vm-c");
        assertThat(c.value()).containsExactly('c');
        assertThat(c.value()).containsExactly('c');
        at(c, "vm-a");
        assertThat(c.value()).containsExactly('a');

        assertThat(state.reads).isEqualTo(2);
        assertThat(c.size()).isEqualTo(2);
        assertThat(state.stored).containsOnlyKeys("vm-a", "vm-b", "vm-c");
    }

    @Test
    void aStateThatIsNotRocksDbsIsNeverCached() throws Exception {
        CachedValueState<int[]> c = new CachedValueState<>(state, 10);
        at(c, "vm-a");
        c.update(new int[] {1});
        c.value();
        c.value();

        assertThat(c.caching()).isFalse();
        assertThat(c.size()).isZero();
        assertThat(state.reads).isEqualTo(2);
        assertThat(CachedValueState.servesCopies(state)).isFalse();
    }
}
