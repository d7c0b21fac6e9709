package io.rightsizer.rules;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Resource;

/**
 * The approval lifecycle of one rule for one subject: the recommendation that is OPEN, APPROVED or
 * DEFERRED, or the REJECTED one whose cooldown still runs. At most one per subject and rule, so a
 * subject's lifecycle state is bounded by the number of rules.
 *
 * <p>A Flink POJO: public fields and a public no-arg constructor (no Kryo, fields can be added
 * across savepoints).
 */
public class LifecycleEntry {
    public static final long NONE = Long.MIN_VALUE;

    public String recommendationId;
    public String ruleId;
    public String subject;
    public String vmId;
    public String systemId;
    public String unitId;
    public Action action;
    public Resource resource;
    public LifecycleState state;
    public long firedAt;

    /** The allocation on the recommendation, -1 when it carried none. */
    public long memoryTotalBytes = -1;

    public long storageTotalBytes = -1;

    /** OPEN: when the reminder is due; NONE once sent or when none is due. */
    public long reminderDue = NONE;

    /** DEFERRED: when the entry returns to OPEN. */
    public long deferUntil = NONE;

    /** REJECTED: the end (exclusive) of the cooldown. */
    public long quietUntil = NONE;

    /**
     * OPEN, DEFERRED, APPROVED: when the decision window ends and the entry expires (no decision
     * can reach it after that: the router has forgotten its id).
     */
    public long expiresAt = NONE;

    /** The recommendation as sent, Avro single-object encoding, for the reminder. */
    public byte[] recommendation;

    public LifecycleEntry() {}

    /** The event time at which the entry needs the lifecycle's attention next, NONE for never. */
    public long nextDue() {
        if (state == null) {
            return NONE;
        }
        return switch (state) {
            case OPEN -> reminderDue != NONE ? Math.min(reminderDue, expiresAt) : expiresAt;
            case DEFERRED -> deferUntil;
            case APPROVED -> expiresAt;
            case REJECTED -> quietUntil;
            case IMPLEMENTED, EXPIRED, WITHDRAWN -> NONE;
        };
    }

    @Override
    public String toString() {
        return "LifecycleEntry{"
                + subject
                + " "
                + ruleId
                + " "
                + recommendationId
                + " "
                + state
                + "}";
    }
}
