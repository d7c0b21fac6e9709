package io.rightsizer.job;

import static io.rightsizer.job.RightsizerOptions.FLINK_PREFIX;
import static io.rightsizer.job.RightsizerOptions.KAFKA_PROPERTIES_PREFIX;

import io.rightsizer.history.InfluxSettings;
import io.rightsizer.rules.CatalogParser;
import io.rightsizer.rules.DidYouMean;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.Sizing;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.WorkingCalendarParser;
import io.rightsizer.rules.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * A validated job configuration. Every problem is reported at once, as {@code file:line:col: key:
 * message}, before anything starts.
 */
public final class JobConfig {
    private final String file;
    private final Configuration options;
    private final Map<String, String> kafkaProperties;
    private final Map<String, String> flinkProperties;

    private JobConfig(
            String file,
            Configuration options,
            Map<String, String> kafkaProperties,
            Map<String, String> flinkProperties) {
        this.file = file;
        this.options = options;
        this.kafkaProperties = kafkaProperties;
        this.flinkProperties = flinkProperties;
    }

    /** A configuration problem that stops the job from starting. */
    public static final class InvalidConfigException extends Exception {
        public InvalidConfigException(String message) {
            super(message);
        }
    }

    public static JobConfig load(Path path) throws IOException, InvalidConfigException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    public static JobConfig parse(String yaml, String file) throws InvalidConfigException {
        YamlNode root;
        try {
            root = YamlNode.parse(yaml);
        } catch (YamlNode.DuplicateKeyException e) {
            throw new InvalidConfigException(
                    file + ":" + e.line + ":" + e.column + ": duplicate key '" + e.key + "'");
        } catch (IOException e) {
            throw new InvalidConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        Map<String, YamlNode> flat = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (root.kind() == YamlNode.Kind.MAP) {
            flatten("", root, flat);
        } else if (root.kind() != YamlNode.Kind.NULL) {
            problems.add(file + ":1:1: a configuration file is a mapping of keys");
        }
        return build(file, flat, problems);
    }

    /** A configuration from flat keys, as in tests or -D overrides. */
    public static JobConfig of(Map<String, String> values) throws InvalidConfigException {
        StringBuilder yaml = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            yaml.append('"').append(e.getKey()).append("\": ");
            yaml.append('"').append(e.getValue().replace("\"", "\\\"")).append("\"\n");
        }
        return parse(yaml.toString(), "<settings>");
    }

    /** Returns a copy with some keys replaced (flat keys, string values). */
    public JobConfig with(Map<String, String> overrides) throws InvalidConfigException {
        Map<String, String> all = new LinkedHashMap<>(options.toMap());
        kafkaProperties.forEach((k, v) -> all.put(KAFKA_PROPERTIES_PREFIX + k, v));
        flinkProperties.forEach((k, v) -> all.put(FLINK_PREFIX + k, v));
        all.putAll(overrides);
        JobConfig c = of(all);
        return new JobConfig(file, c.options, c.kafkaProperties, c.flinkProperties);
    }

