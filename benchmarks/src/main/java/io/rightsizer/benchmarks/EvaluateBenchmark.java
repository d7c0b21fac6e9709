package io.rightsizer.benchmarks;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.Behaviour;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The rules on one VM's samples as the vm-rules operator drives them: each sample is admitted with
 * the watermark of the samples before it (max timestamp − 5 min − 1 ms, the job's default bound)
 * and the VM advanced to that watermark, over 8 days of 5-minute samples starting Monday 00:00 in
 * the rules' zone (2,304 samples: a full week, its close, and the next week's first day). The
 * figure is per sample; one invocation is the VM's whole 8 days, from a fresh state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvaluateBenchmark {
    static final int DAYS = 8;
    static final int SAMPLES = DAYS * 24 * 12;
    private static final long BOUND = 5 * 60_000L;

    /** NORMAL fires nothing; BUSY fires the weekly average; PEAKY fires the hourly peaks. */
    @Param({"NORMAL", "BUSY", "PEAKY"})
    public Behaviour behaviour;

    private VmEvaluator evaluator;
    private Sample[] samples;
    private String vmId;
    private Listener listener;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        evaluator = new VmEvaluator(RuleSet.defaults("bench"));
        List<Sample> one = Fleet.ofOneVm(behaviour, DAYS);
        if (one.size() != SAMPLES) {
            throw new IllegalStateException(
                    behaviour + " VM has " + one.size() + " samples, expected " + SAMPLES);
        }
        samples = one.toArray(new Sample[0]);
        vmId = samples[0].vmId;
        listener = new Listener(bh);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public VmState admitAndAdvance() {
        VmState st = new VmState();
        long watermark = Long.MIN_VALUE;
        for (Sample s : samples) {
            if (evaluator.admit(st, s, watermark) != Admission.ACCEPTED) {
                throw new IllegalStateException("not accepted: " + s);
            }
            evaluator.advance(st, vmId, watermark, false, listener);
            watermark = s.timestamp - BOUND - 1;
        }
        evaluator.advance(st, vmId, watermark, false, listener);
        return st;
    }

    /** Hands everything the rules report to the blackhole, as the operator hands it downstream. */
    private record Listener(Blackhole bh) implements RuleListener {
        @Override
        public void fired(Recommendation recommendation) {
            bh.consume(recommendation);
        }

        @Override
        public void suppressed(Rule rule, long at) {
            bh.consume(at);
        }

        @Override
        public void evaluated(Sample sample) {
            bh.consume(sample);
        }

        @Override
        public void businessReport(BusinessReport report) {
            bh.consume(report);
        }

        @Override
        public void hourClosed(HourSummary hour) {
            bh.consume(hour);
        }

        @Override
        public void weekClosed(WeekSummary week) {
            bh.consume(week);
        }
    }
}
