package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_END;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_START;
import static io.rightsizer.job.operators.VmRuleFunctionTest.running;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.job.operators.VmRuleFunctionTest.state;
import static io.rightsizer.job.operators.VmRuleFunctionTest.wakeUp;
import static io.rightsizer.testing.Allocations.GIB;
import static io.rightsizer.testing.Allocations.active;
import static io.rightsizer.testing.Allocations.decommissioned;
import static io.rightsizer.testing.Allocations.expansion;
import static io.rightsizer.testing.Allocations.window;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.shanghai;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.job.VmWakeUp;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The inventory join in vm-rules on Flink's keyed harness: the allocation before and after samples,
 * judging from the next full week after a resize, protection windows at their edges,
 * DECOMMISSIONED, and the time-limit notices issued by event-time timers.
 */
class VmInventoryTest {
    static final String WEEKLY_AVERAGE = "scale-up.memory.weekly-average";
    static final String UNDERUSE = "reduce.memory.weekly-underuse";

    static final long NEXT_WEEK_END = WEEK_END + 7 * DAY;

    /** When the inventory record was published: Tuesday 3 March 2026 09:00, before T. */
    static final long RECEIVED = T - HOUR;

    /** An expansion from Sunday 1 March until Friday 20 March 2026 00:00 (Shanghai). */
    static final long EXPANSION_FROM = shanghai(2026, 3, 1, 0, 0);

    static final long EXPANSION_UNTIL = shanghai(2026, 3, 20, 0, 0);