    private static void flatten(String prefix, YamlNode node, Map<String, YamlNode> out) {
        for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
            String key = prefix + e.getKey();
            boolean passThrough =
                    key.startsWith(KAFKA_PROPERTIES_PREFIX) || key.startsWith(FLINK_PREFIX);
            if (e.getValue().kind() == YamlNode.Kind.MAP
                    && !(passThrough && e.getValue().entries().isEmpty())) {
                flatten(key + ".", e.getValue(), out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static JobConfig build(String file, Map<String, YamlNode> flat, List<String> problems)
            throws InvalidConfigException {
        Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
        for (ConfigOption<?> o : RightsizerOptions.all()) {
            known.put(o.key(), o);
        }
        Configuration conf = new Configuration();
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> flink = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : flat.entrySet()) {
            String key = e.getKey();
            YamlNode v = e.getValue();
            String where = file + ":" + v.line() + ":" + v.column() + ": " + key + ": ";
            if (v.kind() == YamlNode.Kind.LIST || v.kind() == YamlNode.Kind.MAP) {
                problems.add(where + "expected a single value, found " + v.describeKind());
                continue;
            }
            String text = v.kind() == YamlNode.Kind.NULL ? null : String.valueOf(v.scalar());
            if (text == null
                    && (key.equals(
                                    KAFKA_PROPERTIES_PREFIX.substring(
                                            0, KAFKA_PROPERTIES_PREFIX.length() - 1))
                            || key.equals(FLINK_PREFIX.substring(0, FLINK_PREFIX.length() - 1)))) {
                // An empty pass-through section, e.g. with every entry commented out.
                continue;
            }
            if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                if (text != null) {
                    kafka.put(key.substring(KAFKA_PROPERTIES_PREFIX.length()), text);
                }
            } else if (key.startsWith(FLINK_PREFIX)) {
                if (text != null) {
                    flink.put(key.substring(FLINK_PREFIX.length()), text);
                }
            } else if (!known.containsKey(key)) {
                String hint = DidYouMean.closest(key, known.keySet());
                problems.add(
                        where
                                + "unknown key"
                                + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                                + "; Kafka client settings go under kafka.properties., Flink"
                                + " settings under flink.");
            } else if (text != null) {
                conf.setString(key, text);
                try {
                    conf.get(known.get(key));
                } catch (IllegalArgumentException ex) {
                    problems.add(where + "'" + text + "' is not " + typeName(known.get(key)));
                }
            }
        }
        JobConfig c = new JobConfig(file, conf, kafka, flink);
        if (problems.isEmpty()) {
            c.sanityCheck(problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(String.join("\n", problems));
        }
        return c;
    }

    private void sanityCheck(List<String> problems) {
        String p = file + ": ";
        if (!get(RightsizerOptions.EMBEDDED_KAFKA)
                && !options.contains(RightsizerOptions.BOOTSTRAP_SERVERS)) {
            problems.add(
                    p
                            + "kafka.bootstrap-servers is required (or set"
                            + " embedded-kafka.enabled: true for a local broker)");
        }
        String offsets = get(RightsizerOptions.STARTING_OFFSETS);
        if (!List.of("earliest", "latest", "committed-or-earliest").contains(offsets)) {
            problems.add(
                    p
                            + "kafka.starting-offsets: '"
                            + offsets
                            + "' is not one of earliest, latest, committed-or-earliest");
        }
        checkRange(problems, RightsizerOptions.OUT_OF_ORDERNESS, Duration.ZERO, Duration.ofDays(1));
        checkRange(problems, RightsizerOptions.MAX_AHEAD, Duration.ZERO, Duration.ofDays(365));
        checkRange(problems, RightsizerOptions.IDLE_TIMEOUT, Duration.ZERO, Duration.ofDays(1));
        checkRange(problems, RightsizerOptions.MAX_DRIFT, Duration.ZERO, Duration.ofDays(1));
        checkRange(
                problems,
                RightsizerOptions.STATE_RETENTION,
                Duration.ofDays(8),
                Duration.ofDays(3660));
        checkRange(
                problems,
                RightsizerOptions.CHECKPOINT_INTERVAL,
                Duration.ofMillis(100),
                Duration.ofHours(1));
        checkRange(
                problems,
                RightsizerOptions.TRANSACTION_TIMEOUT,
                Duration.ofSeconds(10),
                Duration.ofHours(24));
        checkRange(
                problems,
                RightsizerOptions.LIFECYCLE_REMINDER_AFTER,
                Duration.ofHours(1),
                Duration.ofDays(365));
        checkRange(
                problems,
                RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN,
                Duration.ZERO,
                Duration.ofDays(3660));
        checkRange(
                problems,
                RightsizerOptions.LIFECYCLE_DECISION_WINDOW,
                Duration.ofDays(1),
                Duration.ofDays(3660));
        if (get(RightsizerOptions.LIFECYCLE_DECISION_WINDOW)
                        .compareTo(get(RightsizerOptions.LIFECYCLE_REMINDER_AFTER))
                <= 0) {
            problems.add(
                    p
                            + "lifecycle.decision-window must be longer than"
                            + " lifecycle.reminder-after: a reminder asks for a decision the job"
                            + " must still be able to take");
        }
        if (get(RightsizerOptions.TRANSACTION_TIMEOUT)
                        .compareTo(get(RightsizerOptions.CHECKPOINT_INTERVAL))
                <= 0) {
            problems.add(
                    p
                            + "kafka.transaction-timeout must be longer than checkpoint.interval:"
                            + " a transaction stays open from one checkpoint to the next");
        }
        int port = get(RightsizerOptions.EMBEDDED_KAFKA_PORT);
        if (port < 0 || port > 65535) {
            problems.add(p + "embedded-kafka.port " + port + " is not a port (0 to 65535)");
        }
        if (get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS) < 1) {
            problems.add(p + "embedded-kafka.partitions must be at least 1");
        }
        checkRange(
                problems,
                RightsizerOptions.DATA_QUALITY_SILENCE_AFTER,
                Duration.ZERO,
                Duration.ofDays(30));
        if (get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER)
                        .compareTo(get(RightsizerOptions.STATE_RETENTION))
                >= 0) {
            problems.add(
                    p
                            + "data-quality.silence-after must be shorter than state.retention:"
                            + " a VM silent that long is forgotten before it could be reported");
        }
        checkRange(
                problems,
                RightsizerOptions.INFLUXDB_FLUSH_INTERVAL,
                Duration.ofMillis(10),
                Duration.ofMinutes(10));
        checkRange(
                problems,
                RightsizerOptions.INFLUXDB_RETRY_BACKOFF,
                Duration.ofMillis(1),
                Duration.ofMinutes(10));
        checkRange(
                problems,
                RightsizerOptions.INFLUXDB_REQUEST_TIMEOUT,
                Duration.ofMillis(100),
                Duration.ofMinutes(10));
        checkRange(
                problems,
                RightsizerOptions.INFLUXDB_DEAD_LETTER_INTERVAL,
                Duration.ofSeconds(1),
                Duration.ofHours(1));
        checkRange(
                problems,
                RightsizerOptions.INFLUXDB_DRAIN_TIMEOUT,
                Duration.ZERO,
                Duration.ofHours(1));
        checkAtLeast(problems, RightsizerOptions.INFLUXDB_BATCH_SIZE, 1);
        checkAtLeast(problems, RightsizerOptions.INFLUXDB_BUFFER_CAPACITY, 1);
        checkAtLeast(problems, RightsizerOptions.INFLUXDB_MAX_RETRIES, 0);
        if (get(RightsizerOptions.INFLUXDB_BUFFER_CAPACITY)
                < get(RightsizerOptions.INFLUXDB_BATCH_SIZE)) {
            problems.add(
                    p
                            + "influxdb.buffer-capacity must be at least influxdb.batch-size:"
                            + " a batch is taken from the buffer");
        }
        String influxUrl = get(RightsizerOptions.INFLUXDB_URL);
        if (!influxUrl.startsWith("http://") && !influxUrl.startsWith("https://")) {
            problems.add(p + "influxdb.url '" + influxUrl + "' is not an http:// or https:// URL");
        }
        if (!get(RightsizerOptions.INFLUXDB_DATABASE).matches("[A-Za-z0-9_\\-]+")) {
            problems.add(
                    p
                            + "influxdb.database '"
                            + get(RightsizerOptions.INFLUXDB_DATABASE)
                            + "' may only have letters, digits, '_' and '-'");
        }
        if (options.contains(RightsizerOptions.INFLUXDB_USERNAME)
                != options.contains(RightsizerOptions.INFLUXDB_PASSWORD)) {
            problems.add(p + "influxdb.username and influxdb.password go together");
        }
        int influxPort = get(RightsizerOptions.EMBEDDED_INFLUXDB_PORT);
        if (influxPort < 0 || influxPort > 65535) {
            problems.add(
                    p + "embedded-influxdb.port " + influxPort + " is not a port (0 to 65535)");
        }
        int par = get(RightsizerOptions.PARALLELISM);
        if (par < 1 || par > 32768) {
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
            if (kafkaProperties.containsKey(k)) {
                problems.add(
                        p
                                + "kafka.properties."
                                + k
                                + " is set by the job and cannot be"
                                + " overridden");
            }
        }
    }

