package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SHORT_RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_END;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_START;
import static io.rightsizer.job.operators.VmRuleFunctionTest.feed;
import static io.rightsizer.job.operators.VmRuleFunctionTest.running;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The VM operator's utilization history: hour and week summaries on their side outputs only when
 * history is on, and a forgotten VM's last hour still written.
 */
class HistoryOutputTest {
    /** The clock hour (UTC) that holds T: T is 10:00 in Asia/Shanghai, a whole UTC hour. */
    static final long HOUR_OF_T = Math.floorDiv(T, HOUR) * HOUR;

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            boolean history, Duration retention) throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new VmRuleFunction(RULES, RuleHarnesses.SIZING, retention, SOURCE)
                                .withHistory(history),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        Tags.RULES));
    }

    @Test
    void anHourIsSummarisedWhenASampleOfTheNextHourIsEvaluated() throws Exception {
        try (var h = harness(true, VmRuleFunctionTest.RETENTION)) {
            feed(h, running(T, 25));
            feed(h, running(T + 30 * MINUTE, 75));
            feed(h, running(T + HOUR, 50));
            h.processWatermark(T + HOUR);
            assertThat(side(h, Tags.HOURLY))
                    .extracting(
                            x -> x.vmId,
                            x -> x.hourStart,
                            x -> x.samples,
                            x -> x.memoryMeanPct,
                            x -> x.memoryMaxPct)
                    .containsExactly(tuple(VM, HOUR_OF_T, 2, 50.0, 75.0));
        }
    }

    @Test
    void theWeekIsSummarisedWhenItCloses() throws Exception {
        try (var h = harness(true, VmRuleFunctionTest.RETENTION)) {
            feed(h, running(T, 25));
            feed(h, running(T + DAY, 75));
            h.processWatermark(WEEK_END - 1);
            assertThat(side(h, Tags.WEEKLY))
                    .extracting(
                            (WeekSummary w) -> w.weekStart,
                            w -> w.averagePct,
                            w -> w.peakPct,
                            w -> w.coveredHours,
                            w -> w.judged)
                    .containsExactly(tuple(WEEK_START, 50.0, 75.0, 2, true));
            assertThat(side(h, Tags.HOURLY))
                    .extracting((HourSummary x) -> x.hourStart)
                    .containsExactly(HOUR_OF_T, HOUR_OF_T + DAY);
        }
    }

    @Test
    void withoutHistoryNothingIsEmitted() throws Exception {
        try (var h = harness(false, VmRuleFunctionTest.RETENTION)) {
            feed(h, running(T, 25));
            feed(h, running(T + HOUR, 50));
            h.processWatermark(WEEK_END);
            assertThat(side(h, Tags.HOURLY)).isEmpty();
            assertThat(side(h, Tags.WEEKLY)).isEmpty();
        }
    }

    @Test
    void theEndOfABoundedInputWritesTheOpenHour() throws Exception {
        try (var h = harness(true, VmRuleFunctionTest.RETENTION)) {
            feed(h, running(T, 25));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(side(h, Tags.HOURLY))
                    .extracting(x -> x.hourStart, x -> x.samples)
                    .containsExactly(tuple(HOUR_OF_T, 1));
        }
    }

    @Test
    void aForgottenVmHasEveryHourWrittenAndNothingLeft() throws Exception {
        try (var h = harness(true, SHORT_RETENTION)) {
            feed(h, running(T, 25));
            h.processWatermark(T + SHORT_RETENTION.toMillis() + 8 * DAY);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(side(h, Tags.HOURLY))
                    .extracting(x -> x.hourStart)
                    .containsExactly(HOUR_OF_T);
        }
    }
}
