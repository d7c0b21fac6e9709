package io.rightsizer.cli;

import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.format.CatalogParser;
import io.rightsizer.rules.format.WorkingCalendarParser;
import io.rightsizer.rules.sizing.Sizing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading the service catalog ({@code --catalog}) and the working calendar ({@code --calendar}) a
 * command was given, alike in every command.
 */
final class ConfigFileLoader {
    private ConfigFileLoader() {}

    /** The option every command that sizes recommendations takes, and its default. */
    static final String OPTION = "--catalog";

    static final String DEFAULT = RightsizerOptions.DEFAULT_CATALOG_FILE;

    static final String CALENDAR_OPTION = "--calendar";

    static final String CALENDAR_DEFAULT = RightsizerOptions.DEFAULT_CALENDAR_FILE;

    /**
     * The target sizes of the catalog, or null after printing why not: every problem
     * (file:line:column), or "{@code command}: no such catalog file: FILE" followed by {@code
     * hint}.
     */
    static Sizing load(String command, Path file, String hint, PrintWriter err) throws IOException {
        try {
            return new Sizing(CatalogParser.parse(file));
        } catch (RuleSetException e) {
            err.println(e.getMessage());
        } catch (NoSuchFileException e) {
            err.println(command + ": no such catalog file: " + file + hint);
        }
        return null;
    }

    /**
     * The regulation's time limits on the working calendar of {@code file}, or null after printing
     * why not, like {@link #load}.
     */
    static TimeLimits timeLimits(String command, Path file, String hint, PrintWriter err)
            throws IOException {
        try {
            return TimeLimits.regulation(WorkingCalendarParser.parse(file));
        } catch (RuleSetException e) {
            err.println(e.getMessage());
        } catch (NoSuchFileException e) {
            err.println(command + ": no such calendar file: " + file + hint);
        }
        return null;
    }
}
