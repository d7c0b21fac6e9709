package io.rightsizer.job.operators;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECISION_WINDOW;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.LifecycleStage;
import io.rightsizer.job.Tags;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The decision router's escape for a record that fails unforeseen (docs/failures.md). */
class DecisionRouterFailureTest {
    @Test
    void aFiringThatFailsIsOneFailedDeadLetterAndTheNextFiringIsRouted() throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<
                        String, Recommendation, DecisionInput, LifecycleInput>
                h =
                        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                                new DecisionRouter(DECISION_WINDOW),
                                new LifecycleStage.ByRecommendationId(),
                                new LifecycleStage.ByDecisionKey(),
                                Types.STRING);
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
        Recommendation broken = weeklyAverage(FIRED);
        // The rules never send a firing without firedAt; the router dereferences it.
        broken.put(broken.getSchema().getField("firedAt").pos(), null);
        Recommendation next = weeklyAverage(FIRED + 1000);

        h.processElement1(broken, FIRED);
        h.processElement1(next, FIRED + 1000);

        List<Rejected> failed =
                h.getSideOutput(Tags.FAILED).stream().map(StreamRecord::getValue).toList();
        assertThat(failed)
                .extracting(r -> r.reason, r -> r.vmId, r -> r.sampleTimestamp)
                .containsExactly(tuple(DeadLetterReason.FAILED, "vm-1", Long.MIN_VALUE));
        assertThat(failed.get(0).message)
                .startsWith(
                        "decision-router: firing "
                                + broken.getRecommendationId()
                                + ": java.lang.NullPointerException");
        // A firing that cannot be encoded either leaves the payload empty.
        assertThat(failed.get(0).payload).isEmpty();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.extractOutputValues())
                .extracting(in -> in.firing.getFiredAt().toEpochMilli())
                .containsExactly(FIRED + 1000);
        h.close();
    }
}
