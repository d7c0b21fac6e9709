package io.rightsizer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rightsizer rules ...}: tools for the ops engineers who own the rule files. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Tools for rule files.",
        subcommands = {
            RulesValidateCommand.class,
            RulesTestCommand.class,
            RulesDiffCommand.class,
            RulesPublishCommand.class,
            RulesStatusCommand.class
        })
public class RulesCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
