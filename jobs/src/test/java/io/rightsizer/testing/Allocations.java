package io.rightsizer.testing;

import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.ProtectionWindow;
import io.rightsizer.schema.TemporaryExpansion;
import io.rightsizer.schema.TemporaryResource;
import io.rightsizer.schema.VmAllocation;
import java.time.Instant;
import java.util.List;

/** Inventory records (VmAllocation) for tests: a 16 GiB / 100 GiB VM and its variations. */
public final class Allocations {
    private Allocations() {}

    public static final long GIB = 1L << 30;
    public static final long MEMORY = 16 * GIB;
    public static final long STORAGE = 100 * GIB;

    /** ACTIVE, 4 vCPUs, 16 GiB memory, 100 GiB storage, onboarded at the epoch, nothing else. */
    public static VmAllocation.Builder active(String vmId, String systemId) {
        return VmAllocation.newBuilder()
                .setVmId(vmId)
                .setSystemId(systemId)
                .setUnitId("unit-1")
                .setVcpus(4)
                .setMemoryBytes(MEMORY)
                .setStorageBytes(STORAGE)
                .setStatus(AllocationStatus.ACTIVE)
                .setOnboardedAt(Instant.EPOCH)
                .setTemporaryExpansions(List.of())
                .setProtectionWindows(List.of());
    }

    public static VmAllocation decommissioned(String vmId, String systemId) {
        return active(vmId, systemId).setStatus(AllocationStatus.DECOMMISSIONED).build();
    }

    /** A temporary expansion adding {@code memoryBytes} of memory, [from, until). */
    public static TemporaryExpansion expansion(long memoryBytes, long from, long until) {
        return TemporaryExpansion.newBuilder()
                .setMemoryBytes(memoryBytes)
                .setStorageBytes(0)
                .setFrom(Instant.ofEpochMilli(from))
                .setUntil(Instant.ofEpochMilli(until))
                .setReason("year-end reporting")
                .build();
    }

    public static TemporaryResource resource(long from, long until) {
        return TemporaryResource.newBuilder()
                .setFrom(Instant.ofEpochMilli(from))
                .setUntil(Instant.ofEpochMilli(until))
                .setReason("census project")
                .build();
    }

    public static ProtectionWindow window(long from, long until) {
        return ProtectionWindow.newBuilder()
                .setFrom(Instant.ofEpochMilli(from))
                .setUntil(Instant.ofEpochMilli(until))
                .setReason("National Day guarantee")
                .build();
    }
}
