package io.rightsizer.rules.lifecycle;

import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.Resource;
import io.rightsizer.schema.VmAllocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The approval lifecycle of recommendations (rules/README.md, "Approval lifecycle"), as a pure
 * state machine over one {@link LifecycleEntry} per subject and rule: firings open entries or are
 * suppressed, decisions move them, event time sends reminders, ends deferrals, cooldowns and
 * decision windows, and the inventory confirms implementations.
 *
 * <p>Every step first brings the entry up to the step's own event time ({@link #onTimer}), so the
 * outcome does not depend on whether the operator's watermark or the input came first.
 */
public final class Lifecycle {
    /** Who the engine's own changes are by. */
    public static final String ENGINE = "rightsizer";

    private final long reminderAfter;
    private final long rejectCooldown;
    private final long decisionWindow;

    /**
     * @param reminderAfter an OPEN entry without decision is re-sent this long after it fired;
     *     shorter than the decision window
     * @param rejectCooldown how long a rule stays quiet for a subject after a rejection (≥ 0)
     * @param decisionWindow how long after its firing (or its latest decision) a recommendation can
     *     be decided
     */
    public Lifecycle(Duration reminderAfter, Duration rejectCooldown, Duration decisionWindow) {
        if (reminderAfter.isNegative() || reminderAfter.isZero()) {
            throw new IllegalArgumentException("reminderAfter must be positive: " + reminderAfter);
        }
        if (rejectCooldown.isNegative()) {
            throw new IllegalArgumentException("rejectCooldown must be >= 0: " + rejectCooldown);
        }
        if (decisionWindow.compareTo(reminderAfter) <= 0) {
            throw new IllegalArgumentException(
                    "decisionWindow ("
                            + decisionWindow
                            + ") must be longer than reminderAfter ("
                            + reminderAfter
                            + ")");
        }
        this.reminderAfter = reminderAfter.toMillis();
        this.rejectCooldown = rejectCooldown.toMillis();
        this.decisionWindow = decisionWindow.toMillis();
    }

    /** "vm:" + vmId for VM-level recommendations, "system:" + systemId for system-level ones. */
    public static String subject(Recommendation r) {
        return r.getVmId() != null ? vmSubject(r.getVmId()) : "system:" + r.getSystemId();
    }

    public static String vmSubject(String vmId) {
        return "vm:" + vmId;
    }

    // ------------------------------------------------------------------ firings

    /** A rule fired for the subject; {@code current} is the subject's entry for that rule. */
    public LifecycleOutcome onFiring(LifecycleEntry current, Recommendation firing) {
        long firedAt = firing.getFiredAt().toEpochMilli();
        LifecycleOutcome o = onTimer(current, firedAt);
        if (o.entry != null) {
            // OPEN, APPROVED or DEFERRED: the data center has it already; REJECTED: cooldown.
            o.suppressed = true;
            return o;
        }
        LifecycleEntry e = new LifecycleEntry();
        e.recommendationId = firing.getRecommendationId();
        e.ruleId = firing.getRuleId();
        e.subject = subject(firing);
        e.vmId = firing.getVmId();
        e.systemId = firing.getSystemId();
        e.unitId = firing.getUnitId();
        e.action = firing.getAction();
        e.resource = firing.getResource();
        e.state = LifecycleState.OPEN;
        e.firedAt = firedAt;
        e.memoryTotalBytes =
                firing.getMemoryTotalBytes() == null ? -1 : firing.getMemoryTotalBytes();
        e.storageTotalBytes =
                firing.getStorageTotalBytes() == null ? -1 : firing.getStorageTotalBytes();
        e.reminderDue = firedAt + reminderAfter;
        e.expiresAt = firedAt + decisionWindow;
        e.recommendation = encode(firing);
        o.entry = e;
        o.approvals.add(firing);
        o.events.add(
                event(e, RecommendationEventKind.OPENED, null, LifecycleState.OPEN, firedAt, ENGINE)
                        .setReason("sent for approval: " + firing.getReason())
                        .build());
        return o;
    }

    // ------------------------------------------------------------------ decisions

