package io.rightsizer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.InfluxServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/install-tools, in the cases that change nothing on the machine: a usage error, and every
 * requested tool already there. (Installing is exercised by .ci/run on a fresh machine.)
 */
class InstallToolsTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "install-tools");

    record Run(int exitCode, List<String> out, List<String> err) {}

    @Test
    void anUnknownToolIsAUsageErrorBeforeAnythingIsInstalled() throws Exception {
        Run run = run("influxdb", "grafana");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .containsExactly(
                        "install-tools: unknown tool 'grafana'",
                        "usage: scripts/install-tools [influxdb] [promtool] [chromium]"
                                + " [chromedriver] [collectd] [node-exporter] [registry]   (no"
                                + " argument: all)");
    }

    @Test
    void toolsAlreadyInstalledAreReportedWithTheirPathAndNothingIsInstalled() throws Exception {
        for (String binary : List.of("influxd", "promtool", "chromium", "chromedriver")) {
            InfluxServer.requireTool(
                    Files.isExecutable(Path.of("/usr/bin", binary)),
                    binary + " is not installed in /usr/bin: ./scripts/install-tools installs it");
        }

        Run run = run("promtool", "influxdb", "chromium", "chromedriver");

        assertThat(run.exitCode()).as(String.join("\n", run.err())).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).hasSize(4);
        assertThat(run.out().get(0)).startsWith("install-tools: promtool: already installed (");
        assertThat(run.out().get(1)).startsWith("install-tools: influxdb: already installed (");
        assertThat(run.out().get(2)).startsWith("install-tools: chromium: already installed (");
        assertThat(run.out().get(3))
                .startsWith(
                        "install-tools: chromedriver: already installed (/usr/bin/chromedriver");
        assertThat(run.out()).noneMatch(line -> line.contains("apt-get"));
    }

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("install-tools", ".out");
        Path err = Files.createTempFile("install-tools", ".err");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("install-tools did not finish in 60 s");
            }
            return new Run(
                    p.exitValue(),
                    Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
