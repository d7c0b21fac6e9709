package io.rightsizer.job.operators;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static io.rightsizer.testing.Samples.SHANGHAI;
import static io.rightsizer.testing.Samples.shanghai;
import static io.rightsizer.testing.Samples.withBusiness;
import static io.rightsizer.testing.Samples.withStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The VM rule operator on Flink's keyed test harness: buffering until the watermark, LATE and
 * duplicate samples, business reports, the week-close and inactive-spell timers, the end of a
 * bounded input, retention and restore.
 */
class VmRuleFunctionTest {
    static final String VM = "vm-1";
    static final String SYSTEM = "sys-1";
    static final String SOURCE = "vm-metrics";

    /** Tuesday 3 March 2026 10:00 in Asia/Shanghai, inside the week [MON_2026_03_02, WEEK_END). */
    static final long T = shanghai(2026, 3, 3, 10, 0);

    static final long WEEK_START = MON_2026_03_02;
    static final long WEEK_END = shanghai(2026, 3, 9, 0, 0);

    /** One calendar month after T: where an inactive spell started at T ends. */
    static final long T_PLUS_ONE_MONTH = shanghai(2026, 4, 3, 10, 0);

    static final Duration RETENTION = Duration.ofDays(42);
    static final Duration SHORT_RETENTION = Duration.ofDays(8);

    /**
     * The defaults, except that the weekly rules judge a week with any covered hour and the
     * inactive rule fires after one month, so single samples drive every rule.
     */
    static final RuleSet RULES =
            new RuleSet(
                    "operator-test",
                    "weekly rules on any covered hour, inactive after 1 month",
                    SHANGHAI,
                    new RuleSet.WeeklyAverage(true, 70, 0),
                    RuleSet.HourlyPeaks.DEFAULT,
                    RuleSet.StorageUsage.DEFAULT,
                    new RuleSet.WeeklyUnderuse(true, 30, 50, 0),
                    new RuleSet.VmInactive(true, 5, 1),
                    RuleSet.NoBusinessData.DEFAULT);

    static final String STORAGE = "scale-up.storage.usage";
    static final String WEEKLY_AVERAGE = "scale-up.memory.weekly-average";
    static final String INACTIVE = "reduce.vm.inactive";

