package io.rightsizer.rules;

import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step of the {@link Lifecycle} did: the entry after it (null: the subject has none for
 * the rule any more), what goes to the approval topic, the audit events, and whether a firing was
 * suppressed.
 */
public final class LifecycleOutcome {
    /** The entry after the step; null when there is none (never opened, or ended). */
    public LifecycleEntry entry;

    public final List<Recommendation> approvals = new ArrayList<>(1);
    public final List<RecommendationEvent> events = new ArrayList<>(2);

    /** A firing was suppressed: the rule has an OPEN, APPROVED, DEFERRED or REJECTED entry. */
    public boolean suppressed;

    /** A decision was rejected (a DECISION_REJECTED event is among the events). */
    public boolean decisionRejected;

    LifecycleOutcome(LifecycleEntry entry) {
        this.entry = entry;
    }
}
