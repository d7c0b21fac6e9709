package io.rightsizer.job;

import io.rightsizer.schema.Recommendation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Recommendations on the approval topic: key = the subject (vmId, or systemId for system-level
 * rules) so one subject's recommendations stay in order on one partition; value = Avro
 * single-object encoding.
 */
public class RecommendationSerializer implements KafkaRecordSerializationSchema<Recommendation> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public RecommendationSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Recommendation r, KafkaSinkContext context, Long timestamp) {
        String subject = r.getVmId() != null ? r.getVmId() : r.getSystemId();
        return new ProducerRecord<>(
                topic,
                null,
                r.getFiredAt().toEpochMilli(),
                subject.getBytes(StandardCharsets.UTF_8),
                encode(r));
    }

    public static byte[] encode(Recommendation r) {
        try {
            ByteBuffer b = Recommendation.getEncoder().encode(r);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Recommendation decode(byte[] bytes) {
        try {
            return Recommendation.getDecoder().decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
