package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Forwards what the rules report for one VM's batch: firings downstream, except reductions that
 * fall into a protection window; business reports to the system-level rule; the history to its side
 * outputs when it is on; a resumed VM's data-quality event.
 */
final class VmEmitter implements RuleListener {
    /** The operator's outputs and counters, shared by every batch. */
    record Outputs(
            RuleMetrics ruleMetrics,
            Counter protectedReductions,
            Counter resumedEvents,
            SilenceWatch silence,
            boolean history) {}

    private final Outputs outputs;
    private final KeyedBroadcastProcessFunction<String, ?, ?, Recommendation>.ReadOnlyContext ctx;
    private final Collector<Recommendation> out;
    private final VmInventory inventory;
    private final VmState state;

    VmEmitter(
            Outputs outputs,
            KeyedBroadcastProcessFunction<String, ?, ?, Recommendation>.ReadOnlyContext ctx,
            Collector<Recommendation> out,
            VmInventory inventory,
            VmState state) {
        this.outputs = outputs;
        this.ctx = ctx;
        this.out = out;
        this.inventory = inventory;
        this.state = state;
    }

    @Override
    public void evaluated(Sample sample) {
        DataQualityEvent e = outputs.silence().evaluated(ctx.getCurrentKey(), state, sample);
        if (e != null) {
            outputs.resumedEvents().inc();
            ctx.output(Tags.DATA_QUALITY, e);
        }
    }

    @Override
    public void fired(Recommendation r) {
        if (inventory != null
                && r.getAction() != Action.SCALE_UP
                && inventory.protects(r.getFiredAt().toEpochMilli())) {
            outputs.protectedReductions().inc();
            return;
        }
        outputs.ruleMetrics().fired(r);
        out.collect(r);
    }

    @Override
    public void suppressed(Rule rule, long at) {
        outputs.ruleMetrics().suppressed(rule);
    }

    @Override
    public void hourClosed(HourSummary hour) {
        if (outputs.history()) {
            ctx.output(Tags.HOURLY, hour);
        }
    }

    @Override
    public void weekClosed(WeekSummary week) {
        if (outputs.history()) {
            ctx.output(Tags.WEEKLY, week);
        }
    }

    @Override
    public void businessReport(BusinessReport report) {
        ctx.output(Tags.BUSINESS, report);
    }
}