    /**
     * A decision on a recommendation the router knows as rule {@code ruleId} of {@code subject};
     * {@code current} is the subject's entry for that rule (null when it has none).
     */
    public LifecycleOutcome onDecision(
            LifecycleEntry current, Decision d, String subject, String ruleId) {
        long at = d.getDecidedAt().toEpochMilli();
        LifecycleOutcome o = onTimer(current, at);
        LifecycleEntry e = o.entry;
        LifecycleState asked = asked(d.getState());
        String refusal = DecisionChecks.refusal(e, d, asked, subject, ruleId, at);
        if (refusal != null) {
            return reject(o, d, ruleId, subject, refusal);
        }
        LifecycleState from = e.state;
        String by = d.getDecidedBy();
        switch (asked) {
            case APPROVED -> {
                e.state = LifecycleState.APPROVED;
                e.reminderDue = LifecycleEntry.NONE;
                e.deferUntil = LifecycleEntry.NONE;
                e.expiresAt = Math.max(e.expiresAt, at + decisionWindow);
            }
            case REJECTED -> {
                e.state = LifecycleState.REJECTED;
                e.reminderDue = LifecycleEntry.NONE;
                e.deferUntil = LifecycleEntry.NONE;
                e.expiresAt = LifecycleEntry.NONE;
                e.quietUntil = at + rejectCooldown;
            }
            case DEFERRED -> {
                long until = d.getDeferUntil().toEpochMilli();
                e.state = LifecycleState.DEFERRED;
                e.reminderDue = LifecycleEntry.NONE;
                e.deferUntil = until;
                e.expiresAt = Math.max(e.expiresAt, until + decisionWindow);
            }
            case IMPLEMENTED -> o.entry = null;
            default -> throw new IllegalStateException("unreachable: " + asked);
        }
        String reason =
                switch (asked) {
                    case APPROVED -> "approved";
                    case REJECTED ->
                            "rejected; the rule stays quiet for "
                                    + subject
                                    + " until "
                                    + instant(e.quietUntil);
                    case DEFERRED -> "deferred until " + instant(e.deferUntil);
                    default -> "implemented, as the data center reports";
                };
        o.events.add(
                event(e, RecommendationEventKind.TRANSITION, from, asked, at, by)
                        .setComment(d.getComment())
                        .setReason(reason)
                        .build());
        return o;
    }

    private static LifecycleState asked(DecisionState s) {
        return LifecycleState.valueOf(s.name());
    }

    private static LifecycleOutcome reject(
            LifecycleOutcome o, Decision d, String ruleId, String subject, String reason) {
        LifecycleEntry e = o.entry;
        o.decisionRejected = true;
        o.events.add(decisionRejected(d, ruleId, subject, e, reason).build());
        return o;
    }

    /**
     * The audit event of a rejected decision; {@code current} (may be null) gives the unit and the
     * state the recommendation is in.
     */
    public static RecommendationEvent.Builder decisionRejected(
            Decision d, String ruleId, String subject, LifecycleEntry current, String reason) {
        LifecycleState asked = asked(d.getState());
        long at = d.getDecidedAt().toEpochMilli();
        RecommendationEvent.Builder b =
                RecommendationEvent.newBuilder()
                        .setEventId(
                                eventId(
                                        d.getRecommendationId(),
                                        RecommendationEventKind.DECISION_REJECTED,
                                        asked,
                                        at,
                                        d.getDecidedBy()))
                        .setKind(RecommendationEventKind.DECISION_REJECTED)
                        .setRecommendationId(d.getRecommendationId())
                        .setRuleId(ruleId)
                        .setFromState(current == null ? null : current.state)
                        .setToState(asked)
                        .setAt(Instant.ofEpochMilli(at))
                        .setBy(d.getDecidedBy())
                        .setComment(d.getComment())
                        .setReason("decision rejected: " + reason);
        if (current != null) {
            b.setVmId(current.vmId).setSystemId(current.systemId).setUnitId(current.unitId);
        } else if (subject != null && subject.startsWith("vm:")) {
            b.setVmId(subject.substring(3));
        } else if (subject != null && subject.startsWith("system:")) {
            b.setSystemId(subject.substring(7));
        }
        return b;
    }

