package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.Cli;
import io.rightsizer.testing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's durations are read with the configuration's grammar, which takes a bare number as
 * milliseconds; the options' ranges refuse what the job could not run with, before it starts.
 */
class ReplayOptionsTest {
    @TempDir Path dir;

    private Cli.Run replay(String... more) throws Exception {
        Path input = Files.writeString(dir.resolve("samples.jsonl"), "");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Scenario.RULES_YAML);
        String[] base = {
            "replay",
            "--input",
            input.toString(),
            "--rules",
            rules.toString(),
            "--output",
            dir.resolve("out.jsonl").toString()
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Cli.run(args);
    }

    @Test
    void aRetentionOfZeroIsRefusedWithTheOptionsRange() throws Exception {
        Cli.Run r = replay("--retention", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("replay: --retention 0: allowed 8 d – 3660 d");
        assertThat(dir.resolve("out.jsonl")).doesNotExist();
    }

    @Test
    void anOutOfOrdernessAboveADayIsRefusedWithTheOptionsRange() throws Exception {
        Cli.Run r = replay("--out-of-orderness", "2d");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("replay: --out-of-orderness 2d: allowed 0 – 1 d");
    }
}
