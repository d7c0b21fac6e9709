package io.rightsizer.job;

import static io.rightsizer.rules.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.LifecycleFixtures.weeklyAverage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.Lifecycle;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** The lifecycle's escape for a timer that fails unforeseen (docs/failures.md). */
class LifecycleFailureTest {
    @Test
    void aTimerThatFailsIsOneFailedDeadLetterAndTheSubjectGoesOn() throws Exception {
        var h = LifecycleFunctionTest.harness(null);
        Recommendation r = weeklyAverage(FIRED);
        LifecycleInput broken = LifecycleInput.firing(Lifecycle.subject(r), r);
        // A firing input without its firing: the router never sends one; taking it throws.
        broken.firing = null;
        h.processElement1(broken, FIRED);

        h.processWatermark1(new Watermark(FIRED));

        List<Rejected> failed =
                h.getSideOutput(Tags.FAILED).stream().map(StreamRecord::getValue).toList();
        assertThat(failed)
                .extracting(x -> x.reason, x -> x.sampleTimestamp)
                .containsExactly(tuple(DeadLetterReason.FAILED, FIRED));
        assertThat(failed.get(0).message)
                .startsWith("lifecycle: timer of vm:vm-1 at ")
                .contains(": java.lang.NullPointerException");
        assertThat(h.numKeyedStateEntries()).isEqualTo(0);

        // The subject's next firing opens a recommendation as if nothing happened.
        Recommendation later = weeklyAverage(FIRED + 1000);
        h.processElement1(LifecycleInput.firing(Lifecycle.subject(later), later), FIRED + 1000);
        h.processWatermark1(new Watermark(FIRED + 1000));
        assertThat(h.extractOutputValues())
                .extracting(Recommendation::getRecommendationId)
                .containsExactly(later.getRecommendationId());
        h.close();
    }
}
