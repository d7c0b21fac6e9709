package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --locale} of the commands that render: a value that is not a locale is a usage error. */
class LocaleOptionCommandsTest {
    static final String REFUSED = "locale 'fr' is not one rightsizer writes in; allowed: en, zh-CN";

    @Test
    void reportMonthlyRefusesAnUnknownLocaleBeforeReadingAnything(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        Cli.Run run =
                Cli.run(
                        "report",
                        "monthly",
                        "--month",
                        "2026-10",
                        "--out",
                        out.toString(),
                        "--influx-url",
                        "http://127.0.0.1:1",
                        "--locale",
                        "fr");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("report monthly: --locale: " + REFUSED);
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void reportYearlyRefusesAnUnknownLocale(@TempDir Path tmp) {
        Cli.Run run =
                Cli.run(
                        "report",
                        "yearly",
                        "--year",
                        "2026",
                        "--unit",
                        "u",
                        "--out",
                        tmp.toString(),
                        "--influx-url",
                        "http://127.0.0.1:1",
                        "--locale",
                        "fr");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("report yearly: --locale: " + REFUSED);
    }

    @Test
    void tailRefusesAnUnknownLocaleBeforeConnecting() {
        Cli.Run run =
                Cli.run(
                        "tail",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--connect-timeout",
                        "1s",
                        "--locale",
                        "fr");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("--locale: " + REFUSED);
    }
}
