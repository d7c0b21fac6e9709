package io.rightsizer.job.codec;

import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.ConfluentFrame;
import io.rightsizer.telemetry.RecordCaps;
import io.rightsizer.telemetry.SingleObject;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Recommendations on the approval topic: key = the subject (vmId, or systemId for system-level
 * rules) so one subject's recommendations stay in order on one partition; value = Avro
 * single-object encoding, or Confluent-framed with a schema registry (the writer-schema header lets
 * every reader of the project read both without a registry).
 */
public class RecommendationSerializer implements KafkaRecordSerializationSchema<Recommendation> {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(Recommendation.getClassSchema());

    private static final SingleObject.Reader<Recommendation> READER =
            SingleObject.reader(Recommendation.class);

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int schemaId;

    public RecommendationSerializer(String topic) {
        this(topic, ApprovalSchema.NONE);
    }

    /**
     * @param schemaId the Recommendation schema's id in the schema registry ({@link
     *     ApprovalSchema#register}): values are Confluent-framed; {@link ApprovalSchema#NONE}:
     *     single-object encoding
     */
    public RecommendationSerializer(String topic, int schemaId) {
        this.topic = topic;
        this.schemaId = schemaId;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Recommendation r, KafkaSinkContext context, Long timestamp) {
        r = RecordCaps.fit(r);
        String subject = r.getVmId() != null ? r.getVmId() : r.getSystemId();
        return SingleObject.withWriterSchema(
                new ProducerRecord<>(
                        topic,
                        null,
                        r.getFiredAt().toEpochMilli(),
                        subject.getBytes(StandardCharsets.UTF_8),
                        schemaId == ApprovalSchema.NONE
                                ? encode(r)
                                : ConfluentFrame.encode(schemaId, r)),
                WRITER_SCHEMA);
    }

    public static byte[] encode(Recommendation r) {
        return SingleObject.encode(Recommendation.getEncoder(), r);
    }

    /**
     * @throws IllegalArgumentException saying why, when the bytes are not a Recommendation
     */
    public static Recommendation decode(byte[] bytes) {
        return SingleObject.decode(READER, bytes, "Recommendation");
    }

    /** As {@link #decode(byte[])}, reading a newer writer schema from the record's headers. */
    public static Recommendation decode(
            byte[] bytes, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(READER, bytes, headers, "Recommendation");
    }
}
