package io.rightsizer.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.ingest.Quantity;
import io.rightsizer.ingest.Reading;
import io.rightsizer.job.CollectorStage;
import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.testing.Allocations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * assemble-collected in a harness: buckets closed by the timer at e − H, late readings, a VM the
 * inventory does not know yet held until its allocation or dropped at e, and no state or timer left
 * behind.
 */
class AssembleCollectedTest {
    static final long H = Duration.ofMinutes(5).toMillis();
    static final long I = 10_000;

    /** The end of an interval: 2026-12-04T14:30:10Z. */
    static final long E = 1_796_394_610_000L;

    static final long GIB = 1L << 30;

    KeyedTwoInputStreamOperatorTestHarness<String, Reading, VmInput, Ingested> h;

    void start(Duration wait) throws Exception {
        h =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new AssembleCollected(wait),
                        new CollectorStage.ReadingByVm(),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING);
        // The inventory source is idle in the job: event time is the collectors'.
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static Reading reading(String vm, long ts, Quantity q, String instance, double v) {
        return Reading.of(vm, ts, I, "collectd", q, instance, v);
    }

    /** Memory 4 GiB used of 16 GiB, as the memory plugin sends it, stamped {@code ts}. */
    void memory(String vm, long ts, long usedGib) throws Exception {
        read(reading(vm, ts, Quantity.MEMORY_USED_BYTES, "", usedGib * GIB));
        read(reading(vm, ts, Quantity.MEMORY_PART_BYTES, "free", (16 - usedGib) * GIB));
    }

    void read(Reading r) throws Exception {
        h.processElement1(r, r.timestamp);
    }

    void allocate(String vm) throws Exception {
        h.processElement2(VmInput.of(Allocations.active(vm, "sys-1").build(), 0L), 0L);
    }

    void watermark(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
    }

