package io.rightsizer.job.operators;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.shanghai;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The system rule operator on Flink's keyed test harness: deadline timers and retention. */
class SystemRuleFunctionTest {
    static final String SYSTEM = "sys-1";
    static final String RULE = "reduce.system.no-business-data";

    /** Tuesday 3 March 2026 10:00 in Asia/Shanghai. */
    static final long T = shanghai(2026, 3, 3, 10, 0);

    static final long T_PLUS_ONE_MONTH = shanghai(2026, 4, 3, 10, 0);
    static final long T10 = T + 10 * DAY;
    static final long T10_PLUS_ONE_MONTH = shanghai(2026, 4, 13, 10, 0);

    static final RuleSet RULES = RuleSet.defaults("operator-test");

    static KeyedBroadcastOperatorTestHarness<String, BusinessReport, RuleUpdate, Recommendation>
            harness(Duration retention) throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new SystemRuleFunction(RULES, retention),
                        new RightsizerPipeline.BySystem(),
                        Types.STRING,
                        Tags.RULES));
    }

    static void feed(
            KeyedBroadcastOperatorTestHarness<String, BusinessReport, RuleUpdate, Recommendation> h,
            long ts,
            long records)
            throws Exception {
        h.processElement(BusinessReport.of(SYSTEM, "unit-1", ts, records), ts);
    }

    /**
     * The output so far is one firing at {@code firedAt} for business data last at {@code last}.
     */
    static void assertFiredOnlyAt(
            KeyedBroadcastOperatorTestHarness<String, BusinessReport, RuleUpdate, Recommendation> h,
            long firedAt,
            long last) {
        assertThat(h.extractOutputValues())
                .extracting(
                        Recommendation::getFiredAt, r -> r.getEvidence().getLastBusinessDataAt())
                .containsExactly(tuple(Instant.ofEpochMilli(firedAt), Instant.ofEpochMilli(last)));
    }

    @Test
    void firesAtTheReferencePlusOneMonth() throws Exception {
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            // the report's and the retention check's
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);

            h.processWatermark(T);
            // the deadline and retention
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(T_PLUS_ONE_MONTH - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getVmId,
                            Recommendation::getSystemId,
                            Recommendation::getUnitId,
                            Recommendation::getFiredAt,
                            r -> r.getEvidence().getLastBusinessDataAt())
                    .containsExactly(
                            tuple(
                                    RULE,
                                    null,
                                    SYSTEM,
                                    "unit-1",
                                    Instant.ofEpochMilli(T_PLUS_ONE_MONTH),
                                    Instant.ofEpochMilli(T)));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void laterBusinessDataMovesTheReferenceAndItsTimer() throws Exception {
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            h.processWatermark(T);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            // A report without records does not move a positive reference.
            feed(h, T + 5 * DAY, 0);
            h.processWatermark(T + 5 * DAY);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            feed(h, T10, 3);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);
            h.processWatermark(T10);
            // The report's timer fired; the deadline's, now early, fires at the old deadline and
            // is registered again at the new one (KeyTimers.moveDeadline).
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(T10_PLUS_ONE_MONTH);
            assertFiredOnlyAt(h, T10_PLUS_ONE_MONTH, T10);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void retentionClearsStateAndTimersOnlyAfterTheDeadline() throws Exception {
        try (var h = harness(Duration.ofDays(8))) {
            feed(h, T, 5);
            h.processWatermark(T);
            // the deadline, and retention right after it
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(T + 8 * DAY);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId)
                    .containsExactly(RULE);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T_PLUS_ONE_MONTH + 1);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void endOfInputEvaluatesPendingReportsButReachesNoDeadline() throws Exception {
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            h.processWatermark(T);
            feed(h, T + HOUR, 0);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);

            h.processWatermark(Long.MAX_VALUE);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
        }
    }

    @Test
    void heldReportBehindTheWatermarkMovesTheDeadlineTimer() throws Exception {
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            h.processWatermark(T + 2 * HOUR);
            // a VM passes on a positive report it held back for an hour
            feed(h, T + HOUR, 1);
            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues()).isEmpty();

            long deadline = T_PLUS_ONE_MONTH + HOUR;
            h.processWatermark(deadline);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getFiredAt)
                    .containsExactly(Instant.ofEpochMilli(deadline));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aDeadlineMovedLaterDailyKeepsOneTimerAndFiresOnlyAtTheLastReference() throws Exception {
        long t20 = T + 20 * DAY;
        long t20PlusOneMonth = shanghai(2026, 4, 23, 10, 0);
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            h.processWatermark(T);
            for (int d = 1; d <= 20; d++) {
                feed(h, T + d * DAY, 1);
                h.processWatermark(T + d * DAY);
                // the deadline's and the retention check's
                assertThat(h.numEventTimeTimers()).as("day %d", d).isEqualTo(2);
            }

            // The first reference's deadline: its timer fires early, finds nothing due and
            // registers the deadline of the last reference.
            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(t20PlusOneMonth - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(t20PlusOneMonth);
            assertFiredOnlyAt(h, t20PlusOneMonth, t20);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void reportsOfOneInstantFromManyVmsShareOneTimer() throws Exception {
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            h.processWatermark(T);
            for (int unit = 1; unit <= 4; unit++) {
                h.processElement(BusinessReport.of(SYSTEM, "unit-" + unit, T + HOUR, 2), T + HOUR);
            }
            // the deadline's, the retention check's and the one of the four reports
            assertThat(h.numEventTimeTimers()).isEqualTo(3);

            h.processWatermark(T + HOUR);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            h.processWatermark(T_PLUS_ONE_MONTH + HOUR);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Recommendation::getFiredAt,
                            Recommendation::getUnitId,
                            r -> r.getEvidence().getLastBusinessDataAt())
                    .containsExactly(
                            tuple(
                                    Instant.ofEpochMilli(T_PLUS_ONE_MONTH + HOUR),
                                    "unit-1",
                                    Instant.ofEpochMilli(T + HOUR)));
        }
    }
}
