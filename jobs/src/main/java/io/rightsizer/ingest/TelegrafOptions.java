package io.rightsizer.ingest;

import io.rightsizer.config.Allowed;
import io.rightsizer.config.Options;
import io.rightsizer.telemetry.SampleValidator;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code ingest.telegraf.*} keys: Telegraf's Kafka output on a topic of its own
 * (docs/providers/telegraf.md). Telegraf's messages say neither their collection interval nor the
 * unit of a JSON timestamp, so both are configured here, as they are in Telegraf.
 */
public final class TelegrafOptions {
    /** The default topic, a constant for the command line's annotations. */
    public static final String DEFAULT_TOPIC = "telegraf";

    private TelegrafOptions() {}

    public static final String AUTO = "auto";
    public static final String JSON = "json";
    public static final String INFLUX = "influx";

    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("ingest.telegraf.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read Telegraf's Kafka output (inputs mem, disk, cpu) from"
                                    + " ingest.telegraf.topic and turn it into samples.");

    public static final ConfigOption<String> TOPIC =
            Allowed.declare(
                    ConfigOptions.key("ingest.telegraf.topic")
                            .stringType()
                            .defaultValue(DEFAULT_TOPIC)
                            .withDescription(
                                    "The topic of Telegraf's [[outputs.kafka]] (its `topic`,"
                                            + " default telegraf)."),
                    Allowed.notBlank());

    public static final ConfigOption<String> FORMAT =
            Allowed.declare(
                    ConfigOptions.key("ingest.telegraf.format")
                            .stringType()
                            .defaultValue(AUTO)
                            .withDescription(
                                    "The data_format of Telegraf's Kafka output: influx (InfluxDB"
                                        + " line protocol), json, or auto: a record whose first"
                                        + " byte other than white space is '{' is JSON, any other"
                                        + " is line protocol."),
                    Allowed.oneOf(AUTO, JSON, INFLUX));

    public static final ConfigOption<String> VM_TAG =
            Allowed.declare(
                    ConfigOptions.key("ingest.telegraf.vm-tag")
                            .stringType()
                            .defaultValue("host")
                            .withDescription(
                                    "The tag whose value is the vmId (Telegraf's agent sets host; a"
                                            + " [global_tags] entry such as vm_id works as well)."),
                    Allowed.where(
                            "not empty, at most " + SampleValidator.MAX_ID_LENGTH + " characters",
                            v ->
                                    v.isBlank()
                                            ? " is empty: name the tag that holds the vmId"
                                            : SampleValidator.checkIdLength("", v)));

    public static final ConfigOption<Duration> INTERVAL =
            Allowed.declare(
                    ConfigOptions.key("ingest.telegraf.interval")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(10))
                            .withDescription(
                                    "Telegraf's collection interval ([agent] interval, 10s by"
                                        + " default): the values of one VM stamped within one"
                                        + " interval make one sample. Telegraf's messages do not"
                                        + " carry it."),
                    Allowed.between(Duration.ofSeconds(1), Duration.ofHours(1))
                            .and(
                                    Allowed.where(
                                            "whole milliseconds",
                                            d ->
                                                    d.toNanos() % 1_000_000 != 0
                                                            ? " is "
                                                                    + d
                                                                    + ": must be whole milliseconds"
                                                            : null)));

    public static final ConfigOption<Duration> JSON_TIMESTAMP_UNITS =
            Allowed.declare(
                    ConfigOptions.key("ingest.telegraf.json-timestamp-units")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(1))
                            .withDescription(
                                    "The json_timestamp_units of Telegraf's Kafka output (1s by"
                                        + " default): the unit of the JSON timestamp, a power of"
                                        + " ten from 1 ns to 1 s. Line protocol timestamps are"
                                        + " always nanoseconds."),
                    Allowed.where(
                            "a power of ten from 1 ns to 1 s",
                            d ->
                                    unitNanos(d) < 0
                                            ? " is "
                                                    + d
                                                    + ": must be a power of ten from 1 ns to 1 s,"
                                                    + " as Telegraf uses it (Telegraf truncates"
                                                    + " other values to the power of ten below:"
                                                    + " 15ms is 10ms)"
                                            : null));

    /** Every key, in declaration order. */
    public static final List<ConfigOption<?>> ALL = Options.declaredIn(TelegrafOptions.class);

    /**
     * What the decoders need, checked by {@link #problems}. Serializable: a Kafka deserializer
     * carries it to the task managers.
     *
     * @param format auto, json or influx
     * @param vmTag the tag naming the VM
     * @param interval the collection interval
     * @param jsonTimestampUnits the unit of a JSON timestamp
     */
    public record Settings(
            String format, String vmTag, Duration interval, Duration jsonTimestampUnits)
            implements Serializable {
        /** The defaults: auto, host, 10 s, 1 s. */
        public static Settings defaults() {
            return new Settings(
                    FORMAT.defaultValue(),
                    VM_TAG.defaultValue(),
                    INTERVAL.defaultValue(),
                    JSON_TIMESTAMP_UNITS.defaultValue());
        }

        public Settings withFormat(String f) {
            return new Settings(f, vmTag, interval, jsonTimestampUnits);
        }

        public Settings withVmTag(String t) {
            return new Settings(format, t, interval, jsonTimestampUnits);
        }

        public Settings withInterval(Duration d) {
            return new Settings(format, vmTag, d, jsonTimestampUnits);
        }

        public Settings withJsonTimestampUnits(Duration d) {
            return new Settings(format, vmTag, interval, d);
        }

        /**
         * Every problem of these values, each starting with {@code where} (e.g. {@code "job.yaml:
         * "}) and the key; empty when they are usable.
         */
        public List<String> problems(String where) {
            List<String> p = new ArrayList<>();
            add(p, where, Allowed.problem(FORMAT, format));
            add(p, where, Allowed.problem(VM_TAG, vmTag == null ? "" : vmTag));
            add(p, where, Allowed.problem(INTERVAL, interval));
            add(p, where, Allowed.problem(JSON_TIMESTAMP_UNITS, jsonTimestampUnits));
            return p;
        }

        private static void add(List<String> problems, String where, String problem) {
            if (problem != null) {
                problems.add(where + problem);
            }
        }

        public long intervalMillis() {
            return interval.toMillis();
        }
    }

    /** The nanoseconds of a power of ten from 1 ns to 1 s, else -1. */
    static long unitNanos(Duration unit) {
        if (unit.isNegative() || unit.compareTo(Duration.ofSeconds(1)) > 0) {
            return -1;
        }
        long n = unit.toNanos();
        for (long p = 1; p <= 1_000_000_000L; p *= 10) {
            if (n == p) {
                return n;
            }
        }
        return -1;
    }
}
