package io.rightsizer.model;

import io.rightsizer.schema.Decision;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;

/**
 * What the decision router passes to the lifecycle operator, keyed by subject: a rule firing, or a
 * decision with the subject and rule the router remembered for its id. One stream for both keeps a
 * firing ahead of the decisions on it. A Flink POJO.
 */
public class LifecycleInput {
    public String subject;
    public String ruleId;

    /** Set for a firing. */
    public Recommendation firing;

    /** Set for a decision. */
    public Decision decision;

    /** Set for an inventory record, its effectiveAt resolved. */
    public VmAllocation allocation;

    /** Its event time: firedAt, decidedAt, or the allocation's effectiveAt. */
    public long at;

    public LifecycleInput() {}

    public static LifecycleInput firing(String subject, Recommendation r) {
        LifecycleInput in = new LifecycleInput();
        in.subject = subject;
        in.ruleId = r.getRuleId();
        in.firing = r;
        in.at = r.getFiredAt().toEpochMilli();
        return in;
    }

    public static LifecycleInput decision(String subject, String ruleId, Decision d) {
        LifecycleInput in = new LifecycleInput();
        in.subject = subject;
        in.ruleId = ruleId;
        in.decision = d;
        in.at = d.getDecidedAt().toEpochMilli();
        return in;
    }

    public static LifecycleInput allocation(String subject, VmAllocation a, long at) {
        LifecycleInput in = new LifecycleInput();
        in.subject = subject;
        in.allocation = a;
        in.at = at;
        return in;
    }

    /** At the same instant: firings, then inventory records, then decisions. */
    public int order() {
        return firing != null ? 0 : allocation != null ? 1 : 2;
    }

    @Override
    public String toString() {
        return "LifecycleInput{"
                + subject
                + " "
                + ruleId
                + " "
                + (firing != null
                        ? "firing " + firing.getRecommendationId()
                        : decision != null ? decision : allocation)
                + "}";
    }
}
