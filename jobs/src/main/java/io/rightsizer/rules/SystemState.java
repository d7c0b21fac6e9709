package io.rightsizer.rules;

import io.rightsizer.model.BusinessReport;

/**
 * What the no-business-data rule remembers about one information system. Its size does not grow
 * with the number of samples: the reference time and the reports that arrived ahead of the
 * watermark (reports with the same timestamp are merged). Written in state by {@code
 * io.rightsizer.job.state.SystemStateSerializer}; it stays a Flink POJO so that records Flink's
 * POJO serializer wrote before can be read.
 */
public class SystemState {
    public static final long NONE = Long.MIN_VALUE;
    private static final BusinessReport[] NO_REPORTS = new BusinessReport[0];

    /** Reports not yet evaluated, by timestamp, at most one per timestamp. */
    public BusinessReport[] pending = NO_REPORTS;

    public long lastEvaluatedAt = NONE;

    /** Whether a reference exists: the system has reported businessRecords at least once. */
    public boolean hasReference;

    /** The reference time: the latest report with records > 0, or the first report before any. */
    public long referenceAt = NONE;

    /** Whether the reference is a report with records > 0. */
    public boolean referencePositive;

    public String referenceUnitId;
    public long deadline = NONE;

    /** Whether the rule fired for the current reference. */
    public boolean fired;

    /** Bookkeeping of the Flink operator: the system's single retention timer, NONE if none. */
    public long expiryTimer = NONE;

    /** Bookkeeping of the Flink operator: the deadline timer registered last, NONE if none. */
    public long deadlineTimer = NONE;

    /** Whether a pending report has exactly this timestamp (its timer must stay). */
    public boolean hasPendingAt(long ts) {
        for (BusinessReport p : pending) {
            if (p.timestamp == ts) {
                return true;
            }
        }
        return false;
    }

    public SystemState() {}

    public boolean hasPending() {
        return pending.length > 0;
    }

    /**
     * Bookkeeping of the Flink operator: the incarnation of the operator that last counted this
     * system in its systemsTracked gauge.
     */
    public long trackedBy;
}
