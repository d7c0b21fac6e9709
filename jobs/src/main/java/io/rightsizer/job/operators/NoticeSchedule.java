package io.rightsizer.job.operators;

import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.schema.TimeLimitNotice;
import java.io.Serializable;
import java.util.List;

/**
 * When a VM's time-limit notices are due (rules/README.md, "Time limits"), for the vm-rules
 * operator: the notices the watermark has reached, and the instant of the next one, which is one of
 * the deadlines the VM's single wake-up waits for. Event time only: the end of a bounded input
 * (watermark Long.MAX_VALUE) reaches no notice.
 */
final class NoticeSchedule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Null: no notices. */
    private final TimeLimits limits;

    NoticeSchedule(TimeLimits limits) {
        this.limits = limits;
    }

    /**
     * The notices due at {@code watermark}, each once: {@code inv} remembers them as issued (the
     * caller writes it back when the list is not empty).
     */
    List<TimeLimitNotice> due(String vmId, VmInventory inv, long watermark) {
        if (limits == null || inv == null || watermark == Long.MAX_VALUE) {
            return List.of();
        }
        return limits.issue(inv.periods, vmId, inv.systemId, inv.unitId, watermark);
    }

    /** The next notice's instant, Long.MAX_VALUE for none. */
    long next(VmInventory inv) {
        if (limits == null || inv == null) {
            return Long.MAX_VALUE;
        }
        return limits.nextDue(inv.periods);
    }
}
