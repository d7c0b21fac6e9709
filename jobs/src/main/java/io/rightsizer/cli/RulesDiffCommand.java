package io.rightsizer.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rightsizer.job.ReplayJob;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.RuleDiff;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Replays the same samples through two rule sets, with the live job's pipeline, and"
                    + " reports what publishing the candidate would change: recommendations added,"
                    + " removed and changed (same firing, other evidence), counted per rule and per"
                    + " unit, then each affected VM or system with both sides. Firings that only"
                    + " reword their reason (same evidence, other quoted threshold) are counted as"
                    + " reworded, not listed."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "done (with --exit-code: nothing changed)"),
    @ExitCodes.Code(
            value = ExitCode.FAILED,
            when = "with --exit-code: a recommendation is added, removed or" + " changed"),
    @ExitCodes.Code(value = ExitCode.USAGE, when = "a rule file or an option is invalid")
})
public class RulesDiffCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final String NAME = "rules diff";

    @Option(
            names = "--baseline",
            required = true,
            paramLabel = "FILE",
            description = "The rule file in force (YAML).")
    Path baseline;

    @Option(
            names = "--candidate",
            required = true,
            paramLabel = "FILE",
            description = "The rule file to be published (YAML).")
    Path candidate;

    @Mixin ReplayOptions replay = new ReplayOptions();

    @Option(
            names = "--json",
            description = "Print one JSON document instead of the text report (never capped).")
    boolean json;

    @Option(
            names = "--limit",
            defaultValue = "50",
            paramLabel = "N",
            description =
                    "Text report: print at most N affected VMs and systems (default:"
                            + " ${DEFAULT-VALUE}; 0 prints the summary only).")
    int limit;

    @Option(
            names = "--exit-code",
            description =
                    "Exit 1 if a recommendation is added, removed or changed, 0 if none is"
                            + " (reworded ones are no difference).")
    boolean exitCode;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RuleSet base = RuleFileLoader.load(NAME, baseline, "", err);
        RuleSet cand = RuleFileLoader.load(NAME, candidate, "", err);
        if (base == null || cand == null) {
            return ExitCode.USAGE.code();
        }
        if (limit < 0) {
            err.println(NAME + ": --limit must be at least 0");
            return ExitCode.USAGE.code();
        }
        ReplayOptions.Settings settings = replay.check(NAME, err);
        if (settings == null) {
            return ExitCode.USAGE.code();
        }

        ReplayJob.Result before = run("baseline", base, settings, err);
        // Dead letters do not depend on the rule set (decoding, validation and the watermark come
        // before the rules), so the bad lines are reported once, from the baseline's run.
        replay.reportBadLines(before, err);
        ReplayJob.Result after = run("candidate", cand, settings, err);
        err.println(NAME + ": " + ReplayOptions.deadLetterCounts(before));

        RuleDiff diff = RuleDiff.between(before.recommendations(), after.recommendations());
        Side b = new Side(base.version(), baseline, before.recommendations().size());
        Side c = new Side(cand.version(), candidate, after.recommendations().size());
        if (json) {
            out.println(json(b, c, diff));
        } else {
            // Times are shown in the calendar zone the baseline's rules are judged in.
            text(b, c, diff, limit, base.zone()).forEach(out::println);
        }
        out.flush();
        return exitCode && !diff.isEmpty() ? ExitCode.FAILED.code() : ExitCode.OK.code();
    }

    /** One rule set of the comparison: its version, its file, the number of recommendations. */
    record Side(String version, Path file, int recommendations) {}

    private static ReplayJob.Result run(
            String side, RuleSet rules, ReplayOptions.Settings settings, PrintWriter err)
            throws Exception {
        long started = System.nanoTime();
        ReplayJob.Result r = settings.run(rules);
        err.printf(
                "%s: %s %s: %d recommendations in %.1f s%n",
                NAME,
                side,
                rules.version(),
                r.recommendations().size(),
                (System.nanoTime() - started) / 1e9);
        return r;
    }

    /** Said under the counts when some firings are reworded, which are not listed. */
    static final String REWORDED =
            "(reworded: the same firing with the same evidence; only the reason's quoted"
                    + " thresholds differ)";

    /** The report for people, line by line. */
    static List<String> text(Side b, Side c, RuleDiff diff, int limit, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add(header("baseline: ", b));
        lines.add(header("candidate:", c));
        lines.add(
                String.format(
                        "%d added, %d removed, %d changed, %d reworded, %d unchanged",
                        diff.added().size(),
                        diff.removed().size(),
                        diff.changed().size(),
                        diff.reworded(),
                        diff.unchanged()));
        if (diff.reworded() > 0) {
            lines.add(REWORDED);
        }
        if (diff.isEmpty()) {
            lines.add("no differences");
            return lines;
        }
        int width = "rule".length();
        for (RuleDiff.Count n : diff.byRule()) {
            width = Math.max(width, n.key().length());
        }
        for (RuleDiff.Count n : diff.byUnit()) {
            width = Math.max(width, RuleDiff.unitLabel(n.key()).length());
        }
        String row = "  %-" + width + "s  %7s  %7s  %7s";
        lines.add("");
        lines.add(String.format(row, "rule", "added", "removed", "changed"));
        for (RuleDiff.Count n : diff.byRule()) {
            lines.add(String.format(row, n.key(), n.added(), n.removed(), n.changed()));
        }
        lines.add("");
        lines.add(String.format(row, "unit", "added", "removed", "changed"));
        for (RuleDiff.Count n : diff.byUnit()) {
            lines.add(
                    String.format(
                            row, RuleDiff.unitLabel(n.key()), n.added(), n.removed(), n.changed()));
        }
        List<RuleDiff.Subject> subjects = diff.subjects();
        for (RuleDiff.Subject s : subjects.subList(0, Math.min(limit, subjects.size()))) {
            lines.add("");
            lines.add(
                    s.systemLevel()
                            ? String.format(
                                    "%s (information system, unit %s)",
                                    s.subject(), RuleDiff.unitLabel(s.unitId()))
                            : String.format(
                                    "%s (system %s, unit %s)",
                                    s.subject(), s.systemId(), RuleDiff.unitLabel(s.unitId())));
            for (RuleDiff.Change ch : s.changes()) {
                switch (ch.kind()) {
                    case ADDED -> lines.add("+ " + RuleDiff.describe(ch.candidate(), zone));
                    case REMOVED -> lines.add("- " + RuleDiff.describe(ch.baseline(), zone));
                    case CHANGED -> changed(ch, zone, lines);
                }
            }
        }
        int omitted = subjects.size() - Math.min(limit, subjects.size());
        if (omitted > 0) {
            lines.add("");
            lines.add(
                    String.format(
                            "... %d more affected %s not shown (--limit %d; --json lists all)",
                            omitted, omitted == 1 ? "VM or system" : "VMs or systems", limit));
        }
        return lines;
    }

    /**
     * A firing both rule sets make, differently: what differs, then both sides. When the evidence
     * is the same (another field than the reason differs too; a firing whose reason alone differs
     * is reworded and not listed), it is shown once.
     */
    private static void changed(RuleDiff.Change ch, ZoneId zone, List<String> lines) {
        Recommendation before = ch.baseline();
        Recommendation after = ch.candidate();
        List<String> fields = ch.differences();
        boolean sameEvidence = fields.stream().noneMatch(f -> f.startsWith("evidence."));
        lines.add(
                String.format(
                        "~ %s %s (changed: %s)%s",
                        RuleDiff.time(after.getFiredAt(), zone),
                        after.getRuleId(),
                        String.join(", ", fields),
                        sameEvidence ? " " + RuleDiff.evidence(after, zone) : ""));
        if (sameEvidence) {
            lines.add("  - " + before.getReason());
            lines.add("  + " + after.getReason());
        } else {
            lines.add("  - " + RuleDiff.detail(before, zone));
            lines.add("  + " + RuleDiff.detail(after, zone));
        }
    }

    private static String header(String label, Side s) {
        return String.format(
                "%s version %s (%s), %d recommendation%s",
                label,
                s.version(),
                s.file(),
                s.recommendations(),
                s.recommendations() == 1 ? "" : "s");
    }

    /** The report for machines: one JSON document, each recommendation as replay writes it. */
    static String json(Side b, Side c, RuleDiff diff) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            side(g, "baseline", b);
            side(g, "candidate", c);
            g.writeNumberField("added", diff.added().size());
            g.writeNumberField("removed", diff.removed().size());
            g.writeNumberField("changed", diff.changed().size());
            g.writeNumberField("reworded", diff.reworded());
            g.writeNumberField("unchanged", diff.unchanged());
            counts(g, "byRule", "ruleId", diff.byRule());
            counts(g, "byUnit", "unitId", diff.byUnit());
            g.writeArrayFieldStart("subjects");
            for (RuleDiff.Subject s : diff.subjects()) {
                g.writeStartObject();
                g.writeStringField("subject", s.subject());
                g.writeStringField("vmId", s.vmId());
                g.writeStringField("systemId", s.systemId());
                g.writeStringField("unitId", s.unitId());
                recommendations(g, "baseline", s.baseline());
                recommendations(g, "candidate", s.candidate());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void side(JsonGenerator g, String name, Side s) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("version", s.version());
        g.writeStringField("file", s.file().toString());
        g.writeNumberField("recommendations", s.recommendations());
        g.writeEndObject();
    }

    private static void counts(
            JsonGenerator g, String name, String keyName, List<RuleDiff.Count> counts)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (RuleDiff.Count n : counts) {
            g.writeStartObject();
            g.writeStringField(keyName, n.key());
            g.writeNumberField("added", n.added());
            g.writeNumberField("removed", n.removed());
            g.writeNumberField("changed", n.changed());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void recommendations(JsonGenerator g, String name, List<Recommendation> recs)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (Recommendation r : recs) {
            g.writeRawValue(RecordJson.toJson(r));
        }
        g.writeEndArray();
    }
}
