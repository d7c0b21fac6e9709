package io.rightsizer.job.codec;

import static io.rightsizer.testing.Allocations.active;
import static io.rightsizer.testing.Allocations.decommissioned;
import static io.rightsizer.testing.Allocations.expansion;
import static io.rightsizer.testing.Allocations.resource;
import static io.rightsizer.testing.Allocations.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.Rejected;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.VmAllocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** vm-inventory records: decoded, or rejected with a reason, and never an exception. */
class InventoryDeserializerTest {
    static final String TOPIC = "vm-inventory";
    static final long PUBLISHED = 1_772_500_000_000L;

    static byte[] encode(VmAllocation a) throws IOException {
        ByteBuffer b = VmAllocation.getEncoder().encode(a);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static List<VmInput> deserialize(byte[] value, long timestamp) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        TOPIC,
                        2,
                        41,
                        timestamp,
                        TimestampType.CREATE_TIME,
                        0,
                        value == null ? 0 : value.length,
                        "vm-1".getBytes(),
                        value,
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        java.util.Optional.empty());
        List<VmInput> out = new ArrayList<>();
        new InventoryDeserializer()
                .deserialize(
                        record,
                        new Collector<>() {
                            @Override
                            public void collect(VmInput v) {
                                out.add(v);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    static Rejected rejectedFor(VmAllocation a) throws IOException {
        List<VmInput> out = deserialize(encode(a), PUBLISHED);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).allocation).isNull();
        return out.get(0).rejected;
    }

    @Test
    void aValidRecordIsReceivedAtItsKafkaTimestampWithItsCoordinates() throws IOException {
        VmAllocation a = active("vm-1", "sys-1").build();

        List<VmInput> out = deserialize(encode(a), PUBLISHED);

        assertThat(out)
                .extracting(
                        i -> i.allocation,
                        i -> i.receivedAt,
                        i -> i.rejected,
                        i -> i.sourceTopic,
                        i -> i.sourcePartition,
                        i -> i.sourceOffset)
                .containsExactly(tuple(a, PUBLISHED, null, TOPIC, 2, 41L));
        assertThat(out.get(0).vmId()).isEqualTo("vm-1");
    }

    @Test
    void aRecordWithoutTimestampIsReceivedAtItsEffectiveAt() throws IOException {
        VmAllocation a =
                active("vm-1", "sys-1").setEffectiveAt(Instant.ofEpochMilli(PUBLISHED - 5)).build();

        assertThat(deserialize(encode(a), -1))
                .extracting(i -> i.receivedAt)
                .containsExactly(PUBLISHED - 5);
    }

    @Test
    void aRecordWithoutTimestampOrEffectiveAtIsInvalid() throws IOException {
        Rejected r = deserialize(encode(active("vm-1", "sys-1").build()), -1).get(0).rejected;

        assertThat(r.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(r.message).isEqualTo("the record has no timestamp and no effectiveAt");
    }

    @Test
    void aTombstoneIsSkipped() {
        assertThat(deserialize(null, PUBLISHED)).isEmpty();
    }

    @Test
    void undecodableBytesAreRejectedWithTheirCoordinates() {
        byte[] junk = {1, 2, 3};

        Rejected r = deserialize(junk, PUBLISHED).get(0).rejected;

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .isEqualTo(
                        "not Avro single-object encoding (no complete C3 01 header and"
                                + " fingerprint)");
        assertThat(r.payload).containsExactly(junk);
        assertThat(r.sourceTopic).isEqualTo(TOPIC);
        assertThat(r.sourcePartition).isEqualTo(2);
        assertThat(r.sourceOffset).isEqualTo(41);
        assertThat(r.vmId).isNull();
    }

    @Test
    void aTruncatedBodyIsUndecodable() throws IOException {
        byte[] whole = encode(active("vm-1", "sys-1").build());

        Rejected r = deserialize(Arrays.copyOf(whole, whole.length - 3), PUBLISHED).get(0).rejected;

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("Avro body does not match VmAllocation: ");
    }

    @Test
    void trailingBytesAreUndecodable() throws IOException {
        byte[] whole = encode(active("vm-1", "sys-1").build());

        Rejected r = deserialize(Arrays.copyOf(whole, whole.length + 2), PUBLISHED).get(0).rejected;

        assertThat(r.message).isEqualTo("2 bytes after the end of the Avro body");
    }

    @Test
    void anEmptyVmIdIsInvalid() throws IOException {
        Rejected r = rejectedFor(active("", "sys-1").build());

        assertThat(r.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(r.message).isEqualTo("vmId is missing or blank");
        assertThat(r.vmId).isNull();
    }

    @Test
    void nonPositiveSizesAreInvalid() throws IOException {
        assertThat(rejectedFor(active("vm-1", "sys-1").setMemoryBytes(0).build()))
                .extracting(r -> r.reason, r -> r.message, r -> r.vmId)
                .containsExactly(
                        DeadLetterReason.INVALID, "memoryBytes must be positive, was 0", "vm-1");
        assertThat(rejectedFor(active("vm-1", "sys-1").setStorageBytes(-1).build()).message)
                .isEqualTo("storageBytes must be positive, was -1");
        assertThat(rejectedFor(active("vm-1", "sys-1").setVcpus(0).build()).message)
                .isEqualTo("vcpus must be positive, was 0");
    }

    @Test
    void aDecommissionedRecordNeedsOnlyItsVmId() throws IOException {
        VmAllocation a = decommissioned("vm-1", "sys-1");
        a.setMemoryBytes(0);
        a.setStorageBytes(0);

        assertThat(deserialize(encode(a), PUBLISHED))
                .extracting(i -> i.allocation)
                .containsExactly(a);
    }

    @Test
    void periodsThatEndAtOrBeforeTheyStartAreInvalid() throws IOException {
        assertThat(
                        rejectedFor(
                                        active("vm-1", "sys-1")
                                                .setTemporaryExpansions(
                                                        List.of(expansion(1, 1000, 1000)))
                                                .build())
                                .message)
                .isEqualTo(
                        "temporaryExpansions[0]: until 1970-01-01T00:00:01Z is not after from"
                                + " 1970-01-01T00:00:01Z");
        assertThat(
                        rejectedFor(
                                        active("vm-1", "sys-1")
                                                .setTemporaryResource(resource(2000, 1000))
                                                .build())
                                .message)
                .isEqualTo(
                        "temporaryResource: until 1970-01-01T00:00:01Z is not after from"
                                + " 1970-01-01T00:00:02Z");
        assertThat(
                        rejectedFor(
                                        active("vm-1", "sys-1")
                                                .setProtectionWindows(
                                                        List.of(window(0, 1000), window(5, 5)))
                                                .build())
                                .message)
                .isEqualTo(
                        "protectionWindows[1]: until 1970-01-01T00:00:00.005Z is not after from"
                                + " 1970-01-01T00:00:00.005Z");
    }

    @Test
    void aNegativeExpansionSizeIsInvalid() throws IOException {
        assertThat(
                        rejectedFor(
                                        active("vm-1", "sys-1")
                                                .setTemporaryExpansions(
                                                        List.of(expansion(-1, 0, 1000)))
                                                .build())
                                .message)
                .isEqualTo("temporaryExpansions[0].memoryBytes must not be negative, was -1");
    }

    @Test
    void aNoticeSurvivesTheNoticeSerializerByteForByte() {
        io.rightsizer.schema.TimeLimitNotice n =
                io.rightsizer.schema.TimeLimitNotice.newBuilder()
                        .setNoticeId("0123456789abcdef0123456789abcdef")
                        .setKind(io.rightsizer.schema.NoticeKind.EXPANSION_ENDING)
                        .setRegulation("Article 22")
                        .setVmId("vm-1")
                        .setSystemId("sys-1")
                        .setUnitId("unit-1")
                        .setIssuedAt(Instant.ofEpochMilli(PUBLISHED))
                        .setFrom(Instant.ofEpochMilli(PUBLISHED - 10))
                        .setUntil(Instant.ofEpochMilli(PUBLISHED + 10))
                        .setLimitEnd(Instant.ofEpochMilli(PUBLISHED + 20))
                        .setMemoryBytes(1L << 30)
                        .setReason("ends soon")
                        .build();

        var record = new NoticeSerializer("rightsizing-notices").serialize(n, null, null);

        assertThat(record.topic()).isEqualTo("rightsizing-notices");
        assertThat(new String(record.key())).isEqualTo("vm-1");
        assertThat(record.timestamp()).isEqualTo(PUBLISHED);
        assertThat(record.value()).startsWith((byte) 0xC3, (byte) 0x01);
        assertThat(NoticeSerializer.decode(record.value())).isEqualTo(n);
    }
}
