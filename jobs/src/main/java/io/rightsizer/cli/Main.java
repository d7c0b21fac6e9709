package io.rightsizer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rightsizer} command line. */
@Command(
        name = "rightsizer",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Enforces the Article 26 cloud utilization rules on VM telemetry.",
        subcommands = {
            RunCommand.class,
            ReplayCommand.class,
            SimulateCommand.class,
            DemoCommand.class,
            BrokerCommand.class,
            VerifyCommand.class,
            RulesCommand.class,
            TailCommand.class,
            DecideCommand.class,
            ConsoleCommand.class,
            InventoryCommand.class,
            IngestCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line, writing to System.out and System.err unless given other writers ({@link
     * CommandLine#setOut}, {@link CommandLine#setErr}): every command prints through them. Give
     * writers that flush on println (autoflush), as picocli's own do: the commands that follow a
     * topic or run a job print their lines as they go.
     */
    public static CommandLine commandLine() {
        return ExitCode.describe(
                new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rightsizer " + (v == null ? "(development build)" : v)};
        }
    }
}
