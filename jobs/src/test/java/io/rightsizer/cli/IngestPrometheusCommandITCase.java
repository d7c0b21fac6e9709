package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rightsizer.ingest.prometheus.PromWire;
import io.rightsizer.local.LoopbackPorts;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: Debian's prometheus scrapes Debian's prometheus-node-exporter every second and
 * remote-writes to {@code rightsizer ingest prometheus}, which produces MetricSamples to a real
 * broker; the samples carry what node_exporter reports.
 */
class IngestPrometheusCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    static final String VM = "vm-prom-1";
    static final long T0 = 1_796_362_200_000L;

    @TempDir Path dir;
    final List<Process> processes = new ArrayList<>();
    Thread command;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (command != null) {
            command.interrupt();
            command.join(20_000);
        }
    }

    @Test
    void samplesScrapedFromNodeExporterArriveWithItsValues() throws Exception {
        InfluxServer.requireTool(
                Files.isExecutable(PROMETHEUS) && Files.isExecutable(NODE_EXPORTER),
                "prometheus and prometheus-node-exporter are not installed: on Debian or Ubuntu"
                        + " run `sudo apt-get install -y prometheus prometheus-node-exporter` (or"
                        + " ./scripts/install-tools promtool node-exporter)");
        String topic = KAFKA.freshTopic("vm-metrics", 1);
        int receiverPort = LoopbackPorts.free();
        int exporterPort = LoopbackPorts.free();
        int prometheusPort = LoopbackPorts.free();

        String receiverMetrics =
                startCommand(
                        receiverPort,
                        topic,
                        "--assembly-wait",
                        "3s",
                        // Only "/" counts as storage, so the expected value is node_exporter's
                        // for "/" on any machine.
                        "--mount-points-exclude",
                        "^/.+");

        start(
                NODE_EXPORTER.toString(),
                "--web.listen-address=127.0.0.1:" + exporterPort,
                "--collector.disable-defaults",
                "--collector.meminfo",
                "--collector.filesystem",
                "--collector.cpu");
        String exporterMetrics = "http://127.0.0.1:" + exporterPort + "/metrics";
        awaitHttp(exporterMetrics, Duration.ofSeconds(10));

        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "scrape_configs:",
                        "  - job_name: node",
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + exporterPort + "']",
                        "        labels: {vm_id: '"
                                + VM
                                + "', system_id: sys-prom, unit_id: unit-p}",
                        "remote_write:",
                        "  - url: http://127.0.0.1:" + receiverPort + "/api/v1/write",
                        "    queue_config: {batch_send_deadline: 500ms, min_backoff: 100ms,"
                                + " max_backoff: 1s}",
                        "    write_relabel_configs:",
                        "      - source_labels: [__name__, mode]",
                        "        regex: '(node_memory_MemTotal_bytes|node_memory_MemAvailable_bytes"
                                + "|node_filesystem_size_bytes|node_filesystem_avail_bytes);.*"
                                + "|node_cpu_seconds_total;idle'",
                        "        action: keep",
                        ""));
        start(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort);

        // Three samples of the VM, the later ones with a CPU rate: about 8 s after Prometheus is
        // up.
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(
                        topic,
                        rs -> rs.size() >= 3 && decode(rs.get(rs.size() - 1)).hasCpu(),
                        Duration.ofSeconds(45),
                        Duration.ZERO);
        String exporterNow = get(exporterMetrics);
        List<Sample> samples = records.stream().map(IngestPrometheusCommandITCase::decode).toList();
        assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
        assertThat(records.get(0).headers().lastHeader(SingleObject.WRITER_SCHEMA_HEADER).value())
                .isEqualTo(SingleObject.writerSchemaHeader(MetricSample.getClassSchema()));
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(VM);

        long memTotal = (long) value(exporterNow, "node_memory_MemTotal_bytes");
        long memAvailable = (long) value(exporterNow, "node_memory_MemAvailable_bytes");
        double rootSize =
                value(exporterNow, "node_filesystem_size_bytes\\{[^}]*mountpoint=\"/\"[^}]*\\}");
        double rootAvail =
                value(exporterNow, "node_filesystem_avail_bytes\\{[^}]*mountpoint=\"/\"[^}]*\\}");
        Set<Long> timestamps = new HashSet<>();
        for (Sample s : samples) {
            assertThat(s.vmId).isEqualTo(VM);
            assertThat(s.systemId).isEqualTo("sys-prom");
            assertThat(s.unitId).isEqualTo("unit-p");
            assertThat(timestamps.add(s.timestamp)).as("one sample per scrape").isTrue();
            assertThat(s.memoryTotalBytes).isEqualTo(memTotal);
            // Memory in use moves while the test runs (other processes): within a quarter of the
            // total of now's.
            assertThat(s.memoryUsedBytes)
                    .isBetween(1L, memTotal)
                    .isCloseTo(memTotal - memAvailable, within(memTotal / 4));
            assertThat(s.storageTotalBytes).isEqualTo((long) rootSize);
            assertThat((double) s.storageUsedBytes)
                    .isCloseTo(rootSize - rootAvail, within(rootSize / 100));
        }
        assertThat(samples.get(0).hasCpu()).as("the VM's first scrape has no rate").isFalse();
        Sample last = samples.get(samples.size() - 1);
        assertThat(last.cpuUtilizationPct).isBetween(0.0, 100.0);

        String counters = get(receiverMetrics);
        assertThat(value(counters, "rightsizer_remote_write_vm_samples_produced_total"))
                .isGreaterThanOrEqualTo(samples.size());
        assertThat(value(counters, "rightsizer_remote_write_requests_total\\{code=\"204\"\\}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(counters, "rightsizer_remote_write_vm_samples_failed_total")).isZero();
    }

    /** Starts the command in this JVM; returns the URL of its counters once it answers. */
    private String startCommand(int port, String topic, String... more)
            throws InterruptedException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "ingest",
                                "prometheus",
                                "--listen",
                                "127.0.0.1:" + port,
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--topic",
                                topic,
                                "--report-every",
                                "5s"));
        args.addAll(List.of(more));
        command = new Thread(() -> Main.execute(args.toArray(new String[0])), "ingest-prometheus");
        command.start();
        String metrics = "http://127.0.0.1:" + port + "/metrics";
        awaitHttp(metrics, Duration.ofSeconds(20));
        return metrics;
    }

    @Test
    void aSampleKafkaCannotTakeIsAnswered503SoPrometheusRetries() throws Exception {
        String topic = KAFKA.freshTopic("vm-metrics", 1);
        int port = LoopbackPorts.free();
        String metrics =
                startCommand(port, topic, "--assembly-wait", "200ms", "--connect-timeout", "2s");
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> vm = Map.of("vm_id", "vm-x", "system_id", "sys-x");
        byte[] body =
                new PromWire()
                        .series(with(vm, "__name__", "node_memory_MemTotal_bytes"), T0, 4e9)
                        .series(with(vm, "__name__", "node_memory_MemAvailable_bytes"), T0, 1e9)
                        .snappy();
        HttpResponse<String> r = post(port, body);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).startsWith("samples could not be produced to Kafka: ");
        String counters = get(metrics);
        assertThat(value(counters, "rightsizer_remote_write_vm_samples_failed_total")).isEqualTo(1);
        assertThat(value(counters, "rightsizer_remote_write_vm_samples_produced_total")).isZero();
    }

    @Test
    void aVmWithoutLabelsTakesItsIdsFromTheInventoryAndAnUnknownOneIsCounted() throws Exception {
        String topic = KAFKA.freshTopic("vm-metrics", 1);
        String inventory = KAFKA.freshTopic("vm-inventory", 1);
        KAFKA.produce(
                inventory,
                List.of(
                        new ProducerRecord<>(
                                inventory,
                                "vm-inv".getBytes(StandardCharsets.UTF_8),
                                SingleObject.encode(
                                        VmAllocation.getEncoder(),
                                        Allocations.active("vm-inv", "sys-inv").build())),
                        new ProducerRecord<>(
                                inventory,
                                "vm-gone".getBytes(StandardCharsets.UTF_8),
                                SingleObject.encode(
                                        VmAllocation.getEncoder(),
                                        Allocations.active("vm-gone", "sys-old").build())),
                        new ProducerRecord<>(
                                inventory,
                                "vm-gone".getBytes(StandardCharsets.UTF_8),
                                SingleObject.encode(
                                        VmAllocation.getEncoder(),
                                        Allocations.decommissioned("vm-gone", "sys-old")))));
        int port = LoopbackPorts.free();
        String metrics =
                startCommand(
                        port, topic, "--assembly-wait", "200ms", "--inventory-topic", inventory);
        PromWire w = new PromWire();
        for (String vm : List.of("vm-inv", "vm-gone")) {
            w.series(Map.of("__name__", "node_memory_MemTotal_bytes", "vm_id", vm), T0, 4e9);
            w.series(Map.of("__name__", "node_memory_MemAvailable_bytes", "vm_id", vm), T0, 1e9);
        }
        assertThat(post(port, w.snappy()).statusCode()).isEqualTo(204);
        List<Sample> samples =
                KAFKA
                        .readCommitted(
                                topic,
                                rs -> !rs.isEmpty(),
                                Duration.ofSeconds(20),
                                Duration.ofSeconds(1))
                        .stream()
                        .map(IngestPrometheusCommandITCase::decode)
                        .toList();
        assertThat(samples)
                .extracting(
                        s -> s.vmId + " " + s.systemId + " " + s.unitId + " " + s.memoryUsedBytes)
                .containsExactly("vm-inv sys-inv unit-1 3000000000");
        assertThat(
                        value(
                                get(metrics),
                                "rightsizer_remote_write_vm_samples_not_produced_total\\{reason=\"no_system\"\\}"))
                .isEqualTo(1);
    }

    private static HttpResponse<String> post(int port, byte[] body)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
                                .header("Content-Encoding", "snappy")
                                .header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }

    private static Sample decode(ConsumerRecord<byte[], byte[]> r) {
        SampleJson.Result result = SampleCodec.decode(r.value(), r.headers());
        assertThat(result.message).isNull();
        return result.sample;
    }

    /** The value of the first line of the exposition {@code text} that starts with {@code name}. */
    private static double value(String text, String nameRegex) {
        Matcher m = Pattern.compile("(?m)^" + nameRegex + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(nameRegex + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private void start(String... command) throws IOException {
        Path log = dir.resolve(Path.of(command[0]).getFileName() + ".log");
        processes.add(
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start());
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static void awaitHttp(String url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                get(url);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(url + " did not answer within " + timeout, e);
                }
                Thread.sleep(100);
            }
        }
    }
}
