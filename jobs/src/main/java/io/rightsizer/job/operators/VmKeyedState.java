package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * A VM's keyed state in vm-rules (docs/design.md, "vm-rules: one wake-up per VM"): its record
 * ({@link VmWakeUp}: the bookkeeping of its one wake-up, the first buffered sample and the rules'
 * state), the inventory record and the other buffered samples; and when that wake-up is due. The
 * rules' state of a VM restored from a version before it was part of the record is in a keyed state
 * of its own ({@link #legacyRules}), from where it moves to the record when the record is next
 * stored.
 */
final class VmKeyedState {
    private static final long NONE = VmWakeUp.NONE;

    final ValueState<VmState> legacyRules;
    final ValueState<VmInventory> inventory;
    final ValueState<VmWakeUp> wakeUps;
    final SampleBuffer buffer;

    private final NoticeSchedule notices;
    private final SilenceWatch silence;
    private final long retentionMillis;

    VmKeyedState(
            RuntimeContext rc, NoticeSchedule notices, SilenceWatch silence, long retentionMillis) {
        this.legacyRules = rc.getState(Tags.vmState());
        this.inventory = rc.getState(Tags.vmInventory());
        this.wakeUps = rc.getState(Tags.vmWakeUp());
        this.buffer = new SampleBuffer(rc.getListState(Tags.vmPending()));
        this.notices = notices;
        this.silence = silence;
        this.retentionMillis = retentionMillis;
    }

    /** The earliest of the VM's deadlines, Long.MAX_VALUE for none. */
    long nextWakeUp(VmWakeUp w, VmState s, VmInventory inv) {
        long t = notices.next(inv);
        if (s != null) {
            t = Math.min(t, Math.min(VmEvaluator.deadlineOf(s), silence.due(s)));
        }
        return w.earliest(t);
    }

    /** The VM's rules' state, null for none; {@code w} null: a VM without a record. */
    VmState rulesOf(VmWakeUp w) throws Exception {
        if (w == null) {
            return legacyRules.value();
        }
        if (!w.rulesKept) {
            w.moveRules(legacyRules.value());
        }
        return w.rules();
    }

    /** Stores the VM's record, and clears the rules' own state if it moved into it. */
    void store(VmWakeUp w) throws Exception {
        wakeUps.update(w);
        if (w.takeRulesMoved()) {
            legacyRules.clear();
        }
    }

    /** Forgets the VM's record and the rules' state with it. */
    void drop(VmWakeUp w) {
        wakeUps.clear();
        if (w.takeRulesMoved()) {
            legacyRules.clear();
        }
    }

    /**
     * The VM's bookkeeping when it has none: null for a VM with no state at all; for one restored
     * from a version before it (0.2.0 and older, whose pending samples are still in its rules'
     * state and whose timers are still registered, each harmless), made from its state, with the
     * retention check a retention period after its last sample. Its one wake-up is registered
     * ({@code arm}) unless the caller does it (a firing, which does what is due first).
     */
    VmWakeUp restoredWakeUp(TimerService timers, boolean arm) throws Exception {
        VmState s = legacyRules.value();
        VmInventory inv = inventory.value();
        if (s == null && inv == null) {
            return null;
        }
        // Its samples, if any, are in its rules' state: vm-pending came with the wake-up record.
        VmWakeUp w = VmWakeUp.ofNewVm();
        w.moveRules(s);
        w.noInventory = inv == null;
        if (s != null) {
            w.lastEvaluatedAt = s.lastEvaluatedAt;
            if (s.pendingCount > 0) {
                w.earliestBuffered = s.pending[0].timestamp;
            }
            if (s.lastEvaluatedAt != VmState.NONE) {
                w.expiryAt = s.lastEvaluatedAt + retentionMillis;
            }
        }
        if (arm) {
            w.arm(timers, nextWakeUp(w, s, inv));
        }
        return w;
    }

    /** The VM's bookkeeping: stored, restored ({@link #restoredWakeUp}) or new. */
    VmWakeUp wakeUp(TimerService timers) throws Exception {
        VmWakeUp w = wakeUps.value();
        if (w == null) {
            w = restoredWakeUp(timers, true);
        }
        return w == null ? VmWakeUp.ofNewVm() : w;
    }

    /** Clears the VM's states; deletes the wake-up first, while it is ahead. */
    void clear(VmWakeUp w, TimerService timers) {
        if (w != null && w.wakeUp != NONE && w.wakeUp > timers.currentWatermark()) {
            timers.deleteEventTimeTimer(w.wakeUp);
        }
        legacyRules.clear();
        inventory.clear();
        buffer.clear();
        wakeUps.clear();
    }

    /**
     * After a failure, the VM starts over: a half-applied update (on the heap state backend the
     * state object is changed in place, before any {@code update}) must not judge, or fail, again.
     * Its rules' state and buffered samples go, and its wake-up with them; its inventory record
     * stays (it still gives the VM's size, protection windows and notices, whose wake-up is
     * registered again), unless an inventory record failed. State that cannot even be read is
     * cleared all the same; a timer it held then fires on an empty state, which does nothing.
     */
    void reset(TimerService timers, boolean inventoryToo, VmRuleMetrics metrics) {
        VmWakeUp w = null;
        VmInventory inv = null;
        try {
            w = wakeUps.value();
            inv = inventoryToo ? null : inventory.value();
        } catch (Exception | StackOverflowError unreadable) {
            // Cleared below all the same.
        }
        if (w != null && w.wakeUp != NONE) {
            timers.deleteEventTimeTimer(w.wakeUp);
        }
        metrics.untrack(w);
        legacyRules.clear();
        buffer.clear();
        wakeUps.clear();
        if (inventoryToo) {
            inventory.clear();
        } else if (inv != null) {
            VmWakeUp kept = new VmWakeUp();
            kept.listEmpty = true;
            kept.keepRules(null);
            kept.arm(timers, notices.next(inv));
            try {
                wakeUps.update(kept);
            } catch (Exception | StackOverflowError unwritable) {
                // Then the notices wait for the VM's next record.
            }
        }
    }
}
