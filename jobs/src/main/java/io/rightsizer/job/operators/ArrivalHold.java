package io.rightsizer.job.operators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * Records (vm-rules' samples, system-rules' business reports) that arrived ahead of the watermark,
 * held on the task's heap instead of in keyed state until the watermark passes them, their key
 * wakes up for another reason, or a snapshot is taken (docs/design.md, "Arrivals held until the
 * watermark"). A held record costs its operator neither a read and write of the key's state nor a
 * timer when it arrives: the key's wake-up, which reads and writes the state anyway, takes it.
 * Whatever is held when a snapshot is taken is first moved into keyed state as its arrival would
 * have put it, so a snapshot holds no more than it did, and rescaling and restoring are as before.
 *
 * <p>Bounded: beyond {@link #capacity} held records, a record takes the keyed-state path at once.
 * Not thread-safe; used from the task's thread only.
 */
public final class ArrivalHold<T> {
    /** What the rules operators need of a function that holds its arrivals. */
    public interface Holder {
        /** Turns holding on, called once by the operator when it opens; returns the hold. */
        ArrivalHold<?> holdArrivals();

        /**
         * Moves the current key's held records into keyed state as their arrivals would have put
         * them; the operator sets the key (before a snapshot).
         */
        void release(String key) throws Exception;
    }

    /** Runs the wake-up of {@code key} at {@code at} (the earliest of its held records). */
    public interface WakeUp {
        void fire(String key, long at) throws Exception;
    }

    /** One key's held records, in arrival order. */
    static final class Held<T> {
        final String key;
        final T first;
        List<T> more;
        long earliest;
        boolean taken;

        Held(String key, T first, long at) {
            this.key = key;
            this.first = first;
            this.earliest = at;
        }

        int size() {
            return more == null ? 1 : 1 + more.size();
        }
    }

    /** A VM's place in the queue: at the earliest timestamp it held when queued. */
    private record Due<T>(long at, Held<T> held) {}

    private final int capacity;
    private final ToLongFunction<T> timestamp;
    private final HashMap<String, Held<T>> byKey = new HashMap<>();
    private final PriorityQueue<Due<T>> queue =
            new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    private int count;

    /** Holding at most {@code capacity} records, each at its {@code timestamp}. */
    public ArrivalHold(int capacity, ToLongFunction<T> timestamp) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.timestamp = timestamp;
    }

    /** How many records are held. */
    public int size() {
        return count;
    }

    /**
     * Holds {@code x} for {@code key}; false when the hold is full (the caller takes the
     * keyed-state path, which releases the key's held records first).
     */
    public boolean offer(String key, T x) {
        if (count >= capacity) {
            return false;
        }
        long at = timestamp.applyAsLong(x);
        Held<T> h = byKey.get(key);
        if (h == null) {
            h = new Held<>(key, x, at);
            byKey.put(key, h);
            queue.add(new Due<>(at, h));
        } else {
            if (at < h.earliest) {
                // Ahead of its place: queued again there, the first place found stale when polled.
                h.earliest = at;
                queue.add(new Due<>(at, h));
            }
            if (h.more == null) {
                h.more = new ArrayList<>(4);
            }
            h.more.add(x);
        }
        count++;
        return true;
    }

    /** The held records of {@code key} in arrival order, now no longer held; null for none. */
    public List<T> take(String key) {
        if (count == 0) {
            return null;
        }
        Held<T> h = byKey.remove(key);
        if (h == null) {
            return null;
        }
        h.taken = true;
        count -= h.size();
        if (h.more == null) {
            return List.of(h.first);
        }
        List<T> out = new ArrayList<>(h.size());
        out.add(h.first);
        out.addAll(h.more);
        return out;
    }

    /**
     * Wakes every key holding a record at or before {@code watermark}, earliest first; each wake-up
     * is to {@link #take} the key's records.
     */
    public void fireDue(long watermark, WakeUp wakeUp) throws Exception {
        Due<T> d;
        while ((d = queue.peek()) != null && d.at() <= watermark) {
            queue.poll();
            Held<T> h = d.held();
            if (!h.taken && d.at() == h.earliest) {
                // A wake-up that failed before taking them leaves them held until the snapshot
                // releases them into keyed state, whose timer then wakes the VM.
                wakeUp.fire(h.key, d.at());
            }
        }
        if (count == 0 && !queue.isEmpty()) {
            // Only stale places are left.
            queue.clear();
        }
    }

    /** The keys holding records, for their release before a snapshot. */
    public List<String> keys() {
        return new ArrayList<>(byKey.keySet());
    }
}
