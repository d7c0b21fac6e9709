package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RoutedId;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by recommendationId: decisions carry only the id, so the router remembers from the firings
 * which subject and rule each id belongs to and forwards decisions, and the firings themselves, to
 * the lifecycle operator keyed by subject (a firing always ahead of the decisions on it).
 *
 * <p>Decisions are taken in event time: one is held until the watermark reaches its decidedAt, so
 * every firing up to that instant has been seen (during a backlog the firing may still be on its
 * way) and the outcome does not depend on how the decisions topic interleaves with the telemetry.
 * Then it is routed, or rejected if its id is unknown.
 *
 * <p>An id is remembered until {@code decisionWindow} after the latest of its firedAt and the
 * decidedAt and deferUntil of the decisions routed for it; a decision decided at or after that is
 * rejected. Rejections go to {@link Tags#LIFECYCLE_EVENTS}; undecodable records on the decisions
 * topic too.
 */
public class DecisionRouter
        extends KeyedCoProcessFunction<String, Recommendation, DecisionInput, LifecycleInput> {
    private static final long serialVersionUID = 1L;

    private final long decisionWindow;

    private transient ValueState<RoutedId> routed;
    private transient ListState<Decision> held;
    private transient Counter rejected;
    private transient Counter undecodable;
    private transient Counter heldCount;

    public DecisionRouter(Duration decisionWindow) {
        this.decisionWindow = decisionWindow.toMillis();
    }

    private transient RecordFailures failures;

    @Override
    public void open(OpenContext ctx) {
        routed = getRuntimeContext().getState(Tags.routedId());
        held = getRuntimeContext().getListState(Tags.heldDecisions());
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        rejected = g.counter("decisions_rejected_unknown");
        undecodable = g.counter("decisions_rejected_undecodable");
        heldCount = g.counter("decisions_held");
        failures = new RecordFailures(g, "decision-router");
    }

    @Override
    public void processElement1(Recommendation r, Context ctx, Collector<LifecycleInput> out)
            throws Exception {
        try {
            firing(r, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            Rejected letter = RecordFailures.of(null, r.getVmId());
            letter.sampleTimestamp =
                    r.getFiredAt() == null ? Long.MIN_VALUE : r.getFiredAt().toEpochMilli();
            try {
                // The firing itself, so it can be sent by hand once the cause is fixed.
                letter.payload = RecommendationSerializer.encode(r);
            } catch (RuntimeException | StackOverflowError unencodable) {
                letter.payload = new byte[0];
            }
            failed(e, "firing " + ctx.getCurrentKey(), letter, ctx);
        }
    }

    @Override
    public void processElement2(DecisionInput in, Context ctx, Collector<LifecycleInput> out)
            throws Exception {
        try {
            decision(in, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            Rejected letter = RecordFailures.of(null, null);
            letter.sourcePartition = in.sourcePartition;
            letter.sourceOffset = in.sourceOffset;
            letter.sampleTimestamp = in.timestamp < 0 ? Long.MIN_VALUE : in.timestamp;
            failed(e, "decision for " + ctx.getCurrentKey(), letter, ctx);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LifecycleInput> out)
            throws Exception {
        try {
            fire(timestamp, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            Rejected letter = RecordFailures.of(null, null);
            letter.sampleTimestamp = timestamp;
            failed(
                    e,
                    "timer of "
                            + ctx.getCurrentKey()
                            + " at "
                            + java.time.Instant.ofEpochMilli(timestamp),
                    letter,
                    ctx);
        }
    }

    /**
     * After a failure the recommendation id starts over (docs/failures.md): what the router knew of
     * it and the decisions it held go; a decision for it that comes later is rejected as for an
     * unknown id. Its timer left fires on an empty state, which does nothing.
     */
    private void failed(Throwable e, String what, Rejected letter, Context ctx) {
        ctx.output(Tags.FAILED, failures.failed(e, what, letter));
        routed.clear();
        held.clear();
    }

    private void firing(Recommendation r, Context ctx, Collector<LifecycleInput> out)
            throws Exception {
        RoutedId id = routed.value();
        if (id == null) {
            id = new RoutedId();
        }
        String subject = Lifecycle.subject(r);
        if (!id.known()) {
            id.subject = subject;
            id.ruleId = r.getRuleId();
        }
        id.rememberUntil =
                Math.max(id.rememberUntil, r.getFiredAt().toEpochMilli() + decisionWindow);
        out.collect(LifecycleInput.firing(subject, r));
        moveTimer(id, next(id, held.get()), ctx.timerService());
        routed.update(id);
    }

    private void decision(DecisionInput in, Context ctx, Collector<LifecycleInput> out)
            throws Exception {
        if (in.decision == null) {
            undecodable.inc();
            ctx.output(
                    Tags.LIFECYCLE_EVENTS,
                    Lifecycle.undecodableDecision(in.key, Math.max(in.timestamp, 0), in.error));
            return;
        }
        Decision d = in.decision;
        RoutedId id = routed.value();
        if (d.getDecidedAt().toEpochMilli() <= ctx.timerService().currentWatermark()) {
            decide(id, d, ctx, out);
            if (id != null) {
                moveTimer(id, next(id, held.get()), ctx.timerService());
                routed.update(id);
            }
            return;
        }
        if (id == null) {
            id = new RoutedId();
        }
        heldCount.inc();
        held.add(d);
        moveTimer(id, next(id, held.get()), ctx.timerService());
        routed.update(id);
    }

    private void fire(long timestamp, OnTimerContext ctx, Collector<LifecycleInput> out)
            throws Exception {
        RoutedId id = routed.value();
        if (id == null || timestamp != id.timer) {
            return;
        }
        id.timer = RoutedId.NONE;
        long watermark = ctx.timerService().currentWatermark();
        List<Decision> remaining = new ArrayList<>();
        for (Decision d : sorted(held.get())) {
            if (d.getDecidedAt().toEpochMilli() <= watermark) {
                decide(id, d, ctx, out);
            } else {
                remaining.add(d);
            }
        }
        held.update(remaining);
        if (id.known() && id.rememberUntil <= watermark) {
            id.subject = null;
            id.ruleId = null;
            id.rememberUntil = RoutedId.NONE;
        }
        if (!id.known() && remaining.isEmpty()) {
            held.clear();
            routed.clear();
            return;
        }
        moveTimer(id, next(id, remaining), ctx.timerService());
        routed.update(id);
    }

    /** The watermark has reached the decision's decidedAt: route it, or reject it as unknown. */
    private void decide(RoutedId id, Decision d, Context ctx, Collector<LifecycleInput> out) {
        if (id != null && id.known()) {
            route(id, d, ctx, out);
        } else {
            rejectUnknown(d, ctx);
        }
    }

    /** The id's next event-time instant: its earliest held decision, or forgetting it. */
    private static long next(RoutedId id, Iterable<Decision> held) {
        long next = id.known() ? id.rememberUntil : Long.MAX_VALUE;
        if (held != null) {
            for (Decision d : held) {
                next = Math.min(next, d.getDecidedAt().toEpochMilli());
            }
        }
        return next;
    }

    private void route(RoutedId id, Decision d, Context ctx, Collector<LifecycleInput> out) {
        long at = d.getDecidedAt().toEpochMilli();
        if (at >= id.rememberUntil) {
            rejected.inc();
            ctx.output(
                    Tags.LIFECYCLE_EVENTS,
                    Lifecycle.decisionRejected(
                                    d,
                                    id.ruleId,
                                    id.subject,
                                    null,
                                    "decided at "
                                            + Instant.ofEpochMilli(at)
                                            + ", after the decision window of this recommendation"
                                            + " ended at "
                                            + Instant.ofEpochMilli(id.rememberUntil))
                            .build());
            return;
        }
        long until = at;
        if (d.getDeferUntil() != null) {
            until = Math.max(until, d.getDeferUntil().toEpochMilli());
        }
        // Saturating: a deferral to the end of time must not wrap around and forget the id early.
        long end =
                until > Long.MAX_VALUE - decisionWindow ? Long.MAX_VALUE : until + decisionWindow;
        id.rememberUntil = Math.max(id.rememberUntil, end);
        out.collect(LifecycleInput.decision(id.subject, id.ruleId, d));
    }

    private void rejectUnknown(Decision d, Context ctx) {
        rejected.inc();
        ctx.output(
                Tags.LIFECYCLE_EVENTS,
                Lifecycle.decisionRejected(
                                d,
                                null,
                                null,
                                null,
                                "unknown recommendationId: no recommendation with this id fired"
                                        + " before "
                                        + d.getDecidedAt()
                                        + ", or its decision window has ended")
                        .build());
    }

    private static void moveTimer(RoutedId id, long next, TimerService timers) {
        if (id.timer == next) {
            return;
        }
        if (id.timer != RoutedId.NONE && id.timer > timers.currentWatermark()) {
            timers.deleteEventTimeTimer(id.timer);
        }
        if (next == Long.MAX_VALUE) {
            id.timer = RoutedId.NONE;
            return;
        }
        timers.registerEventTimeTimer(next);
        id.timer = next;
    }

    private static List<Decision> sorted(Iterable<Decision> decisions) {
        List<Decision> list = new ArrayList<>();
        if (decisions != null) {
            decisions.forEach(list::add);
        }
        // Stable: decisions decided at the same instant keep their arrival order.
        list.sort(Comparator.comparing(Decision::getDecidedAt));
        return list;
    }
}
