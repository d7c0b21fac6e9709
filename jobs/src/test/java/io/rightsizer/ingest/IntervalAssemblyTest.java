package io.rightsizer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.ingest.IntervalAssembly.Allocation;
import io.rightsizer.ingest.IntervalAssembly.Bucket;
import io.rightsizer.model.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One VM's readings of one interval into one sample: the bucket, each derivation, the edges. */
class IntervalAssemblyTest {
    static final long E = 1_796_362_212_000L;
    static final long I = 2_000;
    static final long GIB = 1L << 30;
    static final Allocation VM = new Allocation("sys-1", "unit-1", 16 * GIB);

    static Reading r(Quantity q, String instance, double v) {
        return Reading.of("vm-1", E - 500, I, "collectd", q, instance, v);
    }

    static Sample sample(Allocation vm, Reading... readings) {
        IntervalAssembly.Result res = IntervalAssembly.assemble("vm-1", E, List.of(readings), vm);
        assertThat(res.problem()).isNull();
        return res.sample();
    }

    static String problem(Allocation vm, Reading... readings) {
        IntervalAssembly.Result res = IntervalAssembly.assemble("vm-1", E, List.of(readings), vm);
        assertThat(res.sample()).isNull();
        return res.problem();
    }

    // ---------------------------------------------------------------- the bucket

    @Test
    void aValueExactlyOnTheEndBelongsToThatInterval() {
        assertThat(IntervalAssembly.intervalEnd(E, I)).isEqualTo(E);
    }

    @Test
    void aValueOneMillisecondAfterTheEndBelongsToTheNext() {
        assertThat(IntervalAssembly.intervalEnd(E + 1, I)).isEqualTo(E + I);
    }

    @Test
    void aValueInsideAnIntervalBelongsToItsEnd() {
        assertThat(IntervalAssembly.intervalEnd(E - I + 1, I)).isEqualTo(E);
        assertThat(IntervalAssembly.intervalEnd(1_796_362_210_531L, I)).isEqualTo(E);
    }

    @Test
    void valuesOfPluginsWithDifferentIntervalsThatEndTogetherShareTheBucket() {
        // 10 s and 2 s intervals both end at E (a multiple of 10 s).
        long e = 1_796_362_220_000L;
        assertThat(IntervalAssembly.intervalEnd(e - 7_000, 10_000)).isEqualTo(e);
        assertThat(IntervalAssembly.intervalEnd(e - 1_000, 2_000)).isEqualTo(e);
    }

    @Test
    void theLaterOfTwoValuesOfOneQuantityAndInstanceWins() {
        Bucket b = new Bucket();
        b.add(r(Quantity.MEMORY_PART_BYTES, "free", 1));
        b.add(r(Quantity.MEMORY_PART_BYTES, "cached", 2));
        b.add(r(Quantity.MEMORY_PART_BYTES, "free", 3));

        assertThat(b.readings())
                .containsExactly(
                        r(Quantity.MEMORY_PART_BYTES, "free", 3),
                        r(Quantity.MEMORY_PART_BYTES, "cached", 2));
    }

    // ---------------------------------------------------------------- memory

