package io.rightsizer.job.operators;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DAY;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECIDED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.REMINDER_DUE;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.WINDOW_END;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.deferral;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.LifecycleStage;
import io.rightsizer.job.Tags;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.VmAllocation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle state whose stored recommendation this release cannot decode (written by a schema it
 * does not know, or damaged): the reminder timer fires without an exception, the reminder is not
 * sent, the {@code state_entries_undecodable} counter counts it, and the entry goes on through its
 * state machine (decisions, expiry) as before.
 */
class LifecycleUndecodableStateTest {
    static final String SUBJECT = "vm:vm-1";

    final Recommendation fired = weeklyAverage(FIRED);
    final LifecycleFunction function = new LifecycleFunction(LifecycleStage.Settings.defaults());
    KeyedTwoInputStreamOperatorTestHarness<String, LifecycleInput, VmAllocation, Recommendation> h;

    void start(OperatorSubtaskState restoreFrom) throws Exception {
        h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(function),
                        new LifecycleStage.BySubject(),
                        new LifecycleStage.ByVmSubject(),
                        Types.STRING);
        h.setup();
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    /**
     * The entry of {@link #fired} as a release with another Recommendation schema would have left
     * it in a savepoint: its bytes carry a fingerprint no schema of this release has; then the
     * operator is restored from that snapshot.
     */
    void restoreWithAnUnknownWriterSchema() throws Exception {
        start(null);
        h.processElement1(LifecycleInput.firing(SUBJECT, fired), FIRED);
        h.processWatermark1(new Watermark(FIRED));
        MapState<String, LifecycleEntry> entries = entries();
        LifecycleEntry e = entries.get(fired.getRuleId());
        byte[] bytes = e.recommendation.clone();
        for (int i = 2; i < 10; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        e.recommendation = bytes;
        entries.put(fired.getRuleId(), e);
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();
        start(snapshot);
    }

    MapState<String, LifecycleEntry> entries() throws Exception {
        var op = h.getOperator();
        ((KeyedCoProcessOperator<?, ?, ?, ?>) op).setCurrentKey(SUBJECT);
        return ((KeyedCoProcessOperator<?, ?, ?, ?>) op)
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        Tags.lifecycleEntries());
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
                                        e.getFromState(),
                                        e.getToState(),
                                        e.getAt().toEpochMilli()));
                    });
        }
        return out;
    }

    @Test
    void aDueReminderOfAnUndecodableEntryIsCountedNotSentAndTheEntryStaysOpen() throws Exception {
        restoreWithAnUnknownWriterSchema();

        h.processWatermark1(new Watermark(REMINDER_DUE));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(events()).isEmpty();
        assertThat(function.undecodableEntries().getCount()).isEqualTo(1);
        LifecycleEntry e = entries().get(fired.getRuleId());
        assertThat(e)
                .extracting(x -> x.recommendationId, x -> x.state, x -> x.reminderDue)
                .containsExactly(
                        fired.getRecommendationId(), LifecycleState.OPEN, LifecycleEntry.NONE);
        // Only the end of the decision window is left; a later watermark does not retry.
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark1(new Watermark(REMINDER_DUE + DAY));
        assertThat(function.undecodableEntries().getCount()).isEqualTo(1);

        // Decisions still reach it.
        Decision approved = decision(fired, APPROVED, REMINDER_DUE + 2 * DAY);
        h.processElement1(
                LifecycleInput.decision(Lifecycle.subject(fired), fired.getRuleId(), approved),
                REMINDER_DUE + 2 * DAY);
        h.processWatermark1(new Watermark(REMINDER_DUE + 2 * DAY));
        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                LifecycleState.OPEN,
                                LifecycleState.APPROVED,
                                REMINDER_DUE + 2 * DAY));
        h.processWatermark1(new Watermark(REMINDER_DUE + 2 * DAY + (WINDOW_END - FIRED)));
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void theEndOfADeferralOfAnUndecodableEntryReopensItWithoutAReminder() throws Exception {
        long until = DECIDED + 7 * DAY;
        restoreWithAnUnknownWriterSchema();
        Decision deferred = deferral(fired, DECIDED, until);
        h.processElement1(
                LifecycleInput.decision(Lifecycle.subject(fired), fired.getRuleId(), deferred),
                DECIDED);

        h.processWatermark1(new Watermark(until));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(events())
                .containsExactly(
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                LifecycleState.OPEN,
                                LifecycleState.DEFERRED,
                                DECIDED),
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                LifecycleState.DEFERRED,
                                LifecycleState.OPEN,
                                until));
        assertThat(function.undecodableEntries().getCount()).isEqualTo(1);
        assertThat(entries().get(fired.getRuleId()).state).isEqualTo(LifecycleState.OPEN);
    }
}
