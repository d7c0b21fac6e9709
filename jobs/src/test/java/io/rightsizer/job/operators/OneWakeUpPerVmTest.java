package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmInventoryTest.EXPANSION_UNTIL;
import static io.rightsizer.job.operators.VmInventoryTest.RECEIVED;
import static io.rightsizer.job.operators.VmInventoryTest.REMINDER;
import static io.rightsizer.job.operators.VmInventoryTest.receive;
import static io.rightsizer.job.operators.VmInventoryTest.withExpansion;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SHORT_RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.STORAGE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_END;
import static io.rightsizer.job.operators.VmRuleFunctionTest.feed;
import static io.rightsizer.job.operators.VmRuleFunctionTest.running;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.job.operators.VmRuleFunctionTest.state;
import static io.rightsizer.job.operators.VmRuleFunctionTest.stopped;
import static io.rightsizer.job.operators.VmRuleFunctionTest.wakeUp;
import static io.rightsizer.testing.Allocations.decommissioned;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.withStorage;
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
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * vm-rules holds at most one event-time timer per VM, whatever is due (samples, the week's close,
 * the inactive spell, the deadman, notices, retention), and none after a decommission or after
 * retention; a timer it did not register (one left by an older version's savepoint) changes nothing
 * (docs/design.md, "vm-rules: one wake-up per VM").
 */
class OneWakeUpPerVmTest {
    /** Everything at once: the deadman, time-limit notices, a short retention. */
    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            Duration retention) throws Exception {
        return RuleHarnesses.withIdleRuleUpdates(
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new VmRuleFunction(
                                        RULES,
                                        RuleHarnesses.SIZING,
                                        retention,
                                        SOURCE,
                                        TimeLimits.regulation(WorkingCalendar.defaults()))
                                .withDataQuality(Duration.ofHours(1)),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        Tags.RULES));
    }

    /** Registers a timer for the VM the way an older version did, beside the operator's own. */
    @SuppressWarnings("unchecked")
    static void oldTimer(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            long at)
            throws Exception {
        h.getOperator().setCurrentKey(VM);
        InternalTimerService<VoidNamespace> timers =
                h.getOperator()
                        .getInternalTimerService(
                                "user-timers",
                                VoidNamespaceSerializer.INSTANCE,
                                (Triggerable<String, VoidNamespace>) h.getOperator());
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
    }

    @Test
    void aBacklogOfSamplesOutOfOrderHoldsOneTimerAtTheEarliest() throws Exception {
        try (var h = harness(RETENTION)) {
            long[] arrivals = {T + 10 * MINUTE, T + 5 * MINUTE, T + 20 * MINUTE, T, T + MINUTE};
            long earliest = Long.MAX_VALUE;
            for (long ts : arrivals) {
                feed(h, running(ts, 50));
                earliest = Math.min(earliest, ts);
                assertThat(h.numEventTimeTimers()).isEqualTo(1);
                assertThat(wakeUp(h)).isEqualTo(earliest);
            }

            // One watermark past three of them: one batch, and the wake-up at the next sample.
            h.processWatermark(T + 5 * MINUTE);
            assertThat(state(h).lastEvaluatedAt).isEqualTo(T + 5 * MINUTE);
            assertThat(VmRuleFunctionTest.pendingTimestamps(state(h)))
                    .containsExactly(T + 10 * MINUTE, T + 20 * MINUTE);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(T + 10 * MINUTE);
        }
    }

    @Test
    void theDeadmanTheWeekAndTheNoticesShareOneTimerAtTheEarliest() throws Exception {
        try (var h = harness(RETENTION)) {
            receive(h, withExpansion(), RECEIVED);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(REMINDER);

            // 75 %: the weekly average fires at the week's close.
            feed(h, running(T, 75));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(T);

            h.processWatermark(T);
            // The deadman (T + 1 h) before the week's close and the reminder.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(T + HOUR);

            h.processWatermark(T + HOUR);
            assertThat(side(h, Tags.DATA_QUALITY)).hasSize(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(WEEK_END - 1);

            h.processWatermark(WEEK_END - 1);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(REMINDER);

            h.processWatermark(REMINDER);
            assertThat(side(h, Tags.NOTICES))
                    .extracting(TimeLimitNotice::getKind)
                    .containsExactly(NoticeKind.EXPANSION_ENDING);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(EXPANSION_UNTIL);
        }
    }

    @Test
    void theSpellAndThenRetentionHoldOneTimerAndNothingIsLeftAfterRetention() throws Exception {
        try (var h = harness(SHORT_RETENTION)) {
            feed(h, stopped(T));
            h.processWatermark(T);
            // A STOPPED VM is not watched for silence: the spell's deadline is the wake-up.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(VmRuleFunctionTest.T_PLUS_ONE_MONTH);

            h.processWatermark(VmRuleFunctionTest.T_PLUS_ONE_MONTH);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(VmRuleFunctionTest.T_PLUS_ONE_MONTH + 1);

            h.processWatermark(VmRuleFunctionTest.T_PLUS_ONE_MONTH + 1);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
        }
    }

    @Test
    void aDecommissionedVmLeavesNoTimerAndNoState() throws Exception {
        try (var h = harness(RETENTION)) {
            receive(h, withExpansion(), RECEIVED);
            feed(h, running(T, 50));
            h.processWatermark(T);
            feed(h, running(T + 2 * MINUTE, 50));
            feed(h, running(T + MINUTE, 50));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            receive(h, decommissioned(VM, VmRuleFunctionTest.SYSTEM), T + 3 * MINUTE);

            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isZero();
        }
    }

    @Test
    void aTimerLeftByAnOlderVersionFindsNothingDueAndChangesNothing() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, running(T, 50));
            h.processWatermark(T);
            oldTimer(h, T + 30 * MINUTE);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            VmState before = VmRuleFunctionTest.copyOf(state(h));

            h.processWatermark(T + 30 * MINUTE);

            assertThat(state(h)).usingRecursiveComparison().isEqualTo(before);
            assertThat(side(h, Tags.DATA_QUALITY)).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(T + HOUR);
        }
    }

    @Test
    void aVmInTheOlderLayoutIsJudgedAtItsOldTimerAndThenHoldsOneWakeUp() throws Exception {
        try (var h = harness(RETENTION)) {
            // As 0.2.0 left it: the pending sample inside the rules' state, its timer registered,
            // no bookkeeping of the wake-up.
            VmState old = new VmState();
            Sample pending = withStorage(running(T, 50), 75);
            io.rightsizer.rules.VmEvaluator.admitTo(old, pending, Long.MIN_VALUE);
            h.getOperator().setCurrentKey(VM);
            h.getOperator().getKeyedStateStore().getState(Tags.vmState()).update(old);
            oldTimer(h, T);

            h.processWatermark(T);

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getFiredAt)
                    .containsExactly(tuple(STORAGE, Instant.ofEpochMilli(T)));
            assertThat(state(h).pendingSamples()).isEmpty();
            assertThat(state(h).lastEvaluatedAt).isEqualTo(T);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(wakeUp(h)).isEqualTo(T + HOUR);
            // Its rules' state moved into its record: one keyed state entry, vm cleared.
            h.getOperator().setCurrentKey(VM);
            assertThat(h.getOperator().getKeyedStateStore().getState(Tags.vmState()).value())
                    .isNull();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);

            // A sample at the one it judged is a duplicate, as before the upgrade.
            feed(h, running(T, 50));
            assertThat(side(h, Tags.LATE)).isEmpty();
            h.processWatermark(T + DAY);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void aWakeUpRecordWrittenBeforeTheLoneSampleReadsItsListAndItsInventory() throws Exception {
        List<Object> now = judgedWithInventory(false);
        List<Object> older = judgedWithInventory(true);

        // The storage rule judged the buffered sample, the notice came from the inventory.
        assertThat(older)
                .extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Recommendation", "TimeLimitNotice");
        assertThat(((Recommendation) older.get(0)).getRuleId()).isEqualTo(STORAGE);
        assertThat(((TimeLimitNotice) older.get(1)).getKind())
                .isEqualTo(NoticeKind.EXPANSION_ENDING);
        assertThat(older).isEqualTo(now);
    }

    /**
     * A VM with an inventory record and two buffered samples, judged in one wake-up that passes its
     * reminder too: the recommendations, then the notices; {@code older}: the buffer rewritten as a
     * build before {@link VmWakeUp#lone} kept it (both samples in vm-pending, the record's newer
     * fields at their defaults, as Flink's POJO serializer restores them).
     */
    static List<Object> judgedWithInventory(boolean older) throws Exception {
        try (var h = harness(RETENTION)) {
            receive(h, withExpansion(), RECEIVED);
            Sample first = withStorage(running(T, 50), 75);
            Sample second = running(T + 5 * MINUTE, 50);
            feed(h, first);
            feed(h, second);
            h.getOperator().setCurrentKey(VM);
            var store = h.getOperator().getKeyedStateStore();
            if (older) {
                store.getListState(Tags.vmPending()).update(List.of(first, second));
                VmWakeUp w = store.getState(Tags.vmWakeUp()).value();
                w.lone = null;
                w.listEmpty = false;
                w.noInventory = false;
                // And the rules' state in its own keyed state, as before the two were one record.
                store.getState(Tags.vmState()).update(w.rules());
                w.rulesKept = false;
                store.getState(Tags.vmWakeUp()).update(w);
            }

            h.processWatermark(REMINDER);

            assertThat(state(h).lastEvaluatedAt).isEqualTo(T + 5 * MINUTE);
            h.getOperator().setCurrentKey(VM);
            assertThat(store.getListState(Tags.vmPending()).get()).isEmpty();
            VmWakeUp w = store.getState(Tags.vmWakeUp()).value();
            assertThat(w.lone).isNull();
            assertThat(w.listEmpty).isTrue();
            assertThat(w.rulesKept).isTrue();
            assertThat(store.getState(Tags.vmState()).value()).isNull();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            List<Object> out = new java.util.ArrayList<>(h.extractOutputValues());
            out.addAll(side(h, Tags.NOTICES));
            return out;
        }
    }
}
