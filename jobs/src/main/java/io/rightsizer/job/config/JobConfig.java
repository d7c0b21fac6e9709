package io.rightsizer.job.config;

import static io.rightsizer.job.config.RightsizerOptions.FLINK_PREFIX;
import static io.rightsizer.job.config.RightsizerOptions.KAFKA_PROPERTIES_PREFIX;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.history.InfluxSettings;
import io.rightsizer.job.LifecycleStage;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.format.CatalogParser;
import io.rightsizer.rules.format.DidYouMean;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.rules.format.WorkingCalendarParser;
import io.rightsizer.rules.format.YamlNode;
import io.rightsizer.rules.sizing.Sizing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * A validated job configuration. Every problem is reported at once, as {@code file:line:col: key:
 * message} (or {@code -D key: message}, {@code Flink configuration: rightsizer.key: message}),
 * before anything starts.
 *
 * <p>A key's value comes from, lowest first: the option's default, the {@code --config} file, the
 * job's keys in Flink's configuration ({@code rightsizer.<key>}: the cluster's {@code config.yaml},
 * the Kubernetes operator's {@code flinkConfiguration}, {@code flink run -D}), then {@code -D} of
 * {@code rightsizer run}. Every value is kept as the text it was given and checked against its
 * option's type; no value is ever parsed as YAML a second time.
 */
public final class JobConfig {
    /** The prefix of the job's keys in Flink's configuration. */
    public static final String FLINK_KEY_PREFIX = "rightsizer.";

    /**
     * One key's value as given: the key as written there, its text (null for an empty value), where
     * it was given (a message prefix, e.g. {@code job.yaml:3:5: }), and the directory a relative
     * path in it is read from (null: the working directory).
     */
    private record Setting(String key, String text, String where, Path base) {}

    private final String file;
    private final Map<String, Setting> settings;
    private final Configuration options;
    private final Map<String, String> kafkaProperties;
    private final Map<String, String> flinkProperties;

    private JobConfig(
            String file,
            Map<String, Setting> settings,
            Configuration options,
            Map<String, String> kafkaProperties,
            Map<String, String> flinkProperties) {
        this.file = file;
        this.settings = settings;
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

    /**
     * The file at {@code path}; relative paths in it ({@code rules.file}, {@code catalog.file},
     * ...) are read from the file's directory, wherever the process that reads them runs.
     */
    public static JobConfig load(Path path) throws IOException, InvalidConfigException {
        return parse(
                Files.readString(path, StandardCharsets.UTF_8),
                path.toString(),
                path.toAbsolutePath().normalize().getParent());
    }

    /**
     * YAML text named {@code file} in messages; relative paths in it from the working directory.
     */
    public static JobConfig parse(String yaml, String file) throws InvalidConfigException {
        return parse(yaml, file, null);
    }

    private static JobConfig parse(String yaml, String file, Path base)
            throws InvalidConfigException {
        YamlNode root;
        try {
            root = YamlNode.parse(yaml);
        } catch (YamlNode.DuplicateKeyException e) {
            throw new InvalidConfigException(
                    file + ":" + e.line + ":" + e.column + ": duplicate key '" + e.key + "'");
        } catch (YamlNode.SyntaxException e) {
            // Place and problem only: the line may be a credential's.
            throw new InvalidConfigException(
                    file + ":" + e.line + ":" + e.column + ": " + e.describe());
        } catch (IOException e) {
            throw new InvalidConfigException(
                    file + ": cannot be read as YAML (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, Setting> flat = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (root.kind() == YamlNode.Kind.MAP) {
            flatten("", root, file, base, flat, problems);
        } else if (root.kind() != YamlNode.Kind.NULL) {
            problems.add(file + ":1:1: a configuration file is a mapping of keys");
        }
        return build(file, flat, problems);
    }

    /** A configuration from flat keys and their values as they are, as in tests. */
    public static JobConfig of(Map<String, String> values) throws InvalidConfigException {
        return build("<settings>", settings(values, "", "<settings> "), new ArrayList<>());
    }

    /**
     * Returns a copy with some keys replaced (flat keys, values as they are: {@code -D} of {@code
     * rightsizer run}); relative paths among them are read from the working directory.
     */
    public JobConfig with(Map<String, String> overrides) throws InvalidConfigException {
        return overlay(settings(overrides, "", "-D "));
    }

    /**
     * Returns a copy with the job's keys found in Flink's configuration ({@code rightsizer.<key>})
     * over this one's; Flink's other keys are Flink's own and ignored here.
     */
    public JobConfig withFlinkConfiguration(Map<String, String> flinkConfiguration)
            throws InvalidConfigException {
        Map<String, String> ours = new TreeMap<>();
        flinkConfiguration.forEach(
                (k, v) -> {
                    if (k.startsWith(FLINK_KEY_PREFIX)) {
                        ours.put(k.substring(FLINK_KEY_PREFIX.length()), v);
                    }
                });
        if (ours.isEmpty()) {
            return this;
        }
        return overlay(settings(ours, FLINK_KEY_PREFIX, "Flink configuration: "));
    }

    /**
     * The job's configuration from {@code --config} (null: none) and the job's keys in Flink's
     * configuration over it; {@code flink run}'s entry point and any other place that has both.
     */
    public static JobConfig resolve(String configFile, Map<String, String> flinkConfiguration)
            throws IOException, InvalidConfigException {
        JobConfig base =
                configFile != null
                        ? load(Path.of(configFile))
                        : new JobConfig(
                                "Flink configuration",
                                Map.of(),
                                new Configuration(),
                                Map.of(),
                                Map.of());
        JobConfig c = base.withFlinkConfiguration(flinkConfiguration);
        if (c == base && configFile == null) {
            // Nothing given at all: still checked, so that what is missing is said.
            return build(base.file, new LinkedHashMap<>(), new ArrayList<>());
        }
        return c;
    }

    private JobConfig overlay(Map<String, Setting> over) throws InvalidConfigException {
        Map<String, Setting> all = new LinkedHashMap<>(settings);
        all.putAll(over);
        return build(file, all, new ArrayList<>());
    }

    private static Map<String, Setting> settings(
            Map<String, String> values, String keyPrefix, String where) {
        Map<String, Setting> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, new Setting(keyPrefix + k, v, where, null)));
        return out;
    }

    private static void flatten(
            String prefix,
            YamlNode node,
            String file,
            Path base,
            Map<String, Setting> out,
            List<String> problems) {
        for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
            String key = prefix + e.getKey();
            YamlNode v = e.getValue();
            boolean passThrough =
                    key.startsWith(KAFKA_PROPERTIES_PREFIX) || key.startsWith(FLINK_PREFIX);
            if (v.kind() == YamlNode.Kind.MAP && !(passThrough && v.entries().isEmpty())) {
                flatten(key + ".", v, file, base, out, problems);
                continue;
            }
            String where = file + ":" + v.line() + ":" + v.column() + ": ";
            if (v.kind() == YamlNode.Kind.LIST || v.kind() == YamlNode.Kind.MAP) {
                problems.add(where + key + ": expected a single value, found " + v.describeKind());
            } else {
                String text = v.kind() == YamlNode.Kind.NULL ? null : String.valueOf(v.scalar());
                out.put(key, new Setting(key, text, where, base));
            }
        }
    }

    private static JobConfig build(String file, Map<String, Setting> flat, List<String> problems)
            throws InvalidConfigException {
        Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
        for (ConfigOption<?> o : RightsizerOptions.all()) {
            known.put(o.key(), o);
        }
        Configuration conf = new Configuration();
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> flink = new LinkedHashMap<>();
        for (Map.Entry<String, Setting> e : flat.entrySet()) {
            String key = e.getKey();
            Setting s = e.getValue();
            String where = s.where() + s.key() + ": ";
            String text = s.text();
            boolean fromFlink = s.key().startsWith(FLINK_KEY_PREFIX);
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
            } else if (key.startsWith(FLINK_PREFIX) && fromFlink) {
                problems.add(
                        where
                                + "Flink's own settings go into Flink's configuration as they are,"
                                + " without the rightsizer. prefix: "
                                + key.substring(FLINK_PREFIX.length()));
            } else if (key.startsWith(FLINK_PREFIX)) {
                if (text != null) {
                    flink.put(key.substring(FLINK_PREFIX.length()), text);
                }
            } else if (!known.containsKey(key)) {
                String hint = DidYouMean.closest(key, known.keySet());
                problems.add(
                        where
                                + "unknown key"
                                + (hint != null
                                        ? " (did you mean '"
                                                + (fromFlink ? FLINK_KEY_PREFIX : "")
                                                + hint
                                                + "'?)"
                                        : "")
                                + (fromFlink
                                        ? "; Kafka client settings go under"
                                                + " rightsizer.kafka.properties."
                                        : "; Kafka client settings go under kafka.properties.,"
                                                + " Flink settings under flink."));
            } else if (text != null) {
                ConfigOption<?> option = known.get(key);
                Object value = value(option, text);
                if (value == null) {
                    problems.add(where + "'" + text + "' is not " + typeName(option));
                } else if (value instanceof Duration d) {
                    @SuppressWarnings("unchecked")
                    ConfigOption<Duration> durationOption = (ConfigOption<Duration>) option;
                    conf.set(durationOption, d);
                } else {
                    // The text as it is: a string stays byte for byte what was given.
                    conf.setString(key, text);
                }
            }
        }
        JobConfig c =
                new JobConfig(
                        file,
                        Collections.unmodifiableMap(new LinkedHashMap<>(flat)),
                        conf,
                        kafka,
                        flink);
        if (problems.isEmpty()) {
            JobConfigChecks.check(c, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(String.join("\n", problems));
        }
        return c;
    }

    /**
     * {@code text} read as the option's type, or null when it is not one: a duration in the command
     * line's grammar ({@link DurationText#parse}, which reads Flink's as well), anything else as
     * Flink reads it.
     */
    private static Object value(ConfigOption<?> option, String text) {
        if (ConfigReference.clazz(option) == Duration.class) {
            return DurationText.parse(text);
        }
        Configuration one = new Configuration();
        one.setString(option.key(), text);
        try {
            return one.get(option);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String typeName(ConfigOption<?> o) {
        Class<?> c = ConfigReference.clazz(o);
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

    /** Whether the key was given at all (its default does not count). */
    boolean isSet(ConfigOption<?> option) {
        return options.contains(option);
    }

    /**
     * The parallelism the configuration sets explicitly ({@code parallelism}); empty: Flink's
     * ({@code flink run -p}, {@code parallelism.default}).
     */
    public Optional<Integer> parallelism() {
        return Optional.ofNullable(get(RightsizerOptions.PARALLELISM));
    }

    /**
     * Where the file a path option names is: a relative path given in a configuration file is read
     * from that file's directory; any other relative path (a default, {@code -D}, Flink's
     * configuration) from the working directory. Null when the option is unset and has no default.
     */
    public Path location(ConfigOption<String> option) {
        String value = get(option);
        if (value == null) {
            return null;
        }
        Path p = Path.of(value);
        Setting s = settings.get(option.key());
        if (p.isAbsolute() || s == null || s.base() == null) {
            return p;
        }
        return s.base().resolve(p).normalize();
    }

    /** The rule set named by {@code rules.file}, read now and reported like {@link #sizing()}. */
    public RuleSet rules() throws InvalidConfigException {
        return read(RightsizerOptions.RULES_FILE, RuleSetParser::parse);
    }

    /**
     * The service catalog named by {@code catalog.file}, read now (see {@link #location}). A
     * missing file is reported against this configuration's key; a catalog with problems, as every
     * problem at its own {@code file:line:column}.
     */
    public Sizing sizing() throws InvalidConfigException {
        return new Sizing(
                read(RightsizerOptions.CATALOG_FILE, CatalogParser::parse),
                LocaleOptions.messages(this));
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
        Path path = location(key);
        try {
            return parser.parse(path);
        } catch (RuleSetException e) {
            throw new InvalidConfigException(e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            Setting s = settings.get(key.key());
            String from =
                    s != null && s.base() != null && !path.equals(Path.of(name))
                            ? "relative paths in "
                                    + file
                                    + " are read from its directory "
                                    + s.base()
                            : "relative paths are read from the working directory "
                                    + Path.of("").toAbsolutePath();
            throw new InvalidConfigException(
                    file
                            + ": "
                            + key.key()
                            + ": no such file '"
                            + name
                            + "' ("
                            + (Path.of(name).isAbsolute() ? "an absolute path" : from)
                            + ")");
        } catch (IOException e) {
            throw new InvalidConfigException(
                    file + ": " + key.key() + ": cannot read '" + path + "': " + e.getMessage());
        }
    }

    /**
     * Where and how the utilization history is written ({@code influxdb.*}), or null when {@code
     * influxdb.enabled} is false. {@code url} overrides {@code influxdb.url} (a local influxd
     * started on a free port); null keeps it.
     */
    public InfluxSettings history(String url) {
        if (!get(InfluxOptions.ENABLED)) {
            return null;
        }
        InfluxSettings s =
                InfluxSettings.of(
                                url != null ? url : get(InfluxOptions.URL),
                                get(InfluxOptions.DATABASE))
                        .withBatchSize(get(InfluxOptions.BATCH_SIZE))
                        .withFlushInterval(get(InfluxOptions.FLUSH_INTERVAL))
                        .withBufferCapacity(get(InfluxOptions.BUFFER_CAPACITY))
                        .withMaxRetries(get(InfluxOptions.MAX_RETRIES))
                        .withRetryBackoff(get(InfluxOptions.RETRY_BACKOFF))
                        .withRequestTimeout(get(InfluxOptions.REQUEST_TIMEOUT))
                        .withDrainTimeout(get(InfluxOptions.DRAIN_TIMEOUT));
        String rp = options.get(InfluxOptions.RETENTION_POLICY);
        if (rp != null) {
            s = s.withRetentionPolicy(rp);
        }
        if (options.contains(InfluxOptions.USERNAME)) {
            s = s.withCredentials(get(InfluxOptions.USERNAME), get(InfluxOptions.PASSWORD));
        }
        return s;
    }

    /** This configuration with {@code influxdb.enabled} false. */
    public JobConfig withoutHistory() {
        Configuration c = new Configuration(options);
        c.set(InfluxOptions.ENABLED, false);
        return new JobConfig(file, settings, c, kafkaProperties, flinkProperties);
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
