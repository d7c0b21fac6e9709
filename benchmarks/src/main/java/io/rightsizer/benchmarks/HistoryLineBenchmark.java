package io.rightsizer.benchmarks;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import io.rightsizer.history.HistoryLines;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.Recommendation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The utilization history's one line per VM and hour ({@link HistoryLines#hourly}), on the hours
 * the rules closed over the fleet's first day; and, apart, the three percentages of such a line
 * written as the line writes them ({@code StringBuilder.append(double)}, JDK's {@code
 * Double.toString} digits), to tell how much of a line's cost is its numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistoryLineBenchmark {
    private static final int HOURS = 1024;

    private HourSummary[] hours;
    private final StringBuilder scratch = new StringBuilder(64);
    private int next;

    @Setup
    public void setUp() {
        List<HourSummary> closed = new ArrayList<>();
        RuleListener listener =
                new RuleListener() {
                    @Override
                    public void fired(Recommendation recommendation) {}

                    @Override
                    public void hourClosed(HourSummary hour) {
                        closed.add(hour);
                    }
                };
        VmEvaluator evaluator = new VmEvaluator(RuleSet.defaults("bench"));
        Map<String, VmState> states = new HashMap<>();
        long watermark = Long.MIN_VALUE;
        for (Sample s : Fleet.first(Fleet.VMS * 24 * 12)) {
            VmState st = states.computeIfAbsent(s.vmId, id -> new VmState());
            if (evaluator.admit(st, s, watermark) == Admission.ACCEPTED) {
                evaluator.advance(st, s.vmId, watermark, false, listener);
            }
            watermark = Math.max(watermark, s.timestamp - 1);
        }
        if (closed.size() < HOURS) {
            throw new IllegalStateException("the rules closed only " + closed.size() + " hours");
        }
        hours = closed.subList(0, HOURS).toArray(new HourSummary[0]);
    }

    private HourSummary next() {
        int i = next;
        next = (i + 1) & (HOURS - 1);
        return hours[i];
    }

    @Benchmark
    public String hourlyLine() {
        return HistoryLines.hourly(next());
    }

    @Benchmark
    public int threePercentages() {
        HourSummary h = next();
        scratch.setLength(0);
        return scratch.append(h.memoryMaxPct)
                .append(h.memoryMeanPct)
                .append(h.storageMaxPct)
                .length();
    }

    /**
     * The same three numbers with Schubfach's shortest digits (jackson-core's copy, as JDK 19+
     * writes them): what a faster algorithm would save. JDK 17's digits are not always the shortest
     * (JDK-4511638), so the line could then differ from the client's in rare values.
     */
    @Benchmark
    public int threePercentagesShortest() {
        HourSummary h = next();
        scratch.setLength(0);
        return scratch.append(DoubleToDecimal.toString(h.memoryMaxPct))
                .append(DoubleToDecimal.toString(h.memoryMeanPct))
                .append(DoubleToDecimal.toString(h.storageMaxPct))
                .length();
    }
}
