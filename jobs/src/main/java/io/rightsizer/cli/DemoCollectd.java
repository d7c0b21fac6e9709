package io.rightsizer.cli;

import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.LocalCollectd;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SingleObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code demo --collectd}: this machine, measured by a real collectd (docs/providers/collectd.md),
 * as one more VM beside the simulated fleet. Its allocation is published to the inventory, the job
 * reads collectd's topic, and at the end the demo says what arrived from it.
 */
final class DemoCollectd implements AutoCloseable {
    static final String VM = "vm-collectd";
    static final String SYSTEM = "sys-collectd";
    static final String TOPIC = CollectdOptions.TOPIC.defaultValue();
    static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final long GIB = 1L << 30;

    private final LocalCollectd agent;
    private final Path dir;

    private DemoCollectd(LocalCollectd agent, Path dir) {
        this.agent = agent;
        this.dir = dir;
    }

    /**
     * The job's settings for collectd, before the job starts: its topic created, this machine's
     * allocation published, and the event time the samples wait for it kept short (a demo's fleet
     * runs up to now, and with collectd the rules' event time trails collectd's by this).
     */
    static void prepare(EmbeddedKafka kafka, Map<String, String> settings) throws Exception {
        kafka.createTopics(1, TOPIC);
        settings.put("ingest.collectd.enabled", "true");
        settings.put("ingest.inventory-wait", "10 s");
        // Until collectd's first message its source has no watermark and holds back all others.
        settings.put("source.idle-timeout", "10 s");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        VmAllocation a =
                VmAllocation.newBuilder()
                        .setVmId(VM)
                        .setSystemId(SYSTEM)
                        .setUnitId("unit-demo")
                        .setVcpus(Runtime.getRuntime().availableProcessors())
                        .setMemoryBytes(machineMemory())
                        .setStorageBytes(100 * GIB)
                        .setStatus(AllocationStatus.ACTIVE)
                        .setOnboardedAt(Instant.now())
                        .setTemporaryExpansions(List.of())
                        .setProtectionWindows(List.of())
                        .build();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(
                            SingleObject.withWriterSchema(
                                    new ProducerRecord<>(
                                            RightsizerOptions.INVENTORY_TOPIC.defaultValue(),
                                            VM.getBytes(StandardCharsets.UTF_8),
                                            SingleObject.encode(VmAllocation.getEncoder(), a)),
                                    SingleObject.writerSchemaHeader(VmAllocation.getClassSchema())))
                    .get();
        }
    }

    /**
     * collectd writing this machine's memory, df and cpu every {@link #INTERVAL} as {@link #VM}.
     */
    static DemoCollectd start(String bootstrap) throws Exception {
        Path dir = Files.createTempDirectory("rightsizer-demo-collectd");
        return new DemoCollectd(
                LocalCollectd.start(dir, LocalCollectd.config(dir, VM, INTERVAL, bootstrap, TOPIC)),
                dir);
    }

    /** What came of collectd's messages. */
    void summary(
            String bootstrap, List<Recommendation> recs, List<DeadLetter> dead, PrintWriter err) {
        int messages = TopicReader.readRecordsToEnd(bootstrap, TOPIC).size();
        long mine = recs.stream().filter(r -> VM.equals(r.getVmId())).count();
        List<String> letters =
                dead.stream()
                        .filter(d -> VM.equals(d.getVmId()))
                        .map(DeadLetter::getMessage)
                        .toList();
        err.printf(
                "collectd: %d messages from this machine as %s (%s), %d recommendations for it,"
                        + " %d dead letters%s%n",
                messages,
                VM,
                agent.isAlive() ? "still running" : "collectd stopped: " + agent.log().strip(),
                mine,
                letters.size(),
                letters.isEmpty() ? "" : ": " + letters.get(0));
    }

    private static long machineMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // Not Linux: a size of its own.
        }
        return 16 * GIB;
    }

    @Override
    public void close() {
        agent.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (Exception ignored) {
            // Best effort: a temporary directory.
        }
    }
}
