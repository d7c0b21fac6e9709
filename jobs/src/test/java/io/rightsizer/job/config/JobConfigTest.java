package io.rightsizer.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.RightsizerPipeline;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job configuration file: the shipped examples load, every problem has an exact message. */
class JobConfigTest {
    static final String FILE = "job.yaml";
    static final String BOOTSTRAP = "kafka.bootstrap-servers: 127.0.0.1:9092\n";
    static final String PASS_THROUGH_HINT =
            "; Kafka client settings go under kafka.properties., Flink settings under flink.";

    static JobConfig parse(String yaml) throws JobConfig.InvalidConfigException {
        return JobConfig.parse(yaml, FILE);
    }

    static void assertProblems(String yaml, String... problems) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(String.join("\n", problems));
    }

    // ---------------------------------------------------------------- shipped files

    @Test
    void localConfigLoads() throws Exception {
        Path path = Paths.get("../config/local.yaml");
        JobConfig c = JobConfig.load(path);

        assertThat(c.file()).isEqualTo(path.toString());
        assertThat(c.get(RightsizerOptions.EMBEDDED_KAFKA)).isTrue();
        assertThat(c.get(RightsizerOptions.EMBEDDED_KAFKA_PORT)).isEqualTo(9092);
        assertThat(c.get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS)).isEqualTo(4);
        assertThat(c.get(RightsizerOptions.METRICS_TOPIC)).isEqualTo("vm-metrics");
        assertThat(c.get(RightsizerOptions.RECOMMENDATIONS_TOPIC))
                .isEqualTo("rightsizing-recommendations");
        assertThat(c.get(RightsizerOptions.DEAD_LETTERS_TOPIC))
                .isEqualTo("rightsizing-dead-letters");
        assertThat(c.get(RightsizerOptions.STARTING_OFFSETS)).isEqualTo("committed-or-earliest");
        assertThat(c.get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX)).isEqualTo("rightsizer-local");
        assertThat(c.get(RightsizerOptions.TRANSACTION_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(RightsizerOptions.RULES_FILE)).isEqualTo("../rules/article26.yaml");
        assertThat(c.location(RightsizerOptions.RULES_FILE))
                .isEqualTo(Paths.get("..", "rules", "article26.yaml").toAbsolutePath().normalize());
        assertThat(c.get(RightsizerOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get(RightsizerOptions.MAX_AHEAD)).isEqualTo(Duration.ofDays(1));
        assertThat(c.get(RightsizerOptions.IDLE_TIMEOUT)).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.get(RightsizerOptions.STATE_RETENTION)).isEqualTo(Duration.ofDays(42));
        assertThat(c.get(RightsizerOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(RightsizerOptions.PARALLELISM)).isEqualTo(2);
        assertThat(c.get(RightsizerOptions.INVENTORY_TOPIC)).isEqualTo("vm-inventory");
        assertThat(c.get(RightsizerOptions.DECISIONS_TOPIC)).isEqualTo("rightsizing-decisions");
        assertThat(c.get(RightsizerOptions.EVENTS_TOPIC))
                .isEqualTo("rightsizing-recommendation-events");
        assertThat(c.get(RightsizerOptions.NOTICES_TOPIC)).isEqualTo("rightsizing-notices");
        assertThat(c.get(RightsizerOptions.CALENDAR_FILE)).isEqualTo("calendar.yaml");
        assertThat(c.get(RightsizerOptions.LIFECYCLE_ENABLED)).isTrue();
        assertThat(c.get(RightsizerOptions.LIFECYCLE_REMINDER_AFTER))
                .isEqualTo(Duration.ofDays(14));
        assertThat(c.get(RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN))
                .isEqualTo(Duration.ofDays(30));
        assertThat(c.get(RightsizerOptions.LIFECYCLE_DECISION_WINDOW))
                .isEqualTo(Duration.ofDays(180));
        assertThat(c.kafkaProperties()).isEmpty();
        assertThat(c.get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER))
                .isEqualTo(Duration.ofHours(1));
        assertThat(c.get(InfluxOptions.ENABLED)).isTrue();
        assertThat(c.get(InfluxOptions.DATABASE)).isEqualTo("rightsizer");
        assertThat(c.get(InfluxOptions.EMBEDDED)).isTrue();
        assertThat(c.get(InfluxOptions.EMBEDDED_PORT)).isEqualTo(8086);
        assertThat(c.flinkConfiguration().toMap())
                .containsOnly(
                        entry("rest.port", "8081"),
                        entry(
                                "metrics.reporter.prom.factory.class",
                                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"),
                        entry("metrics.reporter.prom.port", "9249"));
    }

    @Test
    void productionExampleLoads() throws Exception {
        JobConfig c = JobConfig.load(Paths.get("../config/production.example.yaml"));

        assertThat(c.get(RightsizerOptions.EMBEDDED_KAFKA)).isFalse();
        assertThat(c.get(RightsizerOptions.BOOTSTRAP_SERVERS))
                .isEqualTo(
                        "kafka-1.dc.example:9093,kafka-2.dc.example:9093,kafka-3.dc.example:9093");
        assertThat(c.get(RightsizerOptions.GROUP_ID)).isEqualTo("rightsizer-prod");
        assertThat(c.get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX)).isEqualTo("rightsizer-prod");
        assertThat(c.get(RightsizerOptions.TRANSACTION_TIMEOUT)).isEqualTo(Duration.ofMinutes(14));
        assertThat(c.get(RightsizerOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        // The cluster's: flink-cluster.example.yaml.
        assertThat(c.parallelism()).isEmpty();
        assertThat(c.kafkaProperties())
                .containsOnly(
                        entry("security.protocol", "SASL_SSL"),
                        entry("sasl.mechanism", "SCRAM-SHA-512"),
                        entry(
                                "sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                        + " username=\"rightsizer\""
                                        + " password=\"change-me\";"),
                        entry("ssl.truststore.location", "/etc/rightsizer/kafka.truststore.jks"),
                        entry("ssl.truststore.password", "changeit"),
                        entry("ssl.endpoint.identification.algorithm", "https"));
        // Only job-level Flink settings: the cluster-level ones are in flink-cluster.example.yaml.
        assertThat(c.flinkConfiguration().toMap())
                .containsOnly(entry("execution.checkpointing.min-pause", "10 s"));
        Path config = Paths.get("..", "config").toAbsolutePath().normalize();
        assertThat(c.location(RightsizerOptions.RULES_FILE))
                .isEqualTo(config.resolveSibling("rules").resolve("article26.yaml"));
        assertThat(c.location(RightsizerOptions.CATALOG_FILE))
                .isEqualTo(config.resolve("catalog.yaml"));
        assertThat(c.location(RightsizerOptions.CALENDAR_FILE))
                .isEqualTo(config.resolve("calendar.yaml"));
        assertThat(c.rules().version())
                .isEqualTo(
                        io.rightsizer.rules.format.RuleSetParser.parse(
                                        Paths.get("..", "rules", "article26.yaml"))
                                .version());
        assertThat(c.sizing().catalog()).isEqualTo(io.rightsizer.rules.sizing.Catalog.defaults());
        assertThat(c.get(InfluxOptions.ENABLED)).isTrue();
        assertThat(c.get(InfluxOptions.URL)).isEqualTo("http://influxdb.dc.example:8086");
        assertThat(c.get(InfluxOptions.RETENTION_POLICY)).isEqualTo("two_years");
        assertThat(c.get(InfluxOptions.BUFFER_CAPACITY)).isEqualTo(200_000);
    }

    @Test
    void leftOutKeysTakeTheirDefaults() throws Exception {
        JobConfig c = parse(BOOTSTRAP);

        assertThat(c.get(RightsizerOptions.GROUP_ID)).isEqualTo("rightsizer");
        assertThat(c.get(RightsizerOptions.STARTING_OFFSETS)).isEqualTo("committed-or-earliest");
        assertThat(c.get(RightsizerOptions.TRANSACTION_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(RightsizerOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(RightsizerOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get(RightsizerOptions.STATE_RETENTION)).isEqualTo(Duration.ofDays(42));
        // Flink's (flink run -p, parallelism.default) unless the configuration sets it.
        assertThat(c.parallelism()).isEmpty();
        assertThat(c.get(RightsizerOptions.INVENTORY_TOPIC)).isEqualTo("vm-inventory");
        assertThat(c.get(RightsizerOptions.DECISIONS_TOPIC)).isEqualTo("rightsizing-decisions");
        assertThat(c.get(RightsizerOptions.EVENTS_TOPIC))
                .isEqualTo("rightsizing-recommendation-events");
        assertThat(c.get(RightsizerOptions.NOTICES_TOPIC)).isEqualTo("rightsizing-notices");
        assertThat(c.get(RightsizerOptions.CALENDAR_FILE)).isEqualTo("config/calendar.yaml");
        assertThat(c.get(RightsizerOptions.LIFECYCLE_ENABLED)).isTrue();
        assertThat(c.get(RightsizerOptions.LIFECYCLE_REMINDER_AFTER))
                .isEqualTo(Duration.ofDays(14));
        assertThat(c.get(RightsizerOptions.DATA_QUALITY_TOPIC))
                .isEqualTo("rightsizing-data-quality");
        assertThat(c.get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER))
                .isEqualTo(Duration.ofHours(1));
        assertThat(c.get(InfluxOptions.ENABLED)).isFalse();
        assertThat(c.get(InfluxOptions.URL)).isEqualTo("http://127.0.0.1:8086");
        assertThat(c.get(InfluxOptions.BATCH_SIZE)).isEqualTo(5000);
        assertThat(c.get(InfluxOptions.BUFFER_CAPACITY)).isEqualTo(100_000);
        assertThat(c.get(InfluxOptions.EMBEDDED)).isFalse();
        assertThat(c.get(RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN))
                .isEqualTo(Duration.ofDays(30));
        assertThat(c.get(RightsizerOptions.LIFECYCLE_DECISION_WINDOW))
                .isEqualTo(Duration.ofDays(180));
        assertThat(c.kafkaProperties()).isEmpty();
        assertThat(c.flinkConfiguration().toMap()).isEmpty();
    }

    // ---------------------------------------------------------------- key problems

    @Test
    void unknownKeySuggestsTheNearestKnownKey() {
        assertProblems(
                "kafka:\n  bootstrap-server: 127.0.0.1:9092\n",
                FILE
                        + ":2:21: kafka.bootstrap-server: unknown key (did you mean"
                        + " 'kafka.bootstrap-servers'?)"
                        + PASS_THROUGH_HINT);
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyHasNoSuggestion() {
        assertProblems(
                BOOTSTRAP + "colour: blue\n",
                FILE + ":2:9: colour: unknown key" + PASS_THROUGH_HINT);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of(
                        "parallelism: two\n", ":2:14: parallelism: 'two' is not a whole number"),
                Arguments.of(
                        "checkpoint:\n  interval: soon\n",
                        ":3:13: checkpoint.interval: 'soon' is not a duration (e.g. 5 min, 10 s,"
                                + " 1 d)"),
                Arguments.of(
                        "embedded-kafka:\n  enabled: maybe\n",
                        ":3:12: embedded-kafka.enabled: 'maybe' is not true or false"),
                Arguments.of(
                        "parallelism: [1, 2]\n",
                        ":2:14: parallelism: expected a single value, found a list"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void valueOfTheWrongTypeIsReportedWhereItStands(String yaml, String problem) {
        assertProblems(BOOTSTRAP + yaml, FILE + problem);
    }

    @Test
    void everyKeyProblemIsReportedAtOnce() {
        assertProblems(
                BOOTSTRAP + "parallelism: two\ncolour: blue\nsource.idle-timeout: never\n",
                FILE + ":2:14: parallelism: 'two' is not a whole number",
                FILE + ":3:9: colour: unknown key" + PASS_THROUGH_HINT,
                FILE
                        + ":4:22: source.idle-timeout: 'never' is not a duration (e.g. 5 min, 10 s,"
                        + " 1 d)");
    }

    // ---------------------------------------------------------------- value problems

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of(
                        "watermark.out-of-orderness: 2 d",
                        "watermark.out-of-orderness is PT48H: allowed from PT0S to PT24H"),
                Arguments.of(
                        "watermark.max-ahead-of-wall-clock: 400 d",
                        "watermark.max-ahead-of-wall-clock is PT9600H: allowed from PT0S to"
                                + " PT8760H"),
                Arguments.of(
                        "source.idle-timeout: 25 h",
                        "source.idle-timeout is PT25H: allowed from PT0S to PT24H"),
                Arguments.of(
                        "ingest.inventory-wait: 25 h",
                        "ingest.inventory-wait is PT25H: allowed from PT0S to PT24H"),
                Arguments.of(
                        "ingest.collectd.topic: \"\"", "ingest.collectd.topic must not be empty"),
                Arguments.of(
                        "ingest.telegraf.topic: \"\"", "ingest.telegraf.topic must not be empty"),
                Arguments.of(
                        "ingest.telegraf.format: csv",
                        "ingest.telegraf.format: 'csv' is not one of auto, json, influx"),
                Arguments.of(
                        "ingest.telegraf.interval: 2 h",
                        "ingest.telegraf.interval is PT2H: allowed from PT1S to PT1H"),
                Arguments.of(
                        "ingest.telegraf.json-timestamp-units: 15 ms",
                        "ingest.telegraf.json-timestamp-units is PT0.015S: must be a power of ten"
                                + " from 1 ns to 1 s, as Telegraf uses it (Telegraf truncates"
                                + " other values to the power of ten below: 15ms is 10ms)"),
                Arguments.of(
                        "ingest.collectd.enabled: true\ningest.telegraf.enabled: true\n"
                                + "ingest.telegraf.topic: collectd",
                        "ingest.collectd.topic and ingest.telegraf.topic are both 'collectd':"
                                + " each collector reads a topic of its own"),
                Arguments.of(
                        "state.retention: 7 d",
                        "state.retention is PT168H: allowed from PT192H to PT87840H"),
                Arguments.of(
                        "checkpoint.interval: 50 ms",
                        "checkpoint.interval is PT0.05S: allowed from PT0.1S to PT1H"),
                Arguments.of(
                        "kafka.transaction-timeout: 25 h",
                        "kafka.transaction-timeout is PT25H: allowed from PT10S to PT24H"),
                Arguments.of(
                        "embedded-kafka.port: 70000",
                        "embedded-kafka.port 70000 is not a port (0 to 65535)"),
                Arguments.of(
                        "embedded-kafka.partitions: 0",
                        "embedded-kafka.partitions must be at least 1"),
                Arguments.of(
                        "lifecycle.reminder-after: 59 min",
                        "lifecycle.reminder-after is PT59M: allowed from PT1H to PT8760H"),
                Arguments.of(
                        "lifecycle.reject-cooldown: 3661 d",
                        "lifecycle.reject-cooldown is PT87864H: allowed from PT0S to PT87840H"),
                Arguments.of(
                        // the reminder is shortened so that only the range is wrong
                        "lifecycle.reminder-after: 1 h\nlifecycle.decision-window: 23 h",
                        "lifecycle.decision-window is PT23H: allowed from PT24H to PT87840H"),
                Arguments.of("parallelism: 0", "parallelism 0 must be from 1 to 32768"),
                Arguments.of("parallelism: 32769", "parallelism 32769 must be from 1 to 32768"),
                Arguments.of(
                        "kafka.starting-offsets: newest",
                        "kafka.starting-offsets: 'newest' is not one of earliest, latest,"
                                + " committed-or-earliest"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void valueOutOfRangeIsRefused(String line, String problem) {
        assertProblems(BOOTSTRAP + line + "\n", FILE + ": " + problem);
    }

    @Test
    void rangeLimitsThemselvesAreAllowed() throws Exception {
        JobConfig c =
                parse(
                        BOOTSTRAP
                                + "watermark.out-of-orderness: 0 ms\n"
                                + "state.retention: 8 d\n"
                                + "checkpoint.interval: 100 ms\n"
                                + "kafka.transaction-timeout: 24 h\n"
                                + "embedded-kafka.port: 0\n"
                                + "parallelism: 32768\n");

        assertThat(c.get(RightsizerOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ZERO);
        assertThat(c.get(RightsizerOptions.STATE_RETENTION)).isEqualTo(Duration.ofDays(8));
        assertThat(c.get(RightsizerOptions.PARALLELISM)).isEqualTo(32768);
    }

    @Test
    void bootstrapServersAreRequiredWithoutTheEmbeddedBroker() throws Exception {
        assertProblems(
                "parallelism: 2\n",
                FILE
                        + ": kafka.bootstrap-servers is required (or set embedded-kafka.enabled:"
                        + " true for a local broker)");
        assertProblems(
                "",
                FILE
                        + ": kafka.bootstrap-servers is required (or set embedded-kafka.enabled:"
                        + " true for a local broker)");

        assertThat(parse("embedded-kafka.enabled: true\n").get(RightsizerOptions.EMBEDDED_KAFKA))
                .isTrue();
    }

    @Test
    void transactionTimeoutMustBeLongerThanTheCheckpointInterval() throws Exception {
        String problem =
                FILE
                        + ": kafka.transaction-timeout must be longer than checkpoint.interval: a"
                        + " transaction stays open from one checkpoint to the next";
        assertProblems(
                BOOTSTRAP + "checkpoint.interval: 1 h\nkafka.transaction-timeout: 1 h\n", problem);
        assertProblems(
                BOOTSTRAP + "checkpoint.interval: 1 h\nkafka.transaction-timeout: 30 min\n",
                problem);

        JobConfig ok =
                parse(BOOTSTRAP + "checkpoint.interval: 1 h\nkafka.transaction-timeout: 61 min\n");
        assertThat(ok.get(RightsizerOptions.TRANSACTION_TIMEOUT)).isEqualTo(Duration.ofMinutes(61));
    }

    @Test
    void decisionWindowMustOutlastTheReminder() throws Exception {
        String problem =
                FILE
                        + ": lifecycle.decision-window must be longer than"
                        + " lifecycle.reminder-after: a reminder asks for a decision the job"
                        + " must still be able to take";
        assertProblems(
                BOOTSTRAP + "lifecycle.reminder-after: 30 d\nlifecycle.decision-window: 30 d\n",
                problem);

        JobConfig ok =
                parse(
                        BOOTSTRAP
                                + "lifecycle.reminder-after: 30 d\n"
                                + "lifecycle.decision-window: 31 d\n"
                                + "lifecycle.reject-cooldown: 0 ms\n");
        assertThat(ok.get(RightsizerOptions.LIFECYCLE_DECISION_WINDOW))
                .isEqualTo(Duration.ofDays(31));
        assertThat(ok.get(RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN)).isEqualTo(Duration.ZERO);
    }

    @Test
    void kafkaPropertiesTheJobSetsCannotBeOverridden() {
        assertProblems(
                BOOTSTRAP
                        + "kafka:\n"
                        + "  properties:\n"
                        + "    key.deserializer: a\n"
                        + "    value.deserializer: a\n"
                        + "    key.serializer: a\n"
                        + "    value.serializer: a\n"
                        + "    isolation.level: read_uncommitted\n"
                        + "    transactional.id: x\n"
                        + "    enable.auto.commit: true\n",
                FILE
                        + ": kafka.properties.key.deserializer is set by the job and cannot be"
                        + " overridden",
                FILE
                        + ": kafka.properties.value.deserializer is set by the job and cannot be"
                        + " overridden",
                FILE
                        + ": kafka.properties.key.serializer is set by the job and cannot be"
                        + " overridden",
                FILE
                        + ": kafka.properties.value.serializer is set by the job and cannot be"
                        + " overridden",
                FILE
                        + ": kafka.properties.isolation.level is set by the job and cannot be"
                        + " overridden",
                FILE
                        + ": kafka.properties.transactional.id is set by the job and cannot be"
                        + " overridden",
                FILE
                        + ": kafka.properties.enable.auto.commit is set by the job and cannot be"
                        + " overridden");
    }

    @Test
    void fileThatIsNotAMappingIsRefused() {
        assertProblems("- a\n- b\n", FILE + ":1:1: a configuration file is a mapping of keys");
    }

    @Test
    void duplicateKeyIsRefused() {
        assertThatThrownBy(() -> parse(BOOTSTRAP + "parallelism: 2\nparallelism: 3\n"))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessageContaining("duplicate key 'parallelism'");
    }

    // ---------------------------------------------------------------- pass-through

    @Test
    void passThroughKeysLandInKafkaPropertiesAndFlinkConfiguration() throws Exception {
        JobConfig c =
                parse(
                        BOOTSTRAP
                                + "kafka:\n"
                                + "  properties:\n"
                                + "    security.protocol: SSL\n"
                                + "    max.poll.records: 500\n"
                                + "kafka.properties.client.dns.lookup: use_all_dns_ips\n"
                                + "flink:\n"
                                + "  rest.port: 8081\n"
                                + "  state:\n"
                                + "    backend.type: rocksdb\n"
                                + "flink.pipeline.name: rs\n");

        assertThat(c.kafkaProperties())
                .containsOnly(
                        entry("security.protocol", "SSL"),
                        entry("max.poll.records", "500"),
                        entry("client.dns.lookup", "use_all_dns_ips"));
        assertThat(c.flinkConfiguration().toMap())
                .containsOnly(
                        entry("rest.port", "8081"),
                        entry("state.backend.type", "rocksdb"),
                        entry("pipeline.name", "rs"));
    }

    @Test
    void flinkPassThroughReachesTheJobsFlinkConfiguration() throws Exception {
        JobConfig c = parse(BOOTSTRAP + "parallelism: 3\nflink:\n  pipeline.name: rs\n");

        Map<String, String> conf = RightsizerJob.flinkConfiguration(c).toMap();

        assertThat(conf)
                .contains(
                        entry("pipeline.generic-types", "false"),
                        entry("pipeline.object-reuse", "true"),
                        entry("parallelism.default", "3"),
                        entry("pipeline.name", "rs"));
    }

    @Test
    void emptyPassThroughSectionsAreAccepted() throws Exception {
        JobConfig c = parse(BOOTSTRAP + "kafka:\n  properties:\nflink:\n");

        assertThat(c.kafkaProperties()).isEmpty();
        assertThat(c.flinkConfiguration().toMap()).isEmpty();
    }

    @Test
    void flatKeysFromAMapAndOverridesWithWith() throws Exception {
        JobConfig c =
                JobConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers", "127.0.0.1:1",
                                "parallelism", "4",
                                "kafka.properties.security.protocol", "SSL"));
        JobConfig d = c.with(Map.of("parallelism", "5", "flink.rest.port", "0"));

        assertThat(c.file()).isEqualTo("<settings>");
        assertThat(c.get(RightsizerOptions.BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:1");
        assertThat(c.get(RightsizerOptions.PARALLELISM)).isEqualTo(4);
        assertThat(d.get(RightsizerOptions.PARALLELISM)).isEqualTo(5);
        assertThat(d.get(RightsizerOptions.BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:1");
        assertThat(d.kafkaProperties()).containsOnly(entry("security.protocol", "SSL"));
        assertThat(d.flinkConfiguration().toMap()).containsOnly(entry("rest.port", "0"));
    }

    // ---------------------------------------------------------------- catalog.file

    @Test
    void catalogFileDefaultsToTheShippedCatalog() throws Exception {
        assertThat(parse(BOOTSTRAP).get(RightsizerOptions.CATALOG_FILE))
                .isEqualTo("config/catalog.yaml");
    }

    @Test
    void catalogFileIsReadIntoTheSizing(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path catalog = tmp.resolve("catalog.yaml");
        java.nio.file.Files.writeString(
                catalog, "memory:\n  sizes: [4GiB, 8GiB]\nstorage:\n  sizes: [100GiB]\n");

        io.rightsizer.rules.sizing.Sizing sizing =
                JobConfig.of(
                                Map.of(
                                        "kafka.bootstrap-servers",
                                        "k:9092",
                                        "catalog.file",
                                        catalog.toString()))
                        .sizing();

        assertThat(sizing.catalog().memorySizes()).containsExactly(4L << 30, 8L << 30);
    }

    @Test
    void missingCatalogFileNamesTheKeyAndTheWorkingDirectory() throws Exception {
        JobConfig c =
                JobConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers", "k:9092",
                                "catalog.file", "no/such/catalog.yaml"));

        assertThatThrownBy(c::sizing)
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        "<settings>: catalog.file: no such file 'no/such/catalog.yaml' (relative"
                                + " paths are read from the working directory "
                                + Path.of("").toAbsolutePath()
                                + ")");
    }

    @Test
    void invalidCatalogReportsEveryProblemAtItsPlace(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path catalog = tmp.resolve("catalog.yaml");
        java.nio.file.Files.writeString(
                catalog, "memory:\n  sizes: [8GiB, 4GiB]\nstorage:\n  sizes: [100GiB]\n");
        JobConfig c =
                JobConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers",
                                "k:9092",
                                "catalog.file",
                                catalog.toString()));

        assertThatThrownBy(c::sizing)
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessageStartingWith(catalog + ":2:");
    }

    @Test
    void historyAndDataQualitySettingsAreCheckedTogether() {
        assertProblems(
                BOOTSTRAP
                        + "state:\n  retention: 10 d\n"
                        + "data-quality:\n  silence-after: 10 d\n"
                        + "influxdb:\n"
                        + "  url: 127.0.0.1:8086\n"
                        + "  database: my db\n"
                        + "  username: rightsizer\n"
                        + "  batch-size: 10\n"
                        + "  buffer-capacity: 5\n"
                        + "  max-retries: -1\n"
                        + "embedded-influxdb:\n  port: 70000\n",
                // each value against its option's range first, in the options' order, then
                // the values that must agree with each other
                FILE + ": influxdb.url '127.0.0.1:8086' is not an http:// or https:// URL",
                FILE + ": influxdb.database 'my db' may only have letters, digits, '_' and '-'",
                FILE + ": influxdb.max-retries is -1: must be at least 0",
                FILE + ": embedded-influxdb.port 70000 is not a port (0 to 65535)",
                FILE
                        + ": data-quality.silence-after must be shorter than state.retention: a VM"
                        + " silent that long is forgotten before it could be reported",
                FILE
                        + ": influxdb.buffer-capacity must be at least influxdb.batch-size: a batch"
                        + " is taken from the buffer",
                FILE
                        + ": influxdb.username and influxdb.password go together: give both or"
                        + " neither");
    }

    @Test
    void aZeroSilencePeriodTurnsTheWatchOff() throws Exception {
        JobConfig c = parse(BOOTSTRAP + "data-quality:\n  silence-after: 0 s\n");
        assertThat(c.get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER)).isZero();
        assertThat(
                        new RightsizerPipeline.Settings(
                                        io.rightsizer.rules.RuleSet.defaults("t"),
                                        Duration.ofDays(42),
                                        "t",
                                        0,
                                        io.rightsizer.testing.Shipped.SIZING)
                                .withDataQuality(Duration.ZERO)
                                .silenceAfter())
                .isNull();
    }
}
