package io.rightsizer.cli;

import io.rightsizer.rules.Rule;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.GroundTruth;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The demo's summary: the recommendations per rule, and its checks against what it planted. */
final class DemoSummary {
    private DemoSummary() {}

    static int print(
            PrintWriter err,
            List<Recommendation> recs,
            List<DeadLetter> dead,
            GroundTruth truth,
            FleetSimulator sim,
            double seconds) {
        Map<String, Integer> perRule = new TreeMap<>();
        Map<String, Integer> remindersPerRule = new TreeMap<>();
        Map<String, Set<String>> subjects = new TreeMap<>();
        for (Rule r : Rule.values()) {
            perRule.put(r.id(), 0);
            remindersPerRule.put(r.id(), 0);
            subjects.put(r.id(), new TreeSet<>());
        }
        for (Recommendation r : recs) {
            (r.getReminder() ? remindersPerRule : perRule).merge(r.getRuleId(), 1, Integer::sum);
            subjects.get(r.getRuleId()).add(subject(r));
        }
        Map<DeadLetterReason, Integer> reasons = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            reasons.put(r, 0);
        }
        dead.forEach(d -> reasons.merge(d.getReason(), 1, Integer::sum));

        err.println();
        err.printf(
                "Summary: %,d samples judged in %.0f s (%,.0f samples/s end to end), %d"
                        + " recommendations%n",
                sim.validSampleCount(), seconds, sim.validSampleCount() / seconds, recs.size());
        // Through the approval lifecycle: "sent" are new recommendations (repeats of an open one
        // are suppressed), "reminders" the re-sends of those still without a decision.
        err.printf("  %-34s %8s %9s %9s%n", "rule", "sent", "reminders", "subjects");
        perRule.forEach(
                (rule, n) ->
                        err.printf(
                                "  %-34s %8d %9d %9d%n",
                                rule, n, remindersPerRule.get(rule), subjects.get(rule).size()));
        err.printf(
                "  dead letters: %d UNDECODABLE (planted %d), %d INVALID (planted %d), %d LATE%n",
                reasons.get(DeadLetterReason.UNDECODABLE),
                sim.undecodableCount(),
                reasons.get(DeadLetterReason.INVALID),
                sim.invalidCount(),
                reasons.get(DeadLetterReason.LATE));
        GroundTruth.Report report = truth.check(recs);
        boolean deadOk =
                reasons.get(DeadLetterReason.UNDECODABLE) == sim.undecodableCount()
                        && reasons.get(DeadLetterReason.INVALID) == sim.invalidCount()
                        && reasons.get(DeadLetterReason.LATE) == 0;
        err.println("Ground truth: " + report.summary());
        err.println(
                "Dead letters: "
                        + (deadOk ? "PASSED" : "FAILED")
                        + ": every planted malformed record was dead-lettered with its reason");
        long repeats = VerifyCommand.repeats(recs);
        long reminders = recs.stream().filter(Recommendation::getReminder).count();
        if (repeats != 0) {
            err.printf("Exactly once: FAILED: %d duplicates%n", repeats);
        } else {
            err.printf(
                    "Exactly once: PASSED: %d recommendations (%d of them reminders, each once),"
                            + " no duplicate%n",
                    recs.size(), reminders);
        }
        return report.passed() && deadOk && repeats == 0
                ? ExitCode.OK.code()
                : ExitCode.FAILED.code();
    }

    private static String subject(Recommendation r) {
        return r.getVmId() != null ? r.getVmId() : r.getSystemId();
    }
}
