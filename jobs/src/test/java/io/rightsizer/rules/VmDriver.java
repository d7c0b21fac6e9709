package io.rightsizer.rules;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.Recommendation;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link VmEvaluator} for one VM the way the job does: each sample is admitted with the
 * watermark current at its arrival, then the bounded out-of-orderness watermark (largest accepted
 * timestamp − bound − 1 ms) is emitted and the evaluator advanced to it.
 */
final class VmDriver implements RuleListener {
    /** A firing held back by a cooldown. */
    record Suppression(Rule rule, long at) {}

    private final VmEvaluator evaluator;
    private final String vmId;
    private final long bound;
    final VmState state = new VmState();
    private final List<Recommendation> fired = new ArrayList<>();
    private final List<Suppression> suppressed = new ArrayList<>();
    private final List<Sample> evaluated = new ArrayList<>();
    private final List<Admission> admissions = new ArrayList<>();
    private final List<HourSummary> hours = new ArrayList<>();
    private final List<WeekSummary> weeks = new ArrayList<>();
    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;

    VmDriver(RuleSet rules) {
        this(rules, Fixtures.VM, Fixtures.BOUND);
    }

    VmDriver(RuleSet rules, String vmId, long bound) {
        this(new VmEvaluator(rules), vmId, bound);
    }

    /** Sizes with {@code sizing} instead of the shipped catalog. */
    VmDriver(RuleSet rules, Sizing sizing) {
        this(new VmEvaluator(rules, sizing), Fixtures.VM, Fixtures.BOUND);
    }

    private VmDriver(VmEvaluator evaluator, String vmId, long bound) {
        this.evaluator = evaluator;
        this.vmId = vmId;
        this.bound = bound;
    }

    /** Offers one sample and emits the watermark it produces. */
    Admission feed(Sample s) {
        Admission a = evaluator.admit(state, s, watermark);
        admissions.add(a);
        if (a == Admission.ACCEPTED && s.timestamp > maxTimestamp) {
            maxTimestamp = s.timestamp;
            watermark = maxTimestamp - bound - 1;
        }
        evaluator.advance(state, vmId, watermark, false, this);
        return a;
    }

    VmDriver feedAll(Iterable<Sample> samples) {
        for (Sample s : samples) {
            feed(s);
        }
        return this;
    }

    VmDriver feedAll(Sample... samples) {
        return feedAll(List.of(samples));
    }

    /**
     * Raises the watermark to {@code watermark} without a sample of this VM (other VMs' samples
     * move the job's watermark while this one is silent) and advances the evaluator to it.
     */
    VmDriver advanceTo(long watermark) {
        this.watermark = Math.max(this.watermark, watermark);
        evaluator.advance(state, vmId, this.watermark, false, this);
        return this;
    }

    /** The end of a bounded input: pending samples are evaluated, no deadline is reached. */
    VmDriver end() {
        evaluator.advance(state, vmId, watermark, true, this);
        return this;
    }

    long watermark() {
        return watermark;
    }

    List<Recommendation> recommendations() {
        return fired;
    }

    List<Firing> firings() {
        return fired.stream().map(Firing::of).toList();
    }

    List<Suppression> suppressions() {
        return suppressed;
    }

    List<Sample> evaluated() {
        return evaluated;
    }

    List<Admission> admissions() {
        return admissions;
    }

    List<HourSummary> hours() {
        return hours;
    }

    List<WeekSummary> weeks() {
        return weeks;
    }

    @Override
    public void fired(Recommendation recommendation) {
        fired.add(recommendation);
    }

    @Override
    public void suppressed(Rule rule, long at) {
        suppressed.add(new Suppression(rule, at));
    }

    @Override
    public void evaluated(Sample sample) {
        evaluated.add(sample);
    }

    @Override
    public void hourClosed(HourSummary hour) {
        hours.add(hour);
    }

    @Override
    public void weekClosed(WeekSummary week) {
        weeks.add(week);
    }
}