    private void checkRange(
            List<String> problems, ConfigOption<Duration> o, Duration min, Duration max) {
        Duration d = get(o);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problems.add(
                    file + ": " + o.key() + " is " + d + ": allowed from " + min + " to " + max);
        }
    }

    private void checkAtLeast(List<String> problems, ConfigOption<Integer> o, int min) {
        int v = get(o);
        if (v < min) {
            problems.add(file + ": " + o.key() + " is " + v + ": must be at least " + min);
        }
    }

    private static String typeName(ConfigOption<?> o) {
        Class<?> c = o.hasDefaultValue() ? o.defaultValue().getClass() : String.class;
        if (c == Duration.class) {
            return "a duration (e.g. 5 min, 10 s, 1 d)";
        }
        if (c == Integer.class) {
            return "a whole number";
        }
        if (c == Boolean.class) {
            return "true or false";
        }
        return "a " + c.getSimpleName().toLowerCase(Locale.ROOT);
    }

    public <T> T get(ConfigOption<T> option) {
        return options.get(option);
    }

    public String file() {
        return file;
    }

    /**
     * The service catalog named by {@code catalog.file}, read now (relative to the working
     * directory). A missing file is reported against this configuration's key; a catalog with
     * problems, as every problem at its own {@code file:line:column}.
     */
    public Sizing sizing() throws InvalidConfigException {
        return new Sizing(read(RightsizerOptions.CATALOG_FILE, CatalogParser::parse));
    }

    /**
     * The regulation's time limits with the working calendar of {@code calendar.file}, reported
     * like {@link #sizing()}.
     */
    public TimeLimits timeLimits() throws InvalidConfigException {
        return TimeLimits.regulation(
                read(RightsizerOptions.CALENDAR_FILE, WorkingCalendarParser::parse));
    }

    /** The approval lifecycle's parameters, or null when {@code lifecycle.enabled} is false. */
    public LifecycleStage.Settings lifecycle() {
        if (!get(RightsizerOptions.LIFECYCLE_ENABLED)) {
            return null;
        }
        return new LifecycleStage.Settings(
                get(RightsizerOptions.LIFECYCLE_REMINDER_AFTER),
                get(RightsizerOptions.LIFECYCLE_REJECT_COOLDOWN),
                get(RightsizerOptions.LIFECYCLE_DECISION_WINDOW));
    }

    private interface FileParser<T> {
        T parse(Path path) throws RuleSetException, IOException;
    }

    private <T> T read(ConfigOption<String> key, FileParser<T> parser)
            throws InvalidConfigException {
        String name = get(key);
        try {
            return parser.parse(Path.of(name));
        } catch (RuleSetException e) {
            throw new InvalidConfigException(e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidConfigException(
                    file
                            + ": "
                            + key.key()
                            + ": no such file '"
                            + name
                            + "' (relative paths are read from the working directory "
                            + Path.of("").toAbsolutePath()
                            + ")");
        } catch (IOException e) {
            throw new InvalidConfigException(
                    file + ": " + key.key() + ": cannot read '" + name + "': " + e.getMessage());
        }
    }

    /**
     * Where and how the utilization history is written ({@code influxdb.*}), or null when {@code
     * influxdb.enabled} is false. {@code url} overrides {@code influxdb.url} (a local influxd
     * started on a free port); null keeps it.
     */
    public InfluxSettings history(String url) {
        if (!get(RightsizerOptions.INFLUXDB_ENABLED)) {
            return null;
        }
        InfluxSettings s =
                InfluxSettings.of(
                                url != null ? url : get(RightsizerOptions.INFLUXDB_URL),
                                get(RightsizerOptions.INFLUXDB_DATABASE))
                        .withBatchSize(get(RightsizerOptions.INFLUXDB_BATCH_SIZE))
                        .withFlushInterval(get(RightsizerOptions.INFLUXDB_FLUSH_INTERVAL))
                        .withBufferCapacity(get(RightsizerOptions.INFLUXDB_BUFFER_CAPACITY))
                        .withMaxRetries(get(RightsizerOptions.INFLUXDB_MAX_RETRIES))
                        .withRetryBackoff(get(RightsizerOptions.INFLUXDB_RETRY_BACKOFF))
                        .withRequestTimeout(get(RightsizerOptions.INFLUXDB_REQUEST_TIMEOUT))
                        .withDrainTimeout(get(RightsizerOptions.INFLUXDB_DRAIN_TIMEOUT));
        String rp = options.get(RightsizerOptions.INFLUXDB_RETENTION_POLICY);
        if (rp != null) {
            s = s.withRetentionPolicy(rp);
        }
        if (options.contains(RightsizerOptions.INFLUXDB_USERNAME)) {
            s =
                    s.withCredentials(
                            get(RightsizerOptions.INFLUXDB_USERNAME),
                            get(RightsizerOptions.INFLUXDB_PASSWORD));
        }
        return s;
    }

    /** This configuration with {@code influxdb.enabled} false. */
    public JobConfig withoutHistory() {
        Configuration c = new Configuration(options);
        c.set(RightsizerOptions.INFLUXDB_ENABLED, false);
        return new JobConfig(file, c, kafkaProperties, flinkProperties);
    }

    /** Kafka client settings passed through (SASL, SSL, ...). */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        return p;
    }

    /** Flink settings passed through. */
    public Configuration flinkConfiguration() {
        return Configuration.fromMap(flinkProperties);
    }
}
