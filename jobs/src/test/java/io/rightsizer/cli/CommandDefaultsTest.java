package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.rules.format.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command-line option that stands for a configuration key shows that key's default: the
 * annotations read the options' constants, so a default changed in one place is changed in both.
 */
class CommandDefaultsTest {
    /** The command-line options that mirror a configuration key. */
    static final Map<String, ConfigOption<?>> MIRRORS =
            Map.of(
                    "--out-of-orderness", RightsizerOptions.OUT_OF_ORDERNESS,
                    "--retention", RightsizerOptions.STATE_RETENTION,
                    "--reminder-after", RightsizerOptions.LIFECYCLE_REMINDER_AFTER,
                    "--rules", RightsizerOptions.RULES_FILE,
                    "--catalog", RightsizerOptions.CATALOG_FILE,
                    "--calendar", RightsizerOptions.CALENDAR_FILE,
                    "--influx-url", InfluxOptions.URL,
                    "--database", InfluxOptions.DATABASE,
                    "--collectd-topic", CollectdOptions.TOPIC);

    static void collect(CommandLine c, List<CommandLine> out) {
        out.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, out));
    }

    @Test
    void everyMirroredOptionDefaultsToItsKeysDefault() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new Main()), commands);
        List<String> checked = new ArrayList<>();
        for (CommandLine c : commands) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                ConfigOption<?> key = MIRRORS.get(o.longestName());
                if (key == null || o.defaultValue() == null) {
                    continue;
                }
                Object expected = key.defaultValue();
                Object shown =
                        expected instanceof Duration
                                ? DurationText.parse(o.defaultValue())
                                : o.defaultValue();
                assertThat(shown)
                        .as(c.getCommandSpec().qualifiedName() + " " + o.longestName())
                        .isEqualTo(expected);
                checked.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
            }
        }

        assertThat(checked)
                .contains(
                        "rightsizer replay --out-of-orderness",
                        "rightsizer replay --retention",
                        "rightsizer replay --reminder-after",
                        "rightsizer replay --catalog",
                        "rightsizer demo --rules",
                        "rightsizer demo --calendar",
                        "rightsizer report monthly --influx-url",
                        "rightsizer report monthly --database",
                        "rightsizer report monthly --rules",
                        "rightsizer broker --collectd-topic");
    }

    @Test
    void theDemoAndTheSimulationTakeTheLocalRunsAndTheRuleSetsDefaults() {
        CommandLine root = new CommandLine(new Main());

        assertThat(
                        root.getSubcommands()
                                .get("demo")
                                .getCommandSpec()
                                .findOption("--parallelism")
                                .defaultValue())
                .isEqualTo(String.valueOf(io.rightsizer.job.RightsizerJob.LOCAL_PARALLELISM));
        assertThat(
                        root.getSubcommands()
                                .get("simulate")
                                .getCommandSpec()
                                .findOption("--zone")
                                .defaultValue())
                .isEqualTo(io.rightsizer.rules.RuleSet.DEFAULT_ZONE.getId());
    }

    @Test
    void theBrokerCreatesTheDefaultTopics() {
        CommandLine broker = new CommandLine(new Main()).getSubcommands().get("broker");

        assertThat(broker.getCommandSpec().findOption("--topics").defaultValue())
                .isEqualTo(
                        String.join(
                                ",",
                                RightsizerOptions.METRICS_TOPIC.defaultValue(),
                                RightsizerOptions.RECOMMENDATIONS_TOPIC.defaultValue(),
                                RightsizerOptions.DEAD_LETTERS_TOPIC.defaultValue()));
        assertThat(broker.getCommandSpec().findOption("--rules-topics").defaultValue())
                .isEqualTo(DefaultTopics.RULES + "," + DefaultTopics.RULES_STATUS);
    }
}
