package io.rightsizer.job;

import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.DataQualitySerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Samples;
import io.rightsizer.testing.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink's Prometheus reporter on a MiniCluster running the live job: our metrics are on the
 * endpoint with the values the input implies, and the exposition passes {@code promtool check
 * metrics}: it parses, and our metrics have not a single lint finding (the findings left are
 * Flink's and the Kafka client's own names: camelCase, "_total" on gauges).
 */
class PrometheusMetricsITCase {
    static final int PORT = freePort();
    static final String OP = "flink_taskmanager_job_task_operator_rightsizer_";

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(reporter())
                            .build());

    static Configuration reporter() {
        return Configuration.fromMap(
                Map.of(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                        "metrics.reporter.prom.port",
                        String.valueOf(PORT)));
    }

    /** RUNNING at S + 1 h and S + 2 h, then nothing: silent from S + 3 h on. */
    static List<Sample> quietVm() {
        return List.of(
                Samples.running("vm-quiet", "sys-q", Scenario.S + HOUR, 50),
                Samples.running("vm-quiet", "sys-q", Scenario.S + 2 * HOUR, 50));
    }

    @Test
    void theEndpointCarriesOurMetricsWithTheValuesOfTheInput() throws Exception {
        Topics t = Topics.fresh(KAFKA, 4, 2);
        String dataQuality = KAFKA.freshTopic("data-quality", 2);
        List<Sample> samples = new ArrayList<>(Scenario.samples());
        samples.addAll(quietVm());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Sample s : samples) {
            records.add(raw(s.vmId, SampleCodec.encode(s)));
        }
        records.addAll(Scenario.malformed());
        KAFKA.produce(t.metrics(), records);

        JobConfig cfg =
                LiveJobs.config(
                        KAFKA,
                        t,
                        Map.of(
                                "checkpoint.interval", "300 ms",
                                "source.idle-timeout", "5 s",
                                "data-quality.silence-after", "1 h",
                                "kafka.topics.data-quality", dataQuality,
                                "influxdb.enabled", "true",
                                "influxdb.url", InfluxServer.url(),
                                "influxdb.database", InfluxServer.freshDatabase("prometheus_it"),
                                "influxdb.flush-interval", "100 ms"));
        long started = System.currentTimeMillis();
        JobClient job = LiveJobs.start(KAFKA, cfg, Scenario.RULES, "prometheus-it", null);
        try {
            List<DataQualityEvent> events =
                    KAFKA.readCommitted(
                            dataQuality,
                            r -> DataQualitySerializer.decode(r.value()),
                            1,
                            Duration.ofSeconds(120),
                            Duration.ofSeconds(2));
            assertThat(events)
                    .extracting(DataQualityEvent::getKind, DataQualityEvent::getVmId)
                    .containsExactly(
                            org.assertj.core.api.Assertions.tuple(
                                    DataQualityKind.TELEMETRY_SILENT, "vm-quiet"));

            Map<String, Long> byRule =
                    Scenario.expected().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            k -> k.split(" ")[0],
                                            TreeMap::new,
                                            Collectors.counting()));
            String text =
                    awaitScrape(
                            s ->
                                    sum(s, OP + "rule_action_recommendations", Map.of())
                                            == Scenario.expected().size(),
                            Duration.ofSeconds(120));
            long running = samples.stream().filter(s -> !s.stopped).count();
            long stopped = samples.stream().filter(s -> s.stopped).count();
            assertThat(sum(text, OP + "power_state_samples_in", Map.of("power_state", "RUNNING")))
                    .isEqualTo(running);
            assertThat(sum(text, OP + "power_state_samples_in", Map.of("power_state", "STOPPED")))
                    .isEqualTo(stopped);
            assertThat(sum(text, OP + "reason_dead_letters", Map.of("reason", "UNDECODABLE")))
                    .isEqualTo(2);
            assertThat(sum(text, OP + "reason_dead_letters", Map.of("reason", "INVALID")))
                    .isEqualTo(1);
            assertThat(sum(text, OP + "reason_dead_letters", Map.of("reason", "LATE")))
                    .isEqualTo(0);
            for (Map.Entry<String, Long> e : byRule.entrySet()) {
                assertThat(
                                sum(
                                        text,
                                        OP + "rule_action_recommendations",
                                        // The reporter writes '_' for '.' and '-' in label
                                        // values.
                                        Map.of("rule", e.getKey().replaceAll("[.-]", "_"))))
                        .as(
                                "%s in %s",
                                e.getKey(),
                                samples(text, OP + "rule_action_recommendations").toList())
                        .isEqualTo(e.getValue());
            }
            assertThat(
                            sum(
                                    text,
                                    OP + "kind_data_quality_events",
                                    Map.of("kind", "TELEMETRY_SILENT")))
                    .isEqualTo(1);
            assertThat(
                            sum(
                                    text,
                                    OP + "kind_data_quality_events",
                                    Map.of("kind", "TELEMETRY_RESUMED")))
                    .isEqualTo(0);
            // vm-busy, vm-low, vm-disk, vm-peaky, vm-off and vm-quiet; vm-bad never got through.
            assertThat(sum(text, OP + "vms_tracked", Map.of())).isEqualTo(6);
            // Only sys-a's VM reports business records.
            assertThat(sum(text, OP + "systems_tracked", Map.of())).isEqualTo(1);
            // One gauge per vm-rules subtask, each saying the configured version is in force.
            assertThat(
                            samples(text, OP + "version_rule_set_in_force")
                                    .filter(m -> m.labels.get("version").equals("scenario_1"))
                                    .map(m -> m.value)
                                    .toList())
                    .containsExactly(1.0, 1.0);
            // One gauge per vm-rules subtask, within what its hold takes.
            assertThat(samples(text, OP + "samples_held").map(m -> m.value).toList())
                    .hasSize(2)
                    .allSatisfy(v -> assertThat(v).isBetween(0.0, 131072.0));
            // And per system-rules subtask, the business reports its hold has.
            assertThat(samples(text, OP + "business_reports_held").map(m -> m.value).toList())
                    .hasSize(2)
                    .allSatisfy(v -> assertThat(v).isBetween(0.0, 131072.0));
            double maxLag =
                    samples(text, OP + "event_time_lag_seconds")
                            .mapToDouble(m -> m.value)
                            .max()
                            .orElseThrow();
            long now = System.currentTimeMillis();
            assertThat(maxLag * 1000)
                    .isBetween((double) (started - Scenario.END), (double) (now - Scenario.S));
            assertThat(text).contains("flink_jobmanager_numRunningJobs");
            // The history writer: every point written so far (none dropped), none failed.
            String afterHistory =
                    awaitScrape(
                            s ->
                                    sum(s, OP + "influxdb_points_written", Map.of()) > 0
                                            && sum(s, OP + "influxdb_buffered_points", Map.of())
                                                    == 0,
                            Duration.ofSeconds(60));
            assertThat(sum(afterHistory, OP + "influxdb_points_dropped", Map.of())).isZero();
            assertThat(sum(afterHistory, OP + "influxdb_write_failures", Map.of())).isZero();

            // Every metric the dashboards and alerting rules use is on the endpoint (up is
            // Prometheus' own).
            java.util.Set<String> names =
                    afterHistory
                            .lines()
                            .filter(l -> !l.startsWith("#") && !l.isBlank())
                            .map(l -> l.split("[{ ]", 2)[0])
                            .collect(Collectors.toSet());
            assertThat(
                            io.rightsizer.ops.GrafanaDashboardsTest.CONTRACT_METRICS.stream()
                                    .filter(n -> !n.equals("up")))
                    .allSatisfy(n -> assertThat(names).contains(n));

            promtoolAccepts(text);
        } finally {
            job.cancel().get();
        }
    }

    private static void promtoolAccepts(String exposition) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        InfluxServer.requireTool(
                Files.isExecutable(promtool),
                "promtool is not installed: apt-get install -y prometheus"
                        + " (or ./scripts/install-tools promtool)");
        Result ours = promtool(promtool, ourFamilies(exposition));
        assertThat(ours.output).isEmpty();
        assertThat(ours.exit).isZero();

        Result all = promtool(promtool, exposition);
        // Exit 3 is "lint problems only"; 1 would be an exposition it cannot parse.
        assertThat(all.exit).isIn(0, 3);
        assertThat(all.output.lines())
                .allSatisfy(
                        l ->
                                assertThat(l)
                                        .matches("flink_\\S+ \\D.*")
                                        .doesNotContain("_rightsizer_"));
    }

    /** The HELP, TYPE and sample lines of our metric families only. */
    private static String ourFamilies(String exposition) {
        return exposition
                        .lines()
                        .filter(l -> l.contains("_rightsizer_"))
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    private record Result(int exit, String output) {}

    private static Result promtool(Path promtool, String input) throws Exception {
        Process p =
                new ProcessBuilder(promtool.toString(), "check", "metrics")
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.strip());
    }

    private interface Check {
        boolean done(String scrape);
    }

    private static String awaitScrape(Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = scrape();
            if (check.done(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the scrape never reached the expected values:\n" + last);
    }

    private static String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + PORT + "/metrics"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    record MetricSample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][\\w:]*)\\{(.*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static java.util.stream.Stream<MetricSample> samples(String text, String name) {
        return text.lines()
                .map(LINE::matcher)
                .filter(Matcher::matches)
                .filter(m -> m.group(1).equals(name))
                .map(
                        m -> {
                            Map<String, String> labels = new TreeMap<>();
                            Matcher l = LABEL.matcher(m.group(2));
                            while (l.find()) {
                                labels.put(l.group(1), l.group(2));
                            }
                            return new MetricSample(
                                    m.group(1), labels, Double.parseDouble(m.group(3)));
                        });
    }

    static long sum(String text, String name, Map<String, String> labels) {
        return Math.round(
                samples(text, name)
                        .filter(m -> m.labels.entrySet().containsAll(labels.entrySet()))
                        .mapToDouble(m -> m.value)
                        .sum());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
