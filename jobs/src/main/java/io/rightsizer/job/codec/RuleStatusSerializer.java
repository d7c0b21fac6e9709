package io.rightsizer.job.codec;

import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.telemetry.RecordCaps;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SingleObject;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Rule-update decisions on the status topic: key = the update's version, Avro single-object. */
public class RuleStatusSerializer implements KafkaRecordSerializationSchema<RuleSetStatus> {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(RuleSetStatus.getClassSchema());

    private static final long serialVersionUID = 1L;

    private final String topic;

    public RuleStatusSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RuleSetStatus s, KafkaSinkContext context, Long timestamp) {
        s = RecordCaps.fit(s);
        return SingleObject.withWriterSchema(
                new ProducerRecord<>(
                        topic,
                        null,
                        s.getDecidedAt().toEpochMilli(),
                        s.getVersion() == null
                                ? null
                                : s.getVersion().getBytes(StandardCharsets.UTF_8),
                        RuleEnvelopes.encode(s)),
                WRITER_SCHEMA);
    }
}
