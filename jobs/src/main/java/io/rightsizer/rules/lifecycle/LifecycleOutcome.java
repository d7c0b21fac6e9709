package io.rightsizer.rules.lifecycle;

import io.rightsizer.rules.LifecycleEntry;
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

    /**
     * Reminders that were due but not sent: the entry's stored recommendation is not a
     * Recommendation of any version this release reads.
     */
    public final List<Undecodable> undecodable = new ArrayList<>(0);

    /**
     * An entry whose stored recommendation cannot be decoded.
     *
     * @param at the event time the reminder was due
     * @param reason why the bytes do not decode
     */
    public record Undecodable(LifecycleEntry entry, long at, String reason) {}

    LifecycleOutcome(LifecycleEntry entry) {
        this.entry = entry;
    }
}
