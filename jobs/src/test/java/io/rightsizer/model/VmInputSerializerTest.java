package io.rightsizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.VmAllocation;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * Flink's serializer contract (round trips alone and in sequence, with and without reuse, copies,
 * the snapshot restoring an equal serializer, duplicates on other threads) over every shape of
 * VmInput: samples with all, some and none of their readings, an allocation, a rejected record.
 */
class VmInputSerializerTest extends SerializerTestBase<VmInput> {
    static final long T0 = Instant.parse("2026-11-30T08:05:00Z").toEpochMilli();

    VmInputSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) -> a instanceof VmInput && b instanceof VmInput,
                                (a, b, checker) -> sameInput((VmInput) a, (VmInput) b)));
    }

    @Override
    protected TypeSerializer<VmInput> createSerializer() {
        return TypeInformation.of(VmInput.class).createSerializer(new SerializerConfigImpl());
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<VmInput> getTypeClass() {
        return VmInput.class;
    }

    @Override
    protected VmInput[] getTestData() {
        return new VmInput[] {
            VmInput.of(fullSample()),
            VmInput.of(runningWithoutReadings()),
            VmInput.of(stoppedWithCpuOnly()),
            VmInput.of(withNegativeZeroCpuAndNullIds()),
            VmInput.of(withLoneSurrogateAndLongIds()),
            allocation(),
            rejected(),
            new VmInput()
        };
    }

    static Sample fullSample() {
        Sample s = new Sample();
        s.vmId = "vm-0042";
        s.systemId = "billing";
        s.unitId = "unit-7";
        s.timestamp = T0;
        s.memoryUsedBytes = 6_442_450_944L;
        s.memoryTotalBytes = 17_179_869_184L;
        s.storageUsedBytes = 53_687_091_200L;
        s.storageTotalBytes = 107_374_182_400L;
        s.cpuUtilizationPct = 37.25;
        s.businessRecords = 1_204;
        s.sourcePartition = 3;
        s.sourceOffset = 9_876_543_210L;
        return s;
    }

    static Sample runningWithoutReadings() {
        Sample s = new Sample();
        s.vmId = "vm-0043";
        s.systemId = "billing";
        s.unitId = "unit-7";
        s.timestamp = T0;
        return s;
    }

    static Sample stoppedWithCpuOnly() {
        Sample s = runningWithoutReadings();
        s.stopped = true;
        s.cpuUtilizationPct = 0.0;
        s.memoryTotalBytes = 0;
        s.sourcePartition = 0;
        s.sourceOffset = 0;
        return s;
    }

    /** Fields a sample never has after validation, kept anyway: the serializer judges nothing. */
    static Sample withNegativeZeroCpuAndNullIds() {
        Sample s = new Sample();
        s.vmId = "虚拟机-ü-\uD83D\uDE00";
        s.timestamp = Long.MIN_VALUE;
        s.cpuUtilizationPct = -0.0;
        s.businessRecords = Long.MAX_VALUE;
        return s;
    }

    /**
     * A lone surrogate (JSON input can carry one as an escape) must come back as it went in: the
     * receiving subtask recomputes the key from it. The long ids take a two-byte length.
     */
    static Sample withLoneSurrogateAndLongIds() {
        Sample s = runningWithoutReadings();
        s.vmId = "vm-\uD800-x";
        s.systemId = "s".repeat(200);
        s.unitId = "u".repeat(64);
        return s;
    }

    static VmInput allocation() {
        VmAllocation a =
                VmAllocation.newBuilder()
                        .setVmId("vm-0042")
                        .setSystemId("billing")
                        .setUnitId("unit-7")
                        .setVcpus(4)
                        .setMemoryBytes(17_179_869_184L)
                        .setStorageBytes(107_374_182_400L)
                        .setFlavor("m2.xlarge")
                        .setStatus(AllocationStatus.ACTIVE)
                        .setOnboardedAt(Instant.parse("2025-01-01T00:00:00Z"))
                        .setTemporaryExpansions(List.of())
                        .setProtectionWindows(List.of())
                        .build();
        VmInput i = VmInput.of(a, T0);
        i.sourceTopic = "vm-inventory";
        i.sourcePartition = 1;
        i.sourceOffset = 77;
        return i;
    }

    static VmInput rejected() {
        Rejected r =
                Rejected.of(
                        DeadLetterReason.INVALID,
                        "vmId missing",
                        "{\"bad\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        r.sourceTopic = "vm-inventory";
        r.sourcePartition = 0;
        r.sourceOffset = 12;
        return VmInput.rejected(r);
    }

    static boolean sameInput(VmInput a, VmInput b) {
        return Objects.equals(a.sample, b.sample)
                && Objects.equals(a.allocation, b.allocation)
                && sameRejected(a.rejected, b.rejected)
                && a.receivedAt == b.receivedAt
                && Objects.equals(a.sourceTopic, b.sourceTopic)
                && a.sourcePartition == b.sourcePartition
                && a.sourceOffset == b.sourceOffset;
    }

    static boolean sameRejected(Rejected a, Rejected b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Arrays.equals(a.payload, b.payload)
                && a.payloadSize == b.payloadSize
                && Objects.equals(a.payloadSha256, b.payloadSha256)
                && Objects.equals(a.sourceTopic, b.sourceTopic)
                && a.sourcePartition == b.sourcePartition
                && a.sourceOffset == b.sourceOffset
                && a.reason == b.reason
                && Objects.equals(a.message, b.message)
                && Objects.equals(a.vmId, b.vmId)
                && a.sampleTimestamp == b.sampleTimestamp;
    }

    static int bytes(TypeSerializer<VmInput> s, VmInput in) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(in, out);
        return out.length();
    }

    @Test
    void typeExtractionPicksTheHandWrittenSerializer() {
        assertThat(TypeInformation.of(VmInput.class)).isInstanceOf(VmInputTypeInfo.class);
        assertThat(createSerializer()).isInstanceOf(VmInputSerializer.class);
    }

    @Test
    void aSampleWithEveryReadingTakesFewerBytesThanAsAPojo() throws IOException {
        VmInput in = VmInput.of(fullSample());

        // 2 flag bytes, the three ids (length byte + ASCII), timestamp, 6 readings, partition and
        // offset; Flink's POJO serializer wrote 134 for the same record.
        assertThat(bytes(createSerializer(), in)).isEqualTo(2 + 8 + 8 + 7 + 8 + 6 * 8 + 4 + 8);
    }

    @Test
    void aLoneSurrogateInAnIdSurvivesTheShuffle() throws IOException {
        TypeSerializer<VmInput> s = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(VmInput.of(withLoneSurrogateAndLongIds()), out);

        VmInput back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.sample.vmId).isEqualTo("vm-\uD800-x");
        assertThat(back.sample.systemId).hasSize(200);
        assertThat(back.sample.unitId).isEqualTo("u".repeat(64));
    }

    @Test
    void absentReadingsTakeNoBytes() throws IOException {
        assertThat(bytes(createSerializer(), VmInput.of(runningWithoutReadings())))
                .isEqualTo(2 + 8 + 8 + 7 + 8 + 4 + 8);
    }

    @Test
    void aVmsIdsFromItsSamplesAreReadAsTheSameStrings() throws IOException {
        TypeSerializer<VmInput> s = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(VmInput.of(fullSample()), out);
        s.serialize(VmInput.of(fullSample()), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

        Sample first = s.deserialize(in).sample;
        Sample second = s.deserialize(in).sample;

        assertThat(second.vmId).isEqualTo(fullSample().vmId).isSameAs(first.vmId);
        assertThat(second.systemId).isEqualTo(fullSample().systemId).isSameAs(first.systemId);
        assertThat(second.unitId).isEqualTo(fullSample().unitId).isSameAs(first.unitId);
    }

    @Test
    void everyIdOfASimulatedFleetIsKeptAtOnce() throws IOException {
        // The simulator's naming (sim/FleetSimulator): 1,000 VMs in 250 systems of 4, a unit per
        // 3 systems. A table indexed by the hash's low bits kept 193 of the 334 system and unit
        // ids, so the others evicted each other with every sample read.
        TypeSerializer<VmInput> s = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        int vms = 1000;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < vms; i++) {
                Sample x = fullSample();
                x.vmId = String.format("vm-%05d", i + 1);
                x.systemId = String.format("sys-%03d", i / 4 + 1);
                x.unitId = String.format("unit-%02d", (i / 4) % 84 + 1);
                s.serialize(VmInput.of(x), out);
            }
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Sample[] first = new Sample[vms];
        for (int i = 0; i < vms; i++) {
            first[i] = s.deserialize(in).sample;
        }

        for (int i = 0; i < vms; i++) {
            Sample again = s.deserialize(in).sample;
            assertThat(again.vmId).isEqualTo(first[i].vmId).isSameAs(first[i].vmId);
            assertThat(again.systemId).isEqualTo(first[i].systemId).isSameAs(first[i].systemId);
            assertThat(again.unitId).isEqualTo(first[i].unitId).isSameAs(first[i].unitId);
        }
    }

    @Test
    void aDuplicateKeepsItsOwnRecentIds() {
        TypeSerializer<VmInput> s = createSerializer();

        // Each thread reads through its own duplicate, and the ids it keeps are per instance.
        assertThat(s.duplicate()).isNotSameAs(s).isEqualTo(s);
    }
}