    @Test
    void memoryPluginAbsoluteValuesGiveUsedAndUsedPlusEveryPartAsTotal() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.MEMORY_USED_BYTES, "", 1000),
                        r(Quantity.MEMORY_PART_BYTES, "free", 500),
                        r(Quantity.MEMORY_PART_BYTES, "buffered", 100),
                        r(Quantity.MEMORY_PART_BYTES, "cached", 300),
                        r(Quantity.MEMORY_PART_BYTES, "slab_recl", 60),
                        r(Quantity.MEMORY_PART_BYTES, "slab_unrecl", 40));

        assertThat(s.memoryUsedBytes).isEqualTo(1000);
        assertThat(s.memoryTotalBytes).isEqualTo(2000);
        assertThat(s.vmId).isEqualTo("vm-1");
        assertThat(s.systemId).isEqualTo("sys-1");
        assertThat(s.unitId).isEqualTo("unit-1");
        assertThat(s.timestamp).isEqualTo(E);
        assertThat(s.stopped).isFalse();
        assertThat(s.hasStorage()).isFalse();
        assertThat(s.hasCpu()).isFalse();
    }

    @Test
    void withoutTheFreePartTheTotalIsUnknownAndPercentagesDoNotStandInForIt() {
        String p =
                problem(
                        VM,
                        r(Quantity.MEMORY_USED_BYTES, "", 1000),
                        r(Quantity.MEMORY_PART_BYTES, "cached", 300),
                        r(Quantity.MEMORY_USED_PCT, "", 50));

        assertThat(p)
                .isEqualTo(
                        "vm vm-1: the values of the interval ending 2026-12-04T05:30:12Z give no"
                                + " memory, storage, CPU or power state (collectd:"
                                + " MEMORY_USED_BYTES=1000.0, MEMORY_PART_BYTES[cached]=300.0,"
                                + " MEMORY_USED_PCT=50.0)");
    }

    @Test
    void onlyAPercentageTakesTheTotalFromTheAllocation() {
        Sample s = sample(VM, r(Quantity.MEMORY_USED_PCT, "", 25));

        assertThat(s.memoryTotalBytes).isEqualTo(16 * GIB);
        assertThat(s.memoryUsedBytes).isEqualTo(4 * GIB);
    }

    @Test
    void aPercentageRoundedAbove100CountsAs100() {
        Sample s = sample(VM, r(Quantity.MEMORY_USED_PCT, "", 100.05));

        assertThat(s.memoryUsedBytes).isEqualTo(16 * GIB);
    }

    @Test
    void onlyAPercentageWithoutAnAllocationGivesNoMemory() {
        String p = problem(null, r(Quantity.MEMORY_USED_PCT, "", 25));

        assertThat(p).contains("give no memory, storage, CPU or power state");
    }

    @Test
    void theVirtPluginsAvailableMemoryMinusUnusedIsUsed() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.MEMORY_TOTAL_BYTES, "total", 16 * GIB),
                        r(Quantity.MEMORY_TOTAL_BYTES, "available", 15 * GIB),
                        r(Quantity.MEMORY_UNUSED_BYTES, "", 5 * GIB));

        assertThat(s.memoryTotalBytes).isEqualTo(15 * GIB);
        assertThat(s.memoryUsedBytes).isEqualTo(10 * GIB);
    }

    @Test
    void theDomainsTotalServesWhenTheBalloonGivesNoAvailableMemory() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.MEMORY_TOTAL_BYTES, "total", 16 * GIB),
                        r(Quantity.MEMORY_UNUSED_BYTES, "", 4 * GIB));

        assertThat(s.memoryTotalBytes).isEqualTo(16 * GIB);
        assertThat(s.memoryUsedBytes).isEqualTo(12 * GIB);
    }

    @Test
    void aTotalWithoutUsedOrUnusedGivesNoMemory() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.MEMORY_TOTAL_BYTES, "total", 16 * GIB),
                        r(Quantity.POWER_STATE, "", 1));

        assertThat(s.hasMemory()).isFalse();
        assertThat(s.memoryTotalBytes).isEqualTo(Sample.ABSENT);
    }

    // ---------------------------------------------------------------- storage

    @Test
    void fileSystemsAreSummedUsedPlusFreePlusReservedBeingEachOnesSize() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.STORAGE_USED_BYTES, "root", 100),
                        r(Quantity.STORAGE_FREE_BYTES, "root", 800),
                        r(Quantity.STORAGE_RESERVED_BYTES, "root", 100),
                        r(Quantity.STORAGE_USED_PCT, "root", 10),
                        r(Quantity.STORAGE_USED_BYTES, "boot", 20),
                        r(Quantity.STORAGE_FREE_BYTES, "boot", 80));

        assertThat(s.storageUsedBytes).isEqualTo(120);
        assertThat(s.storageTotalBytes).isEqualTo(1100);
    }

    @Test
    void aDisksCapacityIsItsSize() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.STORAGE_TOTAL_BYTES, "vda", 100 * GIB),
                        r(Quantity.STORAGE_USED_BYTES, "vda", 20 * GIB),
                        r(Quantity.STORAGE_TOTAL_BYTES, "vdb", 50 * GIB),
                        r(Quantity.STORAGE_USED_BYTES, "vdb", 5 * GIB));

        assertThat(s.storageTotalBytes).isEqualTo(150 * GIB);
        assertThat(s.storageUsedBytes).isEqualTo(25 * GIB);
    }

    @Test
    void oneIncompleteFileSystemLeavesStorageOutRatherThanUnderstateIt() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.MEMORY_USED_PCT, "", 50),
                        r(Quantity.STORAGE_USED_BYTES, "root", 100),
                        r(Quantity.STORAGE_FREE_BYTES, "root", 900),
                        r(Quantity.STORAGE_USED_BYTES, "data", 500));

        assertThat(s.hasStorage()).isFalse();
        assertThat(s.hasMemory()).isTrue();
    }

    @Test
    void aFileSystemWithOnlyItsPercentageIsIncomplete() {
        Sample s =
                sample(
                        VM,
                        r(Quantity.CPU_IDLE_PCT, "", 90),
                        r(Quantity.STORAGE_USED_PCT, "root", 50));

        assertThat(s.hasStorage()).isFalse();
    }

    // ---------------------------------------------------------------- CPU, power state

    @Test
    void cpuIsAHundredMinusTheMeanIdleShareOfTheCpus() {
        Sample s = sample(VM, r(Quantity.CPU_IDLE_PCT, "0", 90), r(Quantity.CPU_IDLE_PCT, "1", 70));

        assertThat(s.cpuUtilizationPct).isEqualTo(20.0);
    }

    @Test
    void theAggregatedIdleShareWinsOverPerCpuShares() {
        Sample s = sample(VM, r(Quantity.CPU_IDLE_PCT, "", 75), r(Quantity.CPU_IDLE_PCT, "0", 10));

        assertThat(s.cpuUtilizationPct).isEqualTo(25.0);
    }

    @Test
    void anIdleShareRoundedAbove100IsNoNegativeCpu() {
        assertThat(sample(VM, r(Quantity.CPU_IDLE_PCT, "", 100.1)).cpuUtilizationPct)
                .isEqualTo(0.0);
    }

    @Test
    void aStoppedDomainAloneIsAStoppedSample() {
        Sample s = sample(VM, r(Quantity.POWER_STATE, "", 0));

        assertThat(s.stopped).isTrue();
        assertThat(s.hasMemory()).isFalse();
    }

    @Test
    void withoutAPowerStateTheVmRuns() {
        assertThat(sample(VM, r(Quantity.CPU_IDLE_PCT, "", 50)).stopped).isFalse();
    }

    // ---------------------------------------------------------------- validation

    @Test
    void theAssembledSampleIsValidatedLikeANativeOne() {
        String p =
                problem(
                        VM,
                        r(Quantity.MEMORY_TOTAL_BYTES, "total", 1000),
                        r(Quantity.MEMORY_UNUSED_BYTES, "", 2000));

        assertThat(p)
                .isEqualTo(
                        "vm vm-1: the sample assembled for the interval ending"
                                + " 2026-12-04T05:30:12Z is invalid: memoryUsedBytes -1000 is"
                                + " negative (collectd: MEMORY_TOTAL_BYTES[total]=1000.0,"
                                + " MEMORY_UNUSED_BYTES=2000.0)");
    }

    @Test
    void nothingUsableNamesTheVmTheIntervalAndWhatArrived() {
        String p = problem(VM, r(Quantity.STORAGE_FREE_BYTES, "root", 5));

        assertThat(p)
                .isEqualTo(
                        "vm vm-1: the values of the interval ending 2026-12-04T05:30:12Z give no"
                                + " memory, storage, CPU or power state (collectd:"
                                + " STORAGE_FREE_BYTES[root]=5.0)");
    }
}
