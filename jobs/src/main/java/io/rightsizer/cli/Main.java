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
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rightsizer " + (v == null ? "(development build)" : v)};
        }
    }
}
