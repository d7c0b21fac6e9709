package io.rightsizer.console;

import io.rightsizer.console.ConsoleModel.Loading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The console's one reader: a read_committed consumer without a group, assigned every partition of
 * the topics it follows, read from the beginning and then followed. The first read is done when
 * every partition has reached the end offset it had when it was assigned. A topic that does not
 * exist yet (the job creates some only when it first writes) is looked for again every {@link
 * #RECHECK} and read from its beginning once it appears.
 */
final class TopicFollower implements AutoCloseable {
    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    /** What is done with each record read; it never throws for a bad record. */
    interface Sink {
        void accept(ConsumerRecord<byte[], byte[]> r);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final String brokers;
    private final Sink sink;
    private final Thread thread;
    private final AtomicLong read = new AtomicLong();
    private final Set<String> present = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Only the reader thread touches these. */
    private final Map<TopicPartition, Long> endAtStart = new HashMap<>();

    private final List<TopicPartition> assigned = new ArrayList<>();
    private long lastCheck;

    private volatile boolean ready;
    private volatile String detail = "connecting";
    private volatile boolean closing;

    TopicFollower(java.util.Properties consumer, List<String> topics, String brokers, Sink sink) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(consumer);
        // Looking for a topic that is not there yet must not create it (with the broker's
        // defaults) where the brokers auto-create topics.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p);
        this.topics = List.copyOf(new LinkedHashSet<>(topics));
        this.brokers = brokers;
        this.sink = sink;
        this.thread = new Thread(this::run, "rightsizer-console-reader");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Loading loading() {
        return new Loading(ready, read.get(), detail);
    }

    /** Whether {@code topic} existed when last looked for. */
    boolean exists(String topic) {
        return present.contains(topic);
    }

    private void run() {
        while (!closing) {
            try {
                if (assigned.isEmpty() || missing() && elapsed()) {
                    assignNew();
                }
                if (assigned.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    sink.accept(r);
                    read.incrementAndGet();
                }
                if (!ready) {
                    checkReady();
                }
            } catch (WakeupException e) {
                // close(): the loop ends.
            } catch (KafkaException e) {
                detail = "Kafka at " + brokers + ": " + e.getMessage() + " (retrying)";
                pause();
            } catch (RuntimeException e) {
                detail = "reading failed: " + e + " (retrying)";
                pause();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private boolean missing() {
        return present.size() < topics.size();
    }

    private boolean elapsed() {
        return System.nanoTime() - lastCheck >= RECHECK.toNanos();
    }

    /** Assigns the partitions of the topics that exist now and were not assigned yet. */
    private void assignNew() {
        lastCheck = System.nanoTime();
        List<TopicPartition> added = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (String t : topics) {
            if (present.contains(t)) {
                continue;
            }
            List<PartitionInfo> parts = consumer.partitionsFor(t);
            if (parts == null || parts.isEmpty()) {
                absent.add(t);
                continue;
            }
            parts.forEach(p -> added.add(new TopicPartition(t, p.partition())));
        }
        if (!added.isEmpty()) {
            endAtStart.putAll(consumer.endOffsets(added));
            assigned.addAll(added);
            consumer.assign(assigned);
            consumer.seekToBeginning(added);
            added.forEach(p -> present.add(p.topic()));
        }
        if (assigned.isEmpty()) {
            // Nothing to read is nothing to wait for: the pages show their empty states.
            ready = true;
            detail = "none of the topics exists yet at " + brokers + ": " + topics;
            pause();
            return;
        }
        if (!absent.isEmpty() && !ready) {
            detail = "reading; not there yet (looked for every 10 s): " + String.join(", ", absent);
        }
    }

    private void checkReady() {
        for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        ready = true;
        detail =
                missing()
                        ? "following; not there yet: "
                                + String.join(
                                        ", ",
                                        topics.stream().filter(t -> !present.contains(t)).toList())
                        : "following";
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
