package io.rightsizer.cli;

import static io.rightsizer.cli.DiffReports.JSON_FIELDS;
import static io.rightsizer.cli.DiffReports.REWORDED_NOTE;
import static io.rightsizer.cli.DiffReports.counts;
import static io.rightsizer.cli.DiffReports.fieldNames;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static io.rightsizer.testing.Samples.running;
import static io.rightsizer.testing.Samples.withStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.testing.Cli;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rightsizer rules diff} end to end: two real replays of one small history, compared. */
class RulesDiffCommandITCase {
    private static final long S = MON_2026_03_02;
    private static final long WEEK = 7 * DAY;
    private static final String WEEKLY = "scale-up.memory.weekly-average";

    /** 65 % of 16 GiB is 11 166 914 970 bytes (rounded), which is this memory%. */
    private static final String PCT_65 = "65.0000000023283";

    private static final String BASELINE = "version: diff-base\n";
    private static final String CANDIDATE =
            """
            version: diff-cand
            rules:
              scale-up.memory.weekly-average:
                average-above-pct: 60
            """;

    /** Only rewords the 75 % week both rule sets fire for: "> 72%" instead of "> 70%". */
    private static final String REWORDING =
            """
            version: diff-reword
            rules:
              scale-up.memory.weekly-average:
                average-above-pct: 72
            """;

