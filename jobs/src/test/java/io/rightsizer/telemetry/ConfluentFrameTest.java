package io.rightsizer.telemetry;

import static io.rightsizer.testing.FramedSamples.EVOLVED;
import static io.rightsizer.testing.FramedSamples.OLDER;
import static io.rightsizer.testing.FramedSamples.frame;
import static io.rightsizer.testing.FramedSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.testing.FramedSamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The Confluent wire format without a registry: the frame itself, bad frames, and resolution of a
 * writer schema that comes with the record (the path every reader of the approval topic takes).
 * With a real registry: io.rightsizer.registry.RegistryClientTest.
 */
class ConfluentFrameTest {
    static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
    static final long GIB = 1L << 30;

    static byte[] evolvedBody() {
        return FramedSamples.body(sample(EVOLVED, "vm-7", "sys-1", AT, 3 * GIB, 16 * GIB, 40, 100));
    }

    static RecordHeaders writerSchema(Schema s) {
        RecordHeaders h = new RecordHeaders();
        h.add(SingleObject.WRITER_SCHEMA_HEADER, s.toString().getBytes(StandardCharsets.UTF_8));
        return h;
    }

    @Test
    void frameIsMagicZeroTheIdBigEndianAndTheSingleObjectBody() {
        MetricSample m = SampleCodec.toAvro(SampleCodecTest.fullSample());
        byte[] framed = ConfluentFrame.encode(0x01020384, m);
        byte[] single = SampleCodec.encode(m);

        assertThat(Arrays.copyOf(framed, 5)).containsExactly(0, 1, 2, 3, 0x84);
        assertThat(Arrays.copyOfRange(framed, 5, framed.length))
                .isEqualTo(Arrays.copyOfRange(single, 10, single.length));
        assertThat(ConfluentFrame.schemaId(framed)).isEqualTo(0x01020384);
        assertThat(ConfluentFrame.isFramed(framed)).isTrue();
        assertThat(ConfluentFrame.isFramed(single)).isFalse();
    }

    @Test
    void anEvolvedProducersSampleIsReadByNameSkippingTheFieldTheJobDoesNotKnow() {
        SampleJson.Result r = SampleCodec.decode(frame(9, evolvedBody()), writerSchema(EVOLVED));

        assertThat(r.ok()).as(r.message).isTrue();
        Sample s = r.sample;
        assertThat(s.vmId).isEqualTo("vm-7");
        assertThat(s.systemId).isEqualTo("sys-1");
        assertThat(s.unitId).isEqualTo("unit-a");
        assertThat(s.timestamp).isEqualTo(AT.toEpochMilli());
        assertThat(s.memoryUsedBytes).isEqualTo(3 * GIB);
        assertThat(s.memoryTotalBytes).isEqualTo(16 * GIB);
        assertThat(s.storageUsedBytes).isEqualTo(40);
        assertThat(s.storageTotalBytes).isEqualTo(100);
        assertThat(s.cpuUtilizationPct).isEqualTo(12.5);
        assertThat(s.businessRecords).isEqualTo(3);
    }

    @Test
    void anOlderProducersSampleGetsTheDefaultsOfTheFieldsItLacks() {
        byte[] body = FramedSamples.body(sample(OLDER, "vm-8", "sys-1", AT, GIB, 8 * GIB, 10, 50));

        SampleJson.Result r = SampleCodec.decode(frame(3, body), writerSchema(OLDER));

        assertThat(r.ok()).as(r.message).isTrue();
        assertThat(r.sample.vmId).isEqualTo("vm-8");
        assertThat(r.sample.memoryUsedBytes).isEqualTo(GIB);
        assertThat(r.sample.storageTotalBytes).isEqualTo(50);
        assertThat(r.sample.hasCpu()).isFalse();
        assertThat(r.sample.businessRecords).isEqualTo(Sample.ABSENT);
    }

    @Test
    void withoutARegistryAFramedSampleIsUndecodableNamingItsIdAndTheKeyToSet() {
        SampleJson.Result r = SampleCodec.decode(frame(42, evolvedBody()), new RecordHeaders());

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .isEqualTo(
                        "Confluent-framed Avro (schema id 42) but no schema registry is"
                                + " configured: set kafka.schema-registry.url to the registry's"
                                + " Confluent-compatible API");
    }

    @Test
    void aFrameTooShortForItsIdIsUndecodable() {
        assertThat(SampleCodec.decode(new byte[] {0}).message)
                .isEqualTo(
                        "Confluent-framed Avro (magic byte 0) but only 1 byte: no complete"
                                + " 4-byte schema id");
        assertThat(SampleCodec.decode(new byte[] {0, 0, 0, 1}).message)
                .isEqualTo(
                        "Confluent-framed Avro (magic byte 0) but only 4 bytes: no complete"
                                + " 4-byte schema id");
    }

