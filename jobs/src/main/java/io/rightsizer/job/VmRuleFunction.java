package io.rightsizer.job;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.Sizing;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SampleCodec;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by vmId: buffers each VM's samples until the watermark passes them and lets the {@link
 * VmEvaluator} judge them in timestamp order, with event-time timers for the samples and for the
 * VM's deadlines (a week's end, an inactive spell's end).
 *
 * <p>A timer at {@link Long#MAX_VALUE} watermark means the bounded input ended: pending samples are
 * still evaluated, but no deadline is reached (time only moves with data).
 *
 * <p>A VM that has sent nothing for the retention period and has no deadline left is forgotten: its
 * state and timers are removed.
 *
 * <p>The rule set comes from the broadcast rules stream ({@link RulesInForce}): every evaluation
 * after an update arrives uses it, with no restart and no per-VM state lost. The first parallel
 * instance reports each decision on {@link Tags#RULE_STATUS}; all instances decide alike.
 *
 * <p>The VM's inventory records (vm-inventory) arrive on the same keyed input ({@link VmInput}):
 * the latest one's allocation stands for the VM's size, its protection windows hold back
 * reductions, a change of size makes the weekly rules wait for the next full week, a DECOMMISSIONED
 * record clears the VM's state and timers, and its temporary periods get their time-limit notices
 * on {@link Tags#NOTICES} when event time reaches them (rules/README.md, "Inventory" and "Time
 * limits").
 *
 * <p>With a data-quality watch ({@link #withDataQuality}), a VM whose last sample was RUNNING and
 * that sends nothing more for the silence period gets a TELEMETRY_SILENT event on {@link
 * Tags#DATA_QUALITY}, and a TELEMETRY_RESUMED one with its next sample (docs/monitoring.md "Data
 * quality").
 */
public class VmRuleFunction
        extends KeyedBroadcastProcessFunction<String, VmInput, RuleUpdate, Recommendation> {
    private static final long serialVersionUID = 1L;

    /** Package-private for tests ({@link RulesInForce#beforeDecide}). */
    final RulesInForce<VmEvaluator> rules;

    private final long retentionMillis;
    private final String sourceName;

    /** Null: no time-limit notices are issued. */
    private final TimeLimits timeLimits;

    private transient boolean reportsRuleStatus;
    private transient Counter ruleUpdatesAccepted;
    private transient Counter ruleUpdatesRejected;
    private transient ValueState<VmState> state;
    private transient Counter late;
    private transient Counter duplicates;
    private transient Counter expired;
    private transient RuleMetrics ruleMetrics;
    private transient ValueState<VmInventory> inventory;
    private transient Counter allocations;
    private transient Counter decommissioned;
    private transient Counter protectedReductions;
    private transient Counter noticesIssued;

    /** 0: no data-quality watch. */
    private long silenceAfterMillis;

    /**
     * Whether the hour and week summaries go out on {@link Tags#HOURLY} and {@link Tags#WEEKLY}.
     */
    private boolean history;

    private transient Counter silentEvents;
    private transient Counter resumedEvents;

    /** Tells this incarnation's vmsTracked count from a restored state's. */
    private transient long incarnation;

    private transient long tracked;
    private transient volatile long watermarkSeen;
    private transient RuleSetVersionGauges versions;
    private transient RecordFailures failures;
    private transient VmRuleEscape escape;
    private transient RuleUpdateEscape updateEscape;

    /** Without time-limit notices. */
    public VmRuleFunction(RuleSet rules, Sizing sizing, Duration retention, String sourceName) {
        this(rules, sizing, retention, sourceName, null);
    }

    /**
     * @param sizing the catalog target sizes come from; every rule set in force (the configured one
     *     and each accepted update) is judged with it
     * @param timeLimits the limits and working calendar of the time-limit notices, null for none
     */
    public VmRuleFunction(
            RuleSet rules,
            Sizing sizing,
            Duration retention,
            String sourceName,
            TimeLimits timeLimits) {
        this.rules = new RulesInForce<>(rules, r -> new VmEvaluator(r, sizing));
        this.retentionMillis = retention.toMillis();
        this.sourceName = sourceName;
        this.timeLimits = timeLimits;
    }

    /**
     * Watches every VM for silence: {@code silenceAfter} without a sample while its last one was
     * RUNNING gives a data-quality event. Null or zero: no watch.
     */
    public VmRuleFunction withDataQuality(Duration silenceAfter) {
        this.silenceAfterMillis = silenceAfter == null ? 0 : silenceAfter.toMillis();
        return this;
    }

    /**
     * Sends each VM's hour and week summaries (the utilization history) on the side outputs; off,
     * nothing is emitted for them.
     */
    public VmRuleFunction withHistory(boolean on) {
        this.history = on;
        return this;
    }

    @Override
    public void open(OpenContext ctx) {
        reportsRuleStatus = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        state = getRuntimeContext().getState(Tags.vmState());
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        late = g.addGroup("reason", "LATE").counter("dead_letters");
        duplicates = g.counter("duplicate_samples");
        expired = g.counter("vms_forgotten");
        ruleUpdatesAccepted = g.counter("rule_updates_accepted");
        ruleUpdatesRejected = g.counter("rule_updates_rejected");
        inventory = getRuntimeContext().getState(Tags.vmInventory());
        allocations = g.counter("allocations_applied");
        decommissioned = g.counter("vms_decommissioned");
        protectedReductions = g.counter("reductions_in_protection_windows");
        noticesIssued = g.counter("time_limit_notices");
        ruleMetrics =
                new RuleMetrics(
                        g,
                        Rule.WEEKLY_AVERAGE,
                        Rule.HOURLY_PEAKS,
                        Rule.STORAGE_USAGE,
                        Rule.WEEKLY_UNDERUSE,
                        Rule.VM_INACTIVE,
                        Rule.MEMORY_EMERGENCY,
                        Rule.STORAGE_EMERGENCY);
        silentEvents =
                g.addGroup("kind", DataQualityKind.TELEMETRY_SILENT.name())
                        .counter("data_quality_events");
        resumedEvents =
                g.addGroup("kind", DataQualityKind.TELEMETRY_RESUMED.name())
                        .counter("data_quality_events");
        incarnation = ThreadLocalRandom.current().nextLong() | 1L;
        tracked = 0;
        watermarkSeen = Long.MIN_VALUE;
        g.gauge("vms_tracked", (Gauge<Long>) () -> tracked);
        g.gauge("event_time_lag_seconds", (Gauge<Double>) () -> eventTimeLag() / 1000.0);
        versions = new RuleSetVersionGauges(g, rules::version);
        versions.register(rules.version());
        failures = new RecordFailures(g, "vm-rules");
        escape = new VmRuleEscape(failures, sourceName);
        updateEscape = new RuleUpdateEscape(g, "vm-rules-updates", reportsRuleStatus);
    }

    /** Wall clock minus this instance's watermark; 0 before the first one and after the last. */
    private long eventTimeLag() {
        long w = watermarkSeen;
        if (w == Long.MIN_VALUE || w == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, System.currentTimeMillis() - w);
    }

    /** Counts the VM in vmsTracked once per incarnation; call before {@code state.update(s)}. */
    private void track(VmState s) {
        if (s.trackedBy != incarnation) {
            s.trackedBy = incarnation;
            tracked++;
        }
    }

    private void untrack(VmState s) {
        if (s != null && s.trackedBy == incarnation) {
            tracked--;
        }
    }

    private VmEvaluator evaluator(ReadOnlyContext ctx) throws Exception {
        VmEvaluator e = rules.evaluator(() -> ctx.getBroadcastState(Tags.RULES));
        if (reportsRuleStatus) {
            RuleSetStatus notice = rules.takeRestoreNotice();
            if (notice != null) {
                ctx.output(Tags.RULE_STATUS, notice);
            }
        }
        return e;
    }

    @Override
    public void processBroadcastElement(
            RuleUpdate update, Context ctx, Collector<Recommendation> out) throws Exception {
        RuleSetStatus status;
        try {
            status =
                    rules.decide(
                            ctx.getBroadcastState(Tags.RULES), update, System.currentTimeMillis());
            updateEscape.succeeded();
        } catch (Exception | Error e) {
            status = updateEscape.failed(e, update, rules.version(), ctx);
        }
        if (reportsRuleStatus && status != null) {
            (status.getOutcome() == RuleUpdateOutcome.ACCEPTED
                            ? ruleUpdatesAccepted
                            : ruleUpdatesRejected)
                    .inc();
            ctx.output(Tags.RULE_STATUS, status);
        }
        if (status != null) {
            versions.register(status.getInForceVersion());
        }
    }

    @Override
    public void processElement(VmInput in, ReadOnlyContext ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            if (in.allocation != null) {
                allocation(in.allocation, in.receivedAt, ctx);
            } else {
                sample(in.sample, ctx);
            }
            failures.succeeded();
        } catch (Exception | Error e) {
            ctx.output(Tags.FAILED, escape.inputFailed(e, in, ctx.getCurrentKey()));
            reset(ctx.timerService(), in.allocation != null);
        }
    }

    /**
     * After a failure, the VM starts over: a half-applied update (on the heap state backend the
     * state object is changed in place, before any {@code update}) must not judge, or fail, again.
     * Its rules' state goes and with it every timer it registered; its inventory record stays (it
     * still gives the VM's size and protection windows), unless an inventory record failed. State
     * that cannot even be read is cleared all the same; a timer it held then fires on an empty
     * state, which does nothing.
     */
    private void reset(TimerService timers, boolean inventoryToo) {
        VmState s = null;
        VmInventory inv = null;
        try {
            s = state.value();
            inv = inventory.value();
        } catch (Exception | StackOverflowError unreadable) {
            // Cleared below all the same.
        }
        VmRuleEscape.deleteTimers(timers, s, inv, inventoryToo);
        untrack(s);
        state.clear();
        if (inventoryToo) {
            inventory.clear();
        }
    }

    private void sample(Sample sample, ReadOnlyContext ctx) throws Exception {
        VmEvaluator evaluator = evaluator(ctx);
        VmState s = state.value();
        if (s == null) {
            s = new VmState();
            // A VM forgotten for silence keeps its inventory record, which still gives its size.
            VmInventory inv = inventory.value();
            if (inv != null) {
                s.allocatedMemoryBytes = inv.memoryBytes;
                s.allocatedStorageBytes = inv.storageBytes;
            }
        }
        Admission a = evaluator.admit(s, sample, ctx.timerService().currentWatermark());
        switch (a) {
            case ACCEPTED -> {
                // One timer per VM for its earliest pending sample, not one per sample: a
                // backlog read ahead of the watermark must not grow the timer queue.
                if (s.sampleTimer == VmState.NONE || sample.timestamp < s.sampleTimer) {
                    s.sampleTimer = sample.timestamp;
                    ctx.timerService().registerEventTimeTimer(sample.timestamp);
                }
                track(s);
                state.update(s);
            }
            case DUPLICATE -> duplicates.inc();
            case LATE -> {
                late.inc();
                ctx.output(Tags.LATE, lateLetter(sample, ctx.timerService().currentWatermark()));
            }
        }
    }

    private void allocation(VmAllocation a, long receivedAt, ReadOnlyContext ctx) throws Exception {
        TimerService timers = ctx.timerService();
        VmState s = state.value();
        VmInventory inv = inventory.value();
        if (a.getStatus() == AllocationStatus.DECOMMISSIONED) {
            decommission(s, inv, timers);
            return;
        }
        allocations.inc();
        if (inv == null) {
            inv = new VmInventory();
        }
        long memoryBefore = inv.hasRecord() ? inv.memoryBytes : s == null ? -1 : s.memoryTotalBytes;
        long storageBefore =
                inv.hasRecord() ? inv.storageBytes : s == null ? -1 : s.storageTotalBytes;
        boolean resized =
                (memoryBefore >= 0 && memoryBefore != a.getMemoryBytes())
                        || (storageBefore >= 0 && storageBefore != a.getStorageBytes());
        inv.apply(a, receivedAt, timeLimits);
        if (s == null) {
            s = new VmState();
        }
        s.allocatedMemoryBytes = inv.memoryBytes;
        s.allocatedStorageBytes = inv.storageBytes;
        track(s);
        if (resized) {
            evaluator(ctx)
                    .resized(
                            s,
                            a.getEffectiveAt() != null
                                    ? a.getEffectiveAt().toEpochMilli()
                                    : receivedAt);
        }
        state.update(s);
        issueNotices(ctx.getCurrentKey(), inv, s, ctx);
        inventory.update(inv);
    }

    /** Clears all the VM's state, and deletes every timer it may have registered. */
    private void decommission(VmState s, VmInventory inv, TimerService timers) {
        VmRuleEscape.deleteTimers(timers, s, inv, true);
        untrack(s);
        state.clear();
        inventory.clear();
        decommissioned.inc();
    }

    /**
     * Issues the notices due at the watermark and keeps one timer at the next one. Returns whether
     * {@code inv} changed. Registers the timer even when it stands already: the VM's deadline timer
     * at the same instant may have been deleted with it.
     */
    private boolean issueNotices(String vmId, VmInventory inv, VmState s, ReadOnlyContext ctx) {
        if (timeLimits == null) {
            return false;
        }
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        if (watermark == Long.MAX_VALUE) {
            // The end of a bounded input reaches no deadline (time only moves with data).
            return false;
        }
        boolean changed = false;
        for (TimeLimitNotice n :
                timeLimits.issue(inv.periods, vmId, inv.systemId, inv.unitId, watermark)) {
            noticesIssued.inc();
            ctx.output(Tags.NOTICES, n);
            changed = true;
        }
        long next = timeLimits.nextDue(inv.periods);
        long old = inv.noticeTimer;
        if (old != VmInventory.NONE
                && old != next
                && old > watermark
                && (s == null
                        || (old != s.sampleTimer
                                && old != s.deadlineTimer
                                && old != s.expiryTimer
                                && old != s.silenceTimer))) {
            timers.deleteEventTimeTimer(old);
        }
        long now = next == Long.MAX_VALUE ? VmInventory.NONE : next;
        if (now != VmInventory.NONE) {
            timers.registerEventTimeTimer(now);
        }
        inv.noticeTimer = now;
        return changed || now != old;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            fire(timestamp, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            timerFailed(timestamp, e, ctx);
        }
    }

    /**
     * A timer that failed is not retried (it would fail again, at every watermark): its letters
     * ({@link VmRuleEscape#timerFailed}) go to the dead letters and the VM starts over.
     */
    private void timerFailed(long timestamp, Throwable e, OnTimerContext ctx) {
        VmState s = null;
        try {
            s = state.value();
        } catch (Exception | StackOverflowError unreadable) {
            // Then no sample can be named: one letter for the timer.
        }
        for (Rejected letter : escape.timerFailed(e, timestamp, ctx.getCurrentKey(), s)) {
            ctx.output(Tags.FAILED, letter);
        }
        reset(ctx.timerService(), false);
    }

    private void fire(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        // Read here only: a timer fires whenever the watermark passes a sample or a deadline.
        watermarkSeen = ctx.timerService().currentWatermark();
        VmInventory inv = inventory.value();
        VmState s = state.value();
        // A state only the inventory created has no sample to judge, and no retention timer to
        // start: it goes with a DECOMMISSIONED record.
        if (s != null && (s.hasPending() || s.lastEvaluatedAt != VmState.NONE)) {
            s = judge(timestamp, s, inv, ctx, out);
        }
        if (inv != null && issueNotices(ctx.getCurrentKey(), inv, s, ctx)) {
            inventory.update(inv);
        }
    }

    /** Evaluates what the watermark passed; returns the state, null when the VM was forgotten. */
    private VmState judge(
            long timestamp,
            VmState s,
            VmInventory inv,
            OnTimerContext ctx,
            Collector<Recommendation> out)
            throws Exception {
        VmEvaluator evaluator = evaluator(ctx);
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        track(s);
        Emitter emitter = new Emitter(ctx, out, inv, s);
        evaluator.advance(s, ctx.getCurrentKey(), watermark, endOfInput, emitter);
        if (endOfInput) {
            state.update(s);
            return s;
        }
        if (silenceAfterMillis > 0) {
            watchSilence(ctx.getCurrentKey(), s, watermark, ctx);
        }
        long earliest = evaluator.nextPending(s);
        if (earliest == Long.MAX_VALUE) {
            s.sampleTimer = VmState.NONE;
        } else if (s.sampleTimer == VmState.NONE
                || s.sampleTimer <= watermark
                || earliest < s.sampleTimer) {
            s.sampleTimer = earliest;
            timers.registerEventTimeTimer(earliest);
        }
        // One timer for the VM's earliest deadline; a deadline that moved (a spell broken) has
        // its timer removed.
        long next = evaluator.nextDeadline(s);
        s.deadlineTimer =
                KeyTimers.moveDeadline(
                        timers,
                        s.deadlineTimer,
                        next,
                        watermark,
                        s.expiryTimer,
                        s.sampleTimer,
                        s.silenceTimer);
        if (timestamp == s.expiryTimer || s.expiryTimer == VmState.NONE) {
            long expiry =
                    KeyTimers.renewRetention(
                            timers,
                            s.hasPending(),
                            next,
                            s.lastEvaluatedAt,
                            watermark,
                            retentionMillis);
            if (expiry == KeyTimers.NONE) {
                expired.inc();
                // Its last hour may still be open when nothing closed it (no deadline left).
                evaluator.closeOpenHour(s, ctx.getCurrentKey(), emitter);
                untrack(s);
                state.clear();
                return null;
            }
            s.expiryTimer = expiry;
        }
        state.update(s);
        return s;
    }

    /**
     * The deadman: once the watermark reaches the last sample plus the silence period with no later
     * sample evaluated, and that sample was RUNNING, the VM is reported silent (once per silence).
     * Otherwise one timer stands at that instant; it is never deleted, only moved on when it fires
     * early (a later sample came), so the watch costs one timer per VM and silence period.
     */
    private void watchSilence(String vmId, VmState s, long watermark, ReadOnlyContext ctx) {
        long last = s.lastEvaluatedAt;
        if (last == VmState.NONE || s.lastStopped || s.silenceReported) {
            return;
        }
        long due = last + silenceAfterMillis;
        if (due <= watermark) {
            s.silenceReported = true;
            s.silentAfter = last;
            silentEvents.inc();
            ctx.output(
                    Tags.DATA_QUALITY, DataQualityEvents.silent(vmId, s, last, silenceAfterMillis));
        } else if (s.silenceTimer == VmState.NONE || s.silenceTimer <= watermark) {
            s.silenceTimer = due;
            ctx.timerService().registerEventTimeTimer(due);
        }
    }

    private Rejected lateLetter(Sample sample, long watermark) {
        Rejected r =
                Rejected.of(
                        DeadLetterReason.LATE,
                        "timestamp "
                                + java.time.Instant.ofEpochMilli(sample.timestamp)
                                + " is at or behind the watermark "
                                + java.time.Instant.ofEpochMilli(watermark),
                        SampleCodec.encode(sample));
        r.sourceTopic = sourceName;
        r.sourcePartition = sample.sourcePartition;
        r.sourceOffset = sample.sourceOffset;
        r.vmId = sample.vmId;
        r.sampleTimestamp = sample.timestamp;
        return r;
    }

    /**
     * Forwards firings downstream, except reductions that fall into a protection window, and
     * business reports to the system-level rule.
     */
    private final class Emitter implements RuleListener {
        private final OnTimerContext ctx;
        private final Collector<Recommendation> out;
        private final VmInventory inventory;
        private final VmState state;

        Emitter(
                OnTimerContext ctx,
                Collector<Recommendation> out,
                VmInventory inventory,
                VmState state) {
            this.ctx = ctx;
            this.out = out;
            this.inventory = inventory;
            this.state = state;
        }

        @Override
        public void evaluated(Sample sample) {
            if (state.silenceReported) {
                DataQualityEvent e =
                        DataQualityEvents.resumed(
                                ctx.getCurrentKey(),
                                state,
                                state.silentAfter,
                                sample.timestamp,
                                silenceAfterMillis);
                state.silenceReported = false;
                state.silentAfter = VmState.NONE;
                resumedEvents.inc();
                ctx.output(Tags.DATA_QUALITY, e);
            }
            state.lastStopped = sample.stopped;
        }

        @Override
        public void fired(Recommendation r) {
            if (inventory != null
                    && r.getAction() != Action.SCALE_UP
                    && inventory.protects(r.getFiredAt().toEpochMilli())) {
                protectedReductions.inc();
                return;
            }
            ruleMetrics.fired(r);
            out.collect(r);
        }

        @Override
        public void suppressed(Rule rule, long at) {
            ruleMetrics.suppressed(rule);
        }

        @Override
        public void hourClosed(HourSummary hour) {
            if (history) {
                ctx.output(Tags.HOURLY, hour);
            }
        }

        @Override
        public void weekClosed(WeekSummary week) {
            if (history) {
                ctx.output(Tags.WEEKLY, week);
            }
        }

        @Override
        public void businessReport(BusinessReport report) {
            ctx.output(Tags.BUSINESS, report);
        }
    }
}
