package io.rightsizer.job;

import io.rightsizer.history.InfluxSettings;
import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
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
            ConfigOptions.key("kafka.starting-offsets")
                    .stringType()
                    .defaultValue("committed-or-earliest")
                    .withDescription(
                            "Where a job without checkpointed state starts reading: earliest,"
                                    + " latest or committed-or-earliest.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("rightsizer")
                    .withDescription(
                            "Prefix of the exactly-once sinks' transactional ids: stable across"
                                    + " restarts and unique per job on the cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "transaction.timeout.ms of the sinks; must not exceed the brokers'"
                                    + " transaction.max.timeout.ms (15 min by default) and must"
                                    + " exceed the longest expected checkpoint plus restart.");

    public static final ConfigOption<Boolean> EMBEDDED_KAFKA =
            ConfigOptions.key("embedded-kafka.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Start a single-node KRaft broker inside the process (local runs"
                                    + " only) and create the topics.");

    public static final ConfigOption<Integer> EMBEDDED_KAFKA_PORT =
            ConfigOptions.key("embedded-kafka.port")
                    .intType()
                    .defaultValue(9092)
                    .withDescription(
                            "Port of the embedded broker on 127.0.0.1; 0 picks a free one.");

    public static final ConfigOption<Integer> EMBEDDED_KAFKA_PARTITIONS =
            ConfigOptions.key("embedded-kafka.partitions")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Partitions of each topic the embedded broker creates.");

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
                    .defaultValue("rules/article26.yaml")
                    .withDescription(
                            "The rule set the job enforces, read where the job's main method runs"
                                    + " and shipped with the job; a relative path in a"
                                    + " configuration file is read from that file's directory.");

    public static final ConfigOption<String> CALENDAR_FILE =
            ConfigOptions.key("calendar.file")
                    .stringType()
                    .defaultValue("config/calendar.yaml")
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
            ConfigOptions.key("lifecycle.reminder-after")
                    .durationType()
                    .defaultValue(Duration.ofDays(14))
                    .withDescription(
                            "An OPEN recommendation without a decision for this long (event"
                                    + " time) is sent once more as a reminder.");

    public static final ConfigOption<Duration> LIFECYCLE_REJECT_COOLDOWN =
            ConfigOptions.key("lifecycle.reject-cooldown")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "After a rejection the rule stays quiet for the subject this long.");

    public static final ConfigOption<Duration> LIFECYCLE_DECISION_WINDOW =
            ConfigOptions.key("lifecycle.decision-window")
                    .durationType()
                    .defaultValue(Duration.ofDays(180))
                    .withDescription(
                            "How long after firing a recommendation's id is remembered for"
                                    + " decisions; a later decision is rejected as unknown.");
    public static final ConfigOption<String> CATALOG_FILE =
            ConfigOptions.key("catalog.file")
                    .stringType()
                    .defaultValue("config/catalog.yaml")
                    .withDescription(
                            "The service catalog every resize recommendation's target size is"
                                    + " chosen from, read like rules.file.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "Bound of the watermark: W = newest timestamp − bound − 1 ms; samples"
                                    + " at or behind W are LATE.");

    public static final ConfigOption<Duration> MAX_AHEAD =
            ConfigOptions.key("watermark.max-ahead-of-wall-clock")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Live job only: samples stamped further ahead of the wall clock are"
                                    + " INVALID, so a host with a wrong clock cannot fast-forward"
                                    + " event time; decisions decided further ahead are refused.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("source.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "A Kafka partition without records for this long stops holding back"
                                    + " the watermark; 0 disables idleness.");

    public static final ConfigOption<Duration> MAX_DRIFT =
            ConfigOptions.key("source.max-event-time-drift")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Watermark alignment: a partition whose watermark is this far ahead"
                                    + " of the slowest partition is paused, which bounds the"
                                    + " samples buffered per VM while a backlog is read; 0"
                                    + " (default) disables it. Alignment paces reading at"
                                    + " fetch granularity, so a drift below the event time one"
                                    + " fetch covers slows catch-up sharply.");

    public static final ConfigOption<Duration> STATE_RETENTION =
            ConfigOptions.key("state.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(42))
                    .withDescription(
                            "A VM or system that sent nothing for this long (in event time) and"
                                    + " has no deadline left is forgotten; it is judged afresh if"
                                    + " it reports again.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Exactly-once checkpoint interval; recommendations become visible to"
                                    + " read_committed consumers when a checkpoint completes.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Parallelism of the job's operators. Unset: Flink's (flink run -p,"
                                    + " parallelism.default of the cluster); a local run"
                                    + " (rightsizer run, demo, bench) then uses 2.");

    public static final ConfigOption<String> DATA_QUALITY_TOPIC =
            ConfigOptions.key("kafka.topics.data-quality")
                    .stringType()
                    .defaultValue(DefaultTopics.DATA_QUALITY)
                    .withDescription(
                            "Where a VM's telemetry silences and their ends go (DataQualityEvent,"
                                    + " key vmId).");

    public static final ConfigOption<Duration> DATA_QUALITY_SILENCE_AFTER =
            ConfigOptions.key("data-quality.silence-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "A VM whose last sample was RUNNING and that sends nothing for this"
                                    + " long (in event time) gets a TELEMETRY_SILENT event; 0 turns"
                                    + " the watch off.");

    public static final ConfigOption<Boolean> INFLUXDB_ENABLED =
            ConfigOptions.key("influxdb.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Write the utilization history (hourly and weekly figures,"
                                    + " recommendations, dead-letter counts, data-quality events)"
                                    + " to InfluxDB.");

    public static final ConfigOption<String> INFLUXDB_URL =
            ConfigOptions.key("influxdb.url")
                    .stringType()
                    .defaultValue("http://127.0.0.1:8086")
                    .withDescription(
                            "InfluxDB's HTTP API (1.x, or 2.x/3.x through their v1-compatible"
                                    + " endpoints). Ignored when embedded-influxdb.enabled.");

    public static final ConfigOption<String> INFLUXDB_DATABASE =
            ConfigOptions.key("influxdb.database")
                    .stringType()
                    .defaultValue(InfluxSettings.DEFAULT_DATABASE)
                    .withDescription("Database of the history; created when missing.");

    public static final ConfigOption<String> INFLUXDB_RETENTION_POLICY =
            ConfigOptions.key("influxdb.retention-policy")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Retention policy written to; unset: the database default.");

    public static final ConfigOption<String> INFLUXDB_USERNAME =
            ConfigOptions.key("influxdb.username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("User, when InfluxDB has authentication on.");

    public static final ConfigOption<String> INFLUXDB_PASSWORD =
            ConfigOptions.key("influxdb.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password of influxdb.username.");

    public static final ConfigOption<Integer> INFLUXDB_BATCH_SIZE =
            ConfigOptions.key("influxdb.batch-size")
                    .intType()
                    .defaultValue(InfluxSettings.DEFAULT_BATCH_SIZE)
                    .withDescription("Points per write request.");

    public static final ConfigOption<Duration> INFLUXDB_FLUSH_INTERVAL =
            ConfigOptions.key("influxdb.flush-interval")
                    .durationType()
                    .defaultValue(InfluxSettings.DEFAULT_FLUSH_INTERVAL)
                    .withDescription("A partial batch is sent at least this often.");

    public static final ConfigOption<Integer> INFLUXDB_BUFFER_CAPACITY =
            ConfigOptions.key("influxdb.buffer-capacity")
                    .intType()
                    .defaultValue(InfluxSettings.DEFAULT_BUFFER_CAPACITY)
                    .withDescription(
                            "Points buffered per sink subtask while InfluxDB is slow or down;"
                                    + " beyond it points are dropped and counted, never waited"
                                    + " for.");

    public static final ConfigOption<Integer> INFLUXDB_MAX_RETRIES =
            ConfigOptions.key("influxdb.max-retries")
                    .intType()
                    .defaultValue(InfluxSettings.DEFAULT_MAX_RETRIES)
                    .withDescription("Retries of a failed batch before it is dropped and counted.");

    public static final ConfigOption<Duration> INFLUXDB_RETRY_BACKOFF =
            ConfigOptions.key("influxdb.retry-backoff")
                    .durationType()
                    .defaultValue(InfluxSettings.DEFAULT_RETRY_BACKOFF)
                    .withDescription("First retry delay; it doubles, up to 30 s.");

    public static final ConfigOption<Duration> INFLUXDB_REQUEST_TIMEOUT =
            ConfigOptions.key("influxdb.request-timeout")
                    .durationType()
                    .defaultValue(InfluxSettings.DEFAULT_REQUEST_TIMEOUT)
                    .withDescription("Connect, read and write timeout of one request.");

    public static final ConfigOption<Duration> INFLUXDB_DRAIN_TIMEOUT =
            ConfigOptions.key("influxdb.drain-timeout")
                    .durationType()
                    .defaultValue(InfluxSettings.DEFAULT_DRAIN_TIMEOUT)
                    .withDescription(
                            "At the end of a bounded input (replay), how long the job waits for"
                                    + " buffered points to be written.");

    public static final ConfigOption<Duration> INFLUXDB_DEAD_LETTER_INTERVAL =
            ConfigOptions.key("influxdb.dead-letter-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Dead letters are written as one count per reason and interval of"
                                    + " processing time.");

    public static final ConfigOption<Boolean> EMBEDDED_INFLUXDB =
            ConfigOptions.key("embedded-influxdb.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Start a local influxd (Debian's influxdb package, found on the PATH)"
                                    + " on 127.0.0.1 and write the history there. Without the"
                                    + " binary the run goes on without history and says so.");

    public static final ConfigOption<Integer> EMBEDDED_INFLUXDB_PORT =
            ConfigOptions.key("embedded-influxdb.port")
                    .intType()
                    .defaultValue(8086)
                    .withDescription("HTTP port of the local influxd (0: a free port).");

    public static final ConfigOption<String> EMBEDDED_INFLUXDB_DATA_DIR =
            ConfigOptions.key("embedded-influxdb.data-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Where the local influxd keeps its data; unset: a temporary directory"
                                    + " deleted at exit.");

    public static final ConfigOption<Duration> INVENTORY_WAIT =
            ConfigOptions.key("ingest.inventory-wait")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How long, in event time, a sample assembled from a collector waits"
                                    + " for its VM to appear in the inventory before it becomes a"
                                    + " dead letter; the collectors' watermark trails their"
                                    + " readings by watermark.out-of-orderness plus this"
                                    + " (rules/README.md, \"Samples assembled from collectors\").");

    public static List<ConfigOption<?>> all() {
        return Stream.of(
                        List.<ConfigOption<?>>of(
                                BOOTSTRAP_SERVERS,
                                GROUP_ID,
                                METRICS_TOPIC,
                                RECOMMENDATIONS_TOPIC,
                                DEAD_LETTERS_TOPIC,
                                RULES_TOPIC,
                                RULES_STATUS_TOPIC,
                                INVENTORY_TOPIC,
                                DECISIONS_TOPIC,
                                EVENTS_TOPIC,
                                NOTICES_TOPIC,
                                SCHEMA_REGISTRY_URL,
                                STARTING_OFFSETS,
                                TRANSACTIONAL_ID_PREFIX,
                                TRANSACTION_TIMEOUT,
                                EMBEDDED_KAFKA,
                                EMBEDDED_KAFKA_PORT,
                                EMBEDDED_KAFKA_PARTITIONS,
                                EMBEDDED_KAFKA_DATA_DIR,
                                RULES_FILE,
                                CALENDAR_FILE,
                                LIFECYCLE_ENABLED,
                                LIFECYCLE_REMINDER_AFTER,
                                LIFECYCLE_REJECT_COOLDOWN,
                                LIFECYCLE_DECISION_WINDOW,
                                CATALOG_FILE,
                                OUT_OF_ORDERNESS,
                                MAX_AHEAD,
                                IDLE_TIMEOUT,
                                MAX_DRIFT,
                                STATE_RETENTION,
                                CHECKPOINT_INTERVAL,
                                PARALLELISM,
                                DATA_QUALITY_TOPIC,
                                DATA_QUALITY_SILENCE_AFTER,
                                INFLUXDB_ENABLED,
                                INFLUXDB_URL,
                                INFLUXDB_DATABASE,
                                INFLUXDB_RETENTION_POLICY,
                                INFLUXDB_USERNAME,
                                INFLUXDB_PASSWORD,
                                INFLUXDB_BATCH_SIZE,
                                INFLUXDB_FLUSH_INTERVAL,
                                INFLUXDB_BUFFER_CAPACITY,
                                INFLUXDB_MAX_RETRIES,
                                INFLUXDB_RETRY_BACKOFF,
                                INFLUXDB_REQUEST_TIMEOUT,
                                INFLUXDB_DRAIN_TIMEOUT,
                                INFLUXDB_DEAD_LETTER_INTERVAL,
                                EMBEDDED_INFLUXDB,
                                EMBEDDED_INFLUXDB_PORT,
                                EMBEDDED_INFLUXDB_DATA_DIR,
                                INVENTORY_WAIT),
                        CollectdOptions.ALL,
                        TelegrafOptions.ALL,
                        LocaleOptions.ALL)
                .flatMap(List::stream)
                .toList();
    }
}