    @Test
    void aTruncatedBodyIsUndecodableAtItsPosition() {
        byte[] whole = frame(9, evolvedBody());
        byte[] cut = Arrays.copyOf(whole, whole.length - 4);

        SampleJson.Result r = SampleCodec.decode(cut, writerSchema(EVOLVED));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .isEqualTo(
                        "Confluent-framed Avro (schema id 9): the Avro body does not match its"
                                + " writer schema read as MetricSample: java.io.IOException: a"
                                + " double declares 8 bytes at byte 57 but only 6 remain");
    }

    @Test
    void bytesAfterTheBodyAreUndecodable() {
        byte[] whole = frame(9, evolvedBody());
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);

        assertThat(SampleCodec.decode(longer, writerSchema(EVOLVED)).message)
                .isEqualTo(
                        "Confluent-framed Avro (schema id 9): 2 bytes after the end of the Avro"
                                + " body");
    }

    @Test
    void aBodyDeclaringMoreThanItHoldsAllocatesNothingOfThatSize() {
        // No hypervisor, then vmId declared as a 1,000,000,000-byte string.
        byte[] hostile =
                frame(9, new byte[] {0, (byte) 0x80, (byte) 0xa8, (byte) 0xd6, (byte) 0xb9, 0x07});

        SampleJson.Result r = SampleCodec.decode(hostile, writerSchema(EVOLVED));

        assertThat(r.message)
                .isEqualTo(
                        "Confluent-framed Avro (schema id 9): the Avro body does not match its"
                                + " writer schema read as MetricSample: java.io.IOException: a"
                                + " string declares 1000000000 bytes at byte 11 but only 0"
                                + " remain");
    }

    @Test
    void aWriterSchemaOfAnotherRecordIsUndecodableNamingBoth() {
        SampleJson.Result r =
                SampleCodec.decode(
                        frame(11, evolvedBody()), writerSchema(Recommendation.getClassSchema()));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .startsWith(
                        "Confluent-framed Avro (schema id 11): its writer schema"
                                + " io.rightsizer.schema.Recommendation cannot be read as"
                                + " io.rightsizer.schema.MetricSample: [");
    }

    @Test
    void theSameIdWithAnotherHeaderIsResolvedAgainNotTakenFromTheCache() {
        byte[] older = FramedSamples.body(sample(OLDER, "vm-8", "sys-1", AT, GIB, 8 * GIB, 10, 50));
        SingleObject.Reader<MetricSample> reader = SingleObject.reader(MetricSample.class);

        MetricSample a = reader.read(frame(5, evolvedBody()), writerSchema(EVOLVED));
        MetricSample b = reader.read(frame(5, older), writerSchema(OLDER));

        assertThat(a.getVmId()).isEqualTo("vm-7");
        assertThat(b.getVmId()).isEqualTo("vm-8");
        assertThat(b.getCpuUtilizationPct()).isNull();
    }

    @Test
    void aRecommendationWrittenFramedIsReadBackByEveryProjectReaderThroughItsHeader() {
        Recommendation rec =
                Recommendation.newBuilder()
                        .setRecommendationId("0123456789abcdef0123456789abcdef")
                        .setRuleId("scale-up.memory.weekly-average")
                        .setRuleSetVersion("2026.11.0")
                        .setRegulation("Article 26(1)1")
                        .setAction(io.rightsizer.schema.Action.SCALE_UP)
                        .setResource(io.rightsizer.schema.Resource.MEMORY)
                        .setVmId("vm-1")
                        .setSystemId("sys-1")
                        .setFiredAt(AT)
                        .setEvidence(
                                io.rightsizer.schema.Evidence.newBuilder()
                                        .setWeeklyAveragePct(74.2)
                                        .build())
                        .setReason("weekly average memory 74.2% > 70%")
                        .setMemoryTotalBytes(16 * GIB)
                        .build();
        byte[] framed = ConfluentFrame.encode(77, rec);
        RecordHeaders h = new RecordHeaders();
        h.add(
                SingleObject.WRITER_SCHEMA_HEADER,
                SingleObject.writerSchemaHeader(Recommendation.getClassSchema()));

        assertThat(io.rightsizer.job.codec.RecommendationSerializer.decode(framed, h))
                .isEqualTo(rec);
        assertThatThrownBy(() -> io.rightsizer.job.codec.RecommendationSerializer.decode(framed))
                .hasMessage(
                        "not a Recommendation: Confluent-framed Avro (schema id 77) but no schema"
                                + " registry is configured: set kafka.schema-registry.url to"
                                + " the registry's Confluent-compatible API");
    }

    @Test
    void nativeSingleObjectAndJsonSamplesReadAsBefore() {
        Sample s = SampleCodecTest.fullSample();

        assertThat(SampleCodec.decode(SampleCodec.encode(s)).sample.memoryUsedBytes)
                .isEqualTo(s.memoryUsedBytes);
        assertThat(SampleCodec.decode(new byte[] {(byte) 0xC3, 1, 2}).message)
                .isEqualTo(
                        "not Avro single-object encoding (no complete C3 01 header and"
                                + " fingerprint) and not a JSON object");
    }
}
