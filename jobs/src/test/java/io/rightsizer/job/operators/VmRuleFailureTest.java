package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.STORAGE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.feed;
import static io.rightsizer.job.operators.VmRuleFunctionTest.harness;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.withStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.testing.Samples;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * vm-rules' escape for a record that fails unforeseen (docs/failures.md): the record becomes one
 * FAILED dead letter with its coordinates, the VM starts over with no state or timer left, and the
 * operator goes on with the next records as if nothing happened.
 */
class VmRuleFailureTest {
    static final String BAD = "vm-bad";

    /**
     * A sample whose judgement throws, standing for any bug nobody foresaw: the evaluator asks it
     * for its CPU reading and gets an exception, once (the dead letter then encodes it normally).
     * The injection is the test's alone; the operator's code is the production code.
     */
    static final class Unjudgeable extends Sample {
        private int calls;

        @Override
        public boolean hasCpu() {
            if (calls++ == 0) {
                throw new IllegalStateException("injected: the judgement of this sample fails");
            }
            return super.hasCpu();
        }
    }

    static Sample unjudgeable(long ts) {
        Sample template = Samples.running(BAD, SYSTEM, ts, 50);
        Sample s = new Unjudgeable();
        s.vmId = template.vmId;
        s.systemId = template.systemId;
        s.unitId = template.unitId;
        s.timestamp = ts;
        s.memoryTotalBytes = template.memoryTotalBytes;
        s.memoryUsedBytes = template.memoryUsedBytes;
        s.storageTotalBytes = template.storageTotalBytes;
        s.storageUsedBytes = template.storageUsedBytes;
        s.cpuUtilizationPct = template.cpuUtilizationPct;
        s.sourcePartition = 2;
        s.sourceOffset = 17;
        return s;
    }

    static VmState stateOf(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            String vm)
            throws Exception {
        return RuleHarnesses.vmRules(h, vm);
    }

    @Test
    void aSampleWhoseJudgementFailsIsOneFailedDeadLetterAndTheOtherVmsAreJudged() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, unjudgeable(T));
            feed(h, withStorage(Samples.running(VM, SYSTEM, T, 50), 75));

            h.processWatermark(T);

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getVmId)
                    .containsExactly(tuple(STORAGE, VM));
            assertThat(side(h, Tags.FAILED))
                    .extracting(
                            r -> r.reason,
                            r -> r.vmId,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.sampleTimestamp)
                    .containsExactly(tuple(DeadLetterReason.FAILED, BAD, SOURCE, 2, 17L, T));
            Rejected letter = side(h, Tags.FAILED).get(0);
            assertThat(letter.message)
                    .startsWith(
                            "vm-rules: timer of vm-bad at 2026-03-03T02:00:00Z, judging its sample"
                                    + " at 2026-03-03T02:00:00Z: java.lang.IllegalStateException:"
                                    + " injected: the judgement of this sample fails\n"
                                    + "\tat ");
            assertThat(letter.message.length()).isLessThanOrEqualTo(RecordFailures.MAX_MESSAGE);
            // The sample itself, so the letter can be replayed once the cause is fixed.
            assertThat(io.rightsizer.telemetry.SampleCodec.decode(letter.payload))
                    .extracting(x -> x.vmId, x -> x.timestamp)
                    .containsExactly(BAD, T);
            // The failed VM has no state and no timer left; the healthy one keeps its record (its
            // rules' state and bookkeeping), and its one wake-up (its week's close).
            assertThat(stateOf(h, BAD)).isNull();
            assertThat(stateOf(h, VM)).isNotNull();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void theFailedVmStartsOverAndItsNextSampleIsJudged() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, unjudgeable(T));
            h.processWatermark(T);
            Sample next = withStorage(Samples.running(BAD, SYSTEM, T + HOUR, 50), 75);
            feed(h, next);

            h.processWatermark(T + HOUR);

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getVmId)
                    .containsExactly(tuple(STORAGE, BAD));
            assertThat(side(h, Tags.FAILED)).hasSize(1);
            assertThat(side(h, Tags.LATE)).isEmpty();
        }
    }

    @Test
    void anInventoryRecordThatFailsIsOneFailedDeadLetterAndClearsTheVm() throws Exception {
        try (var h = harness(RETENTION)) {
            feed(h, Samples.running(VM, SYSTEM, T, 50));
            VmAllocation broken = VmInventoryTest.sized(32 * GIB, 200 * GIB);
            // An inventory record its deserializer would refuse: no protection-window list.
            broken.setProtectionWindows(null);

            VmInput in = VmInput.of(broken, T + 5);
            in.sourceTopic = "vm-inventory";
            in.sourcePartition = 1;
            in.sourceOffset = 12;

            h.processElement(in, T + 5);
            feed(h, Samples.running("vm-2", SYSTEM, T, 50));

            assertThat(side(h, Tags.FAILED))
                    .extracting(
                            r -> r.reason,
                            r -> r.vmId,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.sampleTimestamp)
                    .containsExactly(
                            tuple(DeadLetterReason.FAILED, VM, "vm-inventory", 1, 12L, T + 5));
            assertThat(HarnessCounters.recordsFailed(h, "vm-rules")).isEqualTo(1);
            assertThat(side(h, Tags.FAILED).get(0).message)
                    .startsWith(
                            "vm-rules: inventory record of vm-1: java.lang.NullPointerException");
            // The VM's pending sample went with its state, and its timer with it: vm-2's is left
            // (its bookkeeping, with its buffered sample in it: VmWakeUp.lone).
            assertThat(stateOf(h, VM)).isNull();
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }
}
