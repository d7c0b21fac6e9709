package io.rightsizer.rules;

import io.rightsizer.schema.ProtectionWindow;
import io.rightsizer.schema.VmAllocation;
import java.util.List;

/**
 * What the job keeps of a VM's latest inventory record (vm-inventory): its allocation, its
 * protection windows and the temporary periods whose time limits it tracks. Bounded by the record
 * itself, whatever the number of records received. Exact semantics: rules/README.md, "Inventory".
 *
 * <p>A Flink POJO (public fields, public no-arg constructor): the vm-rules operator keeps it in
 * keyed state next to {@link VmState}.
 */
public class VmInventory {
    public static final long NONE = Long.MIN_VALUE;
    private static final long[] NO_TIMES = new long[0];

    public String systemId;
    public String unitId;

    /** The latest record's allocation; -1 before the first record. */
    public long memoryBytes = -1;

    public long storageBytes = -1;

    /** Protection windows [from, until) of the latest record, in its order. */
    public long[] protectedFrom = NO_TIMES;

    public long[] protectedUntil = NO_TIMES;

    /** The temporary periods of the latest record, with their notices' schedule. */
    public TimeLimitPeriod[] periods = new TimeLimitPeriod[0];

    public VmInventory() {}

    public boolean hasRecord() {
        return memoryBytes >= 0;
    }

    /**
     * Takes an ACTIVE record received at {@code receivedAt}: replaces the allocation and the
     * protection windows; the time-limit periods are re-tracked by {@code limits} (null: none are
     * tracked), keeping what was already issued for periods listed again.
     */
    public void apply(VmAllocation a, long receivedAt, TimeLimits limits) {
        systemId = a.getSystemId();
        unitId = a.getUnitId();
        memoryBytes = a.getMemoryBytes();
        storageBytes = a.getStorageBytes();
        List<ProtectionWindow> windows = a.getProtectionWindows();
        protectedFrom = new long[windows.size()];
        protectedUntil = new long[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            protectedFrom[i] = windows.get(i).getFrom().toEpochMilli();
            protectedUntil[i] = windows.get(i).getUntil().toEpochMilli();
        }
        if (limits != null) {
            periods = limits.track(periods, a, receivedAt);
        }
    }

    /** Whether {@code t} lies in a protection window: from inclusive, until exclusive. */
    public boolean protects(long t) {
        for (int i = 0; i < protectedFrom.length; i++) {
            if (protectedFrom[i] <= t && t < protectedUntil[i]) {
                return true;
            }
        }
        return false;
    }
}
