package io.rightsizer.job.operators;

import io.rightsizer.job.LifecycleStage;
import io.rightsizer.job.Tags;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.rules.lifecycle.LifecycleOutcome;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.VmAllocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by subject ("vm:" + vmId, "system:" + systemId): runs the {@link Lifecycle} of each rule of
 * the subject on the firings and decisions from the {@link DecisionRouter} (input 1) and the VM's
 * inventory records (input 2). What it lets through, and the reminders, go to the approval topic
 * (main output); every state change and rejected decision to {@link Tags#LIFECYCLE_EVENTS}.
 *
 * <p>In event time: an input is held until the watermark reaches its instant (firedAt, decidedAt,
 * effectiveAt), then the inputs are taken in the order of their instants (at the same instant:
 * firings, inventory, decisions), so the outcome does not depend on how the firings, the decisions
 * and the inventory topic interleave on their way here. An input at or behind the watermark is
 * taken at once.
 *
 * <p>State: one {@link LifecycleEntry} per rule of the subject, the inputs waiting for the
 * watermark, and one event-time timer per distinct instant of those; all go when the entries end.
 */
public class LifecycleFunction
        extends KeyedCoProcessFunction<String, LifecycleInput, VmAllocation, Recommendation> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleFunction.class);

    private static final Comparator<LifecycleInput> EVENT_TIME_ORDER =
            Comparator.<LifecycleInput>comparingLong(in -> in.at)
                    .thenComparingInt(LifecycleInput::order);

    private final LifecycleStage.Settings settings;

    private transient Lifecycle lifecycle;
    private transient MapState<String, LifecycleEntry> entries;
    private transient ListState<LifecycleInput> pending;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> suppressed;
    private transient Counter opened;
    private transient Counter reminders;
    private transient Counter decisionsRejected;
    private transient Counter undecodable;
    private transient RecordFailures failures;

    public LifecycleFunction(LifecycleStage.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        lifecycle = settings.lifecycle();
        entries = getRuntimeContext().getMapState(Tags.lifecycleEntries());
        pending = getRuntimeContext().getListState(Tags.pendingLifecycleInputs());
        metrics = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        suppressed = new HashMap<>();
        opened = metrics.counter("recommendations_opened");
        reminders = metrics.counter("reminders_sent");
        decisionsRejected = metrics.counter("decisions_rejected");
        undecodable = metrics.counter("state_entries_undecodable");
        failures = new RecordFailures(metrics, "lifecycle");
    }

    @Override
    public void processElement1(LifecycleInput in, Context ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            admit(in, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            failed(e, in + " of " + ctx.getCurrentKey(), at(in.at), ctx);
        }
    }

    @Override
    public void processElement2(VmAllocation a, Context ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            allocation(a, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            // Its coordinates stayed with vm-rules' copy; the VM's id is its key on the
            // compacted inventory topic, and the allocation itself is the payload.
            Rejected letter = RecordFailures.encoded(a, VmAllocation.getEncoder());
            letter.vmId = a.getVmId();
            letter.sampleTimestamp = ctx.timestamp() == null ? Long.MIN_VALUE : ctx.timestamp();
            failed(e, "inventory record of " + ctx.getCurrentKey(), letter, ctx);
        }
    }

    /**
     * After a failure the subject starts over (docs/failures.md): its entries and waiting inputs
     * go, so an open recommendation gets no reminder and the rules' next firing for it opens a new
     * one. Timers left fire on an empty state, which does nothing.
     */
    private void failed(Throwable e, String what, Rejected letter, Context ctx) {
        ctx.output(Tags.FAILED, failures.failed(e, what, letter));
        entries.clear();
        pending.clear();
    }

    /** The dead letter of an input or timer with no record of its own: its instant. */
    private static Rejected at(long instant) {
        Rejected letter = RecordFailures.of(null, null);
        letter.sampleTimestamp = instant;
        return letter;
    }

    private void allocation(VmAllocation a, Context ctx, Collector<Recommendation> out)
            throws Exception {
        long at;
        if (a.getEffectiveAt() != null) {
            at = a.getEffectiveAt().toEpochMilli();
        } else if (ctx.timestamp() != null) {
            at = ctx.timestamp();
        } else {
            at = ctx.timerService().currentWatermark();
        }
        admit(LifecycleInput.allocation(ctx.getCurrentKey(), a, at), ctx, out);
    }

    private void admit(LifecycleInput in, Context ctx, Collector<Recommendation> out)
            throws Exception {
        if (in.at <= ctx.timerService().currentWatermark()) {
            take(in, ctx, out);
            return;
        }
        pending.add(in);
        ctx.timerService().registerEventTimeTimer(in.at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            fire(timestamp, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            failed(
                    e,
                    "timer of " + ctx.getCurrentKey() + " at " + Instant.ofEpochMilli(timestamp),
                    at(timestamp),
                    ctx);
        }
    }

    private void fire(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        List<LifecycleInput> waiting = new ArrayList<>();
        Iterable<LifecycleInput> stored = pending.get();
        if (stored != null) {
            stored.forEach(waiting::add);
        }
        if (!waiting.isEmpty()) {
            waiting.sort(EVENT_TIME_ORDER);
            List<LifecycleInput> remaining = new ArrayList<>();
            List<LifecycleInput> due = new ArrayList<>();
            for (LifecycleInput in : waiting) {
                (in.at <= timestamp ? due : remaining).add(in);
            }
            if (remaining.isEmpty()) {
                pending.clear();
            } else {
                pending.update(remaining);
            }
            for (LifecycleInput in : due) {
                take(in, ctx, out);
            }
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // The end of a bounded input (replay --with-lifecycle): the inputs it released are
            // taken, but no reminder, deferral end, cooldown end or expiry is reached after the
            // last watermark the data produced, like every deadline of the rules.
            return;
        }
        for (Map.Entry<String, LifecycleEntry> e : snapshot()) {
            long due = dueOf(e.getValue());
            if (due != LifecycleEntry.NONE && due <= timestamp) {
                apply(e.getKey(), true, due, lifecycle.onTimer(e.getValue(), timestamp), ctx, out);
            }
        }
    }

    private void take(LifecycleInput in, Context ctx, Collector<Recommendation> out)
            throws Exception {
        if (in.allocation != null) {
            for (Map.Entry<String, LifecycleEntry> e : snapshot()) {
                long due = dueOf(e.getValue());
                apply(
                        e.getKey(),
                        true,
                        due,
                        lifecycle.onInventory(e.getValue(), in.allocation, in.at),
                        ctx,
                        out);
            }
            return;
        }
        LifecycleEntry entry = entries.get(in.ruleId);
        long due = dueOf(entry);
        LifecycleOutcome o =
                in.firing != null
                        ? lifecycle.onFiring(entry, in.firing)
                        : lifecycle.onDecision(entry, in.decision, in.subject, in.ruleId);
        if (o.suppressed) {
            suppressed
                    .computeIfAbsent(
                            in.ruleId,
                            rule ->
                                    metrics.addGroup("rule", rule)
                                            .counter("suppressed_by_lifecycle"))
                    .inc();
        }
        apply(in.ruleId, entry != null, due, o, ctx, out);
    }

    private List<Map.Entry<String, LifecycleEntry>> snapshot() throws Exception {
        List<Map.Entry<String, LifecycleEntry>> list = new ArrayList<>();
        for (Map.Entry<String, LifecycleEntry> e : entries.entries()) {
            list.add(Map.entry(e.getKey(), e.getValue()));
        }
        return list;
    }

    private static long dueOf(LifecycleEntry e) {
        return e == null ? LifecycleEntry.NONE : e.nextDue();
    }

    private void apply(
            String ruleId,
            boolean existed,
            long oldDue,
            LifecycleOutcome o,
            Context ctx,
            Collector<Recommendation> out)
            throws Exception {
        for (Recommendation r : o.approvals) {
            out.collect(r);
        }
        for (RecommendationEvent e : o.events) {
            if (e.getKind() == RecommendationEventKind.OPENED) {
                opened.inc();
            } else if (e.getKind() == RecommendationEventKind.REMINDED) {
                reminders.inc();
            }
            ctx.output(Tags.LIFECYCLE_EVENTS, e);
        }
        if (o.decisionRejected) {
            decisionsRejected.inc();
        }
        for (LifecycleOutcome.Undecodable u : o.undecodable) {
            undecodable.inc();
            LOG.warn(
                    "Lifecycle state of {} rule {}: the stored recommendation {} cannot be decoded"
                            + " ({}); its reminder due at {} is not sent, the entry stays {}",
                    u.entry().subject,
                    u.entry().ruleId,
                    u.entry().recommendationId,
                    u.reason(),
                    java.time.Instant.ofEpochMilli(u.at()),
                    o.entry == null ? "ended" : o.entry.state);
        }
        long newDue = LifecycleEntry.NONE;
        if (o.entry == null) {
            if (existed) {
                entries.remove(ruleId);
            }
        } else {
            entries.put(ruleId, o.entry);
            newDue = o.entry.nextDue();
        }
        TimerService timers = ctx.timerService();
        if (oldDue == newDue) {
            return;
        }
        if (oldDue != LifecycleEntry.NONE
                && oldDue > timers.currentWatermark()
                && !stillNeeded(ruleId, oldDue)) {
            timers.deleteEventTimeTimer(oldDue);
        }
        if (newDue != LifecycleEntry.NONE) {
            timers.registerEventTimeTimer(newDue);
        }
    }

    /** The {@code state_entries_undecodable} counter (tests). */
    Counter undecodableEntries() {
        return undecodable;
    }

    /**
     * Whether another entry, or an input waiting for the watermark, needs the timer at {@code t}.
     */
    private boolean stillNeeded(String ruleId, long t) throws Exception {
        for (Map.Entry<String, LifecycleEntry> e : entries.entries()) {
            if (!e.getKey().equals(ruleId) && e.getValue().nextDue() == t) {
                return true;
            }
        }
        Iterable<LifecycleInput> waiting = pending.get();
        if (waiting != null) {
            for (LifecycleInput in : waiting) {
                if (in.at == t) {
                    return true;
                }
            }
        }
        return false;
    }
}
