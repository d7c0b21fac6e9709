package io.rightsizer.job.operators;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DAY;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.GIB;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.active;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.Tags;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** The lifecycle's escape for a timer or a record that fails unforeseen (docs/failures.md). */
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

    @Test
    void anInventoryRecordThatFailsIsOneFailedDeadLetterWithTheVmAndTheSubjectGoesOn()
            throws Exception {
        var h = LifecycleFunctionTest.harness(null);
        Recommendation r = weeklyAverage(FIRED);
        h.processElement1(LifecycleInput.firing(Lifecycle.subject(r), r), FIRED);
        h.processWatermark1(new Watermark(FIRED));
        // An effective instant past what milliseconds hold: decoding never yields one, and
        // taking it overflows.
        VmAllocation broken = active(32 * GIB, 100 * GIB);
        broken.setEffectiveAt(Instant.MAX);

        h.processElement2(broken, FIRED + DAY);
        h.processElement2(active(32 * GIB, 100 * GIB), FIRED + DAY + 1);
        h.processWatermark1(new Watermark(FIRED + DAY + 1));

        List<Rejected> failed =
                h.getSideOutput(Tags.FAILED).stream().map(StreamRecord::getValue).toList();
        assertThat(failed)
                .extracting(x -> x.reason, x -> x.vmId, x -> x.sampleTimestamp)
                .containsExactly(tuple(DeadLetterReason.FAILED, "vm-1", FIRED + DAY));
        assertThat(failed.get(0).message)
                .startsWith(
                        "lifecycle: inventory record of vm:vm-1:"
                                + " java.lang.ArithmeticException: long overflow\n\tat ");
        // The allocation cannot be encoded either (the same instant): the letter says so by an
        // empty payload; the VM's id finds it on the compacted inventory topic.
        assertThat(failed.get(0).payload).isEmpty();
        assertThat(HarnessCounters.recordsFailed(h, "lifecycle")).isEqualTo(1);
        // The subject started over: the open recommendation went, and the next record was
        // taken when the watermark reached it, with nothing left to apply it to.
        assertThat(h.numKeyedStateEntries()).isEqualTo(0);
        h.close();
    }
}
