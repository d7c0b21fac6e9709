package io.rightsizer.job.config;

import io.rightsizer.config.Allowed;
import io.rightsizer.history.InfluxOptions;
import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;

/**
 * The checks of a job configuration's values, once every key has its type: each value against what
 * its option declares ({@link Allowed}, beside the option), then the values that must agree with
 * each other. Each problem is added, so that all are reported at once.
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
        // Keys whose value must not appear in any further message.
        Set<String> secret = new HashSet<>();
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
        if (Secrets.hasCredentials(c.get(InfluxOptions.URL))) {
            problems.add(p + credentialsInUrl("influxdb.url", "influxdb.username and .password"));
            secret.add(InfluxOptions.URL.key());
        }
        for (ConfigOption<?> o : RightsizerOptions.all()) {
            if (!secret.contains(o.key())) {
                checkDeclared(c, o, p, problems);
            }
        }
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
        if (c.get(RightsizerOptions.DATA_QUALITY_SILENCE_AFTER)
                        .compareTo(c.get(RightsizerOptions.STATE_RETENTION))
                >= 0) {
            problems.add(
                    p
                            + "data-quality.silence-after must be shorter than state.retention:"
                            + " a VM silent that long is forgotten before it could be reported");
        }
        if (c.get(InfluxOptions.BUFFER_CAPACITY) < c.get(InfluxOptions.BATCH_SIZE)) {
            problems.add(
                    p
                            + "influxdb.buffer-capacity must be at least influxdb.batch-size:"
                            + " a batch is taken from the buffer");
        }
        String credentials =
                InfluxOptions.credentialsProblem(
                        c.isSet(InfluxOptions.USERNAME), c.isSet(InfluxOptions.PASSWORD));
        if (credentials != null) {
            problems.add(p + credentials);
        }
        if (c.get(CollectdOptions.ENABLED)
                && c.get(TelegrafOptions.ENABLED)
                && c.get(CollectdOptions.TOPIC).equals(c.get(TelegrafOptions.TOPIC))) {
            problems.add(
                    p
                            + "ingest.collectd.topic and ingest.telegraf.topic are both '"
                            + c.get(TelegrafOptions.TOPIC)
                            + "': each collector reads a topic of its own");
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

    /** The option's value against what the option declares; an unset value is not checked. */
    private static <T> void checkDeclared(
            JobConfig c, ConfigOption<T> o, String where, List<String> problems) {
        T value = c.get(o);
        if (value != null) {
            String problem = Allowed.problem(o, value);
            if (problem != null) {
                problems.add(where + problem);
            }
        }
    }
}
