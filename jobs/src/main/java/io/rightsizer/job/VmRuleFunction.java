package io.rightsizer.job;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.Sizing;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.SampleCodec;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
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
 */
public class VmRuleFunction
        extends KeyedBroadcastProcessFunction<String, Sample, RuleUpdate, Recommendation> {
    private static final long serialVersionUID = 1L;

    private final RulesInForce<VmEvaluator> rules;
    private final long retentionMillis;
    private final String sourceName;

    private transient boolean reportsRuleStatus;
    private transient Counter ruleUpdatesAccepted;
    private transient Counter ruleUpdatesRejected;
    private transient ValueState<VmState> state;
    private transient Counter late;
    private transient Counter duplicates;
    private transient Counter expired;
    private transient RuleMetrics ruleMetrics;

    /** With the shipped service catalog ({@link io.rightsizer.rules.Catalog#defaults}). */
    public VmRuleFunction(RuleSet rules, Duration retention, String sourceName) {
        this(rules, new Sizing(io.rightsizer.rules.Catalog.defaults()), retention, sourceName);
    }

    /**
     * @param sizing the catalog target sizes come from; every rule set in force (the configured one
     *     and each accepted update) is judged with it
     */
    public VmRuleFunction(RuleSet rules, Sizing sizing, Duration retention, String sourceName) {
        this.rules = new RulesInForce<>(rules, r -> new VmEvaluator(r, sizing));
        this.retentionMillis = retention.toMillis();
        this.sourceName = sourceName;
    }

    @Override
    public void open(OpenContext ctx) {
        reportsRuleStatus = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        state = getRuntimeContext().getState(Tags.vmState());
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("rightsizer");
        late = g.addGroup("reason", "LATE").counter("deadLetters");
        duplicates = g.counter("duplicateSamples");
        expired = g.counter("vmsForgotten");
        ruleUpdatesAccepted = g.counter("ruleUpdatesAccepted");
        ruleUpdatesRejected = g.counter("ruleUpdatesRejected");
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
        RuleSetStatus status =
                rules.decide(ctx.getBroadcastState(Tags.RULES), update, System.currentTimeMillis());
        if (reportsRuleStatus) {
            (status.getOutcome() == RuleUpdateOutcome.ACCEPTED
                            ? ruleUpdatesAccepted
                            : ruleUpdatesRejected)
                    .inc();
            ctx.output(Tags.RULE_STATUS, status);
        }
    }

    @Override
    public void processElement(Sample sample, ReadOnlyContext ctx, Collector<Recommendation> out)
            throws Exception {
        VmEvaluator evaluator = evaluator(ctx);
        VmState s = state.value();
        if (s == null) {
            s = new VmState();
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
                state.update(s);
            }
            case DUPLICATE -> duplicates.inc();
            case LATE -> {
                late.inc();
                ctx.output(Tags.LATE, lateLetter(sample, ctx.timerService().currentWatermark()));
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        VmState s = state.value();
        if (s == null) {
            return;
        }
        VmEvaluator evaluator = evaluator(ctx);
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        evaluator.advance(s, ctx.getCurrentKey(), watermark, endOfInput, new Emitter(ctx, out));
        if (endOfInput) {
            state.update(s);
            return;
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
                        timers, s.deadlineTimer, next, watermark, s.expiryTimer, s.sampleTimer);
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
                state.clear();
                return;
            }
            s.expiryTimer = expiry;
        }
        state.update(s);
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

    /** Forwards firings downstream and business reports to the system-level rule. */
    private final class Emitter implements RuleListener {
        private final OnTimerContext ctx;
        private final Collector<Recommendation> out;

        Emitter(OnTimerContext ctx, Collector<Recommendation> out) {
            this.ctx = ctx;
            this.out = out;
        }

        @Override
        public void fired(Recommendation r) {
            ruleMetrics.fired(r);
            out.collect(r);
        }

        @Override
        public void suppressed(Rule rule, long at) {
            ruleMetrics.suppressed(rule);
        }

        @Override
        public void businessReport(BusinessReport report) {
            ctx.output(Tags.BUSINESS, report);
        }
    }
}
