package io.rightsizer.job;

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
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Rejected r, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                null,
                r.vmId == null ? null : r.vmId.getBytes(StandardCharsets.UTF_8),
                encode(toAvro(r)));
    }

    public static DeadLetter toAvro(Rejected r) {
        return DeadLetter.newBuilder()
                .setPayload(ByteBuffer.wrap(r.payload == null ? new byte[0] : r.payload))
                .setSourceTopic(r.sourceTopic)
                .setSourcePartition(r.sourcePartition < 0 ? null : r.sourcePartition)
                .setSourceOffset(r.sourceOffset < 0 ? null : r.sourceOffset)
                .setReason(r.reason)
                .setMessage(r.message)
                .setVmId(r.vmId)
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
        return SingleObject.decode(DeadLetter.getDecoder(), bytes, "DeadLetter");
    }
}
