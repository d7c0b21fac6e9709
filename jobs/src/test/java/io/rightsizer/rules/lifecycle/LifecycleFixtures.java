package io.rightsizer.rules.lifecycle;

import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Named instants, firings, decisions and allocations for the lifecycle tests. */
public final class LifecycleFixtures {
    private LifecycleFixtures() {}

    public static final String VM = "vm-1";
    public static final String SYSTEM = "sys-1";
    public static final String UNIT = "unit-1";
    public static final String ALICE = "alice";

    public static final long MS = 1;
    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;
    public static final long GIB = 1L << 30;

    public static final Duration REMINDER_AFTER = Duration.ofDays(14);
    public static final Duration REJECT_COOLDOWN = Duration.ofDays(30);
    public static final Duration DECISION_WINDOW = Duration.ofDays(180);

    /** Monday 2026-03-09 00:00 Asia/Shanghai: a weekly rule's firing. */
    public static final long FIRED = Instant.parse("2026-03-08T16:00:00Z").toEpochMilli();

    /** When an undecided firing at FIRED is re-sent. */
    public static final long REMINDER_DUE = FIRED + 14 * DAY;

    /** When a firing at FIRED can no longer be decided on. */
    public static final long WINDOW_END = FIRED + 180 * DAY;

    /** A decision two days after the firing. */
    public static final long DECIDED = FIRED + 2 * DAY;

    /** The end of the cooldown of a rejection at DECIDED. */
    public static final long QUIET_UNTIL = DECIDED + 30 * DAY;

    public static final String WEEKLY_AVERAGE = Rule.WEEKLY_AVERAGE.id();
    public static final String WEEKLY_UNDERUSE = Rule.WEEKLY_UNDERUSE.id();
    public static final String STORAGE = Rule.STORAGE_USAGE.id();
    public static final String INACTIVE = Rule.VM_INACTIVE.id();
    public static final String NO_BUSINESS_DATA = Rule.NO_BUSINESS_DATA.id();

    public static Lifecycle lifecycle() {
        return new Lifecycle(REMINDER_AFTER, REJECT_COOLDOWN, DECISION_WINDOW);
    }

    /** A firing of {@code rule} for VM at {@code firedAt}, on 16 GiB memory and 100 GiB storage. */
    public static Recommendation firing(Rule rule, String vm, long firedAt) {
        boolean system = rule.resource() == io.rightsizer.schema.Resource.SYSTEM;
        String subject = system ? SYSTEM : vm;
        return Recommendation.newBuilder()
                .setRecommendationId(Recommendations.id(rule, subject, firedAt))
                .setRuleId(rule.id())
                .setRuleSetVersion("test")
                .setRegulation(rule.regulation())
                .setAction(rule.action())
                .setResource(rule.resource())
                .setVmId(system ? null : vm)
                .setSystemId(SYSTEM)
                .setUnitId(UNIT)
                .setFiredAt(Instant.ofEpochMilli(firedAt))
                .setEvidence(Evidence.newBuilder().build())
                .setReason(rule.id() + " fired")
                .setMemoryTotalBytes(system ? null : 16 * GIB)
                .setStorageTotalBytes(system ? null : 100 * GIB)
                .setPriority(Recommendations.priority(rule.action(), false))
                .build();
    }

    public static Recommendation firing(Rule rule, long firedAt) {
        return firing(rule, VM, firedAt);
    }

    public static Recommendation weeklyAverage(long firedAt) {
        return firing(Rule.WEEKLY_AVERAGE, firedAt);
    }

    public static Decision decision(String id, DecisionState state, long decidedAt) {
        return Decision.newBuilder()
                .setRecommendationId(id)
                .setState(state)
                .setDecidedBy(ALICE)
                .setDecidedAt(Instant.ofEpochMilli(decidedAt))
                .setComment("ok by " + ALICE)
                .build();
    }

    public static Decision decision(Recommendation r, DecisionState state, long decidedAt) {
        return decision(r.getRecommendationId(), state, decidedAt);
    }

    public static Decision deferral(Recommendation r, long decidedAt, long until) {
        Decision d = decision(r, DecisionState.DEFERRED, decidedAt);
        d.setDeferUntil(Instant.ofEpochMilli(until));
        return d;
    }

    public static VmAllocation allocation(
            String vm, long memoryBytes, long storageBytes, AllocationStatus status) {
        return VmAllocation.newBuilder()
                .setVmId(vm)
                .setSystemId(SYSTEM)
                .setUnitId(UNIT)
                .setVcpus(4)
                .setMemoryBytes(memoryBytes)
                .setStorageBytes(storageBytes)
                .setStatus(status)
                .setOnboardedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .setTemporaryExpansions(List.of())
                .setProtectionWindows(List.of())
                .build();
    }

    public static VmAllocation active(long memoryBytes, long storageBytes) {
        return allocation(VM, memoryBytes, storageBytes, AllocationStatus.ACTIVE);
    }

    public static VmAllocation decommissioned() {
        return allocation(VM, 16 * GIB, 100 * GIB, AllocationStatus.DECOMMISSIONED);
    }
}
