package io.rightsizer.cli;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleTests;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Runs rule tests: input series in a compact notation and the exact recommendations"
                    + " expected (format: rules/README.md, 'Testing a rule set').",
            "Exits 1 if a test fails, 2 if a test file is invalid."
        })
public class RulesTestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "TESTFILE")
    List<Path> files;

    @Override
    public Integer call() {
        PrintStream out = System.out;
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
        return invalid ? 2 : failed > 0 ? 1 : 0;
    }

    private static String show(RuleTests.Firing f) {
        return f.rule() + " " + f.subject() + " " + Instant.ofEpochMilli(f.firedAt());
    }
}
