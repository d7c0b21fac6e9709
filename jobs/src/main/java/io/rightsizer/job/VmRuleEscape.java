package io.rightsizer.job;

import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.TimerService;

/**
 * What vm-rules does with a record or a timer that fails for a reason nobody foresaw
 * (docs/failures.md): the FAILED dead letters it gives, and the timers of a VM that starts over.
 * Kept apart from {@link VmRuleFunction}, whose job is the rules.
 */
final class VmRuleEscape {
    private final RecordFailures failures;
    private final String sourceName;

    VmRuleEscape(RecordFailures failures, String sourceName) {
        this.failures = failures;
        this.sourceName = sourceName;
    }

    /** The dead letter of an input record (a sample or an inventory record) that failed. */
    Rejected inputFailed(Throwable e, VmInput in, String vmId) {
        if (in.allocation != null) {
            return failures.failed(
                    e, "inventory record of " + vmId, RecordFailures.ofInventory(in, vmId));
        }
        return failures.failed(
                e,
                "sample of " + vmId + " at " + Instant.ofEpochMilli(in.sample.timestamp),
                RecordFailures.ofSample(in.sample, sourceName));
    }

    /**
     * The dead letters of a failed timer: one per sample that waited for it, with its coordinates;
     * a timer with no sample waiting (a deadline, the retention), or a state that cannot be read
     * ({@code s} null), gives one letter with the VM's id and the timer's instant.
     */
    List<Rejected> timerFailed(Throwable e, long timestamp, String vmId, VmState s) {
        String what = "timer of " + vmId + " at " + Instant.ofEpochMilli(timestamp);
        List<Rejected> letters = new ArrayList<>();
        int n = s == null ? 0 : Math.min(s.pendingCount, s.pending.length);
        Rejected first = null;
        for (int i = 0; i < n; i++) {
            Sample p = s.pending[i];
            if (p == null) {
                continue;
            }
            Rejected letter = RecordFailures.ofSample(p, sourceName);
            if (first == null) {
                first =
                        failures.failed(
                                e,
                                what
                                        + ", judging its sample at "
                                        + Instant.ofEpochMilli(p.timestamp),
                                letter);
                letters.add(first);
            } else {
                letters.add(failures.alsoFailed(first, letter));
            }
        }
        if (first == null) {
            Rejected letter = RecordFailures.of(sourceName, vmId);
            letter.sampleTimestamp = timestamp;
            letters.add(failures.failed(e, what, letter));
        }
        return letters;
    }

    /**
     * Deletes every timer a VM that starts over (or is decommissioned) registered: those of its
     * rules' state {@code s} and its pending samples, and its notice timer; the notice timer is
     * registered again when the inventory record stays ({@code inventoryToo} false), since it may
     * have stood at the same instant as one of the deleted ones. Either argument may be null
     * (nothing, or unreadable).
     */
    static void deleteTimers(
            TimerService timers, VmState s, VmInventory inv, boolean inventoryToo) {
        if (s != null) {
            delete(timers, s.sampleTimer);
            delete(timers, s.deadlineTimer);
            delete(timers, s.expiryTimer);
            delete(timers, s.silenceTimer);
            for (int i = 0; i < s.pendingCount && i < s.pending.length; i++) {
                if (s.pending[i] != null) {
                    delete(timers, s.pending[i].timestamp);
                }
            }
        }
        if (inv != null) {
            delete(timers, inv.noticeTimer);
            if (!inventoryToo && inv.noticeTimer != VmInventory.NONE) {
                timers.registerEventTimeTimer(inv.noticeTimer);
            }
        }
    }

    private static void delete(TimerService timers, long t) {
        if (t != VmState.NONE) {
            timers.deleteEventTimeTimer(t);
        }
    }
}