    List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Ingested i : h.extractOutputValues()) {
            if (i.sample != null) {
                out.add(i.sample);
            }
        }
        return out;
    }

    List<Object> letters() {
        List<Object> out = new ArrayList<>();
        for (Ingested i : h.extractOutputValues()) {
            if (i.rejected != null) {
                out.add(
                        tuple(
                                i.rejected.reason,
                                i.rejected.vmId,
                                i.rejected.sampleTimestamp,
                                i.rejected.message));
            }
        }
        return out;
    }

    @Test
    void aKnownVmsIntervalIsEmittedStampedByItsEndWhenTheWatermarkReachesEndMinusTheWait()
            throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        memory("vm-1", E - 3_000, 4);

        watermark(E - H - 1);
        assertThat(samples()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(E - H);

        assertThat(samples())
                .extracting(
                        s -> s.vmId,
                        s -> s.systemId,
                        s -> s.unitId,
                        s -> s.timestamp,
                        s -> s.memoryUsedBytes,
                        s -> s.memoryTotalBytes)
                .containsExactly(tuple("vm-1", "sys-1", "unit-1", E, 4 * GIB, 16 * GIB));
        assertThat(h.numEventTimeTimers()).isZero();
        // Only the allocation's fields are left.
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void theSampleLeavesStampedEBeforeTheWatermarkThatClosedItAndAboveIt() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        memory("vm-1", E - 3_000, 4);

        watermark(E - H);

        List<Object> out = new ArrayList<>(h.getOutput());
        assertThat(out).hasSize(2);
        assertThat(((StreamRecord<?>) out.get(0)).getTimestamp()).isEqualTo(E);
        assertThat(out.get(1)).isEqualTo(new Watermark(E - H));
    }

    @Test
    void aValueExactlyOnTheEndIsInThatIntervalAndOneMillisecondLaterInTheNext() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        memory("vm-1", E, 4);
        memory("vm-1", E + 1, 6);

        watermark(E + I - H);

        assertThat(samples())
                .extracting(s -> s.timestamp, s -> s.memoryUsedBytes)
                .containsExactly(tuple(E, 4 * GIB), tuple(E + I, 6 * GIB));
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRetriedValueReplacesTheEarlierOne() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        memory("vm-1", E - 3_000, 4);
        read(reading("vm-1", E - 2_000, Quantity.MEMORY_USED_BYTES, "", 5 * GIB));

        watermark(E - H);

        assertThat(samples())
                .extracting(s -> s.memoryUsedBytes, s -> s.memoryTotalBytes)
                .containsExactly(tuple(5 * GIB, 17 * GIB));
    }

    @Test
    void aValueForAClosedIntervalIsALateDeadLetterAndTheNextIntervalStillOpen() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        watermark(E - H);

        read(reading("vm-1", E - 3_000, Quantity.MEMORY_USED_PCT, "", 50));
        read(reading("vm-1", E + 1, Quantity.MEMORY_USED_PCT, "", 60));

        assertThat(letters())
                .containsExactly(
                        tuple(
                                DeadLetterReason.LATE,
                                "vm-1",
                                E,
                                "vm vm-1: collectd value of the interval ending"
                                        + " 2026-12-04T14:30:10Z arrived after the interval was"
                                        + " closed (the collectors' watermark"
                                        + " 2026-12-04T14:25:10Z had passed its end −"
                                        + " ingest.inventory-wait)"));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        watermark(E + I - H);
        assertThat(samples())
                .extracting(s -> s.timestamp, s -> s.memoryUsedBytes)
                .containsExactly(tuple(E + I, Allocations.MEMORY * 60 / 100));
    }

    @Test
    void anUnknownVmsSampleIsHeldAndReleasedWhenItsAllocationArrivesBeforeTheEnd()
            throws Exception {
        start(Duration.ofMillis(H));
        read(reading("vm-2", E - 3_000, Quantity.MEMORY_USED_PCT, "", 25));

        watermark(E - H);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(E - 1);
        allocate("vm-2");

        assertThat(samples())
                .extracting(s -> s.vmId, s -> s.timestamp, s -> s.memoryUsedBytes)
                .containsExactly(tuple("vm-2", E, Allocations.MEMORY / 4));
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void anUnknownVmsSampleIsADeadLetterWhenTheWatermarkReachesTheEnd() throws Exception {
        start(Duration.ofMillis(H));
        memory("vm-3", E - 3_000, 4);
        watermark(E - H);

        watermark(E);

        assertThat(letters())
                .containsExactly(
                        tuple(
                                DeadLetterReason.INVALID,
                                "vm-3",
                                E,
                                "vm vm-3 is not in the inventory (kafka.topics.inventory);"
                                        + " collectd sample of interval ending"
                                        + " 2026-12-04T14:30:10Z held for ingest.inventory-wait"
                                        + " (PT5M) and dropped"));
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isZero();
        // An allocation arriving afterwards finds nothing to release.
        allocate("vm-3");
        assertThat(samples()).isEmpty();
    }

    @Test
    void withoutAWaitAnUnknownVmsSampleIsDroppedWhenItsIntervalCloses() throws Exception {
        start(Duration.ZERO);
        memory("vm-3", E - 3_000, 4);

        watermark(E);

        assertThat(letters())
                .extracting(t -> ((org.assertj.core.groups.Tuple) t).toList().get(0))
                .containsExactly(DeadLetterReason.INVALID);
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void anIntervalThatGivesNothingIsADeadLetterNamingWhatArrived() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        read(reading("vm-1", E - 3_000, Quantity.STORAGE_FREE_BYTES, "root", 7));

        watermark(E - H);

        assertThat(letters())
                .containsExactly(
                        tuple(
                                DeadLetterReason.INVALID,
                                "vm-1",
                                E,
                                "vm vm-1: the values of the interval ending 2026-12-04T14:30:10Z"
                                        + " give no memory, storage, CPU or power state"
                                        + " (collectd: STORAGE_FREE_BYTES[root]=7.0)"));
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void pluginsWithDifferentIntervalsEndingTogetherMakeOneSample() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        read(Reading.of("vm-1", E - 7_000, 10_000, "collectd", Quantity.MEMORY_USED_PCT, "", 50));
        read(Reading.of("vm-1", E - 1_000, 2_000, "collectd", Quantity.CPU_IDLE_PCT, "", 80));

        watermark(E - H);

        assertThat(samples())
                .extracting(s -> s.timestamp, s -> s.memoryUsedBytes, s -> s.cpuUtilizationPct)
                .containsExactly(tuple(E, Allocations.MEMORY / 2, 20.0));
    }

    @Test
    void eachVmIsAssembledOnItsOwn() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        allocate("vm-2");
        memory("vm-1", E - 3_000, 4);
        memory("vm-2", E - 3_000, 8);

        watermark(E - H);

        assertThat(samples())
                .extracting(s -> s.vmId, s -> s.memoryUsedBytes)
                .containsExactlyInAnyOrder(tuple("vm-1", 4 * GIB), tuple("vm-2", 8 * GIB));
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aFailureIsAFailedDeadLetterAndTheVmStartsOver() throws Exception {
        start(Duration.ofMillis(H));
        allocate("vm-1");
        // A reading no decoder makes: assembling it throws.
        read(reading("vm-1", E - 3_000, null, "", 1));

        watermark(E - H);

        assertThat(letters())
                .extracting(t -> ((org.assertj.core.groups.Tuple) t).toList().subList(0, 3))
                .containsExactly(List.of(DeadLetterReason.FAILED, "vm-1", E - H));
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        memory("vm-1", E + 1, 4);
        watermark(E + I - H);
        assertThat(samples()).extracting(s -> s.timestamp).containsExactly(E + I);
    }
}
