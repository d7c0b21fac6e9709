package io.rightsizer.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead-letter counts per reason and processing-time minute on Flink's keyed harness: one line per
 * reason and minute at the minute's end, the end of a bounded input, and nothing left behind.
 */
class DeadLetterCountsTest {
    /** 2026-03-03T02:00:00Z: a minute boundary. */
    static final long MINUTE_START = Instant.parse("2026-03-03T02:00:00Z").toEpochMilli();

    static final long MINUTE_END = MINUTE_START + 60_000;
    static final long NEXT_MINUTE_END = MINUTE_END + 60_000;

    /** Half a minute in: the processing-time clock when the first dead letters arrive. */
    static final long HALF_PAST = MINUTE_START + 30_000;

    /** Event time of the rejected samples: unrelated to the processing-time minute. */
    static final long SAMPLE_TIME = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();

    KeyedOneInputStreamOperatorTestHarness<String, Rejected, String> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new DeadLetterCounts(), DeadLetterCounts.byReason(), Types.STRING);
        harness.setProcessingTime(HALF_PAST);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static Rejected rejected(DeadLetterReason reason) {
        Rejected r = Rejected.of(reason, "bad", "{not json".getBytes(StandardCharsets.UTF_8));
        r.sourceTopic = "vm-metrics";
        return r;
    }

    void receive(DeadLetterReason reason, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            harness.processElement(rejected(reason), SAMPLE_TIME);
        }
    }

    @Test
    void countsEachReasonAndEmitsOneLinePerReasonAtTheMinutesEnd() throws Exception {
        receive(DeadLetterReason.INVALID, 3);
        receive(DeadLetterReason.UNDECODABLE, 2);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(MINUTE_END - 1);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(MINUTE_END);
        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(
                        "dead_letters,reason=INVALID count=3i " + MINUTE_END,
                        "dead_letters,reason=UNDECODABLE count=2i " + MINUTE_END);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aDeadLetterAtTheBoundaryBelongsToTheNextMinute() throws Exception {
        receive(DeadLetterReason.LATE, 1);
        harness.setProcessingTime(MINUTE_END);
        harness.extractOutputValues();
        harness.getOutput().clear();

        receive(DeadLetterReason.LATE, 4);
        harness.setProcessingTime(NEXT_MINUTE_END - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(NEXT_MINUTE_END);

        assertThat(harness.extractOutputValues())
                .containsExactly("dead_letters,reason=LATE count=4i " + NEXT_MINUTE_END);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aQuietMinuteWritesNothing() throws Exception {
        receive(DeadLetterReason.INVALID, 1);
        harness.setProcessingTime(MINUTE_END);
        harness.getOutput().clear();

        harness.setProcessingTime(NEXT_MINUTE_END + 10 * 60_000);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theEndOfABoundedInputFlushesTheMinuteInProgressAtItsEnd() throws Exception {
        receive(DeadLetterReason.INVALID, 2);
        harness.processWatermark(SAMPLE_TIME + 1);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues())
                .containsExactly("dead_letters,reason=INVALID count=2i " + MINUTE_END);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        harness.setProcessingTime(MINUTE_END);
        assertThat(harness.extractOutputValues())
                .as("the minute's timer was deleted: the count is not written twice")
                .containsExactly("dead_letters,reason=INVALID count=2i " + MINUTE_END);
    }

    @Test
    void aRecordWithoutAReasonIsCountedAsUnknownInsteadOfFailing() throws Exception {
        harness.processElement(rejected(null), SAMPLE_TIME);
        harness.setProcessingTime(MINUTE_END);

        assertThat(harness.extractOutputValues())
                .containsExactly("dead_letters,reason=UNKNOWN count=1i " + MINUTE_END);
    }

    @Test
    void theCountSurvivesARestoreAndIsWrittenOnce() throws Exception {
        receive(DeadLetterReason.INVALID, 2);
        var snapshot = harness.snapshot(1, HALF_PAST);
        harness.close();

        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeadLetterCounts()),
                        DeadLetterCounts.byReason(),
                        Types.STRING);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(HALF_PAST);
        receive(DeadLetterReason.INVALID, 1);
        harness.setProcessingTime(MINUTE_END);

        assertThat(harness.extractOutputValues())
                .containsExactly("dead_letters,reason=INVALID count=3i " + MINUTE_END);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aShorterIntervalCountsPerIntervalOfTheClock() throws Exception {
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new DeadLetterCounts(java.time.Duration.ofSeconds(5)),
                        DeadLetterCounts.byReason(),
                        Types.STRING)) {
            // HALF_PAST is on a 5 s boundary: [HALF_PAST, HALF_PAST + 5 s).
            h.setProcessingTime(HALF_PAST + 4_999);
            h.processElement(rejected(DeadLetterReason.LATE), SAMPLE_TIME);
            h.setProcessingTime(HALF_PAST + 5_000);
            h.processElement(rejected(DeadLetterReason.LATE), SAMPLE_TIME);
            h.setProcessingTime(HALF_PAST + 10_000);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            "dead_letters,reason=LATE count=1i " + (HALF_PAST + 5_000),
                            "dead_letters,reason=LATE count=1i " + (HALF_PAST + 10_000));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }
}
