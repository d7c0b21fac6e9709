package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import org.apache.flink.api.common.state.ListState;

/**
 * A VM's samples accepted since its last wake-up, in arrival order, in a list state of their own
 * ({@link Tags#vmPending()}): buffering a sample appends it without reading anything (on RocksDB a
 * merge), and the rules' state is read and written only when the watermark passes a batch of them.
 * At the wake-up they all move into the rules' state's pending samples ({@link #drainInto}).
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

    void add(Sample x) throws Exception {
        list.add(x);
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
    int drainInto(VmState s) throws Exception {
        return mergeInto(s, list.get());
    }

    /** The batch that {@link #drainInto} took was judged and its state stored. */
    void taken() {
        list.clear();
    }

    void clear() {
        list.clear();
    }

    /**
     * The samples waiting for the VM's evaluation, as it would take them: those of {@code s} (null
     * for none) and the buffered ones, by timestamp, duplicates left out. Changes neither.
     */
    Sample[] waiting(VmState s) throws Exception {
        VmState scratch = new VmState();
        if (s != null) {
            for (int i = 0; i < s.pendingCount && i < s.pending.length; i++) {
                if (s.pending[i] != null) {
                    VmEvaluator.admitTo(scratch, s.pending[i], Long.MIN_VALUE);
                }
            }
        }
        mergeInto(scratch, list.get());
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
