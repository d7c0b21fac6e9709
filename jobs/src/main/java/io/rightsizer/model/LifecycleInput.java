package io.rightsizer.model;

import io.rightsizer.schema.Decision;
import io.rightsizer.schema.Recommendation;

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

    public LifecycleInput() {}

    public static LifecycleInput firing(String subject, Recommendation r) {
        LifecycleInput in = new LifecycleInput();
        in.subject = subject;
        in.ruleId = r.getRuleId();
        in.firing = r;
        return in;
    }

    public static LifecycleInput decision(String subject, String ruleId, Decision d) {
        LifecycleInput in = new LifecycleInput();
        in.subject = subject;
        in.ruleId = ruleId;
        in.decision = d;
        return in;
    }

    @Override
    public String toString() {
        return "LifecycleInput{"
                + subject
                + " "
                + ruleId
                + " "
                + (firing != null ? "firing " + firing.getRecommendationId() : decision)
                + "}";
    }
}
