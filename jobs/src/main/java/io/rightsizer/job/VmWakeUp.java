package io.rightsizer.job;

import io.rightsizer.model.Sample;
import org.apache.flink.streaming.api.TimerService;

/**
 * The vm-rules operator's bookkeeping of one VM, apart from the rules' state ({@link
 * io.rightsizer.rules.VmState}): the VM's single event-time timer, and what a sample's admission
 * needs, so that a sample reads and writes only this small record and appends itself to the VM's
 * buffer, never the rules' state (docs/design.md, "vm-rules: one wake-up per VM").
 *
 * <p>In its own keyed state {@link Tags#vmWakeUp()}, written by {@link
 * io.rightsizer.job.state.VmWakeUpSerializer}; it stays a Flink POJO (public fields, public no-arg
 * constructor) so that records Flink's POJO serializer wrote before can be read. It exists while
 * the VM has any state.
 */
public class VmWakeUp {
    public static final long NONE = Long.MIN_VALUE;

    /** The instant of the VM's one registered event-time timer, NONE for none. */
    public long wakeUp = NONE;

    /** The earliest buffered sample's timestamp, NONE when none is buffered. */
    public long earliestBuffered = NONE;

    /** The rules' state's latest evaluated sample (a sample at it is a DUPLICATE), NONE if none. */
    public long lastEvaluatedAt = NONE;

    /** When the retention check is due, NONE before the VM's first evaluation. */
    public long expiryAt = NONE;

    /**
     * The incarnation of the operator that last counted this VM in its vmsTracked gauge (a restore
     * starts a new one, which counts the VM again on its next update); 0 while not counted.
     */
    public long trackedBy;

    /**
     * The first sample buffered since the VM's last wake-up, kept here rather than appended to the
     * list state (null: none): most wake-ups take a single sample, which then costs neither the
     * list's read nor its clear. Later ones go to the list, after it in arrival order.
     */
    public Sample lone;

    /**
     * Whether the list state of buffered samples is known to be empty, so a wake-up need not read
     * or clear it. False (the default, and what a record written before this field reads as): it
     * may hold samples and is read.
     */
    public boolean listEmpty;

    /**
     * Whether the VM is known to have no inventory record, so a wake-up need not read it. False
     * (the default, and what a record written before this field reads as): it is read.
     */
    public boolean noInventory;

    public VmWakeUp() {}

    /** The record of a VM with no state at all: nothing buffered, no inventory record. */
    public static VmWakeUp ofNewVm() {
        VmWakeUp w = new VmWakeUp();
        w.listEmpty = true;
        w.noInventory = true;
        return w;
    }

    /** Takes a newly buffered sample at {@code ts}; returns whether this record changed. */
    public boolean buffered(long ts) {
        if (earliestBuffered == NONE || ts < earliestBuffered) {
            earliestBuffered = ts;
            return true;
        }
        return false;
    }

    /**
     * The earliest of the VM's own deadlines besides {@code others} (the rules' deadline, the
     * silence watch, the next notice; Long.MAX_VALUE for none): its buffered samples and its
     * retention check.
     */
    public long earliest(long others) {
        long t = others;
        if (earliestBuffered != NONE && earliestBuffered < t) {
            t = earliestBuffered;
        }
        if (expiryAt != NONE && expiryAt < t) {
            t = expiryAt;
        }
        return t;
    }

    /**
     * Moves the VM's one timer to {@code next} (Long.MAX_VALUE: none). The old one is deleted only
     * while it is still ahead of the watermark (one behind it has fired or is firing). Returns
     * whether this record changed.
     */
    public boolean arm(TimerService timers, long next) {
        long now = next == Long.MAX_VALUE ? NONE : next;
        long watermark = timers.currentWatermark();
        if (now == wakeUp && (now == NONE || now > watermark)) {
            return false;
        }
        if (wakeUp != NONE && wakeUp != now && wakeUp > watermark) {
            timers.deleteEventTimeTimer(wakeUp);
        }
        if (now != NONE) {
            timers.registerEventTimeTimer(now);
        }
        wakeUp = now;
        return true;
    }

    /** Whether a timer firing at {@code watermark} finds nothing due: one left from elsewhere. */
    public boolean nothingDueAt(long watermark) {
        return wakeUp == NONE || watermark < wakeUp;
    }
}
