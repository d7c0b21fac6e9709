package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.format.RuleSetParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands print through picocli's out and err, so that a caller (a test, the demo running the
 * report) gives them writers of its own instead of swapping System.out for the whole JVM.
 */
class CommandOutputTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "io", "rightsizer", "cli");

    /**
     * A use of the process's streams: System.out.println(, usage(System.out), System.err::println,
     * = System.out; (not the words in a comment).
     */
    private static final Pattern SYSTEM_STREAM =
            Pattern.compile("System\\.(out|err)\\s*(\\.|::|\\)|;|,)");

    @Test
    void noClassOfTheCommandLinePrintsToSystemOutOrErr() throws IOException {
        List<String> uses = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = SYSTEM_STREAM.matcher(lines.get(i));
                    if (m.find()) {
                        uses.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(uses).isEmpty();
    }

    @Test
    void aCommandsLinesGoToTheWritersItWasGiven(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.yaml");
        Files.copy(Path.of("..", "rules", "article26.yaml"), first);
        Path second = dir.resolve("second.yaml");
        Files.copy(first, second);
        String version = RuleSetParser.parse(first).version();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int rc =
                Main.commandLine()
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute("rules", "validate", first.toString(), second.toString());

        assertThat(rc).isEqualTo(ExitCode.FAILED.code());
        assertThat(out.toString().lines())
                .containsExactly(
                        first + ": OK (version " + version + ")",
                        second
                                + ":1:1: version '"
                                + version
                                + "' is already used by "
                                + first
                                + "; every published rule set needs its own",
                        "1 problem");
        assertThat(err.toString()).isEmpty();
    }
}
