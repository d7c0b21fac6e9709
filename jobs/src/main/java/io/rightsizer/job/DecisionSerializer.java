package io.rightsizer.job;

import io.rightsizer.schema.Decision;
import io.rightsizer.telemetry.SingleObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Decisions on rightsizing-decisions: key = the recommendationId (one recommendation's decisions
 * stay in order on one partition), value = Avro single-object encoding. The job only reads
 * decisions ({@link DecisionDeserializer}); {@link #record} is what `rightsizer decide` sends.
 */
public final class DecisionSerializer {
    private DecisionSerializer() {}

    /** The record `rightsizer decide` sends. */
    public static ProducerRecord<byte[], byte[]> record(String topic, Decision d) {
        return new ProducerRecord<>(
                topic,
                null,
                d.getDecidedAt().toEpochMilli(),
                d.getRecommendationId().getBytes(StandardCharsets.UTF_8),
                encode(d));
    }

    public static byte[] encode(Decision d) {
        return SingleObject.encode(Decision.getEncoder(), d);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a single-object encoded Decision
     */
    public static Decision decode(byte[] bytes) {
        try {
            return Decision.getDecoder().decode(bytes);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
