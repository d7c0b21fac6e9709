package io.rightsizer.job.operators;

import io.rightsizer.i18n.Messages;
import io.rightsizer.job.Tags;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.SystemEvaluator;
import io.rightsizer.rules.SystemState;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.util.List;
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
 * Keyed by systemId: the no-business-data rule over the business reports of all the system's VMs,
 * evaluated in timestamp order once the watermark passes them, with a timer at each pending
 * report's instant and one at or before the deadline (a deadline that moved later is registered
 * when the earlier timer fires: {@link KeyTimers#moveDeadline}).
 *
 * <p>Follows the rule set in force like {@link VmRuleFunction} (which reports the decisions).
 *
 * <p>Run in {@link HoldingOperators}, as the job does, it holds reports ahead of the watermark on
 * the heap ({@link ArrivalHold}; docs/design.md, "Arrivals held until the watermark").
 */
public class SystemRuleFunction
        extends KeyedBroadcastProcessFunction<String, BusinessReport, RuleUpdate, Recommendation>
        implements ArrivalHold.Holder {
    private static final long serialVersionUID = 1L;

    /** How many reports one parallel instance holds on its heap at most ({@link ArrivalHold}). */
    static final int HOLD_CAPACITY = 1 << 17;

    /** Package-private for tests ({@link RulesInForce#beforeDecide}). */
    final RulesInForce<SystemEvaluator> rules;

    private final long retentionMillis;

    /** The evaluator of the rule set in force, refreshed on each element and timer. */
    private transient SystemEvaluator evaluator;

    private transient ValueState<SystemState> state;
    private transient RuleMetrics ruleMetrics;
    private transient Counter expired;

    /** Tells this incarnation's systemsTracked count from a restored state's. */
    private transient long incarnation;

    private transient long tracked;
    private transient RecordFailures failures;
    private transient RuleUpdateEscape updateEscape;

    /** Null unless the operator holds arrivals ({@link HoldingOperators}). */
    private transient ArrivalHold<BusinessReport> hold;

    /** The operator's context of its inputs, which outlives each call; for {@link #release}. */
    private transient ReadOnlyContext arrivals;

    public SystemRuleFunction(RuleSet rules, Duration retention) {
        this(rules, retention, Messages.ENGLISH);
    }

    /** Writing the reasons in the language of {@code messages} (the {@code locale} setting). */
    public SystemRuleFunction(RuleSet rules, Duration retention, Messages messages) {
        this.rules = new RulesInForce<>(rules, r -> new SystemEvaluator(r, messages));
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(Tags.systemState());
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        ruleMetrics = new RuleMetrics(g, Rule.NO_BUSINESS_DATA);
        expired = g.counter("systems_forgotten");
        incarnation = ThreadLocalRandom.current().nextLong() | 1L;
        tracked = 0;
        g.gauge("systems_tracked", (Gauge<Long>) () -> tracked);
        // The operator makes the hold after open(): until then the gauge says 0.
        g.gauge("business_reports_held", (Gauge<Integer>) this::held);
        failures = new RecordFailures(g, "system-rules");
        updateEscape =
                new RuleUpdateEscape(
                        g,
                        "system-rules-updates",
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0);
    }

    /** Counts the system in systemsTracked once per incarnation; before {@code state.update}. */
    private void track(SystemState s) {
        if (s.trackedBy != incarnation) {
            s.trackedBy = incarnation;
            tracked++;
        }
    }

    private SystemEvaluator evaluator(ReadOnlyContext ctx) throws Exception {
        return rules.evaluator(() -> ctx.getBroadcastState(Tags.RULES));
    }

    @Override
    public void processBroadcastElement(
            RuleUpdate update, Context ctx, Collector<Recommendation> out) throws Exception {
        // vm-rules reports the status; this operator's refusal shows as its dead letter.
        updateEscape.decide(rules, update, ctx);
    }

    @Override
    public ArrivalHold<BusinessReport> holdArrivals() {
        hold = new ArrivalHold<>(HOLD_CAPACITY, r -> r.timestamp);
        return hold;
    }

    /** How many reports are held on the heap now: the {@code business_reports_held} gauge. */
    int held() {
        return hold == null ? 0 : hold.size();
    }

    /** The current key's held reports arrive now, each as it would have on its own. */
    @Override
    public void release(String key) {
        List<BusinessReport> held = hold.take(key);
        if (held != null) {
            for (BusinessReport r : held) {
                processReport(r, arrivals);
            }
        }
    }

    @Override
    public void processElement(
            BusinessReport report, ReadOnlyContext ctx, Collector<Recommendation> out)
            throws Exception {
        if (hold != null) {
            arrivals = ctx;
            // A report ahead of the watermark waits for it on the heap; any other for this system
            // (one held back behind it by vm-rules, or a full hold) comes after what it holds.
            if (report.timestamp > ctx.timerService().currentWatermark()
                    && report.businessRecords >= 0
                    && hold.offer(ctx.getCurrentKey(), report)) {
                return;
            }
            release(ctx.getCurrentKey());
        }
        processReport(report, ctx);
    }

    private void processReport(BusinessReport report, ReadOnlyContext ctx) {
        try {
            report(report, ctx);
            failures.succeeded();
        } catch (Exception | Error e) {
            // The system starts over, as vm-rules' VMs do (docs/failures.md); its timers left
            // fire on an empty state, which does nothing.
            Rejected letter = RecordFailures.of(null, null);
            letter.sampleTimestamp = report.timestamp;
            String what =
                    "business report of system "
                            + ctx.getCurrentKey()
                            + " at "
                            + java.time.Instant.ofEpochMilli(report.timestamp);
            ctx.output(Tags.FAILED, failures.failed(e, what, letter));
            forget();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        try {
            fire(timestamp, ctx, out);
            failures.succeeded();
        } catch (Exception | Error e) {
            Rejected letter = RecordFailures.of(null, null);
            letter.sampleTimestamp = timestamp;
            String what =
                    "timer of system "
                            + ctx.getCurrentKey()
                            + " at "
                            + java.time.Instant.ofEpochMilli(timestamp);
            ctx.output(Tags.FAILED, failures.failed(e, what, letter));
            forget();
        }
    }

    private void forget() {
        try {
            SystemState s = state.value();
            if (s != null && s.trackedBy == incarnation) {
                tracked--;
            }
        } catch (Exception | StackOverflowError unreadable) {
            // Cleared all the same.
        }
        state.clear();
    }

    private void report(BusinessReport report, ReadOnlyContext ctx) throws Exception {
        evaluator = evaluator(ctx);
        SystemState s = state.value();
        if (s == null) {
            s = new SystemState();
        }
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        // The system's VMs report at the same instants: a report pending at this one already has
        // its timer, and registering it again costs a lookup in the timers' hash map.
        boolean needsTimer = report.timestamp > watermark && !s.hasPendingAt(report.timestamp);
        evaluator.admit(s, report, watermark);
        if (needsTimer) {
            timers.registerEventTimeTimer(report.timestamp);
        }
        syncDeadlineTimer(s, timers, watermark);
        if (s.expiryTimer == SystemState.NONE) {
            s.expiryTimer = Math.max(report.timestamp, watermark) + retentionMillis;
            timers.registerEventTimeTimer(s.expiryTimer);
        }
        track(s);
        state.update(s);
    }

    /**
     * What the arrival of {@code report}, held since (it was ahead of the watermark then), did to
     * {@code s}, done at a wake-up at {@code watermark}: pending, its timer registered only if
     * still ahead (the wake-up evaluates the others), the retention check started for a new system.
     * The deadline's timer and the tracking follow in the wake-up.
     */
    private void admitHeld(
            SystemState s, BusinessReport report, TimerService timers, long watermark) {
        boolean needsTimer = report.timestamp > watermark && !s.hasPendingAt(report.timestamp);
        evaluator.admit(s, report, Long.MIN_VALUE);
        if (needsTimer) {
            timers.registerEventTimeTimer(report.timestamp);
        }
        if (s.expiryTimer == SystemState.NONE) {
            s.expiryTimer = report.timestamp + retentionMillis;
            timers.registerEventTimeTimer(s.expiryTimer);
        }
    }

    private void fire(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        List<BusinessReport> held = hold == null ? null : hold.take(ctx.getCurrentKey());
        SystemState s = state.value();
        if (s == null) {
            if (held == null) {
                return;
            }
            s = new SystemState();
        }
        evaluator = evaluator(ctx);
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        if (held != null) {
            for (BusinessReport r : held) {
                admitHeld(s, r, timers, watermark);
            }
        }
        boolean endOfInput = watermark == Long.MAX_VALUE;
        evaluator.advance(
                s,
                ctx.getCurrentKey(),
                watermark,
                endOfInput,
                new RuleListener() {
                    @Override
                    public void fired(Recommendation r) {
                        ruleMetrics.fired(r);
                        out.collect(r);
                    }
                });
        track(s);
        if (endOfInput) {
            state.update(s);
            return;
        }
        long next = syncDeadlineTimer(s, timers, watermark);
        if (timestamp == s.expiryTimer) {
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
                if (s.trackedBy == incarnation) {
                    tracked--;
                }
                state.clear();
                return;
            }
            s.expiryTimer = expiry;
        }
        state.update(s);
    }

    /**
     * Keeps one timer at or before the system's deadline ({@link KeyTimers#moveDeadline}); returns
     * the deadline (MAX_VALUE if none).
     */
    private long syncDeadlineTimer(SystemState s, TimerService timers, long watermark) {
        long next = evaluator.nextDeadline(s);
        // Report timers stand at report timestamps; one may share the deadline's instant.
        long shared = s.hasPendingAt(s.deadlineTimer) ? s.deadlineTimer : KeyTimers.NONE;
        s.deadlineTimer =
                KeyTimers.moveDeadline(
                        timers, s.deadlineTimer, next, watermark, s.expiryTimer, shared);
        return next;
    }
}
