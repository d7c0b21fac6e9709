package io.rightsizer.console;

import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The console's model held in memory, for the HTTP layer's tests: what a test puts in is what the
 * pages show; every decision asked for is kept (and nothing is published anywhere).
 */
public final class InMemoryConsoleModel implements ConsoleModel {
    final Map<String, InboxItem> items = new LinkedHashMap<>();
    final Map<String, List<RecommendationEvent>> trails = new LinkedHashMap<>();
    final Map<String, History> histories = new LinkedHashMap<>();
    final List<TimeLimitNotice> notices = new ArrayList<>();
    final List<DataQualityEvent> silent = new ArrayList<>();
    public final List<DecisionRequest> decisions = new CopyOnWriteArrayList<>();
    final List<InboxFilter> filters = new CopyOnWriteArrayList<>();
    volatile Loading loading = new Loading(true, 0, null);
    volatile ConsoleException refuseDecisions;
    public volatile boolean closed;
    volatile Instant decidedAt = Instant.parse("2026-03-10T01:00:00Z");

    synchronized InMemoryConsoleModel add(
            Recommendation r, LifecycleState state, Instant openedAt, Instant deferredUntil) {
        items.put(
                r.getRecommendationId(),
                new InboxItem(r, state, openedAt, openedAt, deferredUntil));
        trails.computeIfAbsent(r.getRecommendationId(), k -> new CopyOnWriteArrayList<>());
        return this;
    }

    synchronized void event(RecommendationEvent e) {
        trails.computeIfAbsent(e.getRecommendationId(), k -> new CopyOnWriteArrayList<>()).add(e);
    }

    public InMemoryConsoleModel() {}

    @Override
    public Loading loading() {
        return loading;
    }

    @Override
    public synchronized List<InboxItem> inbox(InboxFilter f) {
        filters.add(f);
        return items.values().stream()
                .filter(i -> InboxPage.IN_PLAY.contains(i.state()))
                .filter(
                        i ->
                                f.unitId() == null
                                        || f.unitId().equals(i.recommendation().getUnitId()))
                .filter(
                        i ->
                                f.systemId() == null
                                        || f.systemId().equals(i.recommendation().getSystemId()))
                .filter(
                        i ->
                                f.ruleId() == null
                                        || f.ruleId().equals(i.recommendation().getRuleId()))
                .filter(i -> f.action() == null || f.action() == i.recommendation().getAction())
                .filter(i -> f.state() == null || f.state() == i.state())
                .sorted(
                        Comparator.comparing((InboxItem i) -> !i.recommendation().getEmergency())
                                .thenComparing(InboxItem::openedAt))
                .toList();
    }

    @Override
    public synchronized Optional<RecommendationDetail> recommendation(String id) {
        InboxItem i = items.get(id);
        return i == null
                ? Optional.empty()
                : Optional.of(new RecommendationDetail(i, List.copyOf(trails.get(id))));
    }

    @Override
    public List<TimeLimitNotice> notices() {
        return List.copyOf(notices);
    }

    @Override
    public List<DataQualityEvent> silentVms() {
        return List.copyOf(silent);
    }

    @Override
    public Optional<History> history(String id) {
        return Optional.ofNullable(histories.get(id));
    }

    @Override
    public Published decide(DecisionRequest request) throws ConsoleException {
        if (refuseDecisions != null) {
            throw refuseDecisions;
        }
        Objects.requireNonNull(request.decidedBy());
        decisions.add(request);
        return new Published(request.recommendationId(), 0, 100 + decisions.size(), decidedAt);
    }

    @Override
    public void close() {
        closed = true;
    }
}
