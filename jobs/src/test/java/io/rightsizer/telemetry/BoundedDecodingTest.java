package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * Hostile single-object records: a decoder never allocates more than the record holds, and every
 * malformed record is a reason, never an exception or an {@link Error}.
 */
class BoundedDecodingTest {
    private static final SingleObject.Reader<MetricSample> SAMPLES =
            SingleObject.reader(MetricSample.class);

    /** {@code C3 01}, the record's fingerprint, then {@code body}. */
    static byte[] record(org.apache.avro.Schema schema, byte... body) {
        long fp = SchemaNormalization.parsingFingerprint64(schema);
        byte[] out = new byte[10 + body.length];
        out[0] = (byte) 0xC3;
        out[1] = 1;
        for (int i = 0; i < 8; i++) {
            out[2 + i] = (byte) (fp >>> (8 * i));
        }
        System.arraycopy(body, 0, out, 10, body.length);
        return out;
    }

    /** Avro's zig-zag varint of {@code v}. */
    static byte[] varint(long v) {
        long z = (v << 1) ^ (v >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7fL) != 0) {
            out.write((int) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    @Test
    void aStringLengthOfTwoBillionInEighteenBytesIsUndecodableWithoutAllocatingIt() {
        byte[] hostile = record(MetricSample.getClassSchema(), varint(2_000_000_000L));
        assertThat(hostile).hasSize(15);

        SampleJson.Result r = SampleCodec.decode(hostile);

        assertThat(r.ok()).isFalse();
        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .isEqualTo(
                        "Avro body does not match MetricSample: java.io.IOException: a string"
                                + " declares 2000000000 bytes at byte 15 but only 0 remain");
    }

    @Test
    void theIssuesEighteenByteRecordIsUndecodable() {
        // As found: the header, the fingerprint, a string length of 2,000,000,000 and 3 more bytes.
        byte[] body = new byte[8];
        byte[] len = varint(2_000_000_000L);
        System.arraycopy(len, 0, body, 0, len.length);
        byte[] hostile = record(MetricSample.getClassSchema(), body);
        assertThat(hostile).hasSize(18);

        SampleJson.Result r = SampleCodec.decode(hostile);

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).contains("declares 2000000000 bytes at byte 15 but only 3 remain");
    }

    @Test
    void aStringAsLongAsTheRestOfTheRecordIsReadAndOneByteLongerIsNot() {
        byte[] id = "vm-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] valid = SampleCodec.encode(SampleCodecTest.avro().setVmId("vm-1").build());
        // vmId is the first field: its length byte is at 10, then its 4 bytes.
        assertThat(valid[10]).isEqualTo(varint(id.length)[0]);

        byte[] tooLong = valid.clone();
        tooLong[10] = varint(valid.length - 11 + 1)[0];
        assertThatThrownBy(() -> SAMPLES.read(tooLong))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage(
                        "java.io.IOException: a string declares "
                                + (valid.length - 10)
                                + " bytes at byte 11 but only "
                                + (valid.length - 11)
                                + " remain");

        byte[] exact = valid.clone();
        exact[10] = varint(valid.length - 11)[0];
        // The whole rest is the id now: the fields after it are missing, not over-long.
        assertThatThrownBy(() -> SAMPLES.read(exact))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void everyPrefixOfAValidRecordIsAReasonNotAnException() {
        byte[] valid = SampleCodec.encode(SampleCodecTest.fullSample());
        for (int n = 0; n < valid.length; n++) {
            SampleJson.Result r = SampleCodec.decode(Arrays.copyOf(valid, n));
            assertThat(r.ok()).as("prefix of %d bytes", n).isFalse();
            assertThat(r.reason)
                    .as("prefix of %d bytes", n)
                    .isEqualTo(DeadLetterReason.UNDECODABLE);
        }
        assertThat(SampleCodec.decode(valid).ok()).isTrue();
    }

    private static final org.apache.avro.Schema LISTS =
            new org.apache.avro.Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Lists\",\"fields\":["
                                    + "{\"name\":\"ids\",\"type\":{\"type\":\"array\","
                                    + "\"items\":\"string\"}},"
                                    + "{\"name\":\"tags\",\"type\":{\"type\":\"map\","
                                    + "\"values\":\"long\"}}]}");

    @Test
    void anArrayBlockWithMoreItemsThanBytesLeftIsRefusedBeforeTheArrayIsMade() {
        SingleObject.Reader<Object> reader = new SingleObject.Reader<>(LISTS, java.util.List.of());
        byte[] hostile = record(LISTS, concat(varint(1_000_000_000L), new byte[] {2, 'a'}));

        assertThatThrownBy(() -> reader.read(hostile))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage(
                        "java.io.IOException: an array block declares 1000000000 items at byte 15"
                                + " but only 2 bytes remain");
    }

    @Test
    void aMapBlockWithMoreEntriesThanBytesLeftIsRefused() {
        SingleObject.Reader<Object> reader = new SingleObject.Reader<>(LISTS, java.util.List.of());
        byte[] hostile = record(LISTS, concat(new byte[] {0}, varint(-500_000_000L), varint(3)));

        assertThatThrownBy(() -> reader.read(hostile))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessageContaining("a map block declares 3 bytes");
    }

    @Test
    void arraysAndMapsThatFitAreRead() {
        SingleObject.Reader<Object> reader = new SingleObject.Reader<>(LISTS, java.util.List.of());
        byte[] ok =
                record(
                        LISTS,
                        concat(
                                varint(2),
                                varint(1),
                                new byte[] {'a'},
                                varint(1),
                                new byte[] {'b'},
                                varint(0),
                                varint(1),
                                varint(1),
                                new byte[] {'k'},
                                varint(42),
                                varint(0)));

        assertThat(reader.read(ok).toString())
                .isEqualTo("{\"ids\": [\"a\", \"b\"], \"tags\": {\"k\": 42}}");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void trailingBytesAreNamed() {
        byte[] valid = SampleCodec.encode(SampleCodecTest.fullSample());
        byte[] longer = Arrays.copyOf(valid, valid.length + 2);

        assertThatThrownBy(() -> SAMPLES.read(longer))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage("2 bytes after the end of the Avro body");
    }

    @Test
    void jsonNestedOneLevelTooDeepIsUndecodableAndAtTheLimitIsRead() {
        String at =
                "{\"vmId\":\"vm-1\",\"systemId\":\"s\",\"timestamp\":1,\"x\":"
                        + "[".repeat(JsonLimits.MAX_DEPTH - 1)
                        + "]".repeat(JsonLimits.MAX_DEPTH - 1)
                        + "}";
        String over = at.replace("\"x\":[", "\"x\":[[").replace("]}", "]]}");

        assertThat(SampleCodec.decode(at.getBytes(java.nio.charset.StandardCharsets.UTF_8)).ok())
                .isTrue();
        SampleJson.Result r =
                SampleCodec.decode(over.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).contains("exceeds the maximum allowed (16");
    }
}
