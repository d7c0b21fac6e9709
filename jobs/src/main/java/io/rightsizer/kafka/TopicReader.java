package io.rightsizer.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics the way the data center would: read_committed, so only the job's committed
 * transactions are seen, and by assignment rather than a consumer group, so there is no group to
 * join or offsets to leave behind.
 */
public final class TopicReader {
    private TopicReader() {}

    /** Settings of a byte-array, read_committed consumer without a group. */
    public static Properties properties(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    /** A consumer assigned to every partition of {@code topic}, positioned at the beginning. */
    public static KafkaConsumer<byte[], byte[]> fromBeginning(Properties p, String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        List<TopicPartition> tps = new ArrayList<>();
        c.partitionsFor(topic).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    /** Every committed record value of {@code topic} up to its end offsets at the call. */
    public static List<byte[]> readToEnd(String bootstrap, String topic) {
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = fromBeginning(properties(bootstrap), topic)) {
            drain(c, r -> out.add(r.value()), Long.MAX_VALUE);
        }
        return out;
    }

    /**
     * Every committed record of {@code topic} up to its end offsets at the call, with its headers
     * (a reader one release behind needs the writer-schema header).
     */
    public static List<ConsumerRecord<byte[], byte[]>> readRecordsToEnd(
            String bootstrap, String topic) {
        return readRecordsToEnd(properties(bootstrap), topic);
    }

    /** As {@link #readRecordsToEnd(String, String)}, with client settings {@code p}. */
    public static List<ConsumerRecord<byte[], byte[]>> readRecordsToEnd(
            Properties p, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = fromBeginning(p, topic)) {
            drain(c, out::add, Long.MAX_VALUE);
        }
        return out;
    }

    /**
     * Every committed record of {@code topic} (keys, values, partitions and offsets) up to its end
     * offsets at the call, in the order read: offset order within a partition. Gives up with a
     * {@link TimeoutException} when the end is not reached within {@code timeout} (blocking calls
     * before the first poll wait up to the consumer's {@code default.api.timeout.ms}).
     *
     * @throws UnknownTopicOrPartitionException when the topic does not exist
     */
    public static List<ConsumerRecord<byte[], byte[]>> readRecordsToEnd(
            Properties p, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = fromBeginning(p, topic)) {
            if (c.assignment().isEmpty()) {
                throw new UnknownTopicOrPartitionException("topic " + topic + " does not exist");
            }
            drain(c, out::add, deadline);
        }
        return out;
    }

    private static void drain(
            KafkaConsumer<byte[], byte[]> c,
            Consumer<ConsumerRecord<byte[], byte[]>> sink,
            long deadlineNanos) {
        Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
        while (!atEnd(c, end)) {
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
                throw new TimeoutException("the end of the topic was not reached in time");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                sink.accept(r);
            }
        }
    }

    /** Whether the consumer has passed the given end offsets on every assigned partition. */
    public static boolean atEnd(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
