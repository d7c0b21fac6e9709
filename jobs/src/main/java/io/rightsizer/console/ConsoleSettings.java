package io.rightsizer.console;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.rules.RuleSet;
import java.util.Properties;

/**
 * Where the console reads and writes: the brokers and the client settings of the job's
 * configuration, its topics, and its InfluxDB history when it writes one. Built from a loaded
 * configuration by {@code KafkaAccess.consoleSettings()} (the {@code --config} and {@code
 * --bootstrap-servers} options every Kafka command has), or by {@link #of} in tests.
 *
 * @param brokers the brokers and where they came from, for messages
 * @param consumer a byte-array, read_committed consumer's properties without a group
 * @param producer the properties of the producer {@code rightsizer decide} uses
 * @param influx null: no history configured
 * @param configuredRules the rule set of the configuration's {@code rules.file}, used for a
 *     recommendation whose rule set version is not on the rules topic; null when unreadable
 */
public record ConsoleSettings(
        String brokers,
        Properties consumer,
        Properties producer,
        Topics topics,
        Influx influx,
        RuleSet configuredRules) {

    /** The job's topics the console reads, and the one it writes (decisions). */
    public record Topics(
            String recommendations,
            String events,
            String decisions,
            String notices,
            String dataQuality,
            String rules) {

        /** The configuration's topic names, or the defaults when {@code cfg} is null. */
        public static Topics of(JobConfig cfg) {
            return new Topics(
                    topic(cfg, RightsizerOptions.RECOMMENDATIONS_TOPIC),
                    topic(cfg, RightsizerOptions.EVENTS_TOPIC),
                    topic(cfg, RightsizerOptions.DECISIONS_TOPIC),
                    topic(cfg, RightsizerOptions.NOTICES_TOPIC),
                    topic(cfg, RightsizerOptions.DATA_QUALITY_TOPIC),
                    topic(cfg, RightsizerOptions.RULES_TOPIC));
        }

        private static String topic(
                JobConfig cfg, org.apache.flink.configuration.ConfigOption<String> option) {
            return cfg != null ? cfg.get(option) : option.defaultValue();
        }
    }

    /** The history's InfluxDB; {@code username} null: without authentication. */
    public record Influx(
            String url, String database, String retentionPolicy, String username, String password) {
        @Override
        public String toString() {
            // No password in a log line.
            return "Influx[url="
                    + url
                    + ", database="
                    + database
                    + ", retentionPolicy="
                    + retentionPolicy
                    + ", username="
                    + username
                    + "]";
        }

        /**
         * The configuration's {@code influxdb.*}, or null when {@code influxdb.enabled} is false.
         * An embedded influxd on a fixed port is reached at 127.0.0.1; on port 0 (a free port
         * chosen at the job's start) the console cannot know where it is and has no history.
         */
        public static Influx of(JobConfig cfg) {
            if (cfg == null || !cfg.get(InfluxOptions.ENABLED)) {
                return null;
            }
            String url = null;
            if (cfg.get(InfluxOptions.EMBEDDED)) {
                int port = cfg.get(InfluxOptions.EMBEDDED_PORT);
                if (port == 0) {
                    return null;
                }
                url = "http://127.0.0.1:" + port;
            }
            var s = cfg.history(url);
            return new Influx(
                    s.url(), s.database(), s.retentionPolicy(), s.username(), s.password());
        }
    }

    /**
     * The settings of the configuration {@code cfg} (null: the defaults) on the brokers the
     * properties name.
     */
    public static ConsoleSettings of(
            JobConfig cfg, String brokers, Properties consumer, Properties producer) {
        RuleSet rules = null;
        if (cfg != null) {
            try {
                rules = cfg.rules();
            } catch (JobConfig.InvalidConfigException e) {
                // The console runs without it: thresholds then come from the rules topic only.
                rules = null;
            }
        }
        return new ConsoleSettings(
                brokers, consumer, producer, Topics.of(cfg), Influx.of(cfg), rules);
    }

    @Override
    public String toString() {
        // The client properties may hold SASL credentials: never printed.
        return "ConsoleSettings[brokers="
                + brokers
                + ", topics="
                + topics
                + ", influx="
                + influx
                + "]";
    }
}
