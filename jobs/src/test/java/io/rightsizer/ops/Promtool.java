package io.rightsizer.ops;

import io.rightsizer.testing.InfluxServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's promtool (package prometheus) and returns what it printed. */
final class Promtool {
    static final Path BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {}

    /** The outcome of one promtool command: stdout and stderr together, in order. */
    record Run(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    /** Skips (or fails under CI) when promtool is not installed. */
    static void require() {
        InfluxServer.requireTool(
                Files.isExecutable(BINARY),
                "promtool is not installed: on Debian or Ubuntu run `sudo apt-get install -y"
                        + " prometheus` (or ./scripts/install-tools promtool)");
    }

    /** promtool ARGS in {@code dir}, so that relative rule_files resolve as in production. */
    static Run run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + args[0] + " did not finish in 60 s: " + out);
        }
        return new Run(p.exitValue(), out);
    }
}
