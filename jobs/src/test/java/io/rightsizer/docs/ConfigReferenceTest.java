package io.rightsizer.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.config.Allowed;
import io.rightsizer.job.config.ConfigReference;
import io.rightsizer.job.config.RightsizerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's table is what {@link ConfigReference} generates from the options: a key
 * added, removed or redescribed in the code without the page fails here. {@code
 * scripts/regenerate-docs} (this test with {@code -Dregenerate.docs=true}) rewrites the table.
 */
class ConfigReferenceTest {
    static final Path PAGE = Path.of("..", "docs", "configuration.md");

    @Test
    void theCheckedInTableIsWhatTheOptionsGenerate() throws Exception {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        int begin = page.indexOf(ConfigReference.BEGIN + "\n");
        int end = page.indexOf(ConfigReference.END);
        assertThat(begin).as("the BEGIN marker in " + PAGE).isNotNegative();
        assertThat(end).as("the END marker after BEGIN in " + PAGE).isGreaterThan(begin);
        String generated = ConfigReference.markdownTable();
        String checkedIn = page.substring(begin + ConfigReference.BEGIN.length() + 1, end);
        if (Boolean.getBoolean("regenerate.docs") && !checkedIn.equals(generated)) {
            Files.writeString(
                    PAGE,
                    page.substring(0, begin + ConfigReference.BEGIN.length() + 1)
                            + generated
                            + page.substring(end),
                    StandardCharsets.UTF_8);
            checkedIn = generated;
        }
        assertThat(checkedIn)
                .as("docs/configuration.md is out of date: run scripts/regenerate-docs")
                .isEqualTo(generated);
    }

    @Test
    void everyOptionIsARowWithItsTypeAndDefault() {
        String table = ConfigReference.markdownTable();
        for (ConfigOption<?> o : RightsizerOptions.all()) {
            assertThat(table).contains("| `" + o.key() + "` | ");
        }
        assertThat(table)
                .contains(
                        "| `watermark.out-of-orderness` | duration | `5 min` | ",
                        "| `kafka.group-id` | string | `rightsizer` | ",
                        "| `kafka.bootstrap-servers` | string | — | ");
    }

    @Test
    void everyRowShowsWhatItsOptionDeclaresItAllows() {
        String table = ConfigReference.markdownTable();

        assertThat(table)
                .startsWith("| key | type | default | allowed | meaning |\n")
                .contains(
                        "| `state.retention` | duration | `42 d` | 8 d – 3660 d | ",
                        "| `watermark.out-of-orderness` | duration | `5 min` | 0 – 1 d | ",
                        "| `embedded-kafka.port` | int | `9092` | 0 – 65535 | ",
                        "| `influxdb.max-retries` | int | `5` | ≥ 0 | ",
                        "| `parallelism` | int | — | 1 – 32768 | ",
                        "| `kafka.starting-offsets` | string | `committed-or-earliest` | earliest,"
                                + " latest, committed-or-earliest | ",
                        "| `kafka.group-id` | string | `rightsizer` | — | ");
        for (ConfigOption<?> o : RightsizerOptions.all()) {
            Allowed<?> a = Allowed.of(o);
            if (a != null) {
                assertThat(table).contains(" | " + a.range() + " | ");
            }
        }
    }

    @Test
    void anOptionWithoutADescriptionCannotBeDocumented() {
        ConfigOption<Duration> bare = ConfigOptions.key("x.bare").durationType().noDefaultValue();
        assertThatThrownBy(() -> ConfigReference.markdownTable(List.of(bare)))
                .hasMessage("x.bare has no description");
    }
}
