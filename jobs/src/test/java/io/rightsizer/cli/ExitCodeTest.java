package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The exit codes are an interface (scripts branch on them): their numbers, and that every command
 * lists the ones it returns in its usage help.
 */
class ExitCodeTest {

    @Test
    void theNumbersAreTheOnesScriptsAndDocsUse() {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            codes.put(c.name(), c.code());
        }
        assertThat(codes)
                .containsExactly(
                        Map.entry("OK", 0),
                        Map.entry("FAILED", 1),
                        Map.entry("USAGE", 2),
                        Map.entry("NO_DECISION", 3),
                        Map.entry("NOT_AUTHENTICATED", 67),
                        Map.entry("NOT_AUTHORIZED", 77));
        assertThat(CommandLine.ExitCode.OK).isEqualTo(ExitCode.OK.code());
        assertThat(CommandLine.ExitCode.SOFTWARE).isEqualTo(ExitCode.FAILED.code());
        assertThat(CommandLine.ExitCode.USAGE).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void everyCommandThatRunsListsItsExitCodes() {
        List<String> without = new ArrayList<>();
        for (CommandLine c : commands()) {
            if (c.getCommandSpec().userObject() instanceof Callable<?>
                    && c.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
                without.add(c.getCommandSpec().qualifiedName(" "));
            }
        }
        assertThat(without).as("commands without @ExitCodes").isEmpty();
    }

    @Test
    void everyCommandThatTalksToKafkaListsTheRefusals() {
        List<String> talking = new ArrayList<>();
        for (CommandLine c : commands()) {
            boolean kafka =
                    c.getCommandSpec().mixins().values().stream()
                            .anyMatch(m -> m.userObject() instanceof KafkaAccess);
            if (kafka) {
                talking.add(c.getCommandSpec().qualifiedName(" "));
                assertThat(c.getCommandSpec().usageMessage().exitCodeList())
                        .as(c.getCommandSpec().qualifiedName(" "))
                        .containsKeys(" 67", " 77")
                        .containsEntry(" 67", ExitCode.NOT_AUTHENTICATED.meaning())
                        .containsEntry(" 77", ExitCode.NOT_AUTHORIZED.meaning());
            }
        }
        assertThat(talking)
                .containsExactlyInAnyOrder(
                        "rightsizer simulate",
                        "rightsizer verify",
                        "rightsizer rules publish",
                        "rightsizer rules status",
                        "rightsizer tail",
                        "rightsizer decide",
                        "rightsizer inventory publish",
                        "rightsizer ingest prometheus",
                        "rightsizer console");
    }

    @Test
    void theUsageHelpListsACommandsCodesInItsOwnWords() {
        CommandLine publish =
                Main.commandLine().getSubcommands().get("rules").getSubcommands().get("publish");
        String help =
                publish.setUsageHelpWidth(CliReference.WIDTH)
                        .getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help)
                .contains(
                        "Exit codes:\n"
                                + "    0   published (and accepted, with --wait)\n"
                                + "    1   the file is invalid or its version is taken (nothing is"
                                + " published), or the job rejected it\n"
                                + "    2   Kafka cannot be reached or a topic is missing\n"
                                + "    3   no decision within --wait\n");
    }

    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine c, List<CommandLine> out) {
        if (c.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
            return;
        }
        out.add(c);
        for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
            if (e.getKey().equals(e.getValue().getCommandName())) {
                collect(e.getValue(), out);
            }
        }
    }
}
