package io.rightsizer.job.operators;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DAY;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECIDED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.GIB;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.QUIET_UNTIL;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.REMINDER_DUE;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.WINDOW_END;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.active;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.deferral;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.firing;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static io.rightsizer.schema.DecisionState.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.LifecycleStage;
import io.rightsizer.job.Tags;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.VmAllocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle operator on Flink's keyed two-input harness: what reaches the approval topic, the
 * audit events, reminder and deferral timers, and state and timers gone when entries end.
 */
class LifecycleFunctionTest {
    static final String SUBJECT = "vm:vm-1";

    final Recommendation fired = weeklyAverage(FIRED);
    final String rule = fired.getRuleId();

    KeyedTwoInputStreamOperatorTestHarness<String, LifecycleInput, VmAllocation, Recommendation> h;

    @BeforeEach
    void setUp() throws Exception {
        h = harness(null);
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, LifecycleInput, VmAllocation, Recommendation>
            harness(OperatorSubtaskState restoreFrom) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new LifecycleFunction(LifecycleStage.Settings.defaults())),
                        new LifecycleStage.BySubject(),
                        new LifecycleStage.ByVmSubject(),
                        Types.STRING);
        h.setup();
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        // The inventory source is idle-marked in the job: event time is the firings'.
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
        return h;
    }

    /** A firing arrives, then the watermark reaches its firedAt, as in the job. */
    void fire(Recommendation r) throws Exception {
        arrive(r);
        watermark(r.getFiredAt().toEpochMilli());
    }

    void arrive(Recommendation r) throws Exception {
        h.processElement1(
                LifecycleInput.firing(Lifecycle.subject(r), r), r.getFiredAt().toEpochMilli());
    }

    /** A decision arrives, then the watermark reaches its decidedAt. */
    void decide(Recommendation r, Decision d) throws Exception {
        arrive(r, d);
        watermark(d.getDecidedAt().toEpochMilli());
    }

    void arrive(Recommendation r, Decision d) throws Exception {
        h.processElement1(
                LifecycleInput.decision(Lifecycle.subject(r), r.getRuleId(), d),
                d.getDecidedAt().toEpochMilli());
    }

    void watermark(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
    }

    List<Recommendation> approvals() {
        return h.extractOutputValues();
    }

    List<Object> events() {
        List<Object> out = new ArrayList<>();
        var q = h.getSideOutput(Tags.LIFECYCLE_EVENTS);
        if (q != null) {
            q.forEach(
                    r -> {
                        RecommendationEvent e = r.getValue();
                        out.add(
                                tuple(
                                        e.getKind(),
                                        e.getRecommendationId(),
                                        e.getFromState(),
                                        e.getToState(),
                                        e.getAt().toEpochMilli()));
                    });
        }
        return out;
    }

    Recommendation asReminder(Recommendation r) {
        return Recommendation.newBuilder(r).setReminder(true).build();
    }

    @Test
    void aFiringIsSentOpenedAndGetsItsReminderTimer() throws Exception {
        fire(fired);

        assertThat(approvals()).containsExactly(fired);
        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.OPENED,
                                fired.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                FIRED));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aFiringWaitsForTheWatermarkToReachItsFiredAt() throws Exception {
        arrive(fired);
        watermark(FIRED - 1);
        assertThat(approvals()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(FIRED);

        assertThat(approvals()).containsExactly(fired);
    }

    @Test
    void inputsWithinOneWatermarkStepAreTakenInTheOrderOfTheirInstants() throws Exception {
        fire(fired);
        decide(fired, decision(fired, APPROVED, DECIDED));
        long resizedAt = DECIDED + DAY;
        Recommendation again = weeklyAverage(resizedAt + 7 * DAY);
        VmAllocation resized = active(32 * GIB, 100 * GIB);
        resized.setEffectiveAt(Instant.ofEpochMilli(resizedAt));

        // The next firing overtakes the inventory record on its way here.
        arrive(again);
        h.processElement2(resized, resizedAt);
        watermark(resizedAt + 7 * DAY);

        assertThat(approvals()).containsExactly(fired, again);
        assertThat(events())
                .endsWith(
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                fired.getRecommendationId(),
                                LifecycleState.APPROVED,
                                LifecycleState.IMPLEMENTED,
                                resizedAt),
                        tuple(
                                RecommendationEventKind.OPENED,
                                again.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                resizedAt + 7 * DAY));
    }

    @Test
    void aFiringAndADecisionAtTheSameInstantTakeTheFiringFirst() throws Exception {
        arrive(fired, decision(fired, APPROVED, FIRED));
        arrive(fired);
        watermark(FIRED);

        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.OPENED,
                                fired.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                FIRED),
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                fired.getRecommendationId(),
                                LifecycleState.OPEN,
                                LifecycleState.APPROVED,
                                FIRED));
    }

    @Test
    void aRepeatFiringWhileOpenIsNeitherSentNorAudited() throws Exception {
        fire(fired);

        fire(weeklyAverage(FIRED + 7 * DAY));

        assertThat(approvals()).containsExactly(fired);
        assertThat(events()).hasSize(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void theEndOfABoundedInputTakesHeldFiringsButSendsNoReminder() throws Exception {
        Recommendation storage = firing(Rule.STORAGE_USAGE, FIRED + 1);
        fire(fired);
        arrive(storage);

        watermark(Long.MAX_VALUE);

        // Held until the end, then sent; the first one's reminder (due 14 days on) is not.
        assertThat(approvals()).containsExactly(fired, storage);
        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.OPENED,
                                fired.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                FIRED),
                        tuple(
                                RecommendationEventKind.OPENED,
                                storage.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                FIRED + 1));
    }

    @Test
    void theReminderGoesOutWhenTheWatermarkReachesItsDueInstant() throws Exception {
        fire(fired);

        watermark(REMINDER_DUE - 1);
        assertThat(approvals()).containsExactly(fired);
        watermark(REMINDER_DUE);

        assertThat(approvals()).containsExactly(fired, asReminder(fired));
        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.OPENED,
                                fired.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                FIRED),
                        tuple(
                                RecommendationEventKind.REMINDED,
                                fired.getRecommendationId(),
                                LifecycleState.OPEN,
                                LifecycleState.OPEN,
                                REMINDER_DUE));
        // Left: the end of the decision window.
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        watermark(WINDOW_END);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void approvedThenSeenInTheInventoryLeavesNoStateAndNoTimer() throws Exception {
        fire(fired);
        decide(fired, decision(fired, APPROVED, DECIDED));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        VmAllocation resized = active(32 * GIB, 100 * GIB);
        resized.setEffectiveAt(Instant.ofEpochMilli(DECIDED + DAY));
        h.processElement2(resized, DECIDED + 2 * DAY);
        assertThat(events()).hasSize(2);
        assertThat(h.numEventTimeTimers()).isEqualTo(2);
        watermark(DECIDED + DAY);

        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.OPENED,
                                fired.getRecommendationId(),
                                null,
                                LifecycleState.OPEN,
                                FIRED),
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                fired.getRecommendationId(),
                                LifecycleState.OPEN,
                                LifecycleState.APPROVED,
                                DECIDED),
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                fired.getRecommendationId(),
                                LifecycleState.APPROVED,
                                LifecycleState.IMPLEMENTED,
                                DECIDED + DAY));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        Recommendation next = weeklyAverage(DECIDED + 7 * DAY);
        fire(next);
        assertThat(approvals()).containsExactly(fired, next);
    }

    @Test
    void anInventoryRecordWithoutEffectiveAtTakesItsRecordTimestamp() throws Exception {
        fire(fired);

        h.processElement2(active(32 * GIB, 100 * GIB), FIRED + DAY);
        watermark(FIRED + DAY);

        assertThat(events())
                .last()
                .isEqualTo(
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                fired.getRecommendationId(),
                                LifecycleState.OPEN,
                                LifecycleState.IMPLEMENTED,
                                FIRED + DAY));
    }

    @Test
    void anInventoryRecordAtOrBehindTheWatermarkIsAppliedAtOnce() throws Exception {
        fire(fired);
        watermark(FIRED + DAY);

        h.processElement2(active(32 * GIB, 100 * GIB), FIRED + DAY);

        assertThat(events()).hasSize(2);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anInventoryRecordForAVmWithoutEntriesLeavesNothingOnceApplied() throws Exception {
        h.processElement2(active(32 * GIB, 100 * GIB), FIRED);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(FIRED);

        assertThat(events()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRejectionKeepsTheRuleQuietUntilItsCooldownEndsThenLeavesNothing() throws Exception {
        fire(fired);
        decide(fired, decision(fired, REJECTED, DECIDED));

        fire(weeklyAverage(QUIET_UNTIL - 1));
        assertThat(approvals()).containsExactly(fired);
        watermark(QUIET_UNTIL - 1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);

        watermark(QUIET_UNTIL);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        Recommendation next = weeklyAverage(QUIET_UNTIL);
        fire(next);
        assertThat(approvals()).containsExactly(fired, next);
    }

    @Test
    void aDeferredRecommendationIsResentWhenTheDeferralEnds() throws Exception {
        long until = DECIDED + 7 * DAY;
        fire(fired);
        decide(fired, deferral(fired, DECIDED, until));

        watermark(until - 1);
        assertThat(approvals()).containsExactly(fired);
        watermark(until);

        assertThat(approvals()).containsExactly(fired, asReminder(fired));
        assertThat(events())
                .endsWith(
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                fired.getRecommendationId(),
                                LifecycleState.DEFERRED,
                                LifecycleState.OPEN,
                                until),
                        tuple(
                                RecommendationEventKind.REMINDED,
                                fired.getRecommendationId(),
                                LifecycleState.OPEN,
                                LifecycleState.OPEN,
                                until));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void twoRulesSharingADueInstantKeepTheirTimerUntilBothMovedOn() throws Exception {
        Recommendation storage = firing(Rule.STORAGE_USAGE, FIRED);
        fire(fired);
        fire(storage);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        decide(fired, decision(fired, APPROVED, DECIDED));
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        decide(storage, decision(storage, APPROVED, DECIDED));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(REMINDER_DUE);
        assertThat(approvals()).containsExactly(fired, storage);
    }

    @Test
    void entriesAndTimersSurviveASnapshotAndRestore() throws Exception {
        fire(fired);
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        h = harness(snapshot);
        watermark(REMINDER_DUE);

        assertThat(approvals()).containsExactly(asReminder(fired));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aDecisionOnAnEntryThatIsGoneIsRejectedAndChangesNothing() throws Exception {
        decide(fired, decision(fired, APPROVED, DECIDED));

        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.DECISION_REJECTED,
                                fired.getRecommendationId(),
                                null,
                                LifecycleState.APPROVED,
                                DECIDED));
        assertThat(approvals()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