    /**
     * The audit event of a record on the decisions topic that is not a decision: recommendationId
     * is the record's key as text ("" without a key), {@code at} the record's timestamp.
     */
    public static RecommendationEvent undecodableDecision(String key, long at, String reason) {
        String id = key == null ? "" : key;
        return RecommendationEvent.newBuilder()
                .setEventId(
                        eventId(id, RecommendationEventKind.DECISION_REJECTED, null, at, ENGINE))
                .setKind(RecommendationEventKind.DECISION_REJECTED)
                .setRecommendationId(id)
                .setAt(Instant.ofEpochMilli(at))
                .setBy(ENGINE)
                .setReason("decision rejected: " + reason)
                .build();
    }

    // ------------------------------------------------------------------ event time

    /**
     * Event time reached {@code time}: every due of the entry at or before it happens, in order,
     * each at its own instant: the reminder, the end of a deferral (re-sent as a reminder), the end
     * of a rejection cooldown (the entry is forgotten), the end of the decision window (expired).
     */
    public LifecycleOutcome onTimer(LifecycleEntry current, long time) {
        LifecycleOutcome o = new LifecycleOutcome(current);
        while (o.entry != null) {
            LifecycleEntry e = o.entry;
            long due = e.nextDue();
            if (due == LifecycleEntry.NONE || due > time) {
                break;
            }
            switch (e.state) {
                case OPEN -> {
                    if (e.reminderDue != LifecycleEntry.NONE && e.reminderDue < e.expiresAt) {
                        e.reminderDue = LifecycleEntry.NONE;
                        remind(o, e, due, "no decision " + days(reminderAfter) + " after it fired");
                    } else {
                        expire(o, e, due);
                    }
                }
                case DEFERRED -> {
                    e.state = LifecycleState.OPEN;
                    e.deferUntil = LifecycleEntry.NONE;
                    e.reminderDue = LifecycleEntry.NONE;
                    o.events.add(
                            event(
                                            e,
                                            RecommendationEventKind.TRANSITION,
                                            LifecycleState.DEFERRED,
                                            LifecycleState.OPEN,
                                            due,
                                            ENGINE)
                                    .setReason("the deferral ended")
                                    .build());
                    remind(o, e, due, "the deferral ended");
                }
                case APPROVED -> expire(o, e, due);
                case REJECTED -> o.entry = null;
                default -> throw new IllegalStateException("no due in state " + e.state);
            }
        }
        return o;
    }

    private void remind(LifecycleOutcome o, LifecycleEntry e, long at, String why) {
        Recommendation again;
        try {
            again = decode(e.recommendation);
        } catch (RuntimeException ex) {
            // A reminder is the recommendation as sent, byte for byte in its fields; one rebuilt
            // from the entry's few fields would be a different recommendation under the same id.
            // So it is not sent: the entry keeps its state, deadlines and decisions as before.
            o.undecodable.add(
                    new LifecycleOutcome.Undecodable(e, at, String.valueOf(ex.getMessage())));
            return;
        }
        again.setReminder(true);
        o.approvals.add(again);
        o.events.add(
                event(
                                e,
                                RecommendationEventKind.REMINDED,
                                LifecycleState.OPEN,
                                LifecycleState.OPEN,
                                at,
                                ENGINE)
                        .setReason("re-sent as a reminder: " + why)
                        .build());
    }

    private void expire(LifecycleOutcome o, LifecycleEntry e, long at) {
        o.entry = null;
        o.events.add(
                event(
                                e,
                                RecommendationEventKind.TRANSITION,
                                e.state,
                                LifecycleState.EXPIRED,
                                at,
                                ENGINE)
                        .setReason(
                                "expired: "
                                        + e.state
                                        + " and not decided on within the "
                                        + days(decisionWindow)
                                        + " decision window; the rule may fire again")
                        .build());
    }

    // ------------------------------------------------------------------ inventory

