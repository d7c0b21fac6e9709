package io.rightsizer.job.config;

import io.rightsizer.config.Allowed;
import io.rightsizer.i18n.Messages;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code locale} key: the language of what rightsizer writes for people (docs/localization.md).
 * A group of its own, like the collectors' keys, so that {@link RightsizerOptions} stays a list.
 */
public final class LocaleOptions {
    private LocaleOptions() {}

    public static final ConfigOption<String> LOCALE =
            Allowed.declare(
                    ConfigOptions.key("locale")
                            .stringType()
                            .defaultValue(Messages.EN)
                            .withDescription(
                                    "The language of the recommendations' reason and regulation"
                                        + " fields the job writes, and the default of --locale for"
                                        + " rightsizer tail and report: en or zh-CN (Simplified"
                                        + " Chinese, dates as 2026年3月2日). The default en keeps"
                                        + " every output as it was; the records' ruleId and"
                                        + " evidence are the same in both (docs/localization.md)."),
                    // Messages words the refusal (the same for --locale); the key leads it.
                    Allowed.where(
                            String.join(", ", Messages.SUPPORTED),
                            v ->
                                    Messages.problem(v)
                                            .map(m -> m.substring(m.indexOf(' ')))
                                            .orElse(null)));

    public static final List<ConfigOption<?>> ALL = List.of(LOCALE);

    /** The messages of the configured locale; {@link JobConfigChecks} has checked the value. */
    public static Messages messages(JobConfig c) {
        return Messages.of(c.get(LOCALE));
    }
}
