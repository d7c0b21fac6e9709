package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.RuleSetException.Problem;
import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.rules.format.WorkingCalendarParser;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.ProtectionWindow;
import io.rightsizer.schema.TemporaryExpansion;
import io.rightsizer.schema.TemporaryResource;
import io.rightsizer.schema.VmAllocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryFileTest {
    private static final long GIB = 1L << 30;
    private static final Instant ONBOARDED = Instant.parse("2026-01-05T00:00:00Z");
    private static final Instant NATIONAL_DAY = Instant.parse("2026-09-30T16:00:00Z");
    private static final Instant AFTER_NATIONAL_DAY = Instant.parse("2026-10-07T16:00:00Z");

    private static InventoryFile.Result parse(String yaml) {
        return InventoryFile.parse(yaml, "inv.yaml");
    }

    private static List<String> problems(String yaml) {
        InventoryFile.Result r = parse(yaml);
        assertThat(r.allocations()).as("nothing when anything is wrong").isEmpty();
        return r.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void readsEveryFieldOfAVm() {
        InventoryFile.Result r =
                parse(
                        """
                        vms:
                          - vmId: vm-00003
                            systemId: sys-001
                            unitId: unit-01
                            vcpus: 4
                            memory: 16GiB
                            storage: 500GB
                            flavor: m6.xlarge
                            status: ACTIVE
                            onboardedAt: 2026-01-05T08:00:00+08:00
                            effectiveAt: "2026-02-01T00:00:00.250Z"
                            temporaryExpansions:
                              - {memory: 8GiB, from: 2026-08-01T00:00:00Z,
                                 until: 2026-10-12T16:00:00Z, reason: tax season}
                            temporaryResource: {from: 2026-01-05T00:00:00Z,
                                                until: 2026-07-05T00:00:00Z}
                            protectionWindows:
                              - from: 2026-09-30T16:00:00Z
                                until: 2026-10-07T16:00:00Z
                                reason: National Day
                          - vmId: vm-00004
                            systemId: sys-001
                            unitId: unit-01
                            vcpus: 2
                            memory: 4096MiB
                            storage: 53687091200
                            status: DECOMMISSIONED
                            onboardedAt: 2026-01-05T00:00:00Z
                        """);

        assertThat(r.problems()).isEmpty();
        assertThat(r.allocations())
                .containsExactly(
                        VmAllocation.newBuilder()
                                .setVmId("vm-00003")
                                .setSystemId("sys-001")
                                .setUnitId("unit-01")
                                .setVcpus(4)
                                .setMemoryBytes(16 * GIB)
                                .setStorageBytes(500_000_000_000L)
                                .setFlavor("m6.xlarge")
                                .setStatus(AllocationStatus.ACTIVE)
                                .setOnboardedAt(ONBOARDED)
                                .setEffectiveAt(Instant.parse("2026-02-01T00:00:00.250Z"))
                                .setTemporaryExpansions(
                                        List.of(
                                                new TemporaryExpansion(
                                                        8 * GIB,
                                                        0L,
                                                        Instant.parse("2026-08-01T00:00:00Z"),
                                                        Instant.parse("2026-10-12T16:00:00Z"),
                                                        "tax season")))
                                .setTemporaryResource(
                                        new TemporaryResource(
                                                ONBOARDED,
                                                Instant.parse("2026-07-05T00:00:00Z"),
                                                null))
                                .setProtectionWindows(
                                        List.of(
                                                new ProtectionWindow(
                                                        NATIONAL_DAY,
                                                        AFTER_NATIONAL_DAY,
                                                        "National Day")))
                                .build(),
                        VmAllocation.newBuilder()
                                .setVmId("vm-00004")
                                .setSystemId("sys-001")
                                .setUnitId("unit-01")
                                .setVcpus(2)
                                .setMemoryBytes(4 * GIB)
                                .setStorageBytes(50 * GIB)
                                .setFlavor(null)
                                .setStatus(AllocationStatus.DECOMMISSIONED)
                                .setOnboardedAt(ONBOARDED)
                                .setEffectiveAt(null)
                                .setTemporaryExpansions(List.of())
                                .setTemporaryResource(null)
                                .setProtectionWindows(List.of())
                                .build());
    }

    @Test
    void reportsEveryProblemOfEveryVmWithItsLine() {
        assertThat(
                        problems(
                                """
                                vms:
                                  - vmId: ""
                                    systemId: sys-001
                                    unitId: unit-01
                                    vcpus: 0
                                    memory: 0GiB
                                    storage: 1.5GiB
                                    status: active
                                    onboardedAt: 2026-01-05
                                    protectionWindow: []
                                  - vmId: vm-2
                                    systemId: sys-001
                                    vcpus: 2
                                    memory: 16gb
                                    storage: -50GiB
                                    status: RETIRED
                                    onboardedAt: 2026-01-05T00:00:00Z
                                """))
                .containsExactly(
                        "inv.yaml:10:5: unknown key 'protectionWindow' in vms[0] (did you mean"
                                + " 'protectionWindows'?)",
                        "inv.yaml:2:11: vms[0].vmId must not be empty",
                        "inv.yaml:5:12: vms[0].vcpus must be a whole number above 0; found 0",
                        "inv.yaml:6:13: vms[0].memory must be above 0; found '0GiB'",
                        "inv.yaml:7:14: vms[0].storage must be a size such as 16GiB or 500GB;"
                                + " found '1.5GiB'",
                        "inv.yaml:8:13: vms[0].status must be ACTIVE or DECOMMISSIONED; found"
                                + " 'active' (did you mean 'ACTIVE'?)",
                        "inv.yaml:9:18: vms[0].onboardedAt: '2026-01-05' is not an ISO-8601"
                                + " instant such as 2026-10-01T00:00:00Z or"
                                + " 2026-10-01T08:00:00+08:00",
                        "inv.yaml:11:5: vms[1].unitId is missing",
                        "inv.yaml:14:13: vms[1].memory must be a size such as 16GiB or 500GB;"
                                + " found '16gb'",
                        "inv.yaml:15:14: vms[1].storage must be above 0; found '-50GiB'",
                        "inv.yaml:16:13: vms[1].status must be ACTIVE or DECOMMISSIONED; found"
                                + " 'RETIRED'");
    }

    @Test
    void periodsMustEndAfterTheyStart() {
        String vm =
                """
                vms:
                  - vmId: vm-1
                    systemId: s
                    unitId: u
                    vcpus: 1
                    memory: 1GiB
                    storage: 50GiB
                    status: ACTIVE
                    onboardedAt: 2026-01-05T00:00:00Z
                """;
        assertThat(
                        problems(
                                vm
                                        + """
                                            temporaryExpansions:
                                              - {memory: 1GiB, from: 2026-08-01T00:00:00Z, until: 2026-08-01T00:00:00Z}
                                              - {from: 2026-08-01T00:00:00Z, until: 2026-08-02T00:00:00Z}
                                              - {memory: 0, storage: 0GiB, from: 2026-08-01T00:00:00Z, until: 2026-08-02T00:00:00Z}
                                            protectionWindows:
                                              - {from: 2026-10-08T00:00:00Z, until: 2026-10-01T00:00:00Z}
                                            temporaryResource: {from: 2026-01-05T00:00:00Z}
                                        """))
                .containsExactly(
                        "inv.yaml:11:59: vms[0].temporaryExpansions[0].until"
                                + " 2026-08-01T00:00:00Z must be after from 2026-08-01T00:00:00Z",
                        "inv.yaml:12:9: vms[0].temporaryExpansions[1] needs memory or storage:"
                                + " what the expansion adds",
                        "inv.yaml:13:9: vms[0].temporaryExpansions[2] adds neither memory nor"
                                + " storage",
                        "inv.yaml:16:24: vms[0].temporaryResource.until is missing",
                        "inv.yaml:15:45: vms[0].protectionWindows[0].until 2026-10-01T00:00:00Z"
                                + " must be after from 2026-10-08T00:00:00Z");
        InventoryFile.Result oneMs =
                parse(
                        vm
                                + """
                                    protectionWindows:
                                      - {from: 2026-10-01T00:00:00Z, until: 2026-10-01T00:00:00.001Z}
                                """);
        assertThat(oneMs.problems()).isEmpty();
        assertThat(oneMs.allocations().get(0).getProtectionWindows())
                .containsExactly(
                        new ProtectionWindow(
                                Instant.parse("2026-10-01T00:00:00Z"),
                                Instant.parse("2026-10-01T00:00:00.001Z"),
                                null));
    }

    @Test
    void aVmListedTwiceIsAProblem() {
        String vm =
                """
                  - vmId: vm-1
                    systemId: s
                    unitId: u
                    vcpus: 1
                    memory: 1GiB
                    storage: 50GiB
                    status: ACTIVE
                    onboardedAt: 2026-01-05T00:00:00Z
                """;
        assertThat(problems("vms:\n" + vm + vm))
                .containsExactly(
                        "inv.yaml:10:11: vms[1].vmId vm-1 is already listed at line 2 (the topic"
                                + " keeps one record per VM)");
    }

    @Test
    void theFileMustBeAMappingWithTheListOfVms() {
        assertThat(problems("- vmId: vm-1\n"))
                .containsExactly(
                        "inv.yaml:1:1: an inventory file is a mapping with the list vms; found a"
                                + " list");
        assertThat(problems("vms: {vmId: vm-1}\nvm: []\n"))
                .containsExactly(
                        "inv.yaml:2:1: unknown key 'vm' in the inventory file (did you mean"
                                + " 'vms'?)",
                        "inv.yaml:1:6: vms must be a list of VMs; found a mapping");
        assertThat(problems("vms: [\n"))
                .containsExactly(
                        "inv.yaml:2:1: not valid YAML after key 'vms': expected the node content,"
                                + " but found '<stream end>' (while parsing a flow node that starts"
                                + " at 2:1)");
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        Path example = Path.of("..", "config", "inventory-example.yaml");
        InventoryFile.Result r = InventoryFile.parse(Files.readString(example), example.toString());

        assertThat(r.problems()).isEmpty();
        List<TemporaryExpansion> expansions =
                r.allocations().stream().flatMap(a -> a.getTemporaryExpansions().stream()).toList();
        assertThat(expansions).hasSize(1);
        WorkingCalendar calendar =
                WorkingCalendarParser.parse(Path.of("..", "config", "calendar.yaml"));
        assertThat(calendar.reminderAt(expansions.get(0).getUntil(), 7))
                .as("the reminder date its comment promises")
                .isEqualTo(Instant.parse("2026-11-04T16:00:00Z"));
        assertThat(r.allocations()).filteredOn(a -> !a.getProtectionWindows().isEmpty()).hasSize(1);
    }
}
