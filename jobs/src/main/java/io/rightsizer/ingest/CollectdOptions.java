package io.rightsizer.ingest;

import io.rightsizer.config.Allowed;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code ingest.collectd.*} keys: collectd's write_kafka plugin on a topic of its own
 * (docs/providers/collectd.md). Kept beside the decoder, as {@link TelegrafOptions} is, so that
 * each collector's keys live with it; RightsizerOptions.DECLARING_CLASSES names the class.
 */
public final class CollectdOptions {
    /** The default topic, a constant for the command line's annotations. */
    public static final String DEFAULT_TOPIC = "collectd";

    private CollectdOptions() {}

    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("ingest.collectd.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Live job only: also read collectd's write_kafka messages (Format"
                                    + " JSON) from ingest.collectd.topic and assemble them into"
                                    + " samples per VM and collection interval"
                                    + " (docs/providers/collectd.md); needs the inventory.");

    public static final ConfigOption<String> TOPIC =
            Allowed.declare(
                    ConfigOptions.key("ingest.collectd.topic")
                            .stringType()
                            .defaultValue(DEFAULT_TOPIC)
                            .withDescription(
                                    "The topic collectd's write_kafka plugin writes to; `rightsizer"
                                            + " run` with the embedded broker creates it when"
                                            + " ingest.collectd.enabled."),
                    Allowed.notBlank());
}
