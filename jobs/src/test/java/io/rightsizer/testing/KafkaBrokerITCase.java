package io.rightsizer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fixture broker keeps what the tests write with past event times: the job stamps its records
 * with event time (weeks of 2026-03 in the tests), which a time-based retention pass deletes, so a
 * test that outlived the broker's first retention pass (30 s after start) read a topic whose first
 * records were gone (ApprovalLoopITCase, once under load: {@code [m2, r2]} for {@code [r1, m2,
 * r2]}).
 */
class KafkaBrokerITCase {
    /** Retention passes every 200 ms instead of 30 s after start, then every 5 minutes. */
    @RegisterExtension
    static final KafkaBroker KAFKA =
            new KafkaBroker(
                    Map.of(
                            "log.initial.task.delay.ms", "0",
                            "log.retention.check.interval.ms", "200"));

    /** Monday 2026-03-09 00:00 in Asia/Shanghai: when the tests' first recommendation fires. */
    static final long FIRED_AT = Samples.MON_2026_03_02 + 7 * Samples.DAY;

    @Test
    void recordsStampedWithPastEventTimeOutliveRetentionPasses() throws Exception {
        String kept = KAFKA.freshTopic("rightsizing-recommendations", 1);
        // The control: a topic that asks for one second's retention, so the passes visibly run.
        String control = KAFKA.freshTopic("control", 1, Map.of("retention.ms", "1000"));
        produceStamped(kept, "r1");
        produceStamped(control, "c1");
        awaitStartOffset(control, 1);
        // A later pass than the one that deleted c1 (it may have reached "kept" first or last).
        produceStamped(control, "c2");
        awaitStartOffset(control, 2);

        assertThat(startOffset(kept)).isZero();
        assertThat(
                        KAFKA.readCommitted(
                                kept,
                                KafkaBrokerITCase::value,
                                1,
                                Duration.ofSeconds(30),
                                Duration.ofMillis(500)))
                .containsExactly("r1");
    }

    static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    /** As the job's sinks write: the record's timestamp is the event time, not now. */
    static void produceStamped(String topic, String value) throws Exception {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            RecordMetadata m =
                    p.send(new ProducerRecord<>(topic, null, FIRED_AT, bytes, bytes)).get();
            assertThat(m.timestamp()).isEqualTo(FIRED_AT);
        }
    }

    static void awaitStartOffset(String topic, long offset) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (startOffset(topic) < offset && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(startOffset(topic)).as("%s's log start offset", topic).isEqualTo(offset);
    }

    static long startOffset(String topic) {
        Properties p = KAFKA.clientProps();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            return c.beginningOffsets(List.of(tp)).get(tp);
        }
    }
}
