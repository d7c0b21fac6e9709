package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/**
 * A VM's samples accepted since its last wake-up, in arrival order: the first in the VM's wake-up
 * record ({@link VmWakeUp#lone}), which a sample reads anyway, the others appended to a list state
 * of their own ({@link Tags#vmPending()}, on RocksDB a merge that reads nothing). The rules' state,
 * which the record carries as stored bytes, is parsed and changed only when the watermark passes a
 * batch of them. At the wake-up they all move into the rules' state's pending samples ({@link
 * #drainInto}); the list is read and cleared only when it holds any ({@link VmWakeUp#listEmpty}),
 * which at one sample per wake-up it never does.
 *
 * <p>A sample with the timestamp of another one buffered is not told apart on arrival: the batch's
 * evaluation ({@link #drainInto}) keeps the first to arrive and counts the others as duplicates,
 * which is what {@link VmEvaluator#admit} did on arrival (the same sample kept, the same count).
 */
final class SampleBuffer {
    private final ListState<Sample> list;

    SampleBuffer(ListState<Sample> list) {
        this.list = list;
    }

    /** Buffers {@code x}; returns whether {@code w} changed (and must be written). */
    boolean add(VmWakeUp w, Sample x) throws Exception {
        if (w.lone == null && w.listEmpty) {
            w.lone = x;
            return true;
        }
        list.add(x);
        if (w.listEmpty) {
            w.listEmpty = false;
            return true;
        }
        return false;
    }

    /**
     * Copies the buffered samples into {@code s}'s pending ones, by timestamp, the first to arrive
     * of equal timestamps kept; {@link #taken} empties the buffer once the batch is judged (until
     * then a batch that fails can still name them). Returns how many were duplicates.
     *
     * <p>What the watermark has not passed yet stays among {@code s}'s pending samples, not in the
     * buffer: written back to the buffer, a backlog ahead of the watermark (a partition read ahead
     * of the others) was read, merged and rewritten whole at every wake-up, which made a wake-up
     * cost the backlog's length and, in a profile, half of the job's time. Among the pending
     * samples it costs the heap backend nothing (the state object is kept) and RocksDB one
     * serialization per wake-up, as the buffer's rewrite did.
     */
    int drainInto(VmWakeUp w, VmState s) throws Exception {
        int duplicates = 0;
        if (w.lone != null
                && VmEvaluator.admitTo(s, w.lone, Long.MIN_VALUE) == Admission.DUPLICATE) {
            duplicates++;
        }
        return w.listEmpty ? duplicates : duplicates + mergeInto(s, list.get());
    }

    /**
     * Admits {@code held} (null for none), samples held on the heap since they arrived ({@link
     * ArrivalHold}), which arrived after every buffered one, into {@code s}'s pending ones as
     * {@link #drainInto} does; returns how many were duplicates.
     */
    static int admit(VmState s, List<Sample> held) {
        return held == null ? 0 : mergeInto(s, held);
    }

    /** The batch that {@link #drainInto} took was judged and its state stored. */
    void taken(VmWakeUp w) {
        if (!w.listEmpty) {
            list.clear();
        }
        w.lone = null;
        w.listEmpty = true;
    }

    /** Empties the list; the caller drops or empties the wake-up record ({@link #taken}). */
    void clear() {
        list.clear();
    }

    /**
     * The samples waiting for the VM's evaluation, as it would take them: those of {@code s} (null
     * for none), the buffered ones (those of {@code w} too, null for none) and {@code held} (null
     * for none), by timestamp, duplicates left out. Changes neither.
     */
    Sample[] waiting(VmState s, VmWakeUp w, List<Sample> held) throws Exception {
        VmState scratch = new VmState();
        if (s != null) {
            for (int i = 0; i < s.pendingCount && i < s.pending.length; i++) {
                if (s.pending[i] != null) {
                    VmEvaluator.admitTo(scratch, s.pending[i], Long.MIN_VALUE);
                }
            }
        }
        if (w != null && w.lone != null) {
            VmEvaluator.admitTo(scratch, w.lone, Long.MIN_VALUE);
        }
        mergeInto(scratch, list.get());
        admit(scratch, held);
        return scratch.pendingSamples();
    }

    private static int mergeInto(VmState s, Iterable<Sample> buffered) {
        int duplicates = 0;
        if (buffered != null) {
            for (Sample x : buffered) {
                // At the lowest watermark nothing is LATE: lateness was decided on arrival.
                if (VmEvaluator.admitTo(s, x, Long.MIN_VALUE) == Admission.DUPLICATE) {
                    duplicates++;
                }
            }
        }
        return duplicates;
    }
}
