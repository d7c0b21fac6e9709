package io.rightsizer.job;

import io.rightsizer.job.state.VmStateSerializer;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.VmState;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.streaming.api.TimerService;

/**
 * The vm-rules operator's record of one VM: its bookkeeping (the VM's single event-time timer, and
 * what a sample's admission needs) and, kept apart from it, the rules' state ({@link VmState}),
 * which a sample's arrival carries along as stored bytes and only a wake-up reads (docs/design.md,
 * "vm-rules: one wake-up per VM").
 *
 * <p>Both are one keyed state, {@link Tags#vmWakeUp()}, written by {@link
 * io.rightsizer.job.state.VmWakeUpSerializer}: on RocksDB a sample then costs two searches of the
 * VM's key (its arrival, its wake-up) instead of three, the rules' state having been a record of
 * its own (docs/performance.md). It stays a Flink POJO (public fields, public no-arg constructor)
 * so that records Flink's POJO serializer wrote before can be read. It exists while the VM has any
 * state.
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

    /**
     * Whether the rules' state is kept in this record ({@link #rules()}, null for none). False (the
     * default, and what a record written before the two were one reads as): it is in its own keyed
     * state ({@link Tags#vmState()}), from where {@link io.rightsizer.job.operators.VmRuleFunction}
     * moves it here at the VM's next wake-up or inventory record.
     */
    public boolean rulesKept;

    /** The rules' state once read or set, null for none or not read yet. */
    private transient VmState rules;

    /** The rules' state as stored and not read yet, null for none or read. */
    private transient byte[] rulesBytes;

    /** Whether the rules' state was moved here from its own keyed state, which is to be cleared. */
    private transient boolean rulesMoved;

    public VmWakeUp() {}

    /** The record of a VM with no state at all: nothing buffered, no inventory record. */
    public static VmWakeUp ofNewVm() {
        VmWakeUp w = new VmWakeUp();
        w.listEmpty = true;
        w.noInventory = true;
        w.rulesKept = true;
        return w;
    }

    /**
     * The rules' state kept here, read from its stored bytes on first use; null for none. The
     * object is the record's own: changes to it are stored with the record.
     */
    public VmState rules() {
        if (rulesBytes != null) {
            try {
                rules = VmStateSerializer.INSTANCE.fromBytes(rulesBytes);
            } catch (IOException e) {
                throw new UncheckedIOException("vm-wakeup: unreadable rules' state", e);
            }
            rulesBytes = null;
        }
        return rules;
    }

    /**
     * The rules' state kept here when it is already parsed (as the heap backend keeps the record
     * between uses), else null: none, in its own keyed state, or stored bytes not read yet.
     */
    public VmState parsedRules() {
        return rulesKept && rulesBytes == null ? rules : null;
    }

    /** Keeps {@code s} (null: none) as the VM's rules' state. */
    public void keepRules(VmState s) {
        rules = s;
        rulesBytes = null;
        rulesKept = true;
    }

    /**
     * Keeps {@code s}, read from the rules' own keyed state of a version before the two were one
     * record: that state is to be cleared once this record is stored ({@link #takeRulesMoved}).
     */
    public void moveRules(VmState s) {
        keepRules(s);
        rulesMoved = s != null;
    }

    /** Whether {@link #moveRules} moved a state here since the last call. */
    public boolean takeRulesMoved() {
        boolean moved = rulesMoved;
        rulesMoved = false;
        return moved;
    }

    /** The rules' state as stored, not read (for {@link #rulesBytes()}). */
    public void keepRulesBytes(byte[] stored) {
        rules = null;
        rulesBytes = stored;
        rulesKept = true;
    }

    /** The rules' state's stored bytes while not read, else null (see {@link #rules()}). */
    public byte[] rulesBytes() {
        return rulesBytes;
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
