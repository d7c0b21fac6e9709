package io.rightsizer.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The exit codes of every {@code rightsizer} command, one meaning each (as promtool names its own):
 * the commands return these, their usage help lists the ones they use ({@link ExitCodes}) and
 * docs/cli-reference.md tables them. The numbers are part of the interface: scripts test them.
 */
public enum ExitCode {
    /** Also picocli's own code for a command that returned normally. */
    OK(0, "done: the command did what it was asked"),
    /** Also picocli's own code for an exception a command did not handle. */
    FAILED(
            1,
            "the command ran and found a problem: a check failed, an input file is invalid, the"
                    + " job rejected a rule set, InfluxDB or the schema registry refused"),
    /** Also picocli's own code for an option or argument it could not parse. */
    USAGE(
            2,
            "a usage error or an invalid configuration (nothing done), Kafka cannot be reached"
                    + " within --connect-timeout or a topic is missing, or Kafka failed a write"),
    NO_DECISION(3, "rules publish --wait: no decision by the job in time"),
    NOT_AUTHENTICATED(67, "the brokers did not accept the credentials (sysexits' EX_NOUSER)"),
    NOT_AUTHORIZED(
            77,
            "the principal lacks a permission; one line names it (sysexits' EX_NOPERM;"
                    + " docs/security.md)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process's exit status. */
    public int code() {
        return code;
    }

    /** When a command exits with it, in general; a command's help may say it more precisely. */
    public String meaning() {
        return meaning;
    }

    /**
     * Gives every command of {@code root} that declares {@link ExitCodes} the "Exit codes:" section
     * of its usage help, one line per code.
     */
    static CommandLine describe(CommandLine root) {
        ExitCodes codes =
                root.getCommandSpec().userObject().getClass().getAnnotation(ExitCodes.class);
        if (codes != null) {
            Map<String, String> list = new LinkedHashMap<>();
            for (ExitCodes.Code c : codes.value()) {
                String when = c.when().isEmpty() ? c.value().meaning : c.when();
                list.put(String.format("%3d", c.value().code), when);
            }
            root.getCommandSpec()
                    .usageMessage()
                    .exitCodeListHeading("Exit codes:%n")
                    .exitCodeList(list);
        }
        for (CommandLine sub : root.getSubcommands().values()) {
            describe(sub);
        }
        return root;
    }
}
