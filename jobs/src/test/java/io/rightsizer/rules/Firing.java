package io.rightsizer.rules;

import io.rightsizer.schema.Recommendation;
import java.time.Instant;

/** What a firing is compared on in the tests: the rule and the instant it fired at. */
record Firing(String ruleId, Instant firedAt) {
    static Firing of(Recommendation r) {
        return new Firing(r.getRuleId(), r.getFiredAt());
    }

    static Firing firing(Rule rule, long firedAt) {
        return new Firing(rule.id(), Instant.ofEpochMilli(firedAt));
    }

    @Override
    public String toString() {
        return ruleId + "@" + firedAt;
    }
}
