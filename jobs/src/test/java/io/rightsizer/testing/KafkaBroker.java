package io.rightsizer.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft broker in the test JVM (Kafka's own test kit), with the settings a
 * single-node cluster needs for transactions. Register it as a static extension; every test asks
 * for fresh topics.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private final Map<String, String> settings;

    private KafkaClusterTestKit cluster;

    public KafkaBroker() {
        this(Map.of());
    }

    /** A broker with these broker {@code settings} on top of (or instead of) the fixture's. */
    public KafkaBroker(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        KafkaClusterTestKit.Builder builder =
                new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        // The tests replay telemetry of past weeks (2026-03), and the job stamps
                        // its records with event time (a recommendation with firedAt, an event
                        // with its instant): under the default 7-day retention the retention pass
                        // 30 s after start (then every 5 min) deletes every record already
                        // committed, and a test that takes longer under load reads a topic whose
                        // beginning is gone.
                        .setConfigProp("log.retention.ms", "-1");
        settings.forEach(builder::setConfigProp);
        cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Stops the broker and starts it again on the same port and log directories, as a broker
     * restart in production: clients keep their bootstrap address and reconnect. The KRaft
     * controller (same node, combined mode) stays up. Returns when the broker serves metadata
     * again.
     */
    public void restartBroker() throws Exception {
        for (kafka.server.BrokerServer broker : cluster.brokers().values()) {
            broker.shutdown();
            broker.awaitShutdown();
        }
        for (kafka.server.BrokerServer broker : cluster.brokers().values()) {
            broker.startup();
        }
        cluster.waitForReadyBrokers();
        try (Admin admin = Admin.create(clientProps())) {
            admin.describeCluster().nodes().get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A topic no other test uses: {@code <name>-<n>}. */
    public String freshTopic(String name, int partitions) throws Exception {
        return freshTopic(name, partitions, Map.of());
    }

    /** As {@link #freshTopic(String, int)}, with topic-level {@code configs}. */
    public String freshTopic(String name, int partitions, Map<String, String> configs)
            throws Exception {
        String topic = name + "-" + TOPICS.incrementAndGet();
        try (Admin admin = Admin.create(clientProps())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all()
                    .get();
        }
        return topic;
    }

    public Properties clientProps() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = clientProps();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p);
    }

    public void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} as {@link #readCommitted(String, Predicate, Duration, Duration)} does
     * until at least {@code expected} records were read, and decodes each with {@code decode}.
     */
    public <T> List<T> readCommitted(
            String topic,
            Function<ConsumerRecord<byte[], byte[]>, T> decode,
            int expected,
            Duration timeout,
            Duration settle) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                readCommitted(topic, rs -> rs.size() >= expected, timeout, settle)) {
            out.add(decode.apply(r));
        }
        return out;
    }

    /**
     * Reads {@code topic} with read_committed from the beginning until {@code done} holds for what
     * was read, or the timeout passes; then keeps reading for {@code settle} more to catch any
     * extra record (a duplicate would show up there).
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration timeout,
            Duration settle) {
        Properties p = clientProps();
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            // Assigned, not subscribed: joining a consumer group on a fresh broker can take a
            // minute and proves nothing here.
            List<TopicPartition> partitions = new ArrayList<>();
            c.partitionsFor(topic)
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (settleUntil == Long.MAX_VALUE && done.test(out)) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }
}
