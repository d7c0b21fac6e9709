package io.rightsizer.cli;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.format.RuleTests;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Runs rule tests: input series in a compact notation and the exact recommendations"
                    + " expected (format: rules/README.md, 'Testing a rule set')."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "every test passed"),
    @ExitCodes.Code(value = ExitCode.FAILED, when = "a test failed"),
    @ExitCodes.Code(value = ExitCode.USAGE, when = "a test file is invalid")
})
public class RulesTestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TESTFILE")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int tests = 0;
        int failed = 0;
        boolean invalid = false;
        for (Path f : files) {
            out.println(f);
            RuleTests.Suite suite;
            try {
                suite = RuleTests.load(f);
            } catch (RuleSetException e) {
                out.println(e.getMessage());
                invalid = true;
                continue;
            } catch (IOException e) {
                out.println(f + ": cannot be read: " + e.getMessage());
                invalid = true;
                continue;
            }
            for (RuleTests.Result r : suite.run()) {
                tests++;
                if (r.passed()) {
                    out.println("  PASS  " + r.name());
                } else {
                    failed++;
                    out.println("  FAIL  " + r.name());
                    r.missing().forEach(m -> out.println("        - missing    " + show(m)));
                    r.unexpected().forEach(u -> out.println("        + unexpected " + show(u)));
                }
            }
        }
        out.printf("%d passed, %d failed%n", tests - failed, failed);
        return invalid
                ? ExitCode.USAGE.code()
                : failed > 0 ? ExitCode.FAILED.code() : ExitCode.OK.code();
    }

    private static String show(RuleTests.Firing f) {
        return f.rule() + " " + f.subject() + " " + Instant.ofEpochMilli(f.firedAt());
    }
}
