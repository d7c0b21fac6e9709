package io.rightsizer.job.config;

import io.rightsizer.config.Allowed;
import io.rightsizer.config.Options;
import io.rightsizer.history.InfluxOptions;
import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.rules.format.DurationText;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every key of a rightsizer configuration file, typed and documented (groups of their own in {@link
 * #all()}). Keys under {@code kafka.properties.} go to every Kafka client as they are, keys under
 * {@code flink.} to Flink's configuration, where the same keys carry the prefix {@code rightsizer.}
 */
public final class RightsizerOptions {
    private RightsizerOptions() {}

    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";
    public static final String FLINK_PREFIX = "flink.";

    // Defaults the command line's annotations show as well, as compile-time constants (as
    // DefaultTopics holds the topics'), so that each is written once.
    public static final String DEFAULT_RULES_FILE = "rules/article26.yaml";
    public static final String DEFAULT_CATALOG_FILE = "config/catalog.yaml";
    public static final String DEFAULT_CALENDAR_FILE = "config/calendar.yaml";
    public static final String DEFAULT_OUT_OF_ORDERNESS = "5m";
    public static final String DEFAULT_STATE_RETENTION = "42d";
    public static final String DEFAULT_REMINDER_AFTER = "14d";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers, host:port[,host:port]. Required unless"
                                    + " embedded-kafka.enabled is true.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("rightsizer")
                    .withDescription(
                            "Consumer group of the telemetry source (offsets committed on"
                                    + " checkpoints, for monitoring lag).");

    public static final ConfigOption<String> METRICS_TOPIC =
            ConfigOptions.key("kafka.topics.metrics")
                    .stringType()
                    .defaultValue(DefaultTopics.METRICS)
                    .withDescription("Topic the cloud service provider writes telemetry to.");

    public static final ConfigOption<String> RECOMMENDATIONS_TOPIC =
            ConfigOptions.key("kafka.topics.recommendations")
                    .stringType()
                    .defaultValue(DefaultTopics.RECOMMENDATIONS)
                    .withDescription("The approval topic the data center reads.");

    public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
            ConfigOptions.key("kafka.topics.dead-letters")
                    .stringType()
                    .defaultValue(DefaultTopics.DEAD_LETTERS)
                    .withDescription("Where unusable input goes, with the reason.");

    public static final ConfigOption<String> RULES_TOPIC =
            ConfigOptions.key("kafka.topics.rules")
                    .stringType()
                    .defaultValue(DefaultTopics.RULES)
                    .withDescription(
                            "Compacted topic (key = version) that `rightsizer rules publish` writes"
                                    + " rule sets to; the job applies them without a restart.");

    public static final ConfigOption<String> RULES_STATUS_TOPIC =
            ConfigOptions.key("kafka.topics.rules-status")
                    .stringType()
                    .defaultValue(DefaultTopics.RULES_STATUS)
                    .withDescription(
                            "Where the job confirms or rejects every rule-set update, with the"
                                    + " reason: the audit trail of rule changes.");

    public static final ConfigOption<String> INVENTORY_TOPIC =
            ConfigOptions.key("kafka.topics.inventory")
                    .stringType()
                    .defaultValue(DefaultTopics.INVENTORY)
                    .withDescription(
                            "Compacted topic (key = vmId) where the cloud service provider"
                                    + " publishes what each VM is allocated (VmAllocation).");

    public static final ConfigOption<String> DECISIONS_TOPIC =
            ConfigOptions.key("kafka.topics.decisions")
                    .stringType()
                    .defaultValue(DefaultTopics.DECISIONS)
                    .withDescription(
                            "Where the data center publishes its decisions on recommendations"
                                    + " (Decision; `rightsizer decide` writes it).");

    public static final ConfigOption<String> EVENTS_TOPIC =
            ConfigOptions.key("kafka.topics.recommendation-events")
                    .stringType()
                    .defaultValue(DefaultTopics.RECOMMENDATION_EVENTS)
                    .withDescription(
                            "The approval audit trail: every lifecycle state change, reminder"
                                    + " and rejected decision (RecommendationEvent).");

    public static final ConfigOption<String> NOTICES_TOPIC =
            ConfigOptions.key("kafka.topics.notices")
                    .stringType()
                    .defaultValue(DefaultTopics.NOTICES)
                    .withDescription(
                            "Time-limit notices for temporary expansions and temporary resources"
                                    + " (TimeLimitNotice), beside the approval topic.");

    public static final ConfigOption<String> SCHEMA_REGISTRY_URL =
            ConfigOptions.key("kafka.schema-registry.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A schema registry's Confluent-compatible API (e.g."
                                    + " http://HOST:8080/apis/ccompat/v7 for Apicurio). Set: the"
                                    + " job reads Confluent-framed Avro samples (writer schema by"
                                    + " id from the registry) and writes the approval topic"
                                    + " framed, its schema registered under <topic>-value."
                                    + " Unset: framed samples are dead letters."
                                    + " docs/providers/schema-registry.md");

    public static final ConfigOption<String> STARTING_OFFSETS =
            Allowed.declare(
                    ConfigOptions.key("kafka.starting-offsets")
                            .stringType()
                            .defaultValue("committed-or-earliest")
                            .withDescription(
                                    "Where a job without checkpointed state starts reading:"
                                            + " earliest, latest or committed-or-earliest."),
                    Allowed.oneOf("earliest", "latest", "committed-or-earliest"));

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("rightsizer")
                    .withDescription(
                            "Prefix of the exactly-once sinks' transactional ids: stable across"
                                    + " restarts and unique per job on the cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            Allowed.declare(
                    ConfigOptions.key("kafka.transaction-timeout")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(10))
                            .withDescription(
                                    "transaction.timeout.ms of the sinks; must not exceed the"
                                        + " brokers' transaction.max.timeout.ms (15 min by default)"
                                        + " and must exceed the longest expected checkpoint plus"
                                        + " restart."),
                    Allowed.between(Duration.ofSeconds(10), Duration.ofHours(24)));

    public static final ConfigOption<Boolean> EMBEDDED_KAFKA =
            ConfigOptions.key("embedded-kafka.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Start a single-node KRaft broker inside the process (local runs"
                                    + " only) and create the topics.");

    public static final ConfigOption<Integer> EMBEDDED_KAFKA_PORT =
            Allowed.declare(
                    ConfigOptions.key("embedded-kafka.port")
                            .intType()
                            .defaultValue(9092)
                            .withDescription(
                                    "Port of the embedded broker on 127.0.0.1; 0 picks a free"
                                            + " one."),
                    Allowed.port());

    public static final ConfigOption<Integer> EMBEDDED_KAFKA_PARTITIONS =
            Allowed.declare(
                    ConfigOptions.key("embedded-kafka.partitions")
                            .intType()
                            .defaultValue(4)
                            .withDescription(
                                    "Partitions of each topic the embedded broker creates."),
                    Allowed.atLeast(1).saying(v -> " must be at least 1"));

    public static final ConfigOption<String> EMBEDDED_KAFKA_DATA_DIR =
            ConfigOptions.key("embedded-kafka.data-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Log directory of the embedded broker; a fresh temporary directory"
                                    + " (deleted on exit) when unset.");

    public static final ConfigOption<String> RULES_FILE =
            ConfigOptions.key("rules.file")
                    .stringType()
                    .defaultValue(DEFAULT_RULES_FILE)
                    .withDescription(
                            "The rule set the job enforces, read where the job's main method runs"
                                    + " and shipped with the job; a relative path in a"
                                    + " configuration file is read from that file's directory.");

    public static final ConfigOption<String> CALENDAR_FILE =
            ConfigOptions.key("calendar.file")
                    .stringType()
                    .defaultValue(DEFAULT_CALENDAR_FILE)
                    .withDescription(
                            "Working days (weekends, public holidays, make-up working days) for"
                                    + " the time-limit reminders, read like rules.file.");

    public static final ConfigOption<Boolean> LIFECYCLE_ENABLED =
            ConfigOptions.key("lifecycle.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Pass the rules' firings through the approval lifecycle (suppress"
                                    + " repeats of what is open or decided, reminders, audit"
                                    + " trail); false sends every firing to the approval topic.");

    public static final ConfigOption<Duration> LIFECYCLE_REMINDER_AFTER =
            Allowed.declare(
                    ConfigOptions.key("lifecycle.reminder-after")
                            .durationType()
                            .defaultValue(DurationText.parse(DEFAULT_REMINDER_AFTER))
                            .withDescription(
                                    "An OPEN recommendation without a decision for this long (event"
                                            + " time) is sent once more as a reminder."),
                    Allowed.between(Duration.ofHours(1), Duration.ofDays(365)));

    public static final ConfigOption<Duration> LIFECYCLE_REJECT_COOLDOWN =
            Allowed.declare(
                    ConfigOptions.key("lifecycle.reject-cooldown")
                            .durationType()
                            .defaultValue(Duration.ofDays(30))
                            .withDescription(
                                    "After a rejection the rule stays quiet for the subject this"
                                            + " long."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(3660)));

    public static final ConfigOption<Duration> LIFECYCLE_DECISION_WINDOW =
            Allowed.declare(
                    ConfigOptions.key("lifecycle.decision-window")
                            .durationType()
                            .defaultValue(Duration.ofDays(180))
                            .withDescription(
                                    "How long after firing a recommendation's id is remembered for"
                                        + " decisions; a later decision is rejected as unknown."),
                    Allowed.between(Duration.ofDays(1), Duration.ofDays(3660)));
    public static final ConfigOption<String> CATALOG_FILE =
            ConfigOptions.key("catalog.file")
                    .stringType()
                    .defaultValue(DEFAULT_CATALOG_FILE)
                    .withDescription(
                            "The service catalog every resize recommendation's target size is"
                                    + " chosen from, read like rules.file.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            Allowed.declare(
                    ConfigOptions.key("watermark.out-of-orderness")
                            .durationType()
                            .defaultValue(DurationText.parse(DEFAULT_OUT_OF_ORDERNESS))
                            .withDescription(
                                    "Bound of the watermark: W = newest timestamp − bound − 1 ms;"
                                            + " samples at or behind W are LATE."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(1)));

    public static final ConfigOption<Duration> MAX_AHEAD =
            Allowed.declare(
                    ConfigOptions.key("watermark.max-ahead-of-wall-clock")
                            .durationType()
                            .defaultValue(Duration.ofDays(1))
                            .withDescription(
                                    "Live job only: samples stamped further ahead of the wall clock"
                                            + " are INVALID, so a host with a wrong clock cannot"
                                            + " fast-forward event time; decisions decided further"
                                            + " ahead are refused."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(365)));

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            Allowed.declare(
                    ConfigOptions.key("source.idle-timeout")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(1))
                            .withDescription(
                                    "A Kafka partition without records for this long stops holding"
                                            + " back the watermark; 0 disables idleness."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(1)));

    public static final ConfigOption<Duration> MAX_DRIFT =
            Allowed.declare(
                    ConfigOptions.key("source.max-event-time-drift")
                            .durationType()
                            .defaultValue(Duration.ZERO)
                            .withDescription(
                                    "Watermark alignment: a partition whose watermark is this far"
                                        + " ahead of the slowest partition is paused, which bounds"
                                        + " the samples buffered per VM while a backlog is read; 0"
                                        + " (default) disables it. Alignment paces reading at fetch"
                                        + " granularity, so a drift below the event time one fetch"
                                        + " covers slows catch-up sharply."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(1)));

    public static final ConfigOption<Duration> STATE_RETENTION =
            Allowed.declare(
                    ConfigOptions.key("state.retention")
                            .durationType()
                            .defaultValue(DurationText.parse(DEFAULT_STATE_RETENTION))
                            .withDescription(
                                    "A VM or system that sent nothing for this long (in event time)"
                                            + " and has no deadline left is forgotten; it is judged"
                                            + " afresh if it reports again."),
                    Allowed.between(Duration.ofDays(8), Duration.ofDays(3660)));

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            Allowed.declare(
                    ConfigOptions.key("checkpoint.interval")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(10))
                            .withDescription(
                                    "Exactly-once checkpoint interval; recommendations become"
                                        + " visible to read_committed consumers when a checkpoint"
                                        + " completes."),
                    Allowed.between(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final ConfigOption<Integer> PARALLELISM =
            Allowed.declare(
                    ConfigOptions.key("parallelism")
                            .intType()
                            .noDefaultValue()
                            .withDescription(
                                    "Parallelism of the job's operators. Unset: Flink's (flink run"
                                        + " -p, parallelism.default of the cluster); a local run"
                                        + " (rightsizer run, demo, bench) then uses 2."),
                    Allowed.between(1, 32768).saying(v -> " " + v + " must be from 1 to 32768"));

    public static final ConfigOption<String> DATA_QUALITY_TOPIC =
            ConfigOptions.key("kafka.topics.data-quality")
                    .stringType()
                    .defaultValue(DefaultTopics.DATA_QUALITY)
                    .withDescription(
                            "Where a VM's telemetry silences and their ends go (DataQualityEvent,"
                                    + " key vmId).");

    public static final ConfigOption<Duration> DATA_QUALITY_SILENCE_AFTER =
            Allowed.declare(
                    ConfigOptions.key("data-quality.silence-after")
                            .durationType()
                            .defaultValue(Duration.ofHours(1))
                            .withDescription(
                                    "A VM whose last sample was RUNNING and that sends nothing for"
                                            + " this long (in event time) gets a TELEMETRY_SILENT"
                                            + " event; 0 turns the watch off."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(30)));

    public static final ConfigOption<Duration> INVENTORY_WAIT =
            Allowed.declare(
                    ConfigOptions.key("ingest.inventory-wait")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(5))
                            .withDescription(
                                    "How long, in event time, a sample assembled from a collector"
                                        + " waits for its VM to appear in the inventory before it"
                                        + " becomes a dead letter; the collectors' watermark trails"
                                        + " their readings by watermark.out-of-orderness plus this"
                                        + " (rules/README.md, \"Samples assembled from"
                                        + " collectors\")."),
                    Allowed.between(Duration.ZERO, Duration.ofDays(1)));

    /**
     * The classes that declare the job's options, in the order of the configuration reference. A
     * class of options of its own is added here, once; its options are then known keys, checked
     * against what they declare ({@link Allowed}) and documented ({@code OptionClassesTest} fails
     * while a class with options is missing).
     */
    public static final List<Class<?>> DECLARING_CLASSES =
            List.of(
                    RightsizerOptions.class,
                    InfluxOptions.class,
                    CollectdOptions.class,
                    TelegrafOptions.class,
                    LocaleOptions.class);

    /** Every option of {@link #DECLARING_CLASSES}, in declaration order. */
    public static List<ConfigOption<?>> all() {
        return Options.declaredIn(DECLARING_CLASSES);
    }
}
