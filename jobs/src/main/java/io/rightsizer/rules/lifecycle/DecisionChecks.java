package io.rightsizer.rules.lifecycle;

import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.LifecycleState;

/** Whether a decision may be applied to the recommendation it names, and if not, why not. */
final class DecisionChecks {
    private DecisionChecks() {}

    /**
     * Null when {@code d} is a legal transition of {@code e} (the subject's current entry for the
     * rule, null when it has none) at {@code at}; otherwise the reason it is refused, the first of
     * the checks in order.
     */
    static String refusal(
            LifecycleEntry e,
            Decision d,
            LifecycleState asked,
            String subject,
            String ruleId,
            long at) {
        if (d.getDecidedBy().isBlank()) {
            return "decidedBy is empty: every decision names who took it";
        }
        if (e == null) {
            return "no recommendation of "
                    + ruleId
                    + " is open for "
                    + subject
                    + " at "
                    + Lifecycle.instant(at)
                    + " (it was implemented, withdrawn, expired, or its rejection cooldown"
                    + " ended)";
        }
        if (!e.recommendationId.equals(d.getRecommendationId())) {
            return "not the current recommendation of "
                    + ruleId
                    + " for "
                    + subject
                    + ": that is "
                    + e.recommendationId
                    + " ("
                    + e.state
                    + "); this one was suppressed or is superseded";
        }
        if (at < e.firedAt) {
            return "decided at "
                    + Lifecycle.instant(at)
                    + ", before the recommendation fired at "
                    + Lifecycle.instant(e.firedAt);
        }
        boolean decidable = e.state == LifecycleState.OPEN || e.state == LifecycleState.DEFERRED;
        boolean legal =
                asked == LifecycleState.IMPLEMENTED
                        ? e.state == LifecycleState.APPROVED
                        : decidable;
        if (!legal) {
            return e.state
                    + " -> "
                    + asked
                    + " is not a transition of the lifecycle"
                    + (asked == LifecycleState.IMPLEMENTED
                            ? " (only an APPROVED recommendation can be implemented)"
                            : e.state == LifecycleState.REJECTED
                                    ? " (the recommendation was rejected)"
                                    : " (a decision is taken on an OPEN or DEFERRED"
                                            + " recommendation)");
        }
        if (asked == LifecycleState.DEFERRED) {
            if (d.getDeferUntil() == null) {
                return "DEFERRED without deferUntil";
            }
            long until = d.getDeferUntil().toEpochMilli();
            if (until <= at) {
                return "deferUntil "
                        + Lifecycle.instant(until)
                        + " is not after decidedAt "
                        + Lifecycle.instant(at);
            }
        }
        return null;
    }
}
