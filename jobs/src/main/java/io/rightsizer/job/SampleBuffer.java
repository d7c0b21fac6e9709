package io.rightsizer.job;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/**
 * A VM's samples accepted ahead of the watermark, in arrival order, in a list state of their own
 * ({@link Tags#vmPending()}): buffering a sample appends it without reading anything (on RocksDB a
 * merge), and the rules' state is read and written only when the watermark passes a batch of them.
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
     * Moves the buffered samples into {@code s}'s pending ones (which a state restored from an
     * older version may hold already), by timestamp, the first to arrive of equal timestamps kept.
     * Returns how many were duplicates.
     */
    int drainInto(VmState s) throws Exception {
        return mergeInto(s, list.get());
    }

    /**
     * Puts what is left of {@code s}'s pending samples back into the buffer; {@code s} keeps none.
     */
    void keep(VmState s) throws Exception {
        if (s.pendingCount == 0) {
            list.clear();
        } else {
            List<Sample> left = new ArrayList<>(s.pendingCount);
            for (int i = 0; i < s.pendingCount; i++) {
                left.add(s.pending[i]);
            }
            list.update(left);
        }
        s.pending = new Sample[0];
        s.pendingCount = 0;
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
