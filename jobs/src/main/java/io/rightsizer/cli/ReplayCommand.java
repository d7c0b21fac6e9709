package io.rightsizer.cli;

import io.rightsizer.job.ReplayJob;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordJson;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the live job's pipeline over a bounded file of samples and writes the"
                    + " recommendations as JSON Lines, sorted by firedAt, ruleId, subject.",
            "Input: JSON Lines of MetricSample fields, or an Avro container file of MetricSample."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "written"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when = "usage error, or a rule file or the input is invalid (nothing" + " written)")
})
public class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--rules", required = true, description = "Rule file (YAML).")
    Path rules;

    @Option(names = "--output", required = true, description = "Recommendations (JSON Lines).")
    Path output;

    @Option(
            names = "--dead-letters",
            description = "Also write every rejected record here (JSON Lines).")
    Path deadLetters;

    @Mixin ReplayOptions replay = new ReplayOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        RuleSet ruleSet = RuleFileLoader.load("replay", rules, "", err);
        if (ruleSet == null) {
            return ExitCode.USAGE.code();
        }
        ReplayOptions.Settings settings = replay.check("replay", err);
        if (settings == null) {
            return ExitCode.USAGE.code();
        }
        long started = System.nanoTime();
        ReplayJob.Result result = settings.run(ruleSet);
        double seconds = (System.nanoTime() - started) / 1e9;

        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (Recommendation r : result.recommendations()) {
                w.write(RecordJson.toJson(r));
                w.write('\n');
            }
        }
        if (deadLetters != null) {
            try (BufferedWriter w = Files.newBufferedWriter(deadLetters, StandardCharsets.UTF_8)) {
                for (Rejected r : result.deadLetters()) {
                    w.write(DeadLetters.toJson(r));
                    w.write('\n');
                }
            }
        }
        replay.reportBadLines(result, err);
        Map<String, Integer> perRule = new TreeMap<>();
        for (Rule rule : Rule.values()) {
            perRule.put(rule.id(), 0);
        }
        for (Recommendation r : result.recommendations()) {
            perRule.merge(r.getRuleId(), 1, Integer::sum);
        }
        err.printf(
                "replay: %d recommendations in %.1f s (rule set %s) -> %s%n",
                result.recommendations().size(), seconds, ruleSet.version(), output);
        perRule.forEach((rule, n) -> err.printf("  %-34s %d%n", rule, n));
        err.println("  " + ReplayOptions.deadLetterCounts(result));
        return ExitCode.OK.code();
    }
}
