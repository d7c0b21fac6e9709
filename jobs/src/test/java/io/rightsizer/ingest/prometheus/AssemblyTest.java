package io.rightsizer.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.ingest.prometheus.Assembly.Built;
import io.rightsizer.ingest.prometheus.Assembly.Offer;
import io.rightsizer.ingest.prometheus.PromMapping.Kind;
import io.rightsizer.ingest.prometheus.PromMapping.Mapped;
import io.rightsizer.model.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblyTest {
    static final long WAIT = 10_000;

    /** The scrape timestamps: one scrape every 15 s. */
    static final long SCRAPE_1 = 1_796_362_200_000L;

    static final long SCRAPE_2 = SCRAPE_1 + 15_000;

    /** The receiver's wall clock when the first value of a scrape arrives. */
    static final long ARRIVAL_1 = SCRAPE_1 + 2_000;

    static final long ARRIVAL_2 = SCRAPE_2 + 2_000;
    static final long GIB = 1L << 30;

    final Assembly assembly = new Assembly(WAIT, 100, 10, 3_600_000);

    static Mapped m(String vm, long ts, Kind kind, String instance, double value) {
        return new Mapped(vm, "sys-a", "unit-x", kind, instance, ts, value);
    }

    Offer offer(Mapped m, long now) throws Assembly.FullException {
        return assembly.offer(m, now);
    }

    /** A whole node_exporter scrape of vm-1: 8 GiB, 2 GiB available, / and a bind mount, 2 CPUs. */
    void nodeScrape(long ts, long now, double idle0, double idle1) throws Exception {
        offer(m("vm-1", ts, Kind.MEM_TOTAL, "", 8 * GIB), now);
        offer(m("vm-1", ts, Kind.MEM_AVAILABLE, "", 2 * GIB), now);
        offer(m("vm-1", ts, Kind.FS_SIZE, "/dev/vda1", 100 * GIB), now);
        offer(m("vm-1", ts, Kind.FS_AVAIL, "/dev/vda1", 40 * GIB), now);
        offer(m("vm-1", ts, Kind.FS_SIZE, "/dev/vdb", 50 * GIB), now);
        offer(m("vm-1", ts, Kind.FS_AVAIL, "/dev/vdb", 45 * GIB), now);
        offer(m("vm-1", ts, Kind.CPU_IDLE_SECONDS, "0", idle0), now);
        offer(m("vm-1", ts, Kind.CPU_IDLE_SECONDS, "1", idle1), now);
    }

    @Test
    void aScrapeBecomesOneSampleWhenItsWaitHasPassedNotBefore() throws Exception {
        nodeScrape(SCRAPE_1, ARRIVAL_1, 1000, 2000);
        assertThat(assembly.due(ARRIVAL_1 + WAIT - 1)).isEmpty();
        List<Built> due = assembly.due(ARRIVAL_1 + WAIT);
        assertThat(due).hasSize(1);
        Sample s = due.get(0).sample();
        assertThat(s.vmId).isEqualTo("vm-1");
        assertThat(s.systemId).isEqualTo("sys-a");
        assertThat(s.unitId).isEqualTo("unit-x");
        assertThat(s.timestamp).isEqualTo(SCRAPE_1);
        assertThat(s.stopped).isFalse();
        assertThat(s.memoryTotalBytes).isEqualTo(8 * GIB);
        assertThat(s.memoryUsedBytes).isEqualTo(6 * GIB);
        assertThat(s.storageTotalBytes).isEqualTo(150 * GIB);
        assertThat(s.storageUsedBytes).isEqualTo(65 * GIB);
        assertThat(s.hasCpu()).as("the first reading of a VM has no rate").isFalse();
        assertThat(assembly.due(ARRIVAL_1 + WAIT)).as("due once").isEmpty();
    }

    @Test
    void valuesArrivingInSeveralRequestsWithinTheWaitGoToTheSameSample() throws Exception {
        offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", 8 * GIB), ARRIVAL_1);
        Offer last =
                offer(m("vm-1", SCRAPE_1, Kind.MEM_AVAILABLE, "", 2 * GIB), ARRIVAL_1 + WAIT - 1);
        assertThat(last.late()).isFalse();
        List<Built> due = assembly.due(ARRIVAL_1 + WAIT);
        assertThat(due).extracting(b -> b.sample().memoryUsedBytes).containsExactly(6 * GIB);
        assertThat(due.get(0).group()).isSameAs(last.group());
    }

    @Test
    void cpuIsTheIdleShareOfTheTimeBetweenTwoScrapes() throws Exception {
        nodeScrape(SCRAPE_1, ARRIVAL_1, 1000, 2000);
        assembly.finished(assembly.due(ARRIVAL_1 + WAIT).get(0).group());
        // 15 s later: cpu0 idle 12 s, cpu1 idle 6 s: 18 of 30 CPU-seconds idle, 40 % busy.
        nodeScrape(SCRAPE_2, ARRIVAL_2, 1012, 2006);
        Sample s = assembly.due(ARRIVAL_2 + WAIT).get(0).sample();
        assertThat(s.cpuUtilizationPct).isEqualTo(40.0);
    }

    @Test
    void aCounterResetGivesNoCpuAndTheNextScrapeHasOneAgain() throws Exception {
        nodeScrape(SCRAPE_1, ARRIVAL_1, 1000, 2000);
        assembly.finished(assembly.due(ARRIVAL_1 + WAIT).get(0).group());
        nodeScrape(SCRAPE_2, ARRIVAL_2, 3, 4);
        Built reset = assembly.due(ARRIVAL_2 + WAIT).get(0);
        assertThat(reset.sample().hasCpu()).isFalse();
        assembly.finished(reset.group());
        long scrape3 = SCRAPE_2 + 15_000;
        nodeScrape(scrape3, scrape3 + 2_000, 18, 19);
        assertThat(assembly.due(scrape3 + 2_000 + WAIT).get(0).sample().cpuUtilizationPct)
                .isEqualTo(0.0);
    }

    @Test
    void onlyCpuCountersOnAVmsFirstScrapeGiveNoSampleButTheRateLater() throws Exception {
        offer(m("vm-1", SCRAPE_1, Kind.CPU_IDLE_SECONDS, "0", 100), ARRIVAL_1);
        Built first = assembly.due(ARRIVAL_1 + WAIT).get(0);
        assertThat(first.sample()).isNull();
        assertThat(first.problem()).isEqualTo(Assembly.Problem.EMPTY);
        assembly.finished(first.group());
        offer(m("vm-1", SCRAPE_2, Kind.CPU_IDLE_SECONDS, "0", 103), ARRIVAL_2);
        Sample s = assembly.due(ARRIVAL_2 + WAIT).get(0).sample();
        assertThat(s.cpuUtilizationPct).isEqualTo(80.0);
        assertThat(s.hasMemory()).isFalse();
        assertThat(s.hasStorage()).isFalse();
    }

    @Test
    void aValueForAGroupBeingSentIsLateAndWaitsForItsOutcome() throws Exception {
        nodeScrape(SCRAPE_1, ARRIVAL_1, 1000, 2000);
        Built b = assembly.due(ARRIVAL_1 + WAIT).get(0);
        Offer late = offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", GIB), ARRIVAL_1 + WAIT + 1);
        assertThat(late.late()).isTrue();
        assertThat(late.group()).isSameAs(b.group());
        assertThat(late.group().done).isNotDone();
        assembly.finished(b.group());
        assertThat(late.group().done).isCompleted();
        Offer after = offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", GIB), ARRIVAL_1 + WAIT + 2);
        assertThat(after).isEqualTo(new Offer(null, true));
        assertThat(assembly.openGroups()).isZero();
    }

    @Test
    void aFailedGroupIsOpenedAgainByTheRetriedValues() throws Exception {
        nodeScrape(SCRAPE_1, ARRIVAL_1, 1000, 2000);
        Built b = assembly.due(ARRIVAL_1 + WAIT).get(0);
        assembly.failed(b.group(), new RuntimeException("broker down"));
        assertThat(b.group().done).isCompletedExceptionally();
        long retry = ARRIVAL_1 + 30_000;
        Offer again = offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", 8 * GIB), retry);
        assertThat(again.late()).isFalse();
        assertThat(again.group()).isNotSameAs(b.group());
        offer(m("vm-1", SCRAPE_1, Kind.MEM_AVAILABLE, "", 2 * GIB), retry);
        assertThat(assembly.due(retry + WAIT))
                .extracting(x -> x.sample().memoryUsedBytes)
                .containsExactly(6 * GIB);
    }

    @Test
    void vmsAndScrapesAreSeparateGroupsDueOldestFirst() throws Exception {
        offer(m("vm-2", SCRAPE_2, Kind.MEM_TOTAL, "", 4 * GIB), ARRIVAL_1);
        offer(m("vm-2", SCRAPE_2, Kind.MEM_AVAILABLE, "", GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_2, Kind.MEM_TOTAL, "", 2 * GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_2, Kind.MEM_AVAILABLE, "", GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", 2 * GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_1, Kind.MEM_AVAILABLE, "", 0), ARRIVAL_1);
        assertThat(assembly.due(ARRIVAL_1 + WAIT))
                .extracting(
                        b ->
                                b.sample().vmId
                                        + "@"
                                        + b.sample().timestamp
                                        + "="
                                        + b.sample().memoryUsedBytes)
                .containsExactly(
                        "vm-1@" + SCRAPE_1 + "=" + 2 * GIB,
                        "vm-1@" + SCRAPE_2 + "=" + GIB,
                        "vm-2@" + SCRAPE_2 + "=" + 3 * GIB);
    }

    @Test
    void aVmWithoutASystemLabelIsReportedNotProduced() throws Exception {
        assembly.offer(
                new Mapped("vm-9", null, null, Kind.MEM_TOTAL, "", SCRAPE_1, GIB), ARRIVAL_1);
        assembly.offer(
                new Mapped("vm-9", null, null, Kind.MEM_AVAILABLE, "", SCRAPE_1, GIB), ARRIVAL_1);
        Built b = assembly.due(ARRIVAL_1 + WAIT).get(0);
        assertThat(b.sample()).isNull();
        assertThat(b.problem()).isEqualTo(Assembly.Problem.NO_SYSTEM);
        assertThat(b.message()).isEqualTo("VM vm-9: no systemId label on its series");
        assertThat(assembly.firstWarning("vm-9")).isTrue();
        assertThat(assembly.firstWarning("vm-9")).isFalse();
    }

    @Test
    void aHalfReportedMemoryOrFileSystemIsLeftOut() throws Exception {
        offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", 8 * GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_1, Kind.FS_SIZE, "/dev/vda1", 100 * GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_1, Kind.FS_SIZE, "/dev/vdb", 10 * GIB), ARRIVAL_1);
        offer(m("vm-1", SCRAPE_1, Kind.FS_AVAIL, "/dev/vdb", 4 * GIB), ARRIVAL_1);
        Sample s = assembly.due(ARRIVAL_1 + WAIT).get(0).sample();
        assertThat(s.hasMemory()).isFalse();
        assertThat(s.storageTotalBytes).isEqualTo(10 * GIB);
        assertThat(s.storageUsedBytes).isEqualTo(6 * GIB);
    }

    @Test
    void libvirtMemoryIsTheGuestsUseOfTheDomainsMaximum() throws Exception {
        offer(m("instance-1", SCRAPE_1, Kind.LIBVIRT_MAX_MEMORY, "", 16 * GIB), ARRIVAL_1);
        offer(m("instance-1", SCRAPE_1, Kind.LIBVIRT_GUEST_AVAILABLE, "", 15 * GIB), ARRIVAL_1);
        offer(m("instance-1", SCRAPE_1, Kind.LIBVIRT_GUEST_USABLE, "", 11 * GIB), ARRIVAL_1);
        offer(m("instance-1", SCRAPE_1, Kind.LIBVIRT_STATE, "", 1), ARRIVAL_1);
        Sample s = assembly.due(ARRIVAL_1 + WAIT).get(0).sample();
        assertThat(s.memoryTotalBytes).isEqualTo(16 * GIB);
        assertThat(s.memoryUsedBytes).isEqualTo(4 * GIB);
        assertThat(s.stopped).isFalse();
    }

    @Test
    void aShutOffDomainIsAStoppedSample() throws Exception {
        offer(m("instance-1", SCRAPE_1, Kind.LIBVIRT_MAX_MEMORY, "", 16 * GIB), ARRIVAL_1);
        offer(m("instance-1", SCRAPE_1, Kind.LIBVIRT_STATE, "", 5), ARRIVAL_1);
        Sample s = assembly.due(ARRIVAL_1 + WAIT).get(0).sample();
        assertThat(s.stopped).isTrue();
        assertThat(s.hasMemory()).isFalse();
    }

    @Test
    void beyondTheOpenGroupAndVmLimitsAnOfferIsRefused() throws Exception {
        Assembly small = new Assembly(WAIT, 2, 3, 3_600_000);
        small.offer(m("vm-1", SCRAPE_1, Kind.MEM_TOTAL, "", GIB), ARRIVAL_1);
        small.offer(m("vm-2", SCRAPE_1, Kind.MEM_TOTAL, "", GIB), ARRIVAL_1);
        small.offer(m("vm-2", SCRAPE_1, Kind.MEM_AVAILABLE, "", GIB), ARRIVAL_1);
        assertThatThrownBy(
                        () -> small.offer(m("vm-3", SCRAPE_1, Kind.MEM_TOTAL, "", GIB), ARRIVAL_1))
                .isInstanceOf(Assembly.FullException.class)
                .hasMessage("more than 2 samples being assembled");
        assertThat(small.openGroups()).isEqualTo(2);
    }

    @Test
    void anIdleVmIsForgottenAfterTheLimit() throws Exception {
        Assembly forgetful = new Assembly(WAIT, 100, 10, 60_000);
        forgetful.offer(m("vm-1", SCRAPE_1, Kind.CPU_IDLE_SECONDS, "0", 1), ARRIVAL_1);
        forgetful.finished(forgetful.due(ARRIVAL_1 + WAIT).get(0).group());
        assertThat(forgetful.vms()).isEqualTo(1);
        forgetful.due(ARRIVAL_1 + 60_000);
        assertThat(forgetful.vms()).isEqualTo(1);
        forgetful.due(ARRIVAL_1 + 60_001);
        assertThat(forgetful.vms()).isZero();
    }

    @Test
    void anIdWithoutALabelComesFromTheInventoryAndALabelWins() throws Exception {
        Assembly withInventory =
                new Assembly(
                        WAIT,
                        100,
                        10,
                        3_600_000,
                        vm -> vm.equals("vm-9") ? null : new Assembly.Ids("sys-inv", "unit-inv"));
        String[][] labels = {
            {"vm-1", null, null},
            {"vm-2", null, "unit-label"},
            {"vm-3", "sys-label", null},
            {"vm-9", null, null}
        };
        for (String[] l : labels) {
            for (Kind k : List.of(Kind.MEM_TOTAL, Kind.MEM_AVAILABLE)) {
                withInventory.offer(new Mapped(l[0], l[1], l[2], k, "", SCRAPE_1, GIB), ARRIVAL_1);
            }
        }
        List<Built> due = withInventory.due(ARRIVAL_1 + WAIT);
        assertThat(due)
                .extracting(
                        b ->
                                b.sample() == null
                                        ? b.message()
                                        : b.sample().vmId
                                                + " "
                                                + b.sample().systemId
                                                + " "
                                                + b.sample().unitId)
                .containsExactly(
                        "vm-1 sys-inv unit-inv",
                        "vm-2 sys-inv unit-label",
                        "vm-3 sys-label unit-inv",
                        "VM vm-9: no systemId label on its series and no allocation in the"
                                + " inventory");
    }
}
