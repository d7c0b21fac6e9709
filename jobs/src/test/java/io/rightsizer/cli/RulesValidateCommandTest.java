package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesValidateCommandTest {
    private static final Path SHIPPED = Path.of("..", "rules", "article26.yaml");

    @TempDir Path tmp;

    @Test
    void shippedRuleSetIsValid() {
        Cli.Run run = Cli.run("rules", "validate", SHIPPED.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(SHIPPED + ": OK (version 2026.11.0)");
    }

    @Test
    void everyProblemOfEveryFileIsReportedWithItsPlaceAndTheExitCodeIsOne() throws Exception {
        Path bad =
                write(
                        "bad.yaml",
                        """
                        version: "v2"
                        rules:
                          scale-up.memory.weekly-average:
                            average-abov-pct: 75
                          scale-up.storage.usage:
                            usage-above-pct: 170
                        """);

        Cli.Run run = Cli.run("rules", "validate", SHIPPED.toString(), bad.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        SHIPPED + ": OK (version 2026.11.0)",
                        bad
                                + ":4:5: unknown key 'average-abov-pct' in"
                                + " scale-up.memory.weekly-average (did you mean"
                                + " 'average-above-pct'?)",
                        bad
                                + ":6:22: scale-up.storage.usage.usage-above-pct is 170: a"
                                + " percentage must be from 0 to 100",
                        "2 problems");
    }

    @Test
    void twoFilesWithTheSameVersionAreRefused() throws Exception {
        Path a = write("a.yaml", "version: \"7\"\n");
        Path b = write("b.yaml", "version: \"7\"\n");

        Cli.Run run = Cli.run("rules", "validate", a.toString(), b.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        a + ": OK (version 7)",
                        b
                                + ":1:1: version '7' is already used by "
                                + a
                                + "; every published rule set needs its own",
                        "1 problem");
    }

    @Test
    void missingFileIsAProblem() {
        Path missing = tmp.resolve("missing.yaml");

        Cli.Run run = Cli.run("rules", "validate", missing.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(0)).startsWith(missing + ": cannot be read: ");
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
