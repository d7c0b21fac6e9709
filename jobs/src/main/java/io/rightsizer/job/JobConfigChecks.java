package io.rightsizer.job;

import io.rightsizer.i18n.Messages;
import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The checks of a job configuration's values, alone and together, once every key has its type: each
 * problem is added, so that all are reported at once.
 */
final class JobConfigChecks {
    private JobConfigChecks() {}

    /** The URL itself is not shown: the credentials in it are secrets. */
    private static String credentialsInUrl(String key, String instead) {
        return key
                + ": holds credentials (user:password@), which would be shown wherever the URL is;"
                + " instead: "
                + instead;
    }

    static void check(JobConfig c, List<String> problems) {
        String p = c.file() + ": ";
        if (!c.get(RightsizerOptions.EMBEDDED_KAFKA)
                && !c.isSet(RightsizerOptions.BOOTSTRAP_SERVERS)) {
            problems.add(
                    p
                            + "kafka.bootstrap-servers is required (or set"
                            + " embedded-kafka.enabled: true for a local broker)");
        }
        String offsets = c.get(RightsizerOptions.STARTING_OFFSETS);
        if (!List.of("earliest", "latest", "committed-or-earliest").contains(offsets)) {
            problems.add(
                    p
                            + "kafka.starting-offsets: '"
                            + offsets
                            + "' is not one of earliest, latest, committed-or-earliest");
        }
        if (c.isSet(RightsizerOptions.SCHEMA_REGISTRY_URL)
                && Secrets.hasCredentials(c.get(RightsizerOptions.SCHEMA_REGISTRY_URL))) {
            problems.add(
                    p
                            + credentialsInUrl(
                                    "kafka.schema-registry.url",
                                    "no setting: the registry is read"
                                            + " without authentication"));
        } else if (c.isSet(RightsizerOptions.SCHEMA_REGISTRY_URL)) {
            try {
                io.rightsizer.registry.RegistryClient.checkUrl(
                        c.get(RightsizerOptions.SCHEMA_REGISTRY_URL));
            } catch (IllegalArgumentException e) {
                problems.add(p + e.getMessage());
            }
        }
        checkRange(
                c, problems, RightsizerOptions.OUT_OF_ORDERNESS, Duration.ZERO, Duration.ofDays(1));
        checkRange(c, problems, RightsizerOptions.MAX_AHEAD, Duration.ZERO, Duration.ofDays(365));
        checkRange(c, problems, RightsizerOptions.IDLE_TIMEOUT, Duration.ZERO, Duration.ofDays(1));
        checkRange(c, problems, RightsizerOptions.MAX_DRIFT, Duration.ZERO, Duration.ofDays(1));
        checkRange(
                c,
                problems,
                RightsizerOptions.STATE_RETENTION,
                Duration.ofDays(8),
                Duration.ofDays(3660));
        checkRange(
                c,
                problems,
                RightsizerOptions.CHECKPOINT_INTERVAL,
                Duration.ofMillis(100),
                Duration.ofHours(1));
        checkRange(
                c,
                problems,
                RightsizerOptions.TRANSACTION_TIMEOUT,
                Duration.ofSeconds(10),
                Duration.ofHours(24));
        checkRange(
                c,
                problems,
                RightsizerOptions.LIFECYCLE_REMINDER_AFTER,
                Duration.ofHours(1),
                Duration.ofDays(365));
        checkRange(
                c,
                problems,
                RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN,
                Duration.ZERO,
                Duration.ofDays(3660));
        checkRange(
                c,
                problems,
                RightsizerOptions.LIFECYCLE_DECISION_WINDOW,
                Duration.ofDays(1),
                Duration.ofDays(3660));
        if (c.get(RightsizerOptions.LIFECYCLE_DECISION_WINDOW)
                        .compareTo(c.get(RightsizerOptions.LIFECYCLE_REMINDER_AFTER))
                <= 0) {
            problems.add(
                    p
                            + "lifecycle.decision-window must be longer than"
                            + " lifecycle.reminder-after: a reminder asks for a decision the job"
                            + " must still be able to take");
        }
        if (c.get(RightsizerOptions.TRANSACTION_TIMEOUT)
                        .compareTo(c.get(RightsizerOptions.CHECKPOINT_INTERVAL))
                <= 0) {
            problems.add(
                    p
                            + "kafka.transaction-timeout must be longer than checkpoint.interval:"
                            + " a transaction stays open from one checkpoint to the next");
        }
        int port = c.get(RightsizerOptions.EMBEDDED_KAFKA_PORT);
        if (port < 0 || port > 65535) {
            problems.add(p + "embedded-kafka.port " + port + " is not a port (0 to 65535)");
        }
        if (c.get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS) < 1) {
            problems.add(p + "embedded-kafka.partitions must be at least 1");
        }
        checkRange(
                c,
                problems,
                RightsizerOptions.DATA_QUALITY_SILENCE_AFTER,
                Duration.ZERO,
                Duration.ofDays(30));
        if (c.get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER)
                        .compareTo(c.get(RightsizerOptions.STATE_RETENTION))
                >= 0) {
            problems.add(
                    p
                            + "data-quality.silence-after must be shorter than state.retention:"
                            + " a VM silent that long is forgotten before it could be reported");
        }
        checkRange(
                c,
                problems,
                RightsizerOptions.INFLUXDB_FLUSH_INTERVAL,
                Duration.ofMillis(10),
                Duration.ofMinutes(10));
        checkRange(
                c,
                problems,
                RightsizerOptions.INFLUXDB_RETRY_BACKOFF,
                Duration.ofMillis(1),
                Duration.ofMinutes(10));
        checkRange(
                c,
                problems,
                RightsizerOptions.INFLUXDB_REQUEST_TIMEOUT,
                Duration.ofMillis(100),
                Duration.ofMinutes(10));
        checkRange(
                c,
                problems,
                RightsizerOptions.INFLUXDB_DEAD_LETTER_INTERVAL,
                Duration.ofSeconds(1),
                Duration.ofHours(1));
        checkRange(
                c,
                problems,
                RightsizerOptions.INFLUXDB_DRAIN_TIMEOUT,
                Duration.ZERO,
                Duration.ofHours(1));
        checkAtLeast(c, problems, RightsizerOptions.INFLUXDB_BATCH_SIZE, 1);
        checkAtLeast(c, problems, RightsizerOptions.INFLUXDB_BUFFER_CAPACITY, 1);
        checkAtLeast(c, problems, RightsizerOptions.INFLUXDB_MAX_RETRIES, 0);
        if (c.get(RightsizerOptions.INFLUXDB_BUFFER_CAPACITY)
                < c.get(RightsizerOptions.INFLUXDB_BATCH_SIZE)) {
            problems.add(
                    p
                            + "influxdb.buffer-capacity must be at least influxdb.batch-size:"
                            + " a batch is taken from the buffer");
        }
        String influxUrl = c.get(RightsizerOptions.INFLUXDB_URL);
        if (Secrets.hasCredentials(influxUrl)) {
            problems.add(p + credentialsInUrl("influxdb.url", "influxdb.username and .password"));
        } else if (!influxUrl.startsWith("http://") && !influxUrl.startsWith("https://")) {
            problems.add(p + "influxdb.url '" + influxUrl + "' is not an http:// or https:// URL");
        }
        if (!c.get(RightsizerOptions.INFLUXDB_DATABASE).matches("[A-Za-z0-9_\\-]+")) {
            problems.add(
                    p
                            + "influxdb.database '"
                            + c.get(RightsizerOptions.INFLUXDB_DATABASE)
                            + "' may only have letters, digits, '_' and '-'");
        }
        if (c.isSet(RightsizerOptions.INFLUXDB_USERNAME)
                != c.isSet(RightsizerOptions.INFLUXDB_PASSWORD)) {
            problems.add(p + "influxdb.username and influxdb.password go together");
        }
        int influxPort = c.get(RightsizerOptions.EMBEDDED_INFLUXDB_PORT);
        if (influxPort < 0 || influxPort > 65535) {
            problems.add(
                    p + "embedded-influxdb.port " + influxPort + " is not a port (0 to 65535)");
        }
        checkRange(
                c, problems, RightsizerOptions.INVENTORY_WAIT, Duration.ZERO, Duration.ofDays(1));
        if (c.get(CollectdOptions.TOPIC).isBlank()) {
            problems.add(p + "ingest.collectd.topic must not be empty");
        }
        if (c.get(TelegrafOptions.TOPIC).isBlank()) {
            problems.add(p + "ingest.telegraf.topic must not be empty");
        }
        problems.addAll(CollectorStage.telegrafSettings(c).problems(p));
        if (c.get(CollectdOptions.ENABLED)
                && c.get(TelegrafOptions.ENABLED)
                && c.get(CollectdOptions.TOPIC).equals(c.get(TelegrafOptions.TOPIC))) {
            problems.add(
                    p
                            + "ingest.collectd.topic and ingest.telegraf.topic are both '"
                            + c.get(TelegrafOptions.TOPIC)
                            + "': each collector reads a topic of its own");
        }
        Messages.problem(c.get(LocaleOptions.LOCALE)).ifPresent(m -> problems.add(p + m));
        Integer par = c.get(RightsizerOptions.PARALLELISM);
        if (par != null && (par < 1 || par > 32768)) {
            problems.add(p + "parallelism " + par + " must be from 1 to 32768");
        }
        for (String k :
                List.of(
                        "key.deserializer",
                        "value.deserializer",
                        "key.serializer",
                        "value.serializer",
                        "isolation.level",
                        "transactional.id",
                        "enable.auto.commit")) {
            if (c.kafkaProperties().containsKey(k)) {
                problems.add(
                        p
                                + "kafka.properties."
                                + k
                                + " is set by the job and cannot be"
                                + " overridden");
            }
        }
    }

    private static void checkRange(
            JobConfig c,
            List<String> problems,
            ConfigOption<Duration> o,
            Duration min,
            Duration max) {
        Duration d = c.get(o);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problems.add(
                    c.file()
                            + ": "
                            + o.key()
                            + " is "
                            + d
                            + ": allowed from "
                            + min
                            + " to "
                            + max);
        }
    }

    private static void checkAtLeast(
            JobConfig c, List<String> problems, ConfigOption<Integer> o, int min) {
        int v = c.get(o);
        if (v < min) {
            problems.add(c.file() + ": " + o.key() + " is " + v + ": must be at least " + min);
        }
    }
}
