package io.rightsizer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded single-node broker of the demo and local runs. */
class EmbeddedKafkaITCase {
    @TempDir Path dataDir;

    @Test
    void servesTopicsAndTransactionsAndKeepsThemAcrossARestartOnTheSameDataDir() throws Exception {
        int port = freePort();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(port, dataDir)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.dataDir()).isEqualTo(dataDir);

            kafka.createTopics(3, "metrics");
            kafka.createTopics(1, "recs", "dead");
            assertThat(partitions(kafka, "metrics", "recs", "dead"))
                    .isEqualTo(Map.of("metrics", 3, "recs", 1, "dead", 1));

            // Idempotent: existing topics are left as they are, missing ones are created.
            kafka.createTopics(5, "metrics", "recs", "extra");
            assertThat(partitions(kafka, "metrics", "recs", "dead", "extra"))
                    .isEqualTo(Map.of("metrics", 3, "recs", 1, "dead", 1, "extra", 5));
            try (Admin admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get())
                        .containsExactlyInAnyOrder("metrics", "recs", "dead", "extra");
            }

            // Transactions work on the single node: a committed record is visible to a
            // read_committed consumer, an aborted one is not.
            try (KafkaProducer<String, String> p = transactionalProducer(kafka)) {
                p.initTransactions();
                p.beginTransaction();
                p.send(new ProducerRecord<>("recs", "vm-1", "committed"));
                p.commitTransaction();
                p.beginTransaction();
                p.send(new ProducerRecord<>("recs", "vm-1", "aborted"));
                p.flush();
                p.abortTransaction();
            }
            assertThat(readCommitted(kafka, "recs")).containsExactly("vm-1=committed");
        }

        try (EmbeddedKafka again = EmbeddedKafka.start(port, dataDir)) {
            assertThat(again.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            try (Admin admin = again.admin()) {
                assertThat(admin.listTopics().names().get())
                        .containsExactlyInAnyOrder("metrics", "recs", "dead", "extra");
            }
            assertThat(partitions(again, "metrics", "recs", "dead", "extra"))
                    .isEqualTo(Map.of("metrics", 3, "recs", 1, "dead", 1, "extra", 5));
            assertThat(readCommitted(again, "recs")).containsExactly("vm-1=committed");
        }
        assertThat(dataDir).isDirectory();
        assertThat(dataDir.resolve("logs").resolve("meta.properties")).isRegularFile();
    }

    @Test
    void temporaryDataDirIsDeletedOnClose() throws Exception {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            dir = kafka.dataDir();
            assertThat(dir).isDirectory();
            assertThat(dir.resolve("logs").resolve("meta.properties")).isRegularFile();
            assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
            kafka.createTopics(2, "t");
            assertThat(partitions(kafka, "t")).isEqualTo(Map.of("t", 2));
        }
        assertThat(Files.exists(dir)).as(dir + " deleted").isFalse();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<String, Integer> partitions(EmbeddedKafka kafka, String... topics)
            throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<String, TopicDescription> d =
                    admin.describeTopics(List.of(topics)).allTopicNames().get();
            return d.values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, t -> t.partitions().size()));
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it-" + UUID.randomUUID());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return new KafkaProducer<>(p);
    }

    /** Every record of the single-partition {@code topic} a read_committed consumer sees. */
    private static List<String> readCommitted(EmbeddedKafka kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            // With read_committed the end offset is the last stable offset: past the commit
            // and abort markers once both transactions are complete.
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.key() + "=" + r.value());
                }
            }
            assertThat(c.position(tp)).as("read to the end of " + topic).isEqualTo(end);
        }
        return out;
    }
}
