package io.rightsizer.job.codec;

import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.telemetry.RecordCaps;
import io.rightsizer.telemetry.SingleObject;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Time-limit notices on rightsizing-notices: key = vmId, so one VM's notices stay in order on one
 * partition; timestamp = when the notice was issued (event time); value = Avro single-object
 * encoding.
 */
public class NoticeSerializer implements KafkaRecordSerializationSchema<TimeLimitNotice> {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(TimeLimitNotice.getClassSchema());

    private static final SingleObject.Reader<TimeLimitNotice> READER =
            SingleObject.reader(TimeLimitNotice.class);

    private static final long serialVersionUID = 1L;

    private final String topic;

    public NoticeSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            TimeLimitNotice n, KafkaSinkContext context, Long timestamp) {
        n = RecordCaps.fit(n);
        return SingleObject.withWriterSchema(
                new ProducerRecord<>(
                        topic,
                        null,
                        n.getIssuedAt().toEpochMilli(),
                        n.getVmId().getBytes(StandardCharsets.UTF_8),
                        encode(n)),
                WRITER_SCHEMA);
    }

    public static byte[] encode(TimeLimitNotice n) {
        return SingleObject.encode(TimeLimitNotice.getEncoder(), n);
    }

    /**
     * @throws IllegalArgumentException saying why, when the bytes are not a TimeLimitNotice
     */
    public static TimeLimitNotice decode(byte[] bytes) {
        return SingleObject.decode(READER, bytes, "TimeLimitNotice");
    }

    /** As {@link #decode(byte[])}, reading a newer writer schema from the record's headers. */
    public static TimeLimitNotice decode(
            byte[] bytes, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(READER, bytes, headers, "TimeLimitNotice");
    }
}
