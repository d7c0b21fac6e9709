package io.rightsizer.job;

import io.rightsizer.model.LifecycleInput;
import io.rightsizer.rules.Lifecycle;
import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.LifecycleOutcome;
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

/**
 * Keyed by subject ("vm:" + vmId, "system:" + systemId): runs the {@link Lifecycle} of each rule of
 * the subject on the firings and decisions from the {@link DecisionRouter} (input 1) and the VM's
 * inventory records (input 2). What it lets through, and the reminders, go to the approval topic
 * (main output); every state change and rejected decision to {@link Tags#LIFECYCLE_EVENTS}.
 *
 * <p>Inventory records are applied in event time: one effective after the watermark is held until
 * the watermark reaches it, so every firing up to that instant has been seen.
 *
 * <p>State: one {@link LifecycleEntry} per rule of the subject, the inventory records held, and one
 * event-time timer per distinct due instant of those; all go when the entries end.
 */
public class LifecycleFunction
        extends KeyedCoProcessFunction<String, LifecycleInput, VmAllocation, Recommendation> {
    private static final long serialVersionUID = 1L;

    private final LifecycleStage.Settings settings;

    private transient Lifecycle lifecycle;
    private transient MapState<String, LifecycleEntry> entries;
    private transient ListState<VmAllocation> heldAllocations;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> suppressed;
    private transient Counter opened;
    private transient Counter reminders;
    private transient Counter decisionsRejected;

    public LifecycleFunction(LifecycleStage.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        lifecycle = settings.lifecycle();
        entries = getRuntimeContext().getMapState(Tags.lifecycleEntries());
        heldAllocations = getRuntimeContext().getListState(Tags.heldAllocations());
        metrics = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        suppressed = new HashMap<>();
        opened = metrics.counter("recommendationsOpened");
        reminders = metrics.counter("remindersSent");
        decisionsRejected = metrics.counter("decisionsRejected");
    }

    @Override
    public void processElement1(LifecycleInput in, Context ctx, Collector<Recommendation> out)
            throws Exception {
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
                            rule -> metrics.addGroup("rule", rule).counter("suppressedByLifecycle"))
                    .inc();
        }
        apply(in.ruleId, entry != null, due, o, ctx, out);
    }

    @Override
    public void processElement2(VmAllocation a, Context ctx, Collector<Recommendation> out)
            throws Exception {
        long at;
        if (a.getEffectiveAt() != null) {
            at = a.getEffectiveAt().toEpochMilli();
        } else if (ctx.timestamp() != null) {
            at = ctx.timestamp();
        } else {
            at = ctx.timerService().currentWatermark();
        }
        if (at <= ctx.timerService().currentWatermark()) {
            applyAllocation(a, at, ctx, out);
            return;
        }
        // Until the watermark reaches it, a firing it may confirm can still be on its way.
        heldAllocations.add(
                VmAllocation.newBuilder(a).setEffectiveAt(Instant.ofEpochMilli(at)).build());
        ctx.timerService().registerEventTimeTimer(at);
    }

    private void applyAllocation(
            VmAllocation a, long at, Context ctx, Collector<Recommendation> out) throws Exception {
        for (Map.Entry<String, LifecycleEntry> e : snapshot()) {
            long due = dueOf(e.getValue());
            apply(e.getKey(), true, due, lifecycle.onInventory(e.getValue(), a, at), ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        List<VmAllocation> held = new ArrayList<>();
        Iterable<VmAllocation> stored = heldAllocations.get();
        if (stored != null) {
            stored.forEach(held::add);
        }
        if (!held.isEmpty()) {
            held.sort(Comparator.comparing(VmAllocation::getEffectiveAt));
            List<VmAllocation> remaining = new ArrayList<>();
            for (VmAllocation a : held) {
                long at = a.getEffectiveAt().toEpochMilli();
                if (at <= timestamp) {
                    applyAllocation(a, at, ctx, out);
                } else {
                    remaining.add(a);
                }
            }
            if (remaining.isEmpty()) {
                heldAllocations.clear();
            } else {
                heldAllocations.update(remaining);
            }
        }
        for (Map.Entry<String, LifecycleEntry> e : snapshot()) {
            long due = dueOf(e.getValue());
            if (due != LifecycleEntry.NONE && due <= timestamp) {
                apply(e.getKey(), true, due, lifecycle.onTimer(e.getValue(), timestamp), ctx, out);
            }
        }
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
                && !dueOfAnotherEntry(ruleId, oldDue)) {
            timers.deleteEventTimeTimer(oldDue);
        }
        if (newDue != LifecycleEntry.NONE) {
            timers.registerEventTimeTimer(newDue);
        }
    }

    private boolean dueOfAnotherEntry(String ruleId, long due) throws Exception {
        for (Map.Entry<String, LifecycleEntry> e : entries.entries()) {
            if (!e.getKey().equals(ruleId) && e.getValue().nextDue() == due) {
                return true;
            }
        }
        Iterable<VmAllocation> held = heldAllocations.get();
        if (held != null) {
            for (VmAllocation a : held) {
                if (a.getEffectiveAt().toEpochMilli() == due) {
                    return true;
                }
            }
        }
        return false;
    }
}
