package io.rightsizer.console;

import io.rightsizer.console.ConsoleModel.InboxFilter;
import io.rightsizer.console.ConsoleModel.InboxItem;
import io.rightsizer.console.ConsoleModel.RecommendationDetail;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every recommendation stands, folded from the approval topic, the audit trail and the
 * DEFERRED decisions, in the order the console's one reader thread reads them.
 *
 * <p>Threads: one writer (the reader thread), any number of readers (the HTTP threads). Every entry
 * is immutable and replaced whole in a {@link ConcurrentHashMap}, so a reader sees each
 * recommendation as it was after some record, never half-updated; an inbox is a weakly consistent
 * walk over the entries in play (a record read meanwhile may or may not show, as on a refresh).
 *
 * <p>Memory: a recommendation in play (OPEN, DEFERRED, APPROVED; a few thousand at most, since each
 * waits for a person) is kept decoded, for the inbox's filtering and ordering. A closed one
 * (REJECTED, IMPLEMENTED, EXPIRED, WITHDRAWN) keeps only what its page shows, as the records' own
 * Avro bytes, decoded when the page is asked for (docs/console.md, "How the console gets its
 * data").
 */
final class RecommendationLedger {
    private static final Comparator<InboxItem> INBOX_ORDER =
            Comparator.comparing((InboxItem i) -> !i.recommendation().getEmergency())
                    .thenComparing(i -> i.recommendation().getFiredAt())
                    .thenComparing(i -> i.recommendation().getRecommendationId());

    /** Every recommendation (or audit event) id seen. */
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The entries in play, for the inbox: a subset of {@link #entries}, same values. */
    private final Map<String, Live> inPlay = new ConcurrentHashMap<>();

    /** One recommendation: in play and decoded, or closed and encoded. */
    private sealed interface Entry permits Live, Closed {
        Live live();
    }

    /**
     * @param rec null while only its audit events have been read
     * @param state null while no event has been read: shown as OPEN since {@code firedAt}
     * @param deferrals the DEFERRED decisions read for it, to find when a deferral ends
     */
    private record Live(
            Recommendation rec,
            LifecycleState state,
            Instant openedAt,
            Instant stateSince,
            String stateBy,
            List<RecommendationEvent> trail,
            List<Decision> deferrals)
            implements Entry {
        @Override
        public Live live() {
            return this;
        }
    }

    /** A closed recommendation: its record and its trail as written by the job. */
    private record Closed(
            byte[] rec,
            LifecycleState state,
            Instant openedAt,
            Instant stateSince,
            String stateBy,
            List<byte[]> trail)
            implements Entry {
        @Override
        public Live live() {
            List<RecommendationEvent> events = new ArrayList<>(trail.size());
            for (byte[] e : trail) {
                events.add(RecommendationEventSerializer.decode(e));
            }
            return new Live(
                    rec == null ? null : RecommendationSerializer.decode(rec),
                    state,
                    openedAt,
                    stateSince,
                    stateBy,
                    List.copyOf(events),
                    List.of());
        }
    }

    private static final Live EMPTY = new Live(null, null, null, null, null, List.of(), List.of());

    /** A firing or a reminder (same id, reminder flag set): the latest record wins. */
    void recommendation(Recommendation r) {
        Live l = current(r.getRecommendationId());
        store(
                r.getRecommendationId(),
                new Live(r, l.state, l.openedAt, l.stateSince, l.stateBy, l.trail, l.deferrals));
    }

    /** One event of the audit trail; a repeat (same eventId) changes nothing. */
    void event(RecommendationEvent e) {
        String id = e.getRecommendationId();
        Live l = current(id);
        for (RecommendationEvent seen : l.trail) {
            if (seen.getEventId().equals(e.getEventId())) {
                return;
            }
        }
        List<RecommendationEvent> trail = new ArrayList<>(l.trail.size() + 1);
        trail.addAll(l.trail);
        trail.add(e);
        LifecycleState state = l.state;
        Instant openedAt = l.openedAt;
        Instant since = l.stateSince;
        String by = l.stateBy;
        if (e.getKind() == RecommendationEventKind.OPENED) {
            openedAt = e.getAt();
            if (state == null) {
                state = LifecycleState.OPEN;
                since = e.getAt();
                by = e.getBy();
            }
        } else if (e.getKind() == RecommendationEventKind.TRANSITION && e.getToState() != null) {
            state = e.getToState();
            since = e.getAt();
            by = e.getBy();
        }
        store(id, new Live(l.rec, state, openedAt, since, by, List.copyOf(trail), l.deferrals));
    }

    /**
     * A decision read from the decisions topic: only a DEFERRED one matters, since the audit trail
     * says that a recommendation was deferred but not until when; kept while it is in play.
     */
    void decision(Decision d) {
        if (d.getState() != DecisionState.DEFERRED || d.getDeferUntil() == null) {
            return;
        }
        Entry entry = entries.get(d.getRecommendationId());
        if (entry instanceof Closed) {
            return;
        }
        Live l = entry == null ? EMPTY : (Live) entry;
        List<Decision> deferrals = new ArrayList<>(l.deferrals);
        deferrals.add(d);
        store(
                d.getRecommendationId(),
                new Live(
                        l.rec,
                        l.state,
                        l.openedAt,
                        l.stateSince,
                        l.stateBy,
                        l.trail,
                        List.copyOf(deferrals)));
    }

    /** The recommendations in play matching {@code filter}: emergencies, then oldest first. */
    List<InboxItem> inbox(InboxFilter filter) {
        List<InboxItem> out = new ArrayList<>();
        for (Live l : inPlay.values()) {
            if (l.rec != null && matches(l, filter)) {
                out.add(item(l));
            }
        }
        out.sort(INBOX_ORDER);
        return out;
    }

    Optional<RecommendationDetail> detail(String id) {
        Entry e = id == null ? null : entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        Live l = e.live();
        if (l.rec == null) {
            return Optional.empty();
        }
        return Optional.of(new RecommendationDetail(item(l), l.trail));
    }

    /** The recommendation {@code id}, in any state; null when its record has not been read. */
    Recommendation get(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        return e instanceof Live l ? l.rec : e.live().rec;
    }

    int inPlayCount() {
        return inPlay.size();
    }

    int size() {
        return entries.size();
    }

    private Live current(String id) {
        Entry e = entries.get(id);
        return e == null ? EMPTY : e.live();
    }

    private void store(String id, Live l) {
        if (inPlay(l.state)) {
            entries.put(id, l);
            inPlay.put(id, l);
            return;
        }
        List<byte[]> trail = new ArrayList<>(l.trail.size());
        for (RecommendationEvent e : l.trail) {
            trail.add(RecommendationEventSerializer.encode(e));
        }
        entries.put(
                id,
                new Closed(
                        l.rec == null ? null : RecommendationSerializer.encode(l.rec),
                        l.state,
                        l.openedAt,
                        l.stateSince,
                        l.stateBy,
                        List.copyOf(trail)));
        inPlay.remove(id);
    }

    /** A recommendation without any event yet counts as OPEN: the job opens every firing. */
    private static boolean inPlay(LifecycleState s) {
        return s == null
                || s == LifecycleState.OPEN
                || s == LifecycleState.DEFERRED
                || s == LifecycleState.APPROVED;
    }

    private static InboxItem item(Live l) {
        Recommendation r = l.rec;
        LifecycleState state = l.state == null ? LifecycleState.OPEN : l.state;
        Instant opened = l.openedAt != null ? l.openedAt : r.getFiredAt();
        Instant since = l.stateSince != null ? l.stateSince : opened;
        return new InboxItem(r, state, opened, since, deferredUntil(l, state));
    }

    /**
     * The end of the deferral in force: the DEFERRED decision the job applied, which is the one
     * with the transition's time and author (the trail's TRANSITION carries the decision's
     * decidedAt and decidedBy); null when not DEFERRED or that decision is not on the decisions
     * topic (any more).
     */
    private static Instant deferredUntil(Live l, LifecycleState state) {
        if (state != LifecycleState.DEFERRED) {
            return null;
        }
        for (int i = l.deferrals.size() - 1; i >= 0; i--) {
            Decision d = l.deferrals.get(i);
            if (d.getDecidedAt().equals(l.stateSince) && d.getDecidedBy().equals(l.stateBy)) {
                return d.getDeferUntil();
            }
        }
        return null;
    }

    private static boolean matches(Live l, InboxFilter f) {
        Recommendation r = l.rec;
        LifecycleState state = l.state == null ? LifecycleState.OPEN : l.state;
        return (f.unitId() == null || f.unitId().equals(r.getUnitId()))
                && (f.systemId() == null || f.systemId().equals(r.getSystemId()))
                && (f.ruleId() == null || f.ruleId().equals(r.getRuleId()))
                && (f.action() == null || f.action() == r.getAction())
                && (f.state() == null || f.state() == state);
    }
}
