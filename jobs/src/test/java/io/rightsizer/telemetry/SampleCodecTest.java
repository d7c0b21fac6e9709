package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.PowerState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The vm-metrics wire format: Avro single-object encoding, or a JSON object. */
class SampleCodecTest {
    static final long TS = 1_767_225_600_000L;

    static Sample fullSample() {
        Sample s = new Sample();
        s.vmId = "vm-1";
        s.systemId = "sys-1";
        s.unitId = "unit-1";
        s.timestamp = TS;
        s.stopped = true;
        s.memoryUsedBytes = 3L << 30;
        s.memoryTotalBytes = 16L << 30;
        s.storageUsedBytes = 40L << 30;
        s.storageTotalBytes = 100L << 30;
        s.cpuUtilizationPct = 2.5;
        s.businessRecords = 17;
        return s;
    }

    static Sample minimalSample() {
        Sample s = new Sample();
        s.vmId = "vm-2";
        s.systemId = "sys-2";
        s.timestamp = 0;
        return s;
    }

    static MetricSample.Builder avro() {
        return MetricSample.newBuilder()
                .setVmId("vm-1")
                .setSystemId("sys-1")
                .setTimestamp(Instant.ofEpochMilli(TS));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- Avro

    @Test
    void avroRoundTripKeepsEverySampleField() {
        for (Sample s : new Sample[] {fullSample(), minimalSample()}) {
            SampleJson.Result r = SampleCodec.decode(SampleCodec.encode(s));

            assertThat(r.ok()).isTrue();
            assertThat(r.sample).isEqualTo(s);
            assertThat(r.sample.unitId).isEqualTo(s.unitId);
        }
    }

    @Test
    void toAvroMapsSentinelsToNullAndStoppedToThePowerState() {
        MetricSample full = SampleCodec.toAvro(fullSample());
        MetricSample minimal = SampleCodec.toAvro(minimalSample());

        assertThat(full.getPowerState()).isEqualTo(PowerState.STOPPED);
        assertThat(full.getTimestamp()).isEqualTo(Instant.ofEpochMilli(TS));
        assertThat(full.getMemoryUsedBytes()).isEqualTo(3L << 30);
        assertThat(full.getCpuUtilizationPct()).isEqualTo(2.5);
        assertThat(full.getBusinessRecords()).isEqualTo(17L);
        assertThat(minimal.getPowerState()).isEqualTo(PowerState.RUNNING);
        assertThat(minimal.getUnitId()).isNull();
        assertThat(minimal.getMemoryUsedBytes()).isNull();
        assertThat(minimal.getMemoryTotalBytes()).isNull();
        assertThat(minimal.getStorageUsedBytes()).isNull();
        assertThat(minimal.getStorageTotalBytes()).isNull();
        assertThat(minimal.getCpuUtilizationPct()).isNull();
        assertThat(minimal.getBusinessRecords()).isNull();
    }

    @Test
    void encodingIsSingleObjectWithTheSchemaFingerprint() {
        byte[] b = SampleCodec.encode(minimalSample());
        long fingerprint = SchemaNormalization.parsingFingerprint64(MetricSample.getClassSchema());

        assertThat(b[0]).isEqualTo((byte) 0xC3);
        assertThat(b[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(b, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(fingerprint);
    }

    /** Each Avro value and the JSON object with the same content. */
    static Stream<Arguments> invalidInBothFormats() {
        return Stream.of(
                Arguments.of(
                        avro().setVmId("").build(),
                        "{\"vmId\": \"\", \"systemId\": \"sys-1\", \"timestamp\": " + TS + "}",
                        "vmId is missing"),
                Arguments.of(
                        avro().setSystemId(" ").build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \" \", \"timestamp\": " + TS + "}",
                        "systemId is missing"),
                Arguments.of(
                        avro().setTimestamp(Instant.ofEpochMilli(-1)).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": -1}",
                        "timestamp -1 is negative"),
                Arguments.of(
                        avro().setMemoryUsedBytes(-5L).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                                + TS
                                + ", \"memoryUsedBytes\": -5}",
                        "memoryUsedBytes -5 is negative"),
                Arguments.of(
                        avro().setStorageUsedBytes(2L).setStorageTotalBytes(1L).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                                + TS
                                + ", \"storageUsedBytes\": 2, \"storageTotalBytes\": 1}",
                        "storageUsedBytes 2 is greater than storageTotalBytes 1"),
                Arguments.of(
                        avro().setMemoryTotalBytes(0L).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                                + TS
                                + ", \"memoryTotalBytes\": 0}",
                        "memoryTotalBytes is 0"),
                Arguments.of(
                        avro().setCpuUtilizationPct(Double.NaN).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                                + TS
                                + ", \"cpuUtilizationPct\": \"NaN\"}",
                        "cpuUtilizationPct is NaN"),
                Arguments.of(
                        avro().setCpuUtilizationPct(100.25).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                                + TS
                                + ", \"cpuUtilizationPct\": 100.25}",
                        "cpuUtilizationPct 100.25 is outside 0 to 100"),
                Arguments.of(
                        avro().setBusinessRecords(-1L).build(),
                        "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                                + TS
                                + ", \"businessRecords\": -1}",
                        "businessRecords -1 is negative"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("invalidInBothFormats")
    void avroAndJsonRejectTheSameSamplesWithTheSameMessage(
            MetricSample avro, String json, String message) {
        SampleJson.Result fromAvro = SampleCodec.decode(SampleCodec.encode(avro));
        SampleJson.Result fromJson = SampleCodec.decode(utf8(json));

        assertThat(fromAvro.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(fromAvro.message).isEqualTo(message);
        assertThat(fromAvro.vmId).isEqualTo(avro.getVmId());
        assertThat(fromAvro.timestamp).isEqualTo(avro.getTimestamp().toEpochMilli());
        assertThat(fromJson.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(fromJson.message).isEqualTo(message);
    }

    // ---------------------------------------------------------------- UNDECODABLE

    static final String NO_HEADER =
            "not Avro single-object encoding (no complete C3 01 header and fingerprint) and not a"
                    + " JSON object";

    static Stream<Arguments> notAvroAndNotJson() {
        return Stream.of(
                Arguments.of("three bytes", new byte[] {1, 2, 3}),
                Arguments.of("one byte", new byte[] {(byte) 0xC3}),
                // Not zeros: a first byte 0 is a Confluent frame (ConfluentFrameTest).
                Arguments.of(
                        "twelve bytes of a wrong header",
                        new byte[] {(byte) 0xC3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
                Arguments.of("plain text", utf8("not json")),
                Arguments.of("a JSON array", utf8("[{\"vmId\": \"vm-1\"}]")),
                Arguments.of("blank", utf8("   ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notAvroAndNotJson")
    void valueWithoutTheAvroHeaderThatIsNotAJsonObjectIsUndecodable(String name, byte[] value) {
        SampleJson.Result r = SampleCodec.decode(value);

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).isEqualTo(NO_HEADER);
        assertThat(r.sample).isNull();
    }

    @Test
    void emptyOrNullValueIsUndecodable() {
        for (byte[] value : new byte[][] {null, new byte[0]}) {
            SampleJson.Result r = SampleCodec.decode(value);
            assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(r.message).isEqualTo("empty record value");
        }
    }

    @Test
    void unknownSchemaFingerprintIsUndecodable() {
        byte[] b = SampleCodec.encode(fullSample());
        Arrays.fill(b, 2, 10, (byte) 0x5A);

        SampleJson.Result r = SampleCodec.decode(b);

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("unknown writer schema fingerprint: ");
    }

    @Test
    void truncatedAvroIsUndecodable() {
        byte[] full = SampleCodec.encode(fullSample());
        Consumer<byte[]> undecodable =
                b -> {
                    SampleJson.Result r = SampleCodec.decode(b);
                    assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
                    assertThat(r.message).startsWith("Avro body does not match MetricSample: ");
                };

        undecodable.accept(Arrays.copyOf(full, full.length - 1));
        undecodable.accept(Arrays.copyOf(full, 14));
        // the header and fingerprint alone
        undecodable.accept(Arrays.copyOf(full, 10));
    }

    @Test
    void truncatedHeaderIsUndecodable() {
        byte[] full = SampleCodec.encode(fullSample());

        SampleJson.Result r = SampleCodec.decode(Arrays.copyOf(full, 6));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.sample).isNull();
    }

    @Test
    void trailingGarbageAfterTheAvroBodyIsUndecodable() {
        byte[] full = SampleCodec.encode(fullSample());
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        longer[full.length] = 'x';
        longer[full.length + 1] = 'y';
        longer[full.length + 2] = 'z';

        SampleJson.Result r = SampleCodec.decode(longer);

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.sample).isNull();
    }

    // ---------------------------------------------------------------- JSON on Kafka

    @Test
    void jsonObjectValueIsReadAsJson() {
        String json =
                "{\"vmId\": \"vm-1\", \"systemId\": \"sys-1\", \"timestamp\": "
                        + TS
                        + ", \"memoryUsedBytes\": 1024.0, \"memoryTotalBytes\": 2048}";

        SampleJson.Result plain = SampleCodec.decode(utf8(json));
        SampleJson.Result indented = SampleCodec.decode(utf8(" \r\n\t" + json + "\n"));

        assertThat(plain.ok()).isTrue();
        assertThat(plain.sample.vmId).isEqualTo("vm-1");
        assertThat(plain.sample.memoryUsedBytes).isEqualTo(1024);
        assertThat(indented.sample).isEqualTo(plain.sample);
    }

    @Test
    void jsonValueWithTheSameContentDecodesToTheSameSampleAsAvro() {
        Sample s = fullSample();

        SampleJson.Result fromJson = SampleCodec.decode(utf8(RecordJson.toJson(s)));
        SampleJson.Result fromAvro = SampleCodec.decode(SampleCodec.encode(s));

        assertThat(fromJson.sample).isEqualTo(fromAvro.sample).isEqualTo(s);
    }

    @Test
    void brokenJsonObjectValueIsUndecodableAsJson() {
        SampleJson.Result r = SampleCodec.decode(utf8("{not json"));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("not valid JSON: ");
    }
}