    /** 7 working days before the last day, Thursday 19 March: Wednesday 11 March 00:00. */
    static final long REMINDER = shanghai(2026, 3, 11, 0, 0);

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness()
            throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new VmRuleFunction(
                                RULES,
                                RuleHarnesses.SIZING,
                                RETENTION,
                                SOURCE,
                                TimeLimits.regulation(WorkingCalendar.defaults())),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        Tags.RULES));
    }

    static void feed(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            Sample s)
            throws Exception {
        h.processElement(VmInput.of(s), s.timestamp);
    }

    static void receive(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            VmAllocation a,
            long receivedAt)
            throws Exception {
        h.processElement(VmInput.of(a, receivedAt), receivedAt);
    }

    static VmInventory inventory(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        h.getOperator().setCurrentKey(VM);
        return h.getOperator().getKeyedStateStore().getState(Tags.vmInventory()).value();
    }

    static VmAllocation sized(long memoryBytes, long storageBytes) {
        return active(VM, SYSTEM).setMemoryBytes(memoryBytes).setStorageBytes(storageBytes).build();
    }

    static VmAllocation withExpansion() {
        return active(VM, SYSTEM)
                .setTemporaryExpansions(
                        List.of(expansion(8 * GIB, EXPANSION_FROM, EXPANSION_UNTIL)))
                .build();
    }

    static List<Object> rules(List<Recommendation> out) {
        return out.stream().map(r -> (Object) (r.getRuleId() + "@" + r.getFiredAt())).toList();
    }

    // ---------------------------------------------------------------- the allocation

    @Test
    void anAllocationBeforeAnySampleGivesTheVmItsSize() throws Exception {
        try (var h = harness()) {
            receive(h, sized(32 * GIB, 200 * GIB), RECEIVED);
            feed(h, running(T, 50));
            h.processWatermark(T);

            VmState s = state(h);
            assertThat(s.allocatedMemoryBytes).isEqualTo(32 * GIB);
            assertThat(s.allocatedStorageBytes).isEqualTo(200 * GIB);
            assertThat(s.memoryTotalBytes).isEqualTo(16 * GIB);
            assertThat(s.currentMemoryBytes()).isEqualTo(32 * GIB);
            assertThat(s.currentStorageBytes()).isEqualTo(200 * GIB);
            // Nothing to remind of: the one wake-up is the week's close.
            assertThat(wakeUp(h)).isEqualTo(WEEK_END - 1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void anAllocationAfterSamplesReplacesTheirSize() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            assertThat(state(h).currentMemoryBytes()).isEqualTo(16 * GIB);

            receive(h, sized(32 * GIB, 100 * GIB), T + MINUTE);

            assertThat(state(h).currentMemoryBytes()).isEqualTo(32 * GIB);
            assertThat(state(h).allocatedMemoryBytes).isEqualTo(32 * GIB);
        }
    }

    // ---------------------------------------------------------------- judged from the next week

    @Test
    void afterAResizeTheWeekInProgressIsNotJudgedAndTheNextFullWeekIs() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 75));
            h.processWatermark(T);
            receive(h, sized(32 * GIB, 100 * GIB), T + MINUTE);
            assertThat(state(h).judgeWeeksFrom).isEqualTo(WEEK_END);

            feed(h, running(T + DAY, 75));
            h.processWatermark(WEEK_END - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            feed(h, running(WEEK_END, 75));
            h.processWatermark(NEXT_WEEK_END - 1);

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(tuple(WEEKLY_AVERAGE, Instant.ofEpochMilli(NEXT_WEEK_END)));
        }
    }

    @Test
    void aResizeEffectiveAtMondayMidnightLetsThatWeekBeJudged() throws Exception {
        try (var h = harness()) {
            feed(h, running(WEEK_START - HOUR, 50));
            h.processWatermark(WEEK_START - HOUR);
            VmAllocation a =
                    active(VM, SYSTEM)
                            .setMemoryBytes(32 * GIB)
                            .setEffectiveAt(Instant.ofEpochMilli(WEEK_START))
                            .build();
            receive(h, a, T);
            feed(h, running(T, 75));
            h.processWatermark(WEEK_END - 1);

            assertThat(state(h).judgeWeeksFrom).isEqualTo(WEEK_START);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(tuple(WEEKLY_AVERAGE, Instant.ofEpochMilli(WEEK_END)));
        }
    }

    @Test
    void aResizeEffectiveOneMillisecondAfterMondayMidnightSkipsThatWeek() throws Exception {
        try (var h = harness()) {
            feed(h, running(WEEK_START - HOUR, 50));
            h.processWatermark(WEEK_START - HOUR);
            VmAllocation a =
                    active(VM, SYSTEM)
                            .setMemoryBytes(32 * GIB)
                            .setEffectiveAt(Instant.ofEpochMilli(WEEK_START + 1))
                            .build();
            receive(h, a, T);
            feed(h, running(T, 75));
            h.processWatermark(WEEK_END - 1);

            assertThat(state(h).judgeWeeksFrom).isEqualTo(WEEK_END);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void anAllocationOfTheSizeTheSamplesShowIsNoResize() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 75));
            h.processWatermark(T);
            receive(h, sized(16 * GIB, 100 * GIB), T + MINUTE);
            h.processWatermark(WEEK_END - 1);

            assertThat(state(h).judgeWeeksFrom).isEqualTo(VmState.NONE);
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId)
                    .containsExactly(WEEKLY_AVERAGE);
        }
    }

    @Test
    void aChangedTotalInTheSamplesIsAResizeToo() throws Exception {
        try (var h = harness()) {
            feed(h, running(T, 75));
            Sample bigger = running(T + HOUR, 75);
            bigger.memoryTotalBytes = 32 * GIB;
            bigger.memoryUsedBytes = 24 * GIB;
            feed(h, bigger);
            h.processWatermark(WEEK_END - 1);

            assertThat(state(h).judgeWeeksFrom).isEqualTo(WEEK_END);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- protection windows

    /** A week at 20 % memory: weekly underuse fires at WEEK_END unless protected. */
    static List<Recommendation> underusedWeekWith(VmAllocation a) throws Exception {
        try (var h = harness()) {
            receive(h, a, RECEIVED);
            feed(h, running(T, 20));
            h.processWatermark(WEEK_END - 1);
            return h.extractOutputValues();
        }
    }

    static VmAllocation protectedFor(long from, long until) {
        return active(VM, SYSTEM).setProtectionWindows(List.of(window(from, until))).build();
    }

    @Test
    void aReductionFiredAtTheWindowsStartIsHeldBack() throws Exception {
        assertThat(underusedWeekWith(protectedFor(WEEK_END, WEEK_END + DAY))).isEmpty();
    }

    @Test
    void aReductionFiredAtTheWindowsUntilIsNotHeldBack() throws Exception {
        assertThat(rules(underusedWeekWith(protectedFor(WEEK_START, WEEK_END))))
                .containsExactly(UNDERUSE + "@" + Instant.ofEpochMilli(WEEK_END));
    }

    @Test
    void aReductionFiredOneMillisecondBeforeTheWindowIsNotHeldBack() throws Exception {
        assertThat(rules(underusedWeekWith(protectedFor(WEEK_END + 1, WEEK_END + DAY))))
                .containsExactly(UNDERUSE + "@" + Instant.ofEpochMilli(WEEK_END));
    }

    @Test
    void aScaleUpInAProtectionWindowIsSent() throws Exception {
        try (var h = harness()) {
            receive(h, protectedFor(WEEK_START, NEXT_WEEK_END), RECEIVED);
            feed(h, running(T, 75));
            h.processWatermark(WEEK_END - 1);

            assertThat(rules(h.extractOutputValues()))
                    .containsExactly(WEEKLY_AVERAGE + "@" + Instant.ofEpochMilli(WEEK_END));
        }
    }

    // ---------------------------------------------------------------- DECOMMISSIONED

    @Test
    void decommissionedClearsAllStateAndTimers() throws Exception {
        try (var h = harness()) {
            receive(h, withExpansion(), RECEIVED);
            feed(h, running(T, 75));
            h.processWatermark(T);
            // Out of order: the wake-up moves to T + 1 min when it arrives.
            feed(h, running(T + 2 * MINUTE, 75));
            feed(h, running(T + MINUTE, 75));
            // Samples buffered, a week in progress, its retention, the notices: one wake-up.
            assertThat(wakeUp(h)).isEqualTo(T + MINUTE);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // The record (the bookkeeping and the rules' state, whose pending samples the two
            // joined: on the heap it is parsed since the first wake-up) and the inventory.
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(2);

            decommissionLeavesNothing(h);
        }
    }

    @Test
    void decommissionedClearsTheBufferedSamplesListToo() throws Exception {
        try (var h = harness()) {
            // Before the VM's first wake-up its rules' state is not parsed: the first sample is
            // kept in the record, the next ones in the list state.
            feed(h, running(T, 75));
            feed(h, running(T + 2 * MINUTE, 75));
            feed(h, running(T + MINUTE, 75));
            receive(h, withExpansion(), RECEIVED);
            assertThat(wakeUp(h)).isEqualTo(T);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // The record, the inventory, the buffered samples.
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(3);

            decommissionLeavesNothing(h);
        }
    }

    /** A DECOMMISSIONED record takes every state and the timer; nothing comes after it. */
    private static void decommissionLeavesNothing(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        receive(h, decommissioned(VM, SYSTEM), T + 3 * MINUTE);

        assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.processWatermark(NEXT_WEEK_END);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(side(h, Tags.NOTICES)).isEmpty();
    }

    // ---------------------------------------------------------------- time-limit notices

    @Test
    void theReminderIsIssuedExactlyAtItsTimerInstant() throws Exception {
        try (var h = harness()) {
            receive(h, withExpansion(), RECEIVED);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(REMINDER);

            h.processWatermark(REMINDER - 1);
            assertThat(side(h, Tags.NOTICES)).isEmpty();

            h.processWatermark(REMINDER);
            assertThat(side(h, Tags.NOTICES))
                    .extracting(
                            TimeLimitNotice::getKind,
                            TimeLimitNotice::getVmId,
                            TimeLimitNotice::getSystemId,
                            TimeLimitNotice::getUnitId,
                            TimeLimitNotice::getIssuedAt)
                    .containsExactly(
                            tuple(
                                    NoticeKind.EXPANSION_ENDING,
                                    VM,
                                    SYSTEM,
                                    "unit-1",
                                    Instant.ofEpochMilli(REMINDER)));
            assertThat(wakeUp(h)).isEqualTo(EXPANSION_UNTIL);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void theOverrunIsIssuedAtUntilAndThenNoTimerIsLeft() throws Exception {
        try (var h = harness()) {
            receive(h, withExpansion(), RECEIVED);
            h.processWatermark(EXPANSION_UNTIL - 1);
            h.processWatermark(EXPANSION_UNTIL);

            assertThat(side(h, Tags.NOTICES))
                    .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                    .containsExactly(
                            tuple(NoticeKind.EXPANSION_ENDING, Instant.ofEpochMilli(REMINDER)),
                            tuple(
                                    NoticeKind.EXPANSION_OVERRUN,
                                    Instant.ofEpochMilli(EXPANSION_UNTIL)));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(wakeUp(h)).isEqualTo(VmWakeUp.NONE);
        }
    }

    @Test
    void aReSentRecordIssuesNoNoticeTwice() throws Exception {
        try (var h = harness()) {
            receive(h, withExpansion(), RECEIVED);
            h.processWatermark(REMINDER);
            receive(h, withExpansion(), REMINDER + HOUR);
            h.processWatermark(REMINDER + 2 * HOUR);

            assertThat(side(h, Tags.NOTICES))
                    .extracting(TimeLimitNotice::getKind)
                    .containsExactly(NoticeKind.EXPANSION_ENDING);
            assertThat(wakeUp(h)).isEqualTo(EXPANSION_UNTIL);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void aRecordReceivedAfterTheReminderInstantIsRemindedAtOnce() throws Exception {
        try (var h = harness()) {
            feed(h, running(REMINDER + DAY, 50));
            h.processWatermark(REMINDER + DAY);

            receive(h, withExpansion(), REMINDER + HOUR);

            assertThat(side(h, Tags.NOTICES))
                    .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                    .containsExactly(
                            tuple(
                                    NoticeKind.EXPANSION_ENDING,
                                    Instant.ofEpochMilli(REMINDER + HOUR)));
        }
    }

    @Test
    void anExpansionRemovedBeforeItsEndLeavesNoNoticeTimer() throws Exception {
        try (var h = harness()) {
            receive(h, withExpansion(), RECEIVED);
            h.processWatermark(REMINDER);
            receive(h, active(VM, SYSTEM).build(), REMINDER + HOUR);
            h.processWatermark(EXPANSION_UNTIL + DAY);

            assertThat(side(h, Tags.NOTICES))
                    .extracting(TimeLimitNotice::getKind)
                    .containsExactly(NoticeKind.EXPANSION_ENDING);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(inventory(h).periods).isEmpty();
        }
    }

    @Test
    void aNoticeTimerAtTheSameInstantAsAWeeksCloseSurvivesTheWeekClosing() throws Exception {
        try (var h = harness()) {
            // The week's close (WEEK_END - 1) and the overrun of an expansion until then.
            VmAllocation a =
                    active(VM, SYSTEM)
                            .setTemporaryExpansions(List.of(expansion(GIB, T - HOUR, WEEK_END - 1)))
                            .build();
            feed(h, running(T, 50));
            h.processWatermark(T);
            receive(h, a, T + MINUTE);
            h.processWatermark(WEEK_END - 1);

            assertThat(side(h, Tags.NOTICES))
                    .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                    .containsExactly(
                            tuple(NoticeKind.EXPANSION_ENDING, Instant.ofEpochMilli(T + MINUTE)),
                            tuple(
                                    NoticeKind.EXPANSION_OVERRUN,
                                    Instant.ofEpochMilli(WEEK_END - 1)));
        }
    }
}
