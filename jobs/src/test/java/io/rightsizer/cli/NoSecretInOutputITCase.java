package io.rightsizer.cli;

import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.KafkaClientCheck;
import io.rightsizer.local.LoopbackPorts;
import io.rightsizer.model.Sample;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.EveryLogLine;
import io.rightsizer.testing.JobRest;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Scenario;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any output: a Kafka password, a {@code sasl.jaas.config} and an InfluxDB password
 * that each contain a marker, given to the job and to every command that takes {@code --config},
 * which fail in every way they can here (broker unreachable, a setting no client accepts, a YAML
 * syntax error on the credential's line, an unknown key, InfluxDB unreachable). The marker must
 * appear in no log line (every logger, INFO and above, the Kafka clients and ours at DEBUG, with
 * every exception's stack trace), no stdout or stderr, none of Flink's REST answers about the job,
 * and no record of the job's topics.
 *
 * <p>A wrong password against a broker that checks it needs the secured broker (issue #15's {@code
 * broker --secure}): a test of it here captures the same way ({@link EveryLogLine}, {@link Cli})
 * into {@link #output} and ends with {@link #assertNoMarker}.
 */
class NoSecretInOutputITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(JobRest.clusterSettings())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** Random per run: nothing can contain it by chance. */
    static final String MARKER = "S3cr3tMarker-" + UUID.randomUUID().toString().substring(0, 8);

    static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job\""
                    + " password=\""
                    + MARKER
                    + "\";";

    /** The loggers whose DEBUG lines are captured too: the Kafka clients' and ours. */
    static final String[] DEBUG = {
        "org.apache.kafka.clients", "org.apache.kafka.common.security", "io.rightsizer"
    };

    @TempDir Path tmp;

    /** Everything a run printed and logged, in one text to search. */
    private final List<String> output = new ArrayList<>();

    @Test
    void theRunningJobShowsNoSecretInLogsRestApiOrTopics(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        Topics t = Topics.freshWithRules(KAFKA, 2, 1);
        Map<String, String> settings = new HashMap<>();
        settings.put("checkpoint.interval", "300 ms");
        settings.put("source.idle-timeout", "1 s");
        // Ignored on this PLAINTEXT broker, but handed to every client and logged by them.
        settings.put("kafka.properties.sasl.jaas.config", JAAS);
        settings.put("kafka.properties.ssl.truststore.password", MARKER);
        settings.put("kafka.properties.ssl.key.password", MARKER);
        // A Flink setting with a secret: it is in the job's configuration the REST API shows.
        settings.put("flink.s3.secret-key", MARKER);
        // InfluxDB that does not answer, with a user and password.
        settings.put("influxdb.enabled", "true");
        settings.put("influxdb.url", "http://127.0.0.1:" + LoopbackPorts.free());
        settings.put("influxdb.username", "rightsizer");
        settings.put("influxdb.password", MARKER);
        settings.put("influxdb.flush-interval", "100 ms");
        settings.put("influxdb.request-timeout", "500 ms");
        settings.put("influxdb.max-retries", "0");
        JobConfig cfg = LiveJobs.config(KAFKA, t, settings);
        List<ProducerRecord<byte[], byte[]>> telemetry = new ArrayList<>(Scenario.malformed());
        for (Sample s : Scenario.samples()) {
            telemetry.add(raw(s.vmId, SampleCodec.encode(s)));
        }
        KAFKA.produce(t.metrics(), telemetry);

        try (EveryLogLine logs = EveryLogLine.capture(Level.INFO, DEBUG)) {
            assertThat(KafkaClientCheck.check(cfg, KAFKA.bootstrapServers()))
                    .isEqualTo(new KafkaClientCheck.Result(List.of(), null));
            JobClient job = LiveJobs.start(KAFKA, cfg, Scenario.RULES, "no-secret-it", null);
            try {
                JobRest rest = new JobRest(flink);
                // The history's writes failed: InfluxDB was asked, with the password.
                assertThat(
                                rest.awaitTaskMetricSum(
                                        job.getJobID(),
                                        "rightsizer.influxdb.write_failures",
                                        n -> n > 0,
                                        Duration.ofSeconds(60)))
                        .isPositive();
                List<ConsumerRecord<byte[], byte[]>> recommendations =
                        KAFKA.readCommitted(
                                t.recommendations(),
                                rs -> rs.size() >= Scenario.expected().size(),
                                Duration.ofSeconds(90),
                                Duration.ofSeconds(1));
                List<ConsumerRecord<byte[], byte[]>> deadLetters =
                        KAFKA.readCommitted(
                                t.deadLetters(),
                                rs -> rs.size() >= 3,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(1));
                assertThat(recommendations).hasSize(Scenario.expected().size());
                assertThat(deadLetters).hasSize(3);
                recommendations.forEach(this::record);
                deadLetters.forEach(this::record);
                KAFKA.readCommitted(t.status(), rs -> false, Duration.ofSeconds(1), Duration.ZERO)
                        .forEach(this::record);
                URI base = flink.getRestAddress().get();
                String id = job.getJobID().toHexString();
                for (String path :
                        List.of(
                                "/jobs/" + id,
                                "/jobs/" + id + "/config",
                                "/jobs/" + id + "/jobmanager/config",
                                "/jobs/" + id + "/exceptions",
                                "/jobmanager/config",
                                "/jobs/" + id + "/plan")) {
                    output.add(path + ": " + get(base.resolve(path)));
                }
            } finally {
                job.cancel().get();
            }
            output.addAll(logs.lines());
        }

        assertNoMarker();
        // What was searched: the clients' logged configuration, and Flink's answers.
        assertThat(output).anyMatch(l -> l.contains("sasl.jaas.config = [hidden]"));
        assertThat(output).anyMatch(l -> l.matches("(?s)/jobs/\\p{XDigit}+/config: 200 .*"));
    }

    @Test
    void theJobAgainstAnUnreachableBrokerShowsNoSecret(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        Topics t = Topics.fresh(KAFKA, 1, 1);
        Map<String, String> settings = new HashMap<>();
        settings.put("checkpoint.interval", "300 ms");
        settings.put("kafka.properties.security.protocol", "SASL_PLAINTEXT");
        settings.put("kafka.properties.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("kafka.properties.sasl.jaas.config", JAAS);
        settings.put("kafka.properties.request.timeout.ms", "1000");
        settings.put("kafka.properties.default.api.timeout.ms", "1000");
        Map<String, String> values = new HashMap<>(settings);
        JobConfig onBroker = LiveJobs.config(KAFKA, t, values);
        String nowhere = "127.0.0.1:" + LoopbackPorts.free();
        JobConfig cfg = onBroker.with(Map.of("kafka.bootstrap-servers", nowhere));

        try (EveryLogLine logs = EveryLogLine.capture(Level.INFO, DEBUG)) {
            assertThat(KafkaClientCheck.check(cfg, nowhere).ok()).isTrue();
            JobClient job = LiveJobs.start(nowhere, cfg, Scenario.RULES, "nowhere-it", null);
            try {
                // The job failed on the unreachable broker and restarts: every failure's exception
                // has been logged by then.
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (logs.lines().stream().noneMatch(l -> l.contains("to RESTARTING"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(logs.lines()).anyMatch(l -> l.contains("to RESTARTING"));
                URI base = flink.getRestAddress().get();
                String id = job.getJobID().toHexString();
                try {
                    output.add("exceptions: " + get(base.resolve("/jobs/" + id + "/exceptions")));
                } catch (java.net.http.HttpTimeoutException e) {
                    // A JobMaster busy restarting may not answer in time; the same exceptions
                    // are in the log lines searched below.
                    output.add("exceptions: no answer in time");
                }
            } finally {
                job.cancel().get();
            }
            output.addAll(logs.lines());
        }

        assertNoMarker();
    }

    @Test
    void everyCommandThatTakesAConfigFailsWithoutShowingASecret() throws Exception {
        String nowhere = "127.0.0.1:" + LoopbackPorts.free();
        String secured =
                "kafka:\n"
                        + "  bootstrap-servers: "
                        + nowhere
                        + "\n"
                        + "  properties:\n"
                        + "    security.protocol: SASL_PLAINTEXT\n"
                        + "    sasl.mechanism: SCRAM-SHA-512\n"
                        + "    request.timeout.ms: 1000\n"
                        + "    default.api.timeout.ms: 1000\n"
                        + "    sasl.jaas.config: '"
                        + JAAS
                        + "'\n"
                        + "rules.file: "
                        + Path.of("../rules/article26.yaml").toAbsolutePath()
                        + "\n"
                        + "catalog.file: "
                        + Path.of("../config/catalog.yaml").toAbsolutePath()
                        + "\n"
                        + "calendar.file: "
                        + Path.of("../config/calendar.yaml").toAbsolutePath()
                        + "\n"
                        + "influxdb:\n"
                        + "  username: rightsizer\n"
                        + "  password: "
                        + MARKER
                        + "\n";
        Map<String, Path> configs = new HashMap<>();
        configs.put("unreachable broker", write("unreachable.yaml", secured));
        configs.put(
                "setting no client accepts",
                write(
                        "refused.yaml",
                        secured.replace("SASL_PLAINTEXT", "SASL_SSL")
                                + "\n"
                                + "kafka.properties.ssl.truststore.password: "
                                + MARKER
                                + "\n"));
        configs.put(
                "YAML syntax error on the credential's line",
                write("syntax.yaml", secured.replace("'" + JAAS + "'", '"' + JAAS + '"')));
        configs.put(
                "unknown key", write("unknown.yaml", secured.replace("  password:", "  pasword:")));
        Path inventory = Path.of("../config/inventory-example.yaml");
        Path rules = Path.of("../rules/article26.yaml");

        List<Integer> exitCodes = new ArrayList<>();
        try (EveryLogLine logs = EveryLogLine.capture(Level.INFO, DEBUG)) {
            for (Map.Entry<String, Path> c : configs.entrySet()) {
                String config = c.getValue().toString();
                List<List<String>> commands =
                        List.of(
                                List.of("run", "--config", config),
                                List.of(
                                        "rules",
                                        "publish",
                                        rules.toString(),
                                        "--author",
                                        "ops",
                                        "--config",
                                        config,
                                        "--connect-timeout",
                                        "2s"),
                                List.of(
                                        "rules",
                                        "status",
                                        "--config",
                                        config,
                                        "--connect-timeout",
                                        "2s"),
                                List.of(
                                        "decide",
                                        "0123456789abcdef0123456789abcdef",
                                        "approve",
                                        "--by",
                                        "dc",
                                        "--config",
                                        config,
                                        "--connect-timeout",
                                        "2s"),
                                List.of("tail", "--config", config, "--connect-timeout", "2s"),
                                List.of(
                                        "inventory",
                                        "publish",
                                        inventory.toString(),
                                        "--config",
                                        config,
                                        "--connect-timeout",
                                        "2s"),
                                List.of(
                                        "ingest",
                                        "prometheus",
                                        "--config",
                                        config,
                                        "--connect-timeout",
                                        "2s",
                                        "--listen",
                                        "127.0.0.1:" + LoopbackPorts.free()));
                for (List<String> command : commands) {
                    if (c.getKey().equals("unreachable broker") && command.get(0).equals("run")) {
                        // Would start the job and retry: the job against an unreachable broker
                        // is the test above.
                        continue;
                    }
                    Cli.Run run = Cli.run(command.toArray(String[]::new));
                    exitCodes.add(run.exitCode());
                    output.add(c.getKey() + ": " + command + " → " + run.exitCode());
                    output.add(run.out());
                    output.add(run.err());
                }
            }
            output.addAll(logs.lines());
        }

        assertNoMarker();
        assertThat(exitCodes).hasSize(27).allMatch(rc -> rc != 0);
        // run, and each command that could not create its client, say which setting was refused.
        assertThat(output)
                .filteredOn(
                        l ->
                                l.startsWith(
                                        configs.get("setting no client accepts")
                                                + ": kafka.properties.ssl.truststore.password: a"
                                                + " Kafka consumer cannot be created with these"
                                                + " settings: SSL trust store is not specified,"
                                                + " but trust store password is specified."))
                .hasSize(7);
    }

    @Test
    void theReportWithAnInfluxPasswordFromTheEnvironmentShowsNoSecret() throws Exception {
        int nowhere = LoopbackPorts.free();
        ProcessBuilder pb =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "report",
                        "monthly",
                        "--month",
                        "2026-10",
                        "--out",
                        tmp.resolve("report").toString(),
                        "--rules",
                        "../rules/article26.yaml",
                        "--influx-url",
                        "http://127.0.0.1:" + nowhere,
                        "--influx-user",
                        "reporter");
        pb.environment().put(ReportCommand.PASSWORD_ENV, MARKER);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        p.getInputStream().transferTo(all);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        output.add(all.toString(StandardCharsets.UTF_8));

        assertThat(p.exitValue()).isEqualTo(1);
        assertNoMarker();
        try (var files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                output.add(Files.readString(f));
            }
        }
        assertNoMarker();
    }

    private void record(ConsumerRecord<byte[], byte[]> r) {
        output.add(r.topic() + " " + text(r.key()) + " " + text(r.value()));
        r.headers().forEach(h -> output.add(h.key() + "=" + text(h.value())));
    }

    private static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.ISO_8859_1);
    }

    private void assertNoMarker() {
        assertThat(output).isNotEmpty();
        assertThat(output).noneMatch(l -> l.contains(MARKER));
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
