package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Quantity;
import io.rightsizer.ingest.Reading;
import io.rightsizer.job.Tags;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The escape of the routers in front of the keyed streams (docs/failures.md): a record a router
 * fails on becomes one FAILED dead letter with its coordinates and is counted, and the next record
 * goes through, with no exception out of the operator.
 *
 * <p>What fails here is a rejection without a reason, which the deserializers never produce: the
 * router counts rejections by reason and throws on it, standing for any bug nobody foresaw.
 */
class RouterFailureTest {
    static final String INVENTORY = "vm-inventory";
    static final byte[] RAW = "raw bytes".getBytes(StandardCharsets.UTF_8);

    /** A rejection as a deserializer makes it, but without its reason. */
    static Rejected withoutReason(String topic, int partition, long offset) {
        Rejected r = Rejected.of(DeadLetterReason.INVALID, "a problem", RAW);
        r.reason = null;
        r.sourceTopic = topic;
        r.sourcePartition = partition;
        r.sourceOffset = offset;
        r.vmId = "vm-9";
        r.sampleTimestamp = T;
        return r;
    }

    static List<Rejected> failed(OneInputStreamOperatorTestHarness<?, ?> h) {
        var q = h.getSideOutput(Tags.FAILED);
        return q == null
                ? List.of()
                : q.stream().map(r -> ((StreamRecord<Rejected>) r).getValue()).toList();
    }

    @Test
    void aSampleRecordTheRouterFailsOnIsAFailedLetterAndTheNextSampleGoesThrough()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<Ingested, Sample> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new IngestRouter(SOURCE))) {
            Sample next = Samples.running(VM, SYSTEM, T + 1, 50);

            assertThatCode(
                            () -> {
                                h.processElement(
                                        Ingested.rejected(withoutReason(SOURCE, 3, 41)), T);
                                h.processElement(Ingested.of(next), T + 1);
                            })
                    .doesNotThrowAnyException();

            assertThat(failed(h))
                    .extracting(
                            r -> r.reason,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.vmId,
                            r -> r.sampleTimestamp,
                            r -> r.payloadSize)
                    .containsExactly(tuple(DeadLetterReason.FAILED, SOURCE, 3, 41L, "vm-9", T, 9L));
            assertThat(failed(h).get(0).payload).isEqualTo(RAW);
            assertThat(failed(h).get(0).message)
                    .startsWith(
                            "route-samples: record rejected as null:"
                                    + " java.lang.NullPointerException");
            assertThat(HarnessCounters.recordsFailed(h, "route-samples")).isEqualTo(1);
            assertThat(h.extractOutputValues()).containsExactly(next);
            assertThat(h.getSideOutput(Tags.REJECTED)).isNull();
        }
    }

    @Test
    void anInventoryRecordTheRouterFailsOnIsAFailedLetterAndTheNextRecordGoesThrough()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<VmInput, VmInput> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new InventoryRouter())) {
            VmInput next = VmInput.of(Allocations.active(VM, SYSTEM).build(), T + 1);
            next.sourceTopic = INVENTORY;
            next.sourcePartition = 0;
            next.sourceOffset = 8;

            assertThatCode(
                            () -> {
                                h.processElement(
                                        VmInput.rejected(withoutReason(INVENTORY, 0, 7)), T);
                                h.processElement(next, T + 1);
                            })
                    .doesNotThrowAnyException();

            assertThat(failed(h))
                    .extracting(
                            r -> r.reason,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.vmId)
                    .containsExactly(tuple(DeadLetterReason.FAILED, INVENTORY, 0, 7L, "vm-9"));
            assertThat(failed(h).get(0).message)
                    .startsWith(
                            "route-inventory: inventory record rejected as null:"
                                    + " java.lang.NullPointerException");
            assertThat(HarnessCounters.recordsFailed(h, "route-inventory")).isEqualTo(1);
            // As Flink's serializer copied it: the coordinates travel with the record.
            assertThat(h.extractOutputValues())
                    .extracting(
                            i -> i.allocation,
                            i -> i.sourceTopic,
                            i -> i.sourcePartition,
                            i -> i.sourceOffset)
                    .containsExactly(tuple(next.allocation, INVENTORY, 0, 8L));
        }
    }

    @Test
    void aCollectorRecordTheRouterFailsOnIsAFailedLetterNamingTheCollectorsRoute()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<Collected, Reading> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new CollectorRouter("telegraf"))) {
            Reading next =
                    Reading.of(
                            VM, T + 1, 10_000, "telegraf-line", Quantity.MEMORY_USED_BYTES, "", 5);

            assertThatCode(
                            () -> {
                                h.processElement(
                                        Collected.rejected(withoutReason("telegraf", 2, 17)), T);
                                h.processElement(Collected.of(next), T + 1);
                            })
                    .doesNotThrowAnyException();

            assertThat(failed(h))
                    .extracting(
                            r -> r.reason,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.vmId,
                            r -> r.sampleTimestamp)
                    .containsExactly(tuple(DeadLetterReason.FAILED, "telegraf", 2, 17L, "vm-9", T));
            assertThat(failed(h).get(0).payload).isEqualTo(RAW);
            assertThat(failed(h).get(0).message)
                    .startsWith(
                            "route-telegraf: record rejected as null:"
                                    + " java.lang.NullPointerException");
            assertThat(HarnessCounters.recordsFailed(h, "route-telegraf")).isEqualTo(1);
            assertThat(h.extractOutputValues()).containsExactly(next);
            assertThat(h.getSideOutput(Tags.REJECTED)).isNull();
        }
    }

    @Test
    void theLetterOfAFailedCollectorValueCarriesItsVmTimeAndTheValueAsText() {
        Reading r = Reading.of(VM, T, 10_000, "collectd", Quantity.MEMORY_USED_BYTES, "", 5);

        Rejected letter = RecordFailures.ofReading(r);

        assertThat(letter)
                .extracting(x -> x.sourceTopic, x -> x.vmId, x -> x.sampleTimestamp)
                .containsExactly(null, VM, T);
        assertThat(new String(letter.payload, StandardCharsets.UTF_8))
                .isEqualTo("collectd " + VM + "@" + T + "/10000 MEMORY_USED_BYTES=5.0");
    }

    @Test
    void theLetterOfAFailedInventoryRecordCarriesItsCoordinatesAndTheAllocation() {
        VmAllocation a = Allocations.active(VM, SYSTEM).build();
        VmInput in = VmInput.of(a, T);
        in.sourceTopic = INVENTORY;
        in.sourcePartition = 1;
        in.sourceOffset = 12;

        Rejected r = RecordFailures.ofInventory(in, VM);

        assertThat(r)
                .extracting(
                        x -> x.sourceTopic,
                        x -> x.sourcePartition,
                        x -> x.sourceOffset,
                        x -> x.vmId,
                        x -> x.sampleTimestamp)
                .containsExactly(INVENTORY, 1, 12L, VM, T);
        // The allocation as it can be produced again on the inventory topic.
        assertThat(SingleObject.reader(VmAllocation.class).read(r.payload)).isEqualTo(a);
    }
}
