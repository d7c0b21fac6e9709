package io.rightsizer.job.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.telemetry.SingleObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A dead letter always fits a Kafka record, whatever was rejected. */
class DeadLetterSerializerTest {
    /** The producer's default max.request.size, which the job does not raise. */
    static final int MAX_REQUEST_SIZE = 1024 * 1024;

    private final DeadLetterSerializer serializer = new DeadLetterSerializer("dead");

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void aPayloadUpToTheCapIsKeptWholeWithItsSizeAndHash() throws Exception {
        for (int n : new int[] {0, 1, Rejected.PAYLOAD_CAP - 1, Rejected.PAYLOAD_CAP}) {
            byte[] raw = filled(n);
            DeadLetter d =
                    DeadLetterSerializer.toAvro(Rejected.of(DeadLetterReason.INVALID, "m", raw));

            assertThat(bytes(d.getPayload())).as("%d bytes", n).isEqualTo(raw);
            assertThat(d.getPayloadSize()).isEqualTo(n);
            assertThat(d.getPayloadSha256()).isEqualTo(sha256(raw));
        }
    }

    @Test
    void aLargerPayloadKeepsItsFirstBytesAndTheSizeAndHashOfTheWhole() throws Exception {
        for (int n : new int[] {Rejected.PAYLOAD_CAP + 1, 1_048_480}) {
            byte[] raw = filled(n);
            raw[n - 1] = 'z';
            DeadLetter d =
                    DeadLetterSerializer.toAvro(Rejected.of(DeadLetterReason.INVALID, "m", raw));

            assertThat(bytes(d.getPayload())).isEqualTo(Arrays.copyOf(raw, Rejected.PAYLOAD_CAP));
            assertThat(d.getPayloadSize()).isEqualTo(n);
            assertThat(d.getPayloadSha256()).isEqualTo(sha256(raw));
        }
    }

    @Test
    void aRejectedBuiltWithoutOfIsCappedByTheSerializerToo() throws Exception {
        Rejected r = new Rejected();
        r.reason = DeadLetterReason.LATE;
        r.message = "m".repeat(Rejected.MESSAGE_CAP + 10);
        r.payload = filled(2 * Rejected.PAYLOAD_CAP);

        DeadLetter d = DeadLetterSerializer.toAvro(r);

        assertThat(d.getPayload().remaining()).isEqualTo(Rejected.PAYLOAD_CAP);
        assertThat(d.getPayloadSize()).isEqualTo(2L * Rejected.PAYLOAD_CAP);
        assertThat(d.getPayloadSha256()).isEqualTo(sha256(filled(2 * Rejected.PAYLOAD_CAP)));
        assertThat(d.getMessage())
                .isEqualTo("m".repeat(Rejected.MESSAGE_CAP - 13) + "…(4106 chars)")
                .hasSize(Rejected.MESSAGE_CAP);
    }

    @Test
    void theIssuesMegabyteValueBecomesADeadLetterFarBelowTheRequestLimit() {
        byte[] raw = filled(1_048_480);
        SampleJson.Result r = SampleCodec.decode(raw);
        Rejected rej = r.toRejected(raw);
        rej.sourceTopic = "vm-metrics";

        ProducerRecord<byte[], byte[]> rec = serializer.serialize(rej, null, null);

        assertThat(size(rec)).isLessThan(Rejected.PAYLOAD_CAP + 8 * 1024);
        DeadLetter d = DeadLetterSerializer.decode(rec.value());
        assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(d.getPayloadSize()).isEqualTo(1_048_480L);
    }

    @Test
    void aSampleWithAFourHundredThousandCharacterVmIdIsInvalidAndItsIdIsCapped() {
        String vmId = "v".repeat(400_000);
        byte[] raw =
                ("{\"vmId\":\"" + vmId + "\",\"systemId\":\"s\",\"timestamp\":1767225600000}")
                        .getBytes(StandardCharsets.UTF_8);

        SampleJson.Result r = SampleCodec.decode(raw);
        assertThat(r.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(r.message)
                .isEqualTo("vmId is 400000 characters long, more than the maximum of 256");
        ProducerRecord<byte[], byte[]> rec = serializer.serialize(r.toRejected(raw), null, null);

        String capped = "v".repeat(Rejected.ID_CAP - 15) + "…(400000 chars)";
        assertThat(capped).hasSize(Rejected.ID_CAP);
        assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo(capped);
        assertThat(DeadLetterSerializer.decode(rec.value()).getVmId()).isEqualTo(capped);
        assertThat(size(rec)).isLessThan(Rejected.PAYLOAD_CAP + 8 * 1024);
    }

    @Test
    void theWorstCaseDeadLetterFitsTheDefaultRequestSize() {
        Rejected r =
                Rejected.of(
                        DeadLetterReason.FAILED,
                        "\u4e2d".repeat(10 * Rejected.MESSAGE_CAP),
                        filled(5 * MAX_REQUEST_SIZE));
        r.vmId = "\u4e2d".repeat(10_000);
        r.sourceTopic = "t".repeat(10_000);

        ProducerRecord<byte[], byte[]> rec = serializer.serialize(r, null, null);

        assertThat(size(rec)).isLessThan(MAX_REQUEST_SIZE / 10);
    }

    @Test
    void everyDeadLetterCarriesItsWriterSchema() {
        ProducerRecord<byte[], byte[]> rec =
                serializer.serialize(
                        Rejected.of(DeadLetterReason.INVALID, "m", new byte[] {1}), null, null);

        assertThat(rec.headers().lastHeader(SingleObject.WRITER_SCHEMA_HEADER).value())
                .isEqualTo(SingleObject.writerSchemaHeader(DeadLetter.getClassSchema()));
    }

    static int size(ProducerRecord<byte[], byte[]> r) {
        int n = r.value().length + (r.key() == null ? 0 : r.key().length);
        for (var h : r.headers()) {
            n += h.key().length() + h.value().length;
        }
        return n;
    }
}
