package io.rightsizer.cli;

import io.rightsizer.ingest.prometheus.Assembly;
import io.rightsizer.job.codec.InventoryDeserializer;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.VmAllocation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The systemId and unitId of every VM on the inventory topic, read to its end at start and then
 * followed, for collectors that do not know them. The latest usable allocation of a VM wins; a
 * DECOMMISSIONED one removes the VM; tombstones and records that are not allocations are skipped
 * and counted (the job dead-letters them).
 */
final class InventoryFollower implements AutoCloseable {
    private final Map<String, Assembly.Ids> ids = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean stop;

    private InventoryFollower(KafkaConsumer<byte[], byte[]> consumer, PrintWriter log) {
        this.consumer = consumer;
        this.thread =
                new Thread(
                        () -> {
                            try {
                                while (!stop) {
                                    poll();
                                }
                            } catch (WakeupException e) {
                                // close()
                            } catch (RuntimeException e) {
                                log.println(
                                        "ingest prometheus: stopped following the inventory: " + e);
                            }
                        },
                        "inventory-follower");
        thread.setDaemon(true);
    }

    /**
     * Reads {@code topic} to its end within {@code timeout}, then follows it in the background.
     *
     * @throws org.apache.kafka.common.KafkaException when it cannot be read in time
     */
    static InventoryFollower start(
            Properties consumer, String topic, Duration timeout, PrintWriter log) {
        KafkaConsumer<byte[], byte[]> c = TopicReader.fromBeginning(consumer, topic);
        InventoryFollower f = new InventoryFollower(c, log);
        try {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment(), timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!TopicReader.atEnd(c, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new org.apache.kafka.common.errors.TimeoutException(
                            "the end of " + topic + " was not reached within " + timeout);
                }
                f.poll();
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        f.thread.start();
        return f;
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.value() == null) {
                skipped.incrementAndGet();
                continue;
            }
            VmInput in = InventoryDeserializer.decode(r.value(), r.timestamp());
            VmAllocation a = in.allocation;
            if (a == null) {
                skipped.incrementAndGet();
            } else if (a.getStatus() == AllocationStatus.DECOMMISSIONED) {
                ids.remove(a.getVmId());
            } else {
                ids.put(a.getVmId(), new Assembly.Ids(a.getSystemId(), a.getUnitId()));
            }
        }
    }

    /** The VM's ids, or null when the inventory has no active allocation of it. */
    Assembly.Ids get(String vmId) {
        return ids.get(vmId);
    }

    int vms() {
        return ids.size();
    }

    long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
