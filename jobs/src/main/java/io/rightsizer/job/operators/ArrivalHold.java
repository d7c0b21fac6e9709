package io.rightsizer.job.operators;

import io.rightsizer.model.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Samples that arrived ahead of the watermark, held on the task's heap instead of in keyed state
 * until the watermark passes them, the VM wakes up for another reason, or a snapshot is taken
 * (docs/design.md, "vm-rules: arrivals held until the watermark"). A held sample costs vm-rules
 * neither a read and write of the VM's record nor a timer when it arrives: the VM's wake-up, which
 * reads and writes the record anyway, takes it. Whatever is held when a snapshot is taken is first
 * moved into keyed state as its arrival would have put it, so a snapshot holds no more than it did,
 * and rescaling and restoring are as before.
 *
 * <p>Bounded: beyond {@link #capacity} held samples, a sample takes the keyed-state path at once.
 * Not thread-safe; used from the task's thread only.
 */
public final class ArrivalHold {
    /** What the rules operators need of a function that holds its arrivals. */
    public interface Holder {
        /** Turns holding on, called once by the operator when it opens; returns the hold. */
        ArrivalHold holdArrivals();

        /**
         * Moves the current key's held samples into keyed state as their arrivals would have put
         * them; the operator sets the key (before a snapshot).
         */
        void release(String key) throws Exception;
    }

    /** Runs the wake-up of {@code key} at {@code at} (the earliest of its held samples). */
    public interface WakeUp {
        void fire(String key, long at) throws Exception;
    }

    /** One VM's held samples, in arrival order. */
    static final class Held {
        final String key;
        final Sample first;
        List<Sample> more;
        long earliest;
        boolean taken;

        Held(String key, Sample first) {
            this.key = key;
            this.first = first;
            this.earliest = first.timestamp;
        }

        int size() {
            return more == null ? 1 : 1 + more.size();
        }
    }

    /** A VM's place in the queue: at the earliest timestamp it held when queued. */
    private record Due(long at, Held held) {}

    private final int capacity;
    private final HashMap<String, Held> byKey = new HashMap<>();
    private final PriorityQueue<Due> queue =
            new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    private int count;

    public ArrivalHold(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** How many samples are held. */
    public int size() {
        return count;
    }

    /**
     * Holds {@code x} for {@code key}; false when the hold is full (the caller takes the
     * keyed-state path, which releases the key's held samples first).
     */
    public boolean offer(String key, Sample x) {
        if (count >= capacity) {
            return false;
        }
        Held h = byKey.get(key);
        if (h == null) {
            h = new Held(key, x);
            byKey.put(key, h);
            queue.add(new Due(x.timestamp, h));
        } else {
            if (x.timestamp < h.earliest) {
                // Ahead of its place: queued again there, the first place found stale when polled.
                h.earliest = x.timestamp;
                queue.add(new Due(x.timestamp, h));
            }
            if (h.more == null) {
                h.more = new ArrayList<>(4);
            }
            h.more.add(x);
        }
        count++;
        return true;
    }

    /** The held samples of {@code key} in arrival order, now no longer held; null for none. */
    public Sample[] take(String key) {
        if (count == 0) {
            return null;
        }
        Held h = byKey.remove(key);
        if (h == null) {
            return null;
        }
        h.taken = true;
        count -= h.size();
        Sample[] out = new Sample[h.size()];
        out[0] = h.first;
        for (int i = 1; i < out.length; i++) {
            out[i] = h.more.get(i - 1);
        }
        return out;
    }

    /**
     * Wakes every VM holding a sample at or before {@code watermark}, earliest first; each wake-up
     * is to {@link #take} the VM's samples.
     */
    public void fireDue(long watermark, WakeUp wakeUp) throws Exception {
        Due d;
        while ((d = queue.peek()) != null && d.at() <= watermark) {
            queue.poll();
            Held h = d.held();
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

    /** The keys holding samples, for their release before a snapshot. */
    public List<String> keys() {
        return new ArrayList<>(byKey.keySet());
    }
}
