package io.rightsizer.cli;

import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import java.time.Duration;
import java.time.Instant;

/**
 * The audit trail the job writes to rightsizing-recommendation-events, as the tail tests need it:
 * the life of {@link DataCenterRecords#memoryScaleUp()} (opened, approved, a late rejection
 * refused), a reminder of {@link DataCenterRecords#storageEmergencyReminder()}, and the two
 * refusals that name no known recommendation.
 */
final class AuditEvents {
    static final String SCALE_UP_ID = DataCenterRecords.memoryScaleUp().getRecommendationId();
    static final String EMERGENCY_ID =
            DataCenterRecords.storageEmergencyReminder().getRecommendationId();
    static final String UNKNOWN_ID = "ffffffffffffffffffffffffffffffff";

    /** Tuesday 2026-03-10 09:30 in Shanghai. */
    static final Instant APPROVED_AT = Instant.parse("2026-03-10T01:30:00Z");

    /** A second decision on the approved recommendation, a day later. */
    static final Instant LATE_REJECTION_AT = Instant.parse("2026-03-11T02:00:00.125Z");

    /** 14 days after the emergency fired without a decision. */
    static final Instant REMINDED_AT = DataCenterRecords.STORAGE_FULL_AT.plus(Duration.ofDays(14));

    static final Instant UNKNOWN_DECIDED_AT = Instant.parse("2026-03-12T00:00:00Z");
    static final Instant GARBLED_DECISION_AT = Instant.parse("2026-03-12T08:00:00Z");

    private AuditEvents() {}

    static RecommendationEvent opened() {
        return scaleUp(RecommendationEventKind.OPENED, null, LifecycleState.OPEN)
                .setEventId("0c1f6b6a2b0e4d8e9a7f3c5d1e2f4a6b")
                .setAt(DataCenterRecords.WEEK_CLOSED)
                .setBy(Lifecycle.ENGINE)
                .setReason("sent for approval: " + DataCenterRecords.memoryScaleUp().getReason())
                .build();
    }

    static RecommendationEvent approved() {
        return scaleUp(
                        RecommendationEventKind.TRANSITION,
                        LifecycleState.OPEN,
                        LifecycleState.APPROVED)
                .setEventId("1d2e3f405162738495a6b7c8d9eaf0b1")
                .setAt(APPROVED_AT)
                .setBy("alice")
                .setComment("before the quarter ends")
                .setReason("approved")
                .build();
    }

    /** Rejecting what was approved: refused, the state stays APPROVED. */
    static RecommendationEvent lateRejectionRefused() {
        return scaleUp(
                        RecommendationEventKind.DECISION_REJECTED,
                        LifecycleState.APPROVED,
                        LifecycleState.REJECTED)
                .setEventId("2e3f405162738495a6b7c8d9eaf0b1c2")
                .setAt(LATE_REJECTION_AT)
                .setBy("bob")
                .setReason(
                        "decision rejected: APPROVED -> REJECTED is not a transition of the"
                                + " lifecycle (a decision is taken on an OPEN or DEFERRED"
                                + " recommendation)")
                .build();
    }

    static RecommendationEvent emergencyReminded() {
        return RecommendationEvent.newBuilder()
                .setEventId("3f405162738495a6b7c8d9eaf0b1c2d3")
                .setKind(RecommendationEventKind.REMINDED)
                .setRecommendationId(EMERGENCY_ID)
                .setRuleId("scale-up.storage.emergency")
                .setVmId("vm-00012")
                .setSystemId("sys-004")
                .setUnitId("unit-02")
                .setFromState(LifecycleState.OPEN)
                .setToState(LifecycleState.OPEN)
                .setAt(REMINDED_AT)
                .setBy(Lifecycle.ENGINE)
                .setReason("re-sent as a reminder: no decision 14 days after it fired")
                .build();
    }

    /** A decision on an id no recommendation has: no rule, no subject, no state it was in. */
    static RecommendationEvent unknownIdRefused() {
        return RecommendationEvent.newBuilder()
                .setEventId("405162738495a6b7c8d9eaf0b1c2d3e4")
                .setKind(RecommendationEventKind.DECISION_REJECTED)
                .setRecommendationId(UNKNOWN_ID)
                .setToState(LifecycleState.APPROVED)
                .setAt(UNKNOWN_DECIDED_AT)
                .setBy("carol")
                .setReason(
                        "decision rejected: unknown recommendationId: no recommendation with"
                                + " this id fired before 2026-03-12T00:00:00Z, or its decision"
                                + " window has ended")
                .build();
    }

    /** A record on the decisions topic without a key that is not a Decision at all. */
    static RecommendationEvent garbledDecisionRefused() {
        return Lifecycle.undecodableDecision(
                null,
                GARBLED_DECISION_AT.toEpochMilli(),
                "not a Decision: not Avro single-object encoding (no complete C3 01 header and"
                        + " fingerprint)");
    }

    private static RecommendationEvent.Builder scaleUp(
            RecommendationEventKind kind, LifecycleState from, LifecycleState to) {
        return RecommendationEvent.newBuilder()
                .setKind(kind)
                .setRecommendationId(SCALE_UP_ID)
                .setRuleId(DataCenterRecords.memoryScaleUp().getRuleId())
                .setVmId("vm-00007")
                .setSystemId("sys-002")
                .setUnitId("unit-01")
                .setFromState(from)
                .setToState(to);
    }
}
