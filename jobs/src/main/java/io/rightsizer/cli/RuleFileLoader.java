package io.rightsizer.cli;

import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.format.RuleSetParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the rule file a command was given, with the same messages in every command. */
final class RuleFileLoader {
    private RuleFileLoader() {}

    /**
     * The parsed rule set, or null after printing why not: every problem (file:line:column), or
     * "{@code command}: no such rule file: FILE" followed by {@code hint}.
     */
    static RuleSet load(String command, Path file, String hint, PrintWriter err)
            throws IOException {
        try {
            return RuleSetParser.parse(file);
        } catch (RuleSetException e) {
            err.println(e.getMessage());
        } catch (NoSuchFileException e) {
            err.println(command + ": no such rule file: " + file + hint);
        }
        return null;
    }
}
