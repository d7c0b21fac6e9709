package io.rightsizer.job;

import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes the data center's decisions to the decisions topic ({@link DecisionSerializer}: key =
 * the recommendation id), for both {@code rightsizer decide} and the approval console, so that the
 * job cannot tell them apart.
 */
public final class DecisionPublisher implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    /**
     * @param producer the properties of a byte-array producer (the command line's: idempotent,
     *     acks=all)
     * @throws org.apache.kafka.common.KafkaException when the client cannot be created
     */
    public DecisionPublisher(Properties producer, String topic) {
        this.producer = new KafkaProducer<>(producer);
        this.topic = topic;
    }

    /** Whether {@code id} has the form of the job's recommendation ids. */
    public static boolean isRecommendationId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Why {@code id} is refused before anything is published. */
    public static String notARecommendationId(String id) {
        return "'"
                + id
                + "' is not a recommendation id: 32 lowercase hex digits, the"
                + " recommendationId `rightsizer tail --json` shows";
    }

    /** The decision record: {@code by} stripped, a blank comment left out, the comment stripped. */
    public static Decision decision(
            String id,
            DecisionState state,
            String by,
            Instant decidedAt,
            String comment,
            Instant deferUntil) {
        return Decision.newBuilder()
                .setRecommendationId(id)
                .setState(state)
                .setDecidedBy(by.strip())
                .setDecidedAt(decidedAt)
                .setComment(comment == null || comment.isBlank() ? null : comment.strip())
                .setDeferUntil(deferUntil)
                .build();
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends {@code d} and waits until the broker acknowledged it.
     *
     * @throws ExecutionException with Kafka's exception as its cause
     * @throws org.apache.kafka.common.KafkaException when the producer fails outright
     */
    public RecordMetadata publish(Decision d) throws ExecutionException, InterruptedException {
        return producer.send(DecisionSerializer.record(topic, d)).get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
