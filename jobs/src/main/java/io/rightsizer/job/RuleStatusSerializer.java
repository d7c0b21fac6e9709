package io.rightsizer.job;

import io.rightsizer.schema.RuleSetStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Rule-update decisions on the status topic: key = the update's version, Avro single-object. */
public class RuleStatusSerializer implements KafkaRecordSerializationSchema<RuleSetStatus> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public RuleStatusSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RuleSetStatus s, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                s.getDecidedAt().toEpochMilli(),
                s.getVersion() == null ? null : s.getVersion().getBytes(StandardCharsets.UTF_8),
                encode(s));
    }

    public static byte[] encode(RuleSetStatus s) {
        try {
            ByteBuffer b = RuleSetStatus.getEncoder().encode(s);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
