package io.rightsizer.history;

import io.rightsizer.config.Allowed;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code influxdb.*} and {@code embedded-influxdb.*} keys: where and how the utilization
 * history is written. Kept beside {@link InfluxSettings}, which takes its defaults and its checks
 * from here, so that each value has one default and one range.
 */
public final class InfluxOptions {
    private InfluxOptions() {}

    /** Defaults the command line's annotations show as well, as compile-time constants. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8086";

    public static final String DEFAULT_DATABASE = "rightsizer";

    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("influxdb.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Write the utilization history (hourly and weekly figures,"
                                    + " recommendations, dead-letter counts, data-quality events)"
                                    + " to InfluxDB.");

    public static final ConfigOption<String> URL =
            Allowed.declare(
                    ConfigOptions.key("influxdb.url")
                            .stringType()
                            .defaultValue(DEFAULT_URL)
                            .withDescription(
                                    "InfluxDB's HTTP API (1.x, or 2.x/3.x through their"
                                            + " v1-compatible endpoints). Ignored when"
                                            + " embedded-influxdb.enabled."),
                    Allowed.httpUrl());

    public static final ConfigOption<String> DATABASE =
            Allowed.declare(
                    ConfigOptions.key("influxdb.database")
                            .stringType()
                            .defaultValue(DEFAULT_DATABASE)
                            .withDescription("Database of the history; created when missing."),
                    Allowed.where(
                            "letters, digits, _ and -",
                            v ->
                                    v.matches("[A-Za-z0-9_\\-]+")
                                            ? null
                                            : " '"
                                                    + v
                                                    + "' may only have letters, digits, '_' and"
                                                    + " '-'"));

    public static final ConfigOption<String> RETENTION_POLICY =
            ConfigOptions.key("influxdb.retention-policy")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Retention policy written to; unset: the database default.");

    public static final ConfigOption<String> USERNAME =
            ConfigOptions.key("influxdb.username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("User, when InfluxDB has authentication on.");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("influxdb.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password of influxdb.username.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            Allowed.declare(
                    ConfigOptions.key("influxdb.batch-size")
                            .intType()
                            .defaultValue(5000)
                            .withDescription("Points per write request."),
                    Allowed.atLeast(1));

    public static final ConfigOption<Duration> FLUSH_INTERVAL =
            Allowed.declare(
                    ConfigOptions.key("influxdb.flush-interval")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(1))
                            .withDescription("A partial batch is sent at least this often."),
                    Allowed.between(Duration.ofMillis(10), Duration.ofMinutes(10)));

    public static final ConfigOption<Integer> BUFFER_CAPACITY =
            Allowed.declare(
                    ConfigOptions.key("influxdb.buffer-capacity")
                            .intType()
                            .defaultValue(100_000)
                            .withDescription(
                                    "Points buffered per sink subtask while InfluxDB is slow or"
                                        + " down; beyond it points are dropped and counted, never"
                                        + " waited for."),
                    Allowed.atLeast(1));

    public static final ConfigOption<Integer> MAX_RETRIES =
            Allowed.declare(
                    ConfigOptions.key("influxdb.max-retries")
                            .intType()
                            .defaultValue(5)
                            .withDescription(
                                    "Retries of a failed batch before it is dropped and counted."),
                    Allowed.atLeast(0));

    public static final ConfigOption<Duration> RETRY_BACKOFF =
            Allowed.declare(
                    ConfigOptions.key("influxdb.retry-backoff")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(1))
                            .withDescription("First retry delay; it doubles, up to 30 s."),
                    Allowed.between(Duration.ofMillis(1), Duration.ofMinutes(10)));

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            Allowed.declare(
                    ConfigOptions.key("influxdb.request-timeout")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(10))
                            .withDescription("Connect, read and write timeout of one request."),
                    Allowed.between(Duration.ofMillis(100), Duration.ofMinutes(10)));

    public static final ConfigOption<Duration> DRAIN_TIMEOUT =
            Allowed.declare(
                    ConfigOptions.key("influxdb.drain-timeout")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(30))
                            .withDescription(
                                    "At the end of a bounded input (replay), how long the job waits"
                                            + " for buffered points to be written."),
                    Allowed.between(Duration.ZERO, Duration.ofHours(1)));

    public static final ConfigOption<Duration> DEAD_LETTER_INTERVAL =
            Allowed.declare(
                    ConfigOptions.key("influxdb.dead-letter-interval")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(1))
                            .withDescription(
                                    "Dead letters are written as one count per reason and interval"
                                            + " of processing time."),
                    Allowed.between(Duration.ofSeconds(1), Duration.ofHours(1)));

    public static final ConfigOption<Boolean> EMBEDDED =
            ConfigOptions.key("embedded-influxdb.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Start a local influxd (Debian's influxdb package, found on the PATH)"
                                    + " on 127.0.0.1 and write the history there. Without the"
                                    + " binary the run goes on without history and says so.");

    public static final ConfigOption<Integer> EMBEDDED_PORT =
            Allowed.declare(
                    ConfigOptions.key("embedded-influxdb.port")
                            .intType()
                            .defaultValue(8086)
                            .withDescription("HTTP port of the local influxd (0: a free port)."),
                    Allowed.port());

    public static final ConfigOption<String> EMBEDDED_DATA_DIR =
            ConfigOptions.key("embedded-influxdb.data-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Where the local influxd keeps its data; unset: a temporary directory"
                                    + " deleted at exit.");

    /**
     * The one rule between the credentials, for the configuration's check and for {@link
     * InfluxSettings} alike: null when both or neither are given.
     */
    public static String credentialsProblem(boolean username, boolean password) {
        return username == password
                ? null
                : USERNAME.key() + " and " + PASSWORD.key() + " go together: give both or neither";
    }
}
