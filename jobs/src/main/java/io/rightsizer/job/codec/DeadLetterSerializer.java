package io.rightsizer.job.codec;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.telemetry.SingleObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters as Avro single-object encoded {@link DeadLetter}s, keyed by vmId when known. */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<Rejected> {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(DeadLetter.getClassSchema());

    private static final SingleObject.Reader<DeadLetter> READER =
            SingleObject.reader(DeadLetter.class);

    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Rejected r, KafkaSinkContext context, Long timestamp) {
        String vmId = Rejected.cap(r.vmId, Rejected.ID_CAP);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        null,
                        vmId == null ? null : vmId.getBytes(StandardCharsets.UTF_8),
                        encode(toAvro(r)));
        record.headers().add(SingleObject.WRITER_SCHEMA_HEADER, WRITER_SCHEMA);
        return record;
    }

    /**
     * The dead letter of {@code r}, every field capped again ({@link Rejected#of} caps where a
     * record is rejected; a Rejected built another way must fit too).
     */
    public static DeadLetter toAvro(Rejected r) {
        byte[] payload = r.payload == null ? new byte[0] : r.payload;
        Long size = r.payloadSize >= 0 ? r.payloadSize : null;
        String sha = r.payloadSha256;
        if (payload.length > Rejected.PAYLOAD_CAP) {
            size = (long) payload.length;
            sha = Rejected.of(r.reason, "", payload).payloadSha256;
            payload = java.util.Arrays.copyOf(payload, Rejected.PAYLOAD_CAP);
        }
        return DeadLetter.newBuilder()
                .setPayload(ByteBuffer.wrap(payload))
                .setPayloadSize(size)
                .setPayloadSha256(sha)
                .setSourceTopic(Rejected.cap(r.sourceTopic, Rejected.ID_CAP))
                .setSourcePartition(r.sourcePartition < 0 ? null : r.sourcePartition)
                .setSourceOffset(r.sourceOffset < 0 ? null : r.sourceOffset)
                .setReason(r.reason)
                .setMessage(r.message == null ? "" : Rejected.cap(r.message, Rejected.MESSAGE_CAP))
                .setVmId(Rejected.cap(r.vmId, Rejected.ID_CAP))
                .setSampleTimestamp(
                        r.sampleTimestamp == Long.MIN_VALUE
                                ? null
                                : Instant.ofEpochMilli(r.sampleTimestamp))
                .build();
    }

    public static byte[] encode(DeadLetter d) {
        return SingleObject.encode(DeadLetter.getEncoder(), d);
    }

    /**
     * @throws IllegalArgumentException saying why, when the bytes are not a DeadLetter
     */
    public static DeadLetter decode(byte[] bytes) {
        return SingleObject.decode(READER, bytes, "DeadLetter");
    }

    /** As {@link #decode(byte[])}, reading a newer writer schema from the record's headers. */
    public static DeadLetter decode(byte[] bytes, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(READER, bytes, headers, "DeadLetter");
    }
}
