package io.rightsizer.job.codec;

import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.telemetry.RecordCaps;
import io.rightsizer.telemetry.SingleObject;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The audit trail on rightsizing-recommendation-events: key = the recommendationId, so one
 * recommendation's events stay in order on one partition; timestamp = the event's {@code at}; value
 * = Avro single-object encoding.
 */
public class RecommendationEventSerializer
        implements KafkaRecordSerializationSchema<RecommendationEvent> {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(RecommendationEvent.getClassSchema());

    private static final SingleObject.Reader<RecommendationEvent> READER =
            SingleObject.reader(RecommendationEvent.class);

    private static final long serialVersionUID = 1L;

    private final String topic;

    public RecommendationEventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RecommendationEvent e, KafkaSinkContext context, Long timestamp) {
        e = RecordCaps.fit(e);
        return SingleObject.withWriterSchema(
                new ProducerRecord<>(
                        topic,
                        null,
                        e.getAt().toEpochMilli(),
                        e.getRecommendationId().getBytes(StandardCharsets.UTF_8),
                        encode(e)),
                WRITER_SCHEMA);
    }

    public static byte[] encode(RecommendationEvent e) {
        return SingleObject.encode(RecommendationEvent.getEncoder(), e);
    }

    /**
     * @throws IllegalArgumentException saying why, when the bytes are not a RecommendationEvent
     */
    public static RecommendationEvent decode(byte[] bytes) {
        return SingleObject.decode(READER, bytes, "RecommendationEvent");
    }

    /** As {@link #decode(byte[])}, reading a newer writer schema from the record's headers. */
    public static RecommendationEvent decode(
            byte[] bytes, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(READER, bytes, headers, "RecommendationEvent");
    }
}