    /**
     * The inventory reports the VM's allocation effective at {@code at}; {@code current} is one of
     * the VM subject's entries. A change in the recommended direction against the allocation on the
     * recommendation confirms it IMPLEMENTED; DECOMMISSIONED confirms a VM reclaim and withdraws
     * every other entry of the VM. Allocations effective before the firing do not count.
     */
    public LifecycleOutcome onInventory(LifecycleEntry current, VmAllocation a, long at) {
        LifecycleOutcome o = onTimer(current, at);
        LifecycleEntry e = o.entry;
        if (e == null || at < e.firedAt) {
            return o;
        }
        boolean decommissioned = a.getStatus() == AllocationStatus.DECOMMISSIONED;
        if (e.state == LifecycleState.REJECTED) {
            if (decommissioned) {
                // Nothing will fire for a VM that is gone; the cooldown need not be kept.
                o.entry = null;
            }
            return o;
        }
        String confirmed = confirms(e, a);
        if (confirmed != null) {
            o.entry = null;
            o.events.add(
                    event(
                                    e,
                                    RecommendationEventKind.TRANSITION,
                                    e.state,
                                    LifecycleState.IMPLEMENTED,
                                    at,
                                    ENGINE)
                            .setReason("implemented: the inventory shows " + confirmed)
                            .build());
        } else if (decommissioned) {
            o.entry = null;
            o.events.add(
                    event(
                                    e,
                                    RecommendationEventKind.TRANSITION,
                                    e.state,
                                    LifecycleState.WITHDRAWN,
                                    at,
                                    ENGINE)
                            .setReason("withdrawn: the inventory shows the VM decommissioned")
                            .build());
        }
        return o;
    }

    /** What in the allocation implements the entry's recommendation, null when nothing does. */
    static String confirms(LifecycleEntry e, VmAllocation a) {
        if (e.action == Action.RECLAIM) {
            return e.resource == Resource.VM && a.getStatus() == AllocationStatus.DECOMMISSIONED
                    ? "the VM decommissioned"
                    : null;
        }
        if (a.getStatus() == AllocationStatus.DECOMMISSIONED) {
            return null;
        }
        long before;
        long now;
        String what;
        if (e.resource == Resource.MEMORY) {
            before = e.memoryTotalBytes;
            now = a.getMemoryBytes();
            what = "memory ";
        } else if (e.resource == Resource.STORAGE) {
            before = e.storageTotalBytes;
            now = a.getStorageBytes();
            what = "storage ";
        } else {
            return null;
        }
        if (before < 0) {
            return null;
        }
        boolean done = e.action == Action.SCALE_UP ? now > before : now < before;
        return done
                ? what + Recommendations.bytes(before) + " -> " + Recommendations.bytes(now)
                : null;
    }

    // ------------------------------------------------------------------ events

    /**
     * The event id: the first 16 bytes of SHA-256 over the UTF-8 string {@code
     * recommendationId|kind|toState|at|by} (toState "" when null, at in epoch milliseconds), as 32
     * lowercase hex digits.
     */
    public static String eventId(
            String recommendationId,
            RecommendationEventKind kind,
            LifecycleState to,
            long at,
            String by) {
        String text =
                recommendationId + "|" + kind + "|" + (to == null ? "" : to) + "|" + at + "|" + by;
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }

    private static RecommendationEvent.Builder event(
            LifecycleEntry e,
            RecommendationEventKind kind,
            LifecycleState from,
            LifecycleState to,
            long at,
            String by) {
        return RecommendationEvent.newBuilder()
                .setEventId(eventId(e.recommendationId, kind, to, at, by))
                .setKind(kind)
                .setRecommendationId(e.recommendationId)
                .setRuleId(e.ruleId)
                .setVmId(e.vmId)
                .setSystemId(e.systemId)
                .setUnitId(e.unitId)
                .setFromState(from)
                .setToState(to)
                .setAt(Instant.ofEpochMilli(at))
                .setBy(by);
    }

    static byte[] encode(Recommendation r) {
        try {
            ByteBuffer b = Recommendation.getEncoder().encode(r);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @throws io.rightsizer.telemetry.SingleObject.DecodeException when the stored bytes are not a
     *     Recommendation of any version this release reads
     */
    static Recommendation decode(byte[] bytes) {
        return STORED.read(bytes);
    }

    private static final io.rightsizer.telemetry.SingleObject.Reader<Recommendation> STORED =
            io.rightsizer.telemetry.SingleObject.reader(Recommendation.class);

    static String instant(long t) {
        return Instant.ofEpochMilli(t).toString();
    }

    private static String days(long millis) {
        Duration d = Duration.ofMillis(millis);
        return d.toMillis() % 86_400_000L == 0 ? d.toDays() + " days" : d.toString();
    }
}
