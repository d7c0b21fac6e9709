package io.rightsizer.job.operators;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.ALICE;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DAY;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECIDED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECISION_WINDOW;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.WINDOW_END;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.deferral;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.LifecycleStage;
import io.rightsizer.job.Tags;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decision router on Flink's keyed two-input harness: ids learnt from firings, decisions routed
 * to their subject, unknown ids held until the watermark reaches their decidedAt, the decision
 * window, and state and timers gone when an id is forgotten.
 */
class DecisionRouterTest {
    static final String SUBJECT = "vm:vm-1";

    final Recommendation fired = weeklyAverage(FIRED);
    final String id = fired.getRecommendationId();

    KeyedTwoInputStreamOperatorTestHarness<String, Recommendation, DecisionInput, LifecycleInput> h;

    @BeforeEach
    void setUp() throws Exception {
        h =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new DecisionRouter(DECISION_WINDOW),
                        new LifecycleStage.ByRecommendationId(),
                        new LifecycleStage.ByDecisionKey(),
                        Types.STRING);
        // The decisions source is idle-marked in the job: event time is the firings'.
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    void fire(Recommendation r) throws Exception {
        h.processElement1(r, r.getFiredAt().toEpochMilli());
    }

    void decide(Decision d) throws Exception {
        h.processElement2(DecisionInput.of(d), d.getDecidedAt().toEpochMilli());
    }

    void watermark(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
    }

    List<Object> routed() {
        List<Object> out = new ArrayList<>();
        for (LifecycleInput in : h.extractOutputValues()) {
            out.add(
                    tuple(
                            in.subject,
                            in.ruleId,
                            in.firing != null ? in.firing.getRecommendationId() : null,
                            in.decision));
        }
        return out;
    }

    List<RecommendationEvent> rejected() {
        List<RecommendationEvent> out = new ArrayList<>();
        var q = h.getSideOutput(Tags.LIFECYCLE_EVENTS);
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void aFiringIsPassedOnWithItsSubjectAndItsIdRemembered() throws Exception {
        fire(fired);

        assertThat(routed()).containsExactly(tuple(SUBJECT, fired.getRuleId(), id, null));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aDecisionOnAKnownIdIsRoutedWhenTheWatermarkReachesItsDecidedAt() throws Exception {
        fire(fired);
        Decision d = decision(fired, APPROVED, DECIDED);

        decide(d);
        watermark(DECIDED - 1);
        assertThat(routed()).hasSize(1);
        watermark(DECIDED);

        assertThat(routed())
                .containsExactly(
                        tuple(SUBJECT, fired.getRuleId(), id, null),
                        tuple(SUBJECT, fired.getRuleId(), null, d));
        assertThat(rejected()).isEmpty();
    }

    @Test
    void aDecisionAheadOfItsFiringIsRoutedOnceTheWatermarkReachesIt() throws Exception {
        Decision d = decision(fired, APPROVED, DECIDED);
        decide(d);
        assertThat(routed()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        fire(fired);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        watermark(DECIDED);

        assertThat(routed())
                .containsExactly(
                        tuple(SUBJECT, fired.getRuleId(), id, null),
                        tuple(SUBJECT, fired.getRuleId(), null, d));
        // The hold's timer gave way to the one that forgets the id, a window after the decision.
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        watermark(DECIDED + 180 * DAY - 1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        watermark(DECIDED + 180 * DAY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anUnknownIdIsRejectedWhenTheWatermarkReachesItsDecidedAt() throws Exception {
        decide(decision("no-such-id", APPROVED, DECIDED));

        watermark(DECIDED - 1);
        assertThat(rejected()).isEmpty();
        watermark(DECIDED);

        assertThat(rejected())
                .extracting(
                        RecommendationEvent::getKind,
                        RecommendationEvent::getRecommendationId,
                        RecommendationEvent::getRuleId,
                        RecommendationEvent::getToState,
                        RecommendationEvent::getBy,
                        RecommendationEvent::getReason)
                .containsExactly(
                        tuple(
                                RecommendationEventKind.DECISION_REJECTED,
                                "no-such-id",
                                null,
                                LifecycleState.APPROVED,
                                ALICE,
                                "decision rejected: unknown recommendationId: no recommendation"
                                        + " with this id fired before "
                                        + Instant.ofEpochMilli(DECIDED)
                                        + ", or its decision window has ended"));
        assertThat(routed()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anUnknownIdDecidedAtOrBehindTheWatermarkIsRejectedAtOnce() throws Exception {
        watermark(DECIDED);

        decide(decision("no-such-id", APPROVED, DECIDED));

        assertThat(rejected()).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void theIdIsForgottenAtTheEndOfItsDecisionWindow() throws Exception {
        fire(fired);
        watermark(WINDOW_END - 1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);

        watermark(WINDOW_END);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        decide(decision(fired, APPROVED, WINDOW_END));
        assertThat(rejected())
                .extracting(RecommendationEvent::getRuleId)
                .containsExactly((String) null);
    }

    @Test
    void aDecisionAtTheWindowEndIsRejectedAsTooLate() throws Exception {
        fire(fired);

        decide(decision(fired, APPROVED, WINDOW_END));
        watermark(WINDOW_END);

        assertThat(rejected())
                .extracting(RecommendationEvent::getRuleId, RecommendationEvent::getReason)
                .containsExactly(
                        tuple(
                                fired.getRuleId(),
                                "decision rejected: decided at "
                                        + Instant.ofEpochMilli(WINDOW_END)
                                        + ", after the decision window of this recommendation"
                                        + " ended at "
                                        + Instant.ofEpochMilli(WINDOW_END)));
        assertThat(routed()).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aDeferralKeepsTheIdADecisionWindowBeyondDeferUntil() throws Exception {
        fire(fired);
        long until = FIRED + 200 * DAY;
        decide(deferral(fired, DECIDED, until));

        watermark(WINDOW_END);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        decide(decision(fired, APPROVED, until + DAY));
        watermark(until + DAY);

        assertThat(rejected()).isEmpty();
        assertThat(routed()).hasSize(3);
        watermark(until + DAY + 180 * DAY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aDeferralToTheEndOfTimeKeepsTheIdInsteadOfOverflowing() throws Exception {
        fire(fired);
        decide(deferral(fired, DECIDED, Long.MAX_VALUE));

        watermark(WINDOW_END + 1000 * DAY);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        decide(decision(fired, APPROVED, WINDOW_END + 1000 * DAY + 1));
        watermark(WINDOW_END + 1000 * DAY + 1);

        assertThat(rejected()).isEmpty();
        assertThat(routed()).hasSize(3);
    }

    @Test
    void anUndecodableRecordIsRejectedUnderItsKeyWithoutState() throws Exception {
        h.processElement2(
                DecisionInput.undecodable("not a Decision: bad header", "k-1", FIRED), FIRED);

        assertThat(rejected())
                .extracting(
                        RecommendationEvent::getKind,
                        RecommendationEvent::getRecommendationId,
                        RecommendationEvent::getAt,
                        RecommendationEvent::getReason)
                .containsExactly(
                        tuple(
                                RecommendationEventKind.DECISION_REJECTED,
                                "k-1",
                                Instant.ofEpochMilli(FIRED),
                                "decision rejected: not a Decision: bad header"));
        assertThat(h.numKeyedStateEntries()).isZero();
    }
}
