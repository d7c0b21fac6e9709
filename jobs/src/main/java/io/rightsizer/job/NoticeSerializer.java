package io.rightsizer.job;

import io.rightsizer.schema.TimeLimitNotice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Time-limit notices on rightsizing-notices: key = vmId, so one VM's notices stay in order on one
 * partition; timestamp = when the notice was issued (event time); value = Avro single-object
 * encoding.
 */
public class NoticeSerializer implements KafkaRecordSerializationSchema<TimeLimitNotice> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public NoticeSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            TimeLimitNotice n, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                n.getIssuedAt().toEpochMilli(),
                n.getVmId().getBytes(StandardCharsets.UTF_8),
                encode(n));
    }

    public static byte[] encode(TimeLimitNotice n) {
        try {
            ByteBuffer b = TimeLimitNotice.getEncoder().encode(n);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TimeLimitNotice decode(byte[] bytes) {
        try {
            return TimeLimitNotice.getDecoder().decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
