package io.rightsizer.job.codec;

import io.rightsizer.schema.Decision;
import io.rightsizer.telemetry.SingleObject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Decisions on rightsizing-decisions: key = the recommendationId (one recommendation's decisions
 * stay in order on one partition), value = Avro single-object encoding. The job only reads
 * decisions ({@link DecisionDeserializer}); {@link #record} is what `rightsizer decide` sends.
 */
public final class DecisionSerializer {
    private static final byte[] WRITER_SCHEMA =
            SingleObject.writerSchemaHeader(Decision.getClassSchema());

    private static final SingleObject.Reader<Decision> READER = SingleObject.reader(Decision.class);

    private DecisionSerializer() {}

    /** The record `rightsizer decide` sends. */
    public static ProducerRecord<byte[], byte[]> record(String topic, Decision d) {
        return SingleObject.withWriterSchema(
                new ProducerRecord<>(
                        topic,
                        null,
                        d.getDecidedAt().toEpochMilli(),
                        d.getRecommendationId().getBytes(StandardCharsets.UTF_8),
                        encode(d)),
                WRITER_SCHEMA);
    }

    public static byte[] encode(Decision d) {
        return SingleObject.encode(Decision.getEncoder(), d);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a single-object encoded Decision
     */
    /** A reader of decisions Confluent-framed with the ids of {@code registry}. */
    static io.rightsizer.telemetry.ConfluentFrame.Decoder<Decision> framedDecoder(
            io.rightsizer.telemetry.ConfluentFrame.Schemas registry) {
        return new io.rightsizer.telemetry.ConfluentFrame.Decoder<>(READER, registry);
    }

    public static Decision decode(byte[] bytes) {
        return READER.read(bytes);
    }

    /** As {@link #decode(byte[])}, reading a newer writer schema from the headers. */
    public static Decision decode(byte[] bytes, org.apache.kafka.common.header.Headers headers) {
        return READER.read(bytes, headers);
    }
}
