package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by vmId: buffers each VM's samples until the watermark passes them and lets the {@link
 * VmEvaluator} judge them in timestamp order, in batches. A VM holds at most one event-time timer,
 * its wake-up ({@link VmWakeUp}), at the earliest of its deadlines: its earliest buffered sample,
 * the rules' next deadline (a week's end, an inactive spell's end), the deadman ({@link
 * SilenceWatch}), the retention check and its next time-limit notice ({@link NoticeSchedule}). When
 * it fires, everything due at the watermark is done and the next wake-up registered
 * (docs/design.md, "vm-rules: one wake-up per VM"). A timer that finds nothing due (one left by an
 * older version's savepoint) changes nothing.
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
 * they give its size, protection windows and time-limit notices (rules/README.md, "Inventory" and
 * "Time limits"); a DECOMMISSIONED record clears the VM. A data-quality watch ({@link
 * #withDataQuality}) reports silent VMs on {@link Tags#DATA_QUALITY} (docs/monitoring.md).
 *
 * <p>Run in {@link HoldingOperators}, as the job does, it holds samples ahead of the watermark on
 * the heap ({@link ArrivalHold}; docs/design.md, "Arrivals held until the watermark").
 */
public class VmRuleFunction
        extends KeyedBroadcastProcessFunction<String, VmInput, RuleUpdate, Recommendation>
        implements ArrivalHold.Holder {
    private static final long serialVersionUID = 1L;
    private static final long NONE = VmWakeUp.NONE;

    /**
     * How many samples one parallel instance holds on its heap at most ({@link ArrivalHold}), some
     * 200 bytes each; beyond, a sample takes the keyed-state path at once.
     */
    static final int HOLD_CAPACITY = 1 << 17;

    /** Package-private for tests ({@link RulesInForce#beforeDecide}). */
    final RulesInForce<VmEvaluator> rules;

    private final long retentionMillis;
    private final String sourceName;

    /** Null: no time-limit notices are issued. */
    private final TimeLimits timeLimits;

    private final NoticeSchedule notices;

    /** Off unless {@link #withDataQuality} turns it on. */
    private SilenceWatch silence = new SilenceWatch(null);

    /**
     * Whether the hour and week summaries go out on {@link Tags#HOURLY} and {@link Tags#WEEKLY}.
     */
    private boolean history;

    private int holdCapacity = HOLD_CAPACITY;

    private transient boolean reportsRuleStatus;
    private transient ValueState<VmInventory> inventory;
    private transient ValueState<VmWakeUp> wakeUps;
    private transient SampleBuffer buffer;
    private transient VmKeyedState vm;
    private transient VmRuleMetrics metrics;
    private transient RuleSetVersionGauges versions;
    private transient RecordFailures failures;
    private transient VmRuleEscape escape;
    private transient RuleUpdateEscape updateEscape;

    /** Null unless the operator holds arrivals ({@link HoldingOperators}). */
    private transient ArrivalHold<Sample> hold;

    /** The operator's context of its inputs, which outlives each call; for {@link #release}. */
    private transient ReadOnlyContext arrivals;

    /** The held samples the wake-up in progress took, for its dead letters should it fail. */
    private transient List<Sample> firing;

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
        this.notices = new NoticeSchedule(timeLimits);
    }

    /**
     * Watches every VM for silence: {@code silenceAfter} without a sample while its last one was
     * RUNNING gives a data-quality event. Null or zero: no watch.
     */
    public VmRuleFunction withDataQuality(Duration silenceAfter) {
        this.silence = new SilenceWatch(silenceAfter);
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
        vm = new VmKeyedState(getRuntimeContext(), notices, silence, retentionMillis);
        inventory = vm.inventory;
        wakeUps = vm.wakeUps;
        buffer = vm.buffer;
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        metrics = new VmRuleMetrics(g, silence, history);
        versions = new RuleSetVersionGauges(g, rules::version);
        versions.register(rules.version());
        failures = new RecordFailures(g, "vm-rules");
        escape = new VmRuleEscape(failures, sourceName);
        updateEscape = new RuleUpdateEscape(g, "vm-rules-updates", reportsRuleStatus);
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
        RuleSetStatus status = updateEscape.decide(rules, update, ctx);
        if (reportsRuleStatus && status != null) {
            metrics.decided(status);
            ctx.output(Tags.RULE_STATUS, status);
        }
        if (status != null) {
            versions.register(status.getInForceVersion());
        }
    }

    /** Another {@link #HOLD_CAPACITY}, for tests. */
    VmRuleFunction holdCapacity(int samples) {
        this.holdCapacity = samples;
        return this;
    }

    /** How many samples are held on the heap now (for tests). */
    int held() {
        return hold == null ? 0 : hold.size();
    }

    @Override
    public ArrivalHold<Sample> holdArrivals() {
        hold = new ArrivalHold<>(holdCapacity, x -> x.timestamp);
        metrics.held(hold::size);
        return hold;
    }

    /** The current key's held samples arrive now, each as it would have on its own. */
    @Override
    public void release(String key) throws Exception {
        List<Sample> held = hold.take(key);
        if (held != null) {
            for (Sample x : held) {
                processInput(VmInput.of(x), arrivals);
            }
        }
    }

    @Override
    public void processElement(VmInput in, ReadOnlyContext ctx, Collector<Recommendation> out)
            throws Exception {
        if (hold != null) {
            arrivals = ctx;
            // A sample ahead of the watermark waits for it on the heap; anything else for this VM
            // (a late sample, an inventory record, a full hold) comes after what it holds.
            if (in.allocation == null
                    && in.sample.timestamp > ctx.timerService().currentWatermark()
                    && hold.offer(ctx.getCurrentKey(), in.sample)) {
                return;
            }
            release(ctx.getCurrentKey());
        }
        processInput(in, ctx);
    }

    private void processInput(VmInput in, ReadOnlyContext ctx) {
        try {
            if (in.allocation != null) {
                allocation(in.allocation, in.receivedAt, ctx);
            } else {
                sample(in.sample, ctx);
            }
            failures.succeeded();
        } catch (Exception | Error e) {
            ctx.output(Tags.FAILED, escape.inputFailed(e, in, ctx.getCurrentKey()));
            vm.reset(ctx.timerService(), in.allocation != null, metrics);
        }
    }

    /**
     * Admission exactly as {@link VmEvaluator#admit}, without parsing the rules' state: a sample at
     * the latest evaluated one is a DUPLICATE, one at or behind the watermark LATE, any other is
     * appended to the buffer (a duplicate of a buffered one is told apart when the batch is
     * evaluated), or joins the rules' pending samples when they are parsed already (the heap). Only
     * the VM's small bookkeeping is read, and written when it changes.
     */
    private void sample(Sample sample, ReadOnlyContext ctx) throws Exception {
        evaluator(ctx);
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        VmWakeUp w = wakeUps.value();
        boolean changed = false;
        if (w == null) {
            w = vm.restoredWakeUp(timers, true);
            changed = true;
            if (w == null) {
                w = VmWakeUp.ofNewVm();
            }
        }
        long ts = sample.timestamp;
        if (ts == w.lastEvaluatedAt) {
            metrics.duplicates.inc();
        } else if (ts <= watermark) {
            metrics.late.inc();
            ctx.output(Tags.LATE, escape.late(sample, watermark));
        } else {
            VmState parsed = w.parsedRules();
            if (parsed != null && w.lone == null && w.listEmpty) {
                // The heap backend keeps the record itself, its rules' state parsed since its
                // last wake-up: the sample joins the pending ones there, as the wake-up would
                // have put it, and the list state (read and cleared at the wake-up, a tenth of
                // vm-rules when two samples come between wake-ups) is not touched. A record read
                // anew (RocksDB) has its rules' state as bytes, left unparsed: buffered.
                if (VmEvaluator.admitTo(parsed, sample, Long.MIN_VALUE) == Admission.DUPLICATE) {
                    metrics.duplicates.inc();
                    return;
                }
                changed = true;
            } else {
                changed |= buffer.add(w, sample);
            }
            changed |= w.buffered(ts);
            changed |= metrics.track(w);
            if (w.wakeUp == NONE || ts < w.wakeUp) {
                changed |= w.arm(timers, ts);
            }
            if (changed) {
                vm.store(w);
            }
        }
    }

    private void allocation(VmAllocation a, long receivedAt, ReadOnlyContext ctx) throws Exception {
        TimerService timers = ctx.timerService();
        VmWakeUp w = vm.wakeUp(timers);
        VmState s = vm.rulesOf(w);
        VmInventory inv = inventory.value();
        if (a.getStatus() == AllocationStatus.DECOMMISSIONED) {
            // Everything goes, its wake-up too.
            metrics.untrack(w);
            vm.clear(w, timers);
            metrics.decommissioned.inc();
            return;
        }
        metrics.allocations.inc();
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
        metrics.track(w);
        if (resized) {
            evaluator(ctx)
                    .resized(
                            s,
                            a.getEffectiveAt() != null
                                    ? a.getEffectiveAt().toEpochMilli()
                                    : receivedAt);
        }
        w.keepRules(s);
        issueNotices(ctx, inv);
        inventory.update(inv);
        w.noInventory = false;
        w.arm(timers, vm.nextWakeUp(w, s, inv));
        vm.store(w);
    }

    /** Issues the notices due at the watermark; returns whether {@code inv} changed. */
    private boolean issueNotices(ReadOnlyContext ctx, VmInventory inv) {
        boolean issued = false;
        for (TimeLimitNotice n :
                notices.due(ctx.getCurrentKey(), inv, ctx.timerService().currentWatermark())) {
            metrics.noticesIssued.inc();
            ctx.output(Tags.NOTICES, n);
            issued = true;
        }
        return issued;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            firing = hold == null ? null : hold.take(ctx.getCurrentKey());
            fire(ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            timerFailed(timestamp, e, ctx);
        } finally {
            firing = null;
        }
    }

    /**
     * A timer that failed is not retried (it would fail again, at every watermark): its letters
     * ({@link VmRuleEscape#timerFailed}) go to the dead letters and the VM starts over.
     */
    private void timerFailed(long timestamp, Throwable e, OnTimerContext ctx) {
        Sample[] waiting = firing == null ? null : firing.toArray(new Sample[0]);
        try {
            VmWakeUp w = wakeUps.value();
            waiting = buffer.waiting(vm.rulesOf(w), w, firing);
        } catch (Exception | StackOverflowError unreadable) {
            // Then no sample can be named: one letter for the timer.
        }
        for (Rejected letter : escape.timerFailed(e, timestamp, ctx.getCurrentKey(), waiting)) {
            ctx.output(Tags.FAILED, letter);
        }
        vm.reset(ctx.timerService(), false, metrics);
    }

    /** The VM's wake-up: does everything due at the watermark, then registers the next one. */
    private void fire(OnTimerContext ctx, Collector<Recommendation> out) throws Exception {
        // Read here only: a timer fires whenever the watermark passes a sample or a deadline.
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        metrics.watermarkSeen(watermark);
        VmWakeUp w = wakeUps.value();
        if (w == null) {
            w = vm.restoredWakeUp(timers, false);
            if (w == null) {
                if (firing == null) {
                    return;
                }
                w = VmWakeUp.ofNewVm();
            }
        } else if (firing == null && w.nothingDueAt(watermark)) {
            return;
        }
        if (firing != null) {
            for (Sample x : firing) {
                w.buffered(x.timestamp);
            }
        }
        VmInventory inv = w.noInventory ? null : inventory.value();
        VmState s = vm.rulesOf(w);
        // A state only the inventory created has no sample to judge, and no retention check to
        // start: it goes with a DECOMMISSIONED record.
        if (w.earliestBuffered != NONE || (s != null && s.lastEvaluatedAt != VmState.NONE)) {
            s = judge(w, s, inv, ctx, out);
        }
        if (inv != null && issueNotices(ctx, inv)) {
            inventory.update(inv);
        }
        if (s == null && inv == null) {
            vm.drop(w);
            return;
        }
        if (watermark != Long.MAX_VALUE) {
            w.arm(timers, vm.nextWakeUp(w, s, inv));
        }
        vm.store(w);
    }

    /**
     * Evaluates the buffered samples and the deadlines the watermark passed, in one batch, then the
     * deadman and the retention check; returns the state, null when the VM was forgotten.
     */
    private VmState judge(
            VmWakeUp w,
            VmState s,
            VmInventory inv,
            OnTimerContext ctx,
            Collector<Recommendation> out)
            throws Exception {
        VmEvaluator evaluator = evaluator(ctx);
        String vmId = ctx.getCurrentKey();
        long watermark = ctx.timerService().currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        if (s == null) {
            s = new VmState();
            // A VM forgotten for silence keeps its inventory record, which still gives its size.
            if (inv != null) {
                s.allocatedMemoryBytes = inv.memoryBytes;
                s.allocatedStorageBytes = inv.storageBytes;
            }
        }
        metrics.duplicates.inc(buffer.drainInto(w, s) + SampleBuffer.admit(s, firing));
        metrics.track(w);
        VmEmitter emitter = new VmEmitter(metrics.outputs, ctx, out, inv, s);
        evaluator.advance(s, vmId, watermark, endOfInput, emitter);
        if (!endOfInput) {
            DataQualityEvent silent = silence.check(vmId, s, watermark);
            if (silent != null) {
                metrics.silentEvents.inc();
                ctx.output(Tags.DATA_QUALITY, silent);
            }
            if (w.expiryAt == NONE || w.expiryAt <= watermark) {
                long expiry =
                        KeyTimers.retentionDue(
                                s.hasPending(),
                                evaluator.nextDeadline(s),
                                s.lastEvaluatedAt,
                                watermark,
                                retentionMillis);
                if (expiry == KeyTimers.NONE) {
                    metrics.expired.inc();
                    // Its last hour may still be open when nothing closed it (no deadline left).
                    evaluator.closeOpenHour(s, vmId, emitter);
                    metrics.untrack(w);
                    w.keepRules(null);
                    buffer.taken(w);
                    w.earliestBuffered = NONE;
                    w.lastEvaluatedAt = NONE;
                    w.expiryAt = NONE;
                    return null;
                }
                w.expiryAt = expiry;
            }
        }
        w.earliestBuffered = s.hasPending() ? s.pending[0].timestamp : NONE;
        w.lastEvaluatedAt = s.lastEvaluatedAt;
        w.keepRules(s);
        buffer.taken(w);
        return s;
    }
}