    /**
     * Changes the evidence (an override is named in it) and the reason ("> 72%") of vm-b's three
     * storage firings, which fire at 75 % either way.
     */
    private static final String OVERRIDING =
            """
            version: diff-over
            overrides:
              - name: unit-2 storage
                match: {unitId: unit-2}
                set:
                  scale-up.storage.usage: {usage-above-pct: 72}
            """;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void textReportShowsTheWeekTheCandidateAddsAndOnlyCountsTheWeekItRewords() throws Exception {
        assertThat(BigDecimal.valueOf(100.0 * Math.round(16 * GIB * 0.65) / (16 * GIB)))
                .hasToString(PCT_65);
        Path base = write("base.yaml", BASELINE);
        Path cand = write("cand.yaml", CANDIDATE);
        Path input = history();

        Cli.Run run = diff(base, cand, input);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String week1 =
                "(2026-03-02 to 2026-03-09, 168 h covered); proposed memory 32 GiB: projected"
                        + " weekly average 32.5% (at most 60%), peak 32.5% (at most 80%); the"
                        + " change of 16 GiB is more than 50% of the current 16 GiB, so it must go"
                        + " through the full onboarding application (Article 22)"
                        + " {weekStart=2026-03-02T00:00:00+08:00"
                        + " weekEnd=2026-03-09T00:00:00+08:00 weeklyAveragePct="
                        + PCT_65
                        + " weeklyPeakPct="
                        + PCT_65
                        + " coveredHours=168 sampleCount=336}";
        // The 75 % week fires on both sides with the same evidence, "> 70%" against "> 60%":
        // reworded, counted on the summary line and not listed.
        assertThat(run.outLines())
                .containsExactlyElementsOf(
                        candidateReport(
                                base,
                                cand,
                                "vm-a (system sys-1, unit unit-1)",
                                "+ 2026-03-09T00:00:00+08:00 scale-up.memory.weekly-average weekly"
                                        + " average memory 65.0% > 60% "
                                        + week1));
        // The one bad line is reported once, not once per rule set.
        assertThat(run.errLines())
                .satisfiesExactly(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "rules diff: baseline diff-base: 4"
                                                        + " recommendations in \\d+\\.\\d s"),
                        l -> assertThat(l).startsWith(input + ":1: UNDECODABLE: not valid JSON: "),
                        l ->
                                assertThat(l)
                                        .matches(
                                                "rules diff: candidate diff-cand: 5"
                                                        + " recommendations in \\d+\\.\\d s"),
                        l ->
                                assertThat(l)
                                        .isEqualTo(
                                                "rules diff: dead letters: 1 UNDECODABLE, 0"
                                                        + " INVALID, 0 LATE"));
    }

    @Test
    void jsonReportHasExactCountsAndEachRecommendationAsReplayWritesIt() throws Exception {
        Path base = write("base.yaml", BASELINE);
        Path cand = write("cand.yaml", CANDIDATE);
        Path input = history();

        Cli.Run run = diff(base, cand, input, "--json", "--parallelism", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc =
                MAPPER.readerFor(JsonNode.class)
                        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .readValue(run.out());
        assertThat(fieldNames(doc)).containsExactlyElementsOf(JSON_FIELDS);
        assertThat(doc.get("baseline"))
                .isEqualTo(
                        MAPPER.createObjectNode()
                                .put("version", "diff-base")
                                .put("file", base.toString())
                                .put("recommendations", 4));
        assertThat(doc.get("candidate"))
                .isEqualTo(
                        MAPPER.createObjectNode()
                                .put("version", "diff-cand")
                                .put("file", cand.toString())
                                .put("recommendations", 5));
        assertThat(counts(doc)).containsExactly(1, 0, 0, 1, 3);
        assertThat(doc.get("byRule").toString())
                .isEqualTo(
                        "[{\"ruleId\":\"scale-up.memory.weekly-average\",\"added\":1,"
                                + "\"removed\":0,\"changed\":0}]");
        assertThat(doc.get("byUnit").toString())
                .isEqualTo("[{\"unitId\":\"unit-1\",\"added\":1,\"removed\":0,\"changed\":0}]");

        JsonNode subjects = doc.get("subjects");
        assertThat(subjects).hasSize(1);
        JsonNode vm = subjects.get(0);
        assertThat(List.of("subject", "vmId", "systemId", "unitId"))
                .extracting(f -> vm.get(f).asText())
                .containsExactly("vm-a", "vm-a", "sys-1", "unit-1");
        // The reworded 75 % week is on neither side.
        assertThat(recommendations(vm.get("baseline"))).isEmpty();
        List<Recommendation> after = recommendations(vm.get("candidate"));
        assertThat(after)
                .extracting(
                        Recommendation::getRuleId,
                        r -> r.getFiredAt().toEpochMilli(),
                        Recommendation::getRuleSetVersion)
                .containsExactly(tuple(WEEKLY, S + WEEK, "diff-cand"));
        assertThat(after.get(0).getEvidence().getWeeklyAveragePct())
                .isEqualTo(Double.parseDouble(PCT_65));
    }

    @Test
    void overrideThatChangesEvidenceAndReasonIsChangedWithBothSidesInTextAndJson()
            throws Exception {
        Path base = write("base.yaml", BASELINE);
        Path cand = write("over.yaml", OVERRIDING);
        Path input = history();

        Cli.Run text = diff(base, cand, input, "--exit-code");
        Cli.Run json = diff(base, cand, input, "--json");

        assertThat(text.exitCode()).as(text.err()).isEqualTo(1);
        String before =
                "  - storage usage 75.0% > 70% (75.0 GiB of 100.0 GiB used); proposed storage 150"
                        + " GiB: projected usage 50.0% (at most 60%) {storagePct=75}";
        String after =
                "  + storage usage 75.0% > 72% (75.0 GiB of 100.0 GiB used); proposed storage 150"
                        + " GiB: projected usage 50.0% (at most 60%) {storagePct=75"
                        + " overrides=[unit-2 storage]}";
        assertThat(text.outLines())
                .containsExactly(
                        "baseline:  version diff-base (" + base + "), 4 recommendations",
                        "candidate: version diff-over (" + cand + "), 4 recommendations",
                        "0 added, 0 removed, 3 changed, 0 reworded, 1 unchanged",
                        "",
                        "  rule                      added  removed  changed",
                        "  scale-up.storage.usage        0        0        3",
                        "",
                        "  unit                      added  removed  changed",
                        "  unit-2                        0        0        3",
                        "",
                        "vm-b (system sys-2, unit unit-2)",
                        "~ 2026-03-02T00:00:00+08:00 scale-up.storage.usage (changed:"
                                + " evidence.overrides, reason)",
                        before,
                        after,
                        "~ 2026-03-09T00:00:00+08:00 scale-up.storage.usage (changed:"
                                + " evidence.overrides, reason)",
                        before,
                        after,
                        "~ 2026-03-16T00:00:00+08:00 scale-up.storage.usage (changed:"
                                + " evidence.overrides, reason)",
                        before,
                        after);

        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode doc = MAPPER.readTree(json.out());
        assertThat(counts(doc)).containsExactly(0, 0, 3, 0, 1);
        JsonNode subjects = doc.get("subjects");
        assertThat(subjects).hasSize(1);
        assertThat(subjects.get(0).get("subject").asText()).isEqualTo("vm-b");
        List<Recommendation> baseSide = recommendations(subjects.get(0).get("baseline"));
        List<Recommendation> candSide = recommendations(subjects.get(0).get("candidate"));
        assertThat(candSide)
                .extracting(Recommendation::getRecommendationId)
                .containsExactlyElementsOf(
                        baseSide.stream().map(Recommendation::getRecommendationId).toList());
        assertThat(baseSide)
                .extracting(
                        r -> r.getFiredAt().toEpochMilli(),
                        Recommendation::getRuleSetVersion,
                        r -> r.getEvidence().getOverrides())
                .containsExactly(
                        tuple(S, "diff-base", null),
                        tuple(S + WEEK, "diff-base", null),
                        tuple(S + 2 * WEEK, "diff-base", null));
        assertThat(candSide)
                .extracting(
                        r -> r.getFiredAt().toEpochMilli(),
                        Recommendation::getRuleSetVersion,
                        r -> r.getEvidence().getOverrides())
                .containsExactly(
                        tuple(S, "diff-over", List.of("unit-2 storage")),
                        tuple(S + WEEK, "diff-over", List.of("unit-2 storage")),
                        tuple(S + 2 * WEEK, "diff-over", List.of("unit-2 storage")));
    }

    @Test
    void exitCodeIsOneOnlyWithExitCodeAndADifference() throws Exception {
        Path base = write("base.yaml", BASELINE);
        Path cand = write("cand.yaml", CANDIDATE);
        Path same = write("same.yaml", "version: diff-same\n");
        Path input = history();

        Cli.Run differs = diff(base, cand, input, "--exit-code", "--limit", "0");
        Cli.Run equal = diff(base, same, input, "--exit-code");

        assertThat(differs.exitCode()).as(differs.err()).isEqualTo(1);
        assertThat(differs.outLines())
                .containsExactlyElementsOf(
                        candidateReport(
                                base,
                                cand,
                                "... 1 more affected VM or system not shown (--limit 0; --json"
                                        + " lists all)"));
        assertThat(equal.exitCode()).as(equal.err()).isZero();
        assertThat(equal.outLines())
                .containsExactly(
                        "baseline:  version diff-base (" + base + "), 4 recommendations",
                        "candidate: version diff-same (" + same + "), 4 recommendations",
                        "0 added, 0 removed, 0 changed, 0 reworded, 4 unchanged",
                        "no differences");
    }

    @Test
    void diffThatOnlyRewordsIsNoDifferenceAndExitsZeroWithExitCode() throws Exception {
        Path base = write("base.yaml", BASELINE);
        Path cand = write("reword.yaml", REWORDING);
        Path input = history();

        Cli.Run run = diff(base, cand, input, "--exit-code");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "baseline:  version diff-base (" + base + "), 4 recommendations",
                        "candidate: version diff-reword (" + cand + "), 4 recommendations",
                        "0 added, 0 removed, 0 changed, 1 reworded, 3 unchanged",
                        REWORDED_NOTE,
                        "no differences");
    }

    @Test
    void invalidCandidateExitsTwoWithItsFileLineAndColumnBeforeAnyReplay() throws Exception {
        Path base = write("base.yaml", BASELINE);
        Path broken =
                write(
                        "broken.yaml",
                        """
                        version: broken-1
                        rules:
                          scale-up.memory.weekly-average:
                            average-above-pct: 170
                        """);
        Path missing = tmp.resolve("missing.yaml");
        Path input = history();

        Cli.Run invalid = diff(base, broken, input);
        Cli.Run absent = diff(missing, base, input);

        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.errLines())
                .containsExactly(
                        broken
                                + ":4:24: scale-up.memory.weekly-average.average-above-pct is 170:"
                                + " a percentage must be from 0 to 100");
        assertThat(invalid.out()).isEmpty();
        assertThat(absent.exitCode()).isEqualTo(2);
        assertThat(absent.errLines()).containsExactly("rules diff: no such rule file: " + missing);
        assertThat(absent.out()).isEmpty();
    }

    private static Cli.Run diff(Path baseline, Path candidate, Path input, String... more) {
        List<String> args = new ArrayList<>();
        args.addAll(
                List.of(
                        "rules",
                        "diff",
                        "--baseline",
                        baseline.toString(),
                        "--candidate",
                        candidate.toString(),
                        "--input",
                        input.toString(),
                        "--catalog",
                        Path.of("..", "config", "catalog.yaml").toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static List<Recommendation> recommendations(JsonNode array) throws Exception {
        List<Recommendation> out = new ArrayList<>();
        for (JsonNode n : array) {
            String line = MAPPER.writeValueAsString(n);
            Recommendation r = RecordJson.recommendation(line);
            assertThat(RecordJson.toJson(r)).as("as replay writes it").isEqualTo(line);
            out.add(r);
        }
        return out;
    }

    /**
     * The text report of BASELINE ({@code base}) against CANDIDATE ({@code cand}) on the history:
     * its sides, counts and tables, then {@code rest} (the affected VMs and systems).
     */
    private static List<String> candidateReport(Path base, Path cand, String... rest) {
        List<String> lines =
                new ArrayList<>(
                        List.of(
                                "baseline:  version diff-base (" + base + "), 4 recommendations",
                                "candidate: version diff-cand (" + cand + "), 5 recommendations",
                                "1 added, 0 removed, 0 changed, 1 reworded, 3 unchanged",
                                REWORDED_NOTE,
                                "",
                                "  rule                              added  removed  changed",
                                "  scale-up.memory.weekly-average        1        0        0",
                                "",
                                "  unit                              added  removed  changed",
                                "  unit-1                                1        0        0",
                                ""));
        lines.addAll(List.of(rest));
        return lines;
    }

    /**
     * vm-a (sys-1, unit-1): a week at 65 % memory, then a week at 75 %, then an hour that closes
     * the second week; vm-b (sys-2, unit-2): 50 % memory and 75 % storage all along. One sample per
     * VM every 30 minutes, and one line that is not JSON.
     */
    private Path history() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("{not json");
        for (long t = S; t <= S + 2 * WEEK + HOUR; t += 30 * MINUTE) {
            double pct = t < S + WEEK ? 65 : t < S + 2 * WEEK ? 75 : 50;
            lines.add(RecordJson.toJson(running("vm-a", "sys-1", t, pct)));
            Sample b = withStorage(running("vm-b", "sys-2", t, 50), 75);
            b.unitId = "unit-2";
            lines.add(RecordJson.toJson(b));
        }
        Path p = tmp.resolve("history.jsonl");
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
