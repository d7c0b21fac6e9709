package io.rightsizer.job.codec;

import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.telemetry.RecordCaps;
import io.rightsizer.telemetry.SingleObject;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Data-quality events on rightsizing-data-quality: key = vmId, so a VM's SILENT and RESUMED stay in
 * order on one partition; timestamp = detectedAt (event time); value = Avro single-object encoding.
 */
public class DataQualitySerializer implements KafkaRecordSerializationSchema<DataQualityEvent> {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(DataQualityEvent.getClassSchema());

    private static final SingleObject.Reader<DataQualityEvent> READER =
            SingleObject.reader(DataQualityEvent.class);

    private static final long serialVersionUID = 1L;

    private final String topic;

    public DataQualitySerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DataQualityEvent e, KafkaSinkContext context, Long timestamp) {
        e = RecordCaps.fit(e);
        return SingleObject.withWriterSchema(
                new ProducerRecord<>(
                        topic,
                        null,
                        e.getDetectedAt().toEpochMilli(),
                        e.getVmId().getBytes(StandardCharsets.UTF_8),
                        encode(e)),
                WRITER_SCHEMA);
    }

    public static byte[] encode(DataQualityEvent e) {
        return SingleObject.encode(DataQualityEvent.getEncoder(), e);
    }

    /**
     * @throws IllegalArgumentException saying why, when the bytes are not a DataQualityEvent
     */
    public static DataQualityEvent decode(byte[] bytes) {
        return SingleObject.decode(READER, bytes, "DataQualityEvent");
    }

    /** As {@link #decode(byte[])}, reading a newer writer schema from the record's headers. */
    public static DataQualityEvent decode(
            byte[] bytes, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(READER, bytes, headers, "DataQualityEvent");
    }
}
