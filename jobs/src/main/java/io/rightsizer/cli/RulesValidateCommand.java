package io.rightsizer.cli;

import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.format.RuleSetParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks rule files the way the job does at start: structure, types, ranges, unknown"
                    + " keys (with a did-you-mean), contradicting thresholds; and that no two of"
                    + " the files share a version.",
            "Prints every problem as file:line:column: message."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "no problem"),
    @ExitCodes.Code(value = ExitCode.FAILED, when = "a problem")
})
public class RulesValidateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files (YAML).")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int errors = 0;
        Map<String, Path> versions = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                RuleSet r = RuleSetParser.parse(f);
                Path other = versions.putIfAbsent(r.version(), f);
                if (other != null) {
                    out.printf(
                            "%s:1:1: version '%s' is already used by %s; every published rule"
                                    + " set needs its own%n",
                            f, r.version(), other);
                    errors++;
                } else {
                    out.printf("%s: OK (version %s)%n", f, r.version());
                }
            } catch (RuleSetException e) {
                out.println(e.getMessage());
                errors += e.problems().size();
            } catch (IOException e) {
                out.printf("%s: cannot be read: %s%n", f, e.getMessage());
                errors++;
            }
        }
        if (errors > 0) {
            out.printf("%d problem%s%n", errors, errors == 1 ? "" : "s");
            return ExitCode.FAILED.code();
        }
        return ExitCode.OK.code();
    }
}