    // ---------------------------------------------------------------- helpers

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            Duration retention) throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new VmRuleFunction(RULES, RuleHarnesses.SIZING, retention, SOURCE),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        Tags.RULES));
    }

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> restored(
            OperatorSubtaskState snapshot) throws Exception {
        return RuleHarnesses.restored(
                new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE),
                new RightsizerPipeline.ByVm(),
                snapshot);
    }

    /** RUNNING, CPU 30 % (active), 16 GiB memory at memPct, storage 40 % of 100 GiB. */
    static Sample running(long ts, double memPct) {
        return Samples.running(VM, SYSTEM, ts, memPct);
    }

    /** STOPPED (inactive), no memory readings, storage 40 %. */
    static Sample stopped(long ts) {
        return Samples.stopped(VM, SYSTEM, ts);
    }

    /** RUNNING with a busy CPU and no memory or storage readings: active, never counted. */
    static Sample activeWithoutMemory(long ts) {
        Sample s = new Sample();
        s.vmId = VM;
        s.systemId = SYSTEM;
        s.unitId = "unit-1";
        s.timestamp = ts;
        s.cpuUtilizationPct = 50;
        return s;
    }

    static void feed(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            Sample s)
            throws Exception {
        h.processElement(VmInput.of(s), s.timestamp);
    }

    static <X> List<X> side(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            OutputTag<X> tag) {
        Queue<StreamRecord<X>> q = h.getSideOutput(tag);
        List<X> out = new ArrayList<>();
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    /** The VM's state as the operator stores it (the live object of the heap backend). */
    static VmState state(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        return state(h, VM);
    }

    /**
     * The VM's rules' state as the evaluator takes it: with the samples buffered apart ({@link
     * VmWakeUp#lone}, {@link Tags#vmPending()}) among its pending ones, on a copy; the live object
     * when none is buffered.
     */
    static VmState state(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            String vm)
            throws Exception {
        VmState s = RuleHarnesses.vmRules(h, vm);
        List<Sample> buffered = new ArrayList<>();
        VmWakeUp w = h.getOperator().getKeyedStateStore().getState(Tags.vmWakeUp()).value();
        if (w != null && w.lone != null) {
            buffered.add(w.lone);
        }
        h.getOperator()
                .getKeyedStateStore()
                .getListState(Tags.vmPending())
                .get()
                .forEach(buffered::add);
        if (buffered.isEmpty()) {
            return s;
        }
        VmState view = s == null ? new VmState() : copyOf(s);
        buffered.forEach(x -> VmEvaluator.admitTo(view, x, Long.MIN_VALUE));
        return view;
    }

    /** The instant of the VM's one wake-up timer, as its bookkeeping records it; NONE for none. */
    static long wakeUp(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        h.getOperator().setCurrentKey(VM);
        VmWakeUp w = h.getOperator().getKeyedStateStore().getState(Tags.vmWakeUp()).value();
        return w == null ? VmWakeUp.NONE : w.wakeUp;
    }

    static VmState copyOf(VmState s) {
        return TypeInformation.of(VmState.class)
                .createSerializer(new SerializerConfigImpl())
                .copy(s);
    }

    static long[] pendingTimestamps(VmState s) {
        return java.util.Arrays.stream(s.pendingSamples()).mapToLong(x -> x.timestamp).toArray();
    }

    // ---------------------------------------------------------------- buffering

    @Test
    void sampleIsBufferedUntilTheWatermarkPassesItAndThenEvaluated() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, withStorage(running(T, 50), 75));

            assertThat(h.extractOutputValues()).isEmpty();
            // Its bookkeeping, with the sample in it (VmWakeUp.lone).
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(pendingTimestamps(state(h))).containsExactly(T);

            h.processWatermark(T - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getVmId,
                            Recommendation::getSystemId,
                            Recommendation::getFiredAt,
                            r -> r.getEvidence().getStoragePct())
                    .containsExactly(tuple(STORAGE, VM, SYSTEM, Instant.ofEpochMilli(T), 75.0));
            VmState s = state(h);
            assertThat(s.pendingSamples()).isEmpty();
            assertThat(s.lastEvaluatedAt).isEqualTo(T);
            // One wake-up, at the earliest deadline left: the week's close (retention is later).
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void samplesOutOfOrderWithinTheBoundAreEvaluatedInTimestampOrder() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, withBusiness(running(T + 2 * MINUTE, 50), 2));
            feed(h, withBusiness(running(T, 50), 0));
            feed(h, withBusiness(running(T + MINUTE, 50), 1));
            assertThat(pendingTimestamps(state(h))).containsExactly(T, T + MINUTE, T + 2 * MINUTE);
            // One wake-up, moved to the earliest buffered sample as each earlier one arrived.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + 2 * MINUTE);

            // The first report and the first positive one are passed on; the next positive one
            // within the hour is held back until an hour after the last one passed on.
            assertThat(side(h, Tags.BUSINESS))
                    .extracting(r -> r.timestamp, r -> r.businessRecords)
                    .containsExactly(tuple(T, 0L), tuple(T + MINUTE, 1L));
            assertThat(state(h).lastEvaluatedAt).isEqualTo(T + 2 * MINUTE);

            h.processWatermark(T + MINUTE + HOUR);
            assertThat(side(h, Tags.BUSINESS))
                    .extracting(r -> r.timestamp, r -> r.businessRecords)
                    .containsExactly(
                            tuple(T, 0L), tuple(T + MINUTE, 1L), tuple(T + 2 * MINUTE, 1L));
        }
    }

    // ---------------------------------------------------------------- late and duplicate

    @Test
    void lateSampleGoesToTheLateSideOutputAndChangesNothing() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T + 5 * MINUTE);
            VmState before = copyOf(state(h));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            // At exactly the watermark, and over the storage threshold: it would fire if used.
            Sample late = withStorage(running(T + 5 * MINUTE, 50), 90);
            feed(h, late);

            assertThat(side(h, Tags.LATE)).hasSize(1);
            Rejected r = side(h, Tags.LATE).get(0);
            assertThat(r.reason).isEqualTo(DeadLetterReason.LATE);
            assertThat(r.vmId).isEqualTo(VM);
            assertThat(r.sampleTimestamp).isEqualTo(T + 5 * MINUTE);
            assertThat(r.sourceTopic).isEqualTo(SOURCE);
            assertThat(r.message)
                    .isEqualTo(
                            "timestamp 2026-03-03T02:05:00Z is at or behind the watermark"
                                    + " 2026-03-03T02:05:00Z");
            assertThat(SampleCodec.decode(r.payload).sample).isEqualTo(late);

            assertThat(state(h)).usingRecursiveComparison().isEqualTo(before);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(T + DAY);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Tags.BUSINESS)).isEmpty();
        }
    }

    @Test
    void sampleOneMillisecondAfterTheWatermarkIsAccepted() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T + 5 * MINUTE);

            feed(h, withStorage(running(T + 5 * MINUTE + 1, 50), 85));

            assertThat(side(h, Tags.LATE)).isEmpty();
            assertThat(pendingTimestamps(state(h))).containsExactly(T + 5 * MINUTE + 1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(T + 5 * MINUTE + 1);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(tuple(STORAGE, Instant.ofEpochMilli(T + 5 * MINUTE + 1)));
        }
    }

    @Test
    void duplicatesAreDroppedSilently() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 50));
            // A retry with other values: ignored while the first is pending...
            feed(h, withBusiness(withStorage(running(T, 50), 90), 3));
            assertThat(state(h).pendingSamples()).hasSize(1);
            assertThat(state(h).pendingSamples()[0].storageUsedBytes).isEqualTo(40 * GIB);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T);
            // ...and once it is the latest evaluated sample, even behind the watermark: not LATE.
            feed(h, withBusiness(withStorage(running(T, 50), 90), 3));

            assertThat(side(h, Tags.LATE)).isEmpty();
            assertThat(side(h, Tags.BUSINESS)).isEmpty();
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(state(h).pendingSamples()).isEmpty();
            assertThat(state(h).lastEvaluatedAt).isEqualTo(T);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aDuplicateOfASampleWaitingAfterAWakeUpIsDroppedAndCounted() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            // Parsed at the wake-up, the rules' state takes the next samples on arrival.
            feed(h, running(T + 5 * MINUTE, 50));
            feed(h, withStorage(running(T + 5 * MINUTE, 50), 90));

            assertThat(state(h).pendingSamples()).hasSize(1);
            assertThat(state(h).pendingSamples()[0].storageUsedBytes).isEqualTo(40 * GIB);
            assertThat(HarnessCounters.counter(h, "duplicate_samples")).isEqualTo(1);
            h.processWatermark(T + 5 * MINUTE);
            // The retry's storage at 90 % would have fired.
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(state(h).lastEvaluatedAt).isEqualTo(T + 5 * MINUTE);
            assertThat(HarnessCounters.counter(h, "duplicate_samples")).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- business reports

    @Test
    void businessReportsGoToTheirSideOutputOnlyForSamplesWithRecordsAtEvaluation()
            throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, withBusiness(running(T, 50), 0));
            feed(h, running(T + MINUTE, 50));
            Sample withRecords = withBusiness(running(T + 2 * MINUTE, 50), 7);
            withRecords.unitId = "unit-2";
            feed(h, withRecords);
            assertThat(side(h, Tags.BUSINESS)).isEmpty();

            h.processWatermark(T + MINUTE);
            assertThat(side(h, Tags.BUSINESS))
                    .extracting(
                            r -> r.systemId,
                            r -> r.unitId,
                            r -> r.timestamp,
                            r -> r.businessRecords)
                    .containsExactly(tuple(SYSTEM, "unit-1", T, 0L));

            h.processWatermark(T + 2 * MINUTE);
            assertThat(side(h, Tags.BUSINESS))
                    .extracting(
                            (BusinessReport r) -> r.systemId,
                            r -> r.unitId,
                            r -> r.timestamp,
                            r -> r.businessRecords)
                    .containsExactly(
                            tuple(SYSTEM, "unit-1", T, 0L),
                            tuple(SYSTEM, "unit-2", T + 2 * MINUTE, 7L));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- week close

    @Test
    void weekCloseTimerFiresTheWeeklyRuleAtTheWeekEndAndIsGoneAfterwards() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 75));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T);
            assertThat(h.extractOutputValues()).isEmpty();
            // one wake-up at the week close (WEEK_END - 1); retention (T + 42 d) comes later
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(state(h).weekStart).isEqualTo(WEEK_START);

            h.processWatermark(WEEK_END - 2);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(WEEK_END - 1);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getVmId,
                            Recommendation::getFiredAt,
                            r -> r.getEvidence().getWeekStart(),
                            r -> r.getEvidence().getWeekEnd(),
                            r -> r.getEvidence().getWeeklyAveragePct(),
                            r -> r.getEvidence().getCoveredHours(),
                            r -> r.getEvidence().getSampleCount())
                    .containsExactly(
                            tuple(
                                    WEEKLY_AVERAGE,
                                    VM,
                                    Instant.ofEpochMilli(WEEK_END),
                                    Instant.ofEpochMilli(WEEK_START),
                                    Instant.ofEpochMilli(WEEK_END),
                                    75.0,
                                    1,
                                    1L));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(state(h).weekStart).isEqualTo(VmState.NONE);

            h.processWatermark(WEEK_END + 7 * DAY);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- inactive spell

    @Test
    void inactiveSpellFiresAtItsDeadline() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, stopped(T));
            h.processWatermark(T);
            // one wake-up: the spell deadline, before the retention check
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(state(h).spellDeadline).isEqualTo(T_PLUS_ONE_MONTH);

            h.processWatermark(T_PLUS_ONE_MONTH - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues())
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getFiredAt,
                            r -> r.getEvidence().getInactiveSince())
                    .containsExactly(
                            tuple(
                                    INACTIVE,
                                    Instant.ofEpochMilli(T_PLUS_ONE_MONTH),
                                    Instant.ofEpochMilli(T)));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void activeSampleBreakingTheSpellDeletesTheSpellDeadlineTimer() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, stopped(T));
            h.processWatermark(T);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            feed(h, activeWithoutMemory(T + HOUR));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + HOUR);
            // The spell's deadline was broken: the wake-up moved on to the retention check.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(state(h).inSpell).isFalse();

            h.processWatermark(T_PLUS_ONE_MONTH);
            h.processWatermark(T_PLUS_ONE_MONTH + DAY);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void activeSampleAtExactlyTheSpellDeadlineBreaksTheSpellFirst() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, stopped(T));
            h.processWatermark(T);
            // arrives early, stamped at the deadline: the wake-up stays at that instant
            feed(h, activeWithoutMemory(T_PLUS_ONE_MONTH));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T_PLUS_ONE_MONTH);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(state(h).inSpell).isFalse();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void sampleAtExactlyMondayMidnightOpensTheNextWeekAfterTheOldOneIsJudged() throws Exception {
        long nextWeekEnd = shanghai(2026, 3, 16, 0, 0);
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 75));
            h.processWatermark(T);
            feed(h, running(WEEK_END, 20));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(WEEK_END);

            assertThat(h.extractOutputValues())
                    .extracting(
                            Recommendation::getRuleId,
                            Recommendation::getFiredAt,
                            r -> r.getEvidence().getSampleCount())
                    .containsExactly(tuple(WEEKLY_AVERAGE, Instant.ofEpochMilli(WEEK_END), 1L));
            assertThat(state(h).weekStart).isEqualTo(WEEK_END);
            // one wake-up: the new week's close, before retention
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(nextWeekEnd - 1);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(
                            tuple(WEEKLY_AVERAGE, Instant.ofEpochMilli(WEEK_END)),
                            tuple(
                                    "reduce.memory.weekly-underuse",
                                    Instant.ofEpochMilli(nextWeekEnd)));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- end of input

    @Test
    void endOfInputEvaluatesPendingSamplesButReachesNoDeadline() throws Exception {
        try (var h = harness(RETENTION)) {
            // A week at 75 % (the weekly average would fire at its end) ...
            feed(h, running(T, 75));
            h.processWatermark(T);
            // ... and a pending STOPPED sample over the storage threshold that starts a spell.
            feed(h, withStorage(stopped(T + HOUR), 75));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(Long.MAX_VALUE);

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(tuple(STORAGE, Instant.ofEpochMilli(T + HOUR)));
            VmState s = state(h);
            assertThat(s.pendingSamples()).isEmpty();
            assertThat(s.lastEvaluatedAt).isEqualTo(T + HOUR);
            assertThat(s.inSpell).isTrue();
            assertThat(s.spellFired).isFalse();
            assertThat(s.weekStart).isEqualTo(WEEK_START);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- retention

    @Test
    void stateAndTimersAreRemovedAfterTheRetentionPeriodOfSilence() throws Exception {
        try (var h = harness(SHORT_RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(WEEK_END - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + 8 * DAY - 1);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + 8 * DAY);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // A forgotten VM that reports again is judged afresh.
            feed(h, running(T + 9 * DAY, 50));
            assertThat(side(h, Tags.LATE)).isEmpty();
            // Its bookkeeping, with the sample in it (VmWakeUp.lone).
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void stateIsKeptWhileADeadlineIsPendingAndRemovedAfterIt() throws Exception {
        try (var h = harness(SHORT_RETENTION)) {
            feed(h, stopped(T));
            h.processWatermark(T);
            // One wake-up at the spell's deadline; the retention check comes right after it.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + 8 * DAY);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId)
                    .containsExactly(INACTIVE);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T_PLUS_ONE_MONTH + 1);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void vmThatKeepsReportingIsNotForgotten() throws Exception {
        try (var h = harness(SHORT_RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            feed(h, running(T + 5 * DAY, 50));
            h.processWatermark(T + 5 * DAY);

            h.processWatermark(T + 8 * DAY);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            h.processWatermark(T + 13 * DAY - 1);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T + 21 * DAY);
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    // ---------------------------------------------------------------- snapshot and restore

    static void beforeSnapshot(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        feed(h, running(T, 75));
        h.processWatermark(T);
        feed(h, running(T + HOUR, 87.5));
    }

    static void afterSnapshot(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        h.processWatermark(WEEK_END - 1);
    }

    @Test
    void weekStartedBeforeASnapshotIsJudgedAfterRestoreAsWithoutIt() throws Exception {
        List<Recommendation> uninterrupted;
        try (var h = harness(RETENTION)) {
            beforeSnapshot(h);
            afterSnapshot(h);
            uninterrupted = h.extractOutputValues();
        }
        assertThat(uninterrupted)
                .extracting(
                        Recommendation::getRuleId,
                        Recommendation::getFiredAt,
                        r -> r.getEvidence().getWeeklyAveragePct(),
                        r -> r.getEvidence().getCoveredHours(),
                        r -> r.getEvidence().getSampleCount())
                .containsExactly(
                        tuple(WEEKLY_AVERAGE, Instant.ofEpochMilli(WEEK_END), 81.25, 2, 2L));

        OperatorSubtaskState snapshot;
        try (var h = harness(RETENTION)) {
            beforeSnapshot(h);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            snapshot = h.snapshot(1L, 1L);
            assertThat(h.extractOutputValues()).isEmpty();
        }

        try (var h = restored(snapshot)) {
            // The VM's record (vm-wakeup): its rules' state and the buffered sample in it
            // (VmWakeUp.lone); vm-pending empty.
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(pendingTimestamps(state(h))).containsExactly(T + HOUR);
            assertThat(state(h).weekStart).isEqualTo(WEEK_START);

            afterSnapshot(h);

            assertThat(h.extractOutputValues()).isEqualTo(uninterrupted);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }
}
