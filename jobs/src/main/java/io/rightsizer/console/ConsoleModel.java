package io.rightsizer.console;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the approval console shows and does, kept apart from how it is shown: the HTTP layer renders
 * this, the topic reader ({@code TopicConsoleModel}) builds it from the job's own topics (the
 * approval topic, the audit trail, the notices and data-quality topics) and, when configured, the
 * InfluxDB history. No other store: a restarted console reads the topics again.
 */
public interface ConsoleModel extends AutoCloseable {

    /** Whether the first read of every topic up to its end offset at start has finished. */
    Loading loading();

    /**
     * The recommendations in play (OPEN, DEFERRED, APPROVED), emergency ones first, then the oldest
     * first; only those matching {@code filter}.
     */
    List<InboxItem> inbox(InboxFilter filter);

    /** One recommendation with its audit trail, in any state; empty when the id is unknown. */
    Optional<RecommendationDetail> recommendation(String recommendationId);

    /** The time-limit notices (Articles 22 and 24), newest first. */
    List<TimeLimitNotice> notices();

    /** VMs whose telemetry is silent now (their last data-quality event is TELEMETRY_SILENT). */
    List<DataQualityEvent> silentVms();

    /**
     * The VM's hourly memory and storage over the recommendation's evidence window, with the rule's
     * thresholds; empty when no history is configured or the recommendation is unknown.
     */
    Optional<History> history(String recommendationId) throws ConsoleException;

    /**
     * Publishes the decision to the decisions topic exactly as {@code rightsizer decide} does;
     * returns once the broker acknowledged it. What the job made of it arrives later on the audit
     * trail.
     */
    Published decide(DecisionRequest request) throws ConsoleException;

    @Override
    void close();

    /** Progress of the first read; {@code detail} says what is being read or what failed. */
    record Loading(boolean ready, long recordsRead, String detail) {}

    /** Every field null means "any". */
    record InboxFilter(
            String unitId, String systemId, String ruleId, Action action, LifecycleState state) {
        public static InboxFilter any() {
            return new InboxFilter(null, null, null, null, null);
        }
    }

    /**
     * A recommendation and where it stands: {@code stateSince} is the time of its last transition,
     * {@code deferredUntil} non-null only while DEFERRED.
     */
    record InboxItem(
            Recommendation recommendation,
            LifecycleState state,
            Instant openedAt,
            Instant stateSince,
            Instant deferredUntil) {}

    /** The item and its audit trail, oldest event first (refused decisions included). */
    record RecommendationDetail(InboxItem item, List<RecommendationEvent> trail) {}

    /** One hour of a VM's history; a null figure is an hour without a reading. */
    record HourPoint(Instant hour, Double averagePct, Double maxPct) {}

    /** A line the rule judges by, drawn across the chart. */
    record Threshold(String label, String series, double pct) {}

    record History(
            String vmId,
            Instant from,
            Instant to,
            List<HourPoint> memory,
            List<HourPoint> storage,
            List<Threshold> thresholds) {}

    /** {@code deferUntil} only for DEFERRED; {@code comment} required for REJECTED. */
    record DecisionRequest(
            String recommendationId,
            DecisionState state,
            String decidedBy,
            String comment,
            Instant deferUntil) {}

    record Published(String recommendationId, int partition, long offset, Instant decidedAt) {}
}
