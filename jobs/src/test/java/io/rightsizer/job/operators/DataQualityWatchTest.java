package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.feed;
import static io.rightsizer.job.operators.VmRuleFunctionTest.running;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.job.operators.VmRuleFunctionTest.state;
import static io.rightsizer.job.operators.VmRuleFunctionTest.stopped;
import static io.rightsizer.job.operators.VmRuleFunctionTest.wakeUp;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The deadman on the VM operator (README "Data quality"): a VM whose last sample was RUNNING and
 * that is silent for the silence period is reported once, and again when it resumes; a STOPPED VM
 * is not silent; the watch adds no timer (its deadline is one of the VM's one wake-up) and leaves
 * none behind.
 */
class DataQualityWatchTest {
    static final Duration SILENCE = Duration.ofHours(1);

    static KeyedBroadcastOperatorTestHarness<
                    String, VmInput, RuleUpdate, io.rightsizer.schema.Recommendation>
            harness() throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE)
                                .withDataQuality(SILENCE),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        Tags.RULES));
    }

    @Test
    void aRunningVmSilentForExactlyTheSilencePeriodIsReportedAtItsEnd() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            assertThat(wakeUp(h)).isEqualTo(T + HOUR);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + HOUR - 1);
            assertThat(side(h, Tags.DATA_QUALITY)).isEmpty();

            h.processWatermark(T + HOUR);
            assertThat(side(h, Tags.DATA_QUALITY))
                    .extracting(
                            DataQualityEvent::getKind,
                            DataQualityEvent::getVmId,
                            DataQualityEvent::getSystemId,
                            DataQualityEvent::getLastSampleAt,
                            DataQualityEvent::getDetectedAt,
                            DataQualityEvent::getSilentForMillis)
                    .containsExactly(
                            tuple(
                                    DataQualityKind.TELEMETRY_SILENT,
                                    VM,
                                    SYSTEM,
                                    Instant.ofEpochMilli(T),
                                    Instant.ofEpochMilli(T + HOUR),
                                    HOUR));
            assertThat(state(h).silenceReported).isTrue();
        }
    }

    @Test
    void aSampleExactlyTheSilencePeriodAfterTheLastIsNoSilence() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            feed(h, running(T + HOUR, 50));
            h.processWatermark(T + HOUR);
            assertThat(side(h, Tags.DATA_QUALITY)).isEmpty();
            // The wake-up moved on to the new sample's silence end.
            assertThat(wakeUp(h)).isEqualTo(T + 2 * HOUR);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void theSilenceIsReportedOnceAndTheNextSampleResumesIt() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T + 3 * HOUR);
            long back = T + 3 * HOUR + MINUTE;
            feed(h, running(back, 50));
            h.processWatermark(back);
            h.processWatermark(back + 10 * MINUTE);

            assertThat(side(h, Tags.DATA_QUALITY))
                    .extracting(
                            DataQualityEvent::getKind,
                            e -> e.getLastSampleAt().toEpochMilli(),
                            e -> e.getDetectedAt().toEpochMilli(),
                            DataQualityEvent::getSilentForMillis)
                    .containsExactly(
                            tuple(DataQualityKind.TELEMETRY_SILENT, T, T + HOUR, HOUR),
                            tuple(DataQualityKind.TELEMETRY_RESUMED, T, back, back - T));
            assertThat(state(h).silenceReported).isFalse();
            assertThat(wakeUp(h)).isEqualTo(back + HOUR);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void eventIdsAreTheSameInEveryRun() throws Exception {
        String first;
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T + HOUR);
            first = side(h, Tags.DATA_QUALITY).get(0).getEventId();
        }
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T + 2 * HOUR);
            assertThat(side(h, Tags.DATA_QUALITY))
                    .extracting(DataQualityEvent::getEventId)
                    .containsExactly(first);
        }
    }

    @Test
    void aVmKnownToBeStoppedIsNotSilent() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            feed(h, stopped(T + MINUTE));
            h.processWatermark(T + 5 * HOUR);
            assertThat(side(h, Tags.DATA_QUALITY)).isEmpty();
            assertThat(state(h).lastStopped).isTrue();
        }
    }

    @Test
    void theEndOfABoundedInputReportsNoSilence() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(side(h, Tags.DATA_QUALITY)).isEmpty();
        }
    }

    @Test
    void withoutAWatchNoSilenceTimerIsRegistered() throws Exception {
        try (var h = VmRuleFunctionTest.harness(RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T + 5 * HOUR);
            assertThat(side(h, Tags.DATA_QUALITY)).isEmpty();
            // The wake-up waits for the week's close, not for a silence.
            assertThat(wakeUp(h)).isEqualTo(VmRuleFunctionTest.WEEK_END - 1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aForgottenVmLeavesNoSilenceTimerBehind() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T + RETENTION.toMillis() + 8 * 24 * HOUR);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(side(h, Tags.DATA_QUALITY))
                    .extracting(DataQualityEvent::getKind)
                    .containsExactly(DataQualityKind.TELEMETRY_SILENT);
        }
    }
}
