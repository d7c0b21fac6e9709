package io.rightsizer.cli;

import static io.rightsizer.cli.DiffReports.JSON_FIELDS;
import static io.rightsizer.cli.DiffReports.REWORDED_NOTE;
import static io.rightsizer.cli.DiffReports.counts;
import static io.rightsizer.cli.DiffReports.fieldNames;
import static io.rightsizer.testing.Refired.withOverrides;
import static io.rightsizer.testing.Refired.withReason;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.format.RuleDiff;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text report of {@code rules diff}, from hand-made recommendations (no replay). */
class RulesDiffCommandTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant T = Instant.parse("2026-03-31T16:00:00Z"); // Apr 1 00:00 +08:00
    private static final RulesDiffCommand.Side BASE =
            new RulesDiffCommand.Side("v1", Path.of("a.yaml"), 2);
    private static final RulesDiffCommand.Side CAND =
            new RulesDiffCommand.Side("v2", Path.of("b.yaml"), 1);

    @Test
    void changedEvidenceIsShownInFullOnBothSidesAndRemovedSystemFiringsUnderTheSystem() {
        Recommendation peaks =
                rec(Rule.HOURLY_PEAKS, "vm-1", "unit-1", "3 peaks", List.of("unit-1 peaks"));
        Recommendation peaks2 = withOverrides(peaks, "v2", List.of("unit-1 peaks", "vm-1"));
        Recommendation system = rec(Rule.NO_BUSINESS_DATA, null, null, "no data", null);
        RuleDiff diff = RuleDiff.between(List.of(peaks, system), List.of(peaks2));

        List<String> text = RulesDiffCommand.text(BASE, CAND, diff, 50, SHANGHAI);

        assertThat(text)
                .containsExactly(
                        "baseline:  version v1 (a.yaml), 2 recommendations",
                        "candidate: version v2 (b.yaml), 1 recommendation",
                        "0 added, 1 removed, 1 changed, 0 reworded, 0 unchanged",
                        "",
                        "  rule                              added  removed  changed",
                        "  reduce.system.no-business-data        0        1        0",
                        "  scale-up.memory.hourly-peaks          0        0        1",
                        "",
                        "  unit                              added  removed  changed",
                        "  unit-1                                0        0        1",
                        "  (no unit)                             0        1        0",
                        "",
                        "vm-1 (system sys-1, unit unit-1)",
                        "~ 2026-04-01T00:00:00+08:00 scale-up.memory.hourly-peaks (changed:"
                                + " evidence.overrides)",
                        "  - 3 peaks {memoryPct=85 overrides=[unit-1 peaks]}",
                        "  + 3 peaks {memoryPct=85 overrides=[unit-1 peaks, vm-1]}",
                        "",
                        "sys-1 (information system, unit (no unit))",
                        "- 2026-04-01T00:00:00+08:00 reduce.system.no-business-data no data"
                                + " {memoryPct=85}");
    }

    @Test
    void changedEvidenceAndReasonAreBothShownInFullOnBothSides() {
        Recommendation peaks =
                rec(Rule.HOURLY_PEAKS, "vm-1", "unit-1", "3 peaks > 80%", List.of("unit-1 peaks"));
        Recommendation peaks2 =
                withOverrides(
                        withReason(peaks, "v2", "3 peaks > 75%"),
                        "v2",
                        List.of("unit-1 peaks", "vm-1"));
        RuleDiff diff = RuleDiff.between(List.of(peaks), List.of(peaks2));

        List<String> text = RulesDiffCommand.text(BASE, CAND, diff, 50, SHANGHAI);

        assertThat(text.get(2)).isEqualTo("0 added, 0 removed, 1 changed, 0 reworded, 0 unchanged");
        assertThat(text.subList(text.size() - 4, text.size()))
                .containsExactly(
                        "vm-1 (system sys-1, unit unit-1)",
                        "~ 2026-04-01T00:00:00+08:00 scale-up.memory.hourly-peaks (changed:"
                                + " evidence.overrides, reason)",
                        "  - 3 peaks > 80% {memoryPct=85 overrides=[unit-1 peaks]}",
                        "  + 3 peaks > 75% {memoryPct=85 overrides=[unit-1 peaks, vm-1]}");
    }

    @Test
    void rewordedFiringsAreCountedExplainedAndNotListedAndAloneAreNoDifference() {
        Recommendation storage = rec(Rule.STORAGE_USAGE, "vm-1", "u", "75.5% > 70%", null);
        Recommendation reworded = withReason(storage, "v2", "75.5% > 75%");
        Recommendation kept = rec(Rule.HOURLY_PEAKS, "vm-2", "u", "3 peaks", null);
        RuleDiff diff = RuleDiff.between(List.of(storage, kept), List.of(reworded, kept));

        List<String> text = RulesDiffCommand.text(BASE, CAND, diff, 50, SHANGHAI);

        assertThat(text)
                .containsExactly(
                        "baseline:  version v1 (a.yaml), 2 recommendations",
                        "candidate: version v2 (b.yaml), 1 recommendation",
                        "0 added, 0 removed, 0 changed, 1 reworded, 1 unchanged",
                        REWORDED_NOTE,
                        "no differences");
    }

    @Test
    void jsonCountsRewordedFiringsNextToUnchangedAndListsNoneOfThem() throws Exception {
        Recommendation storage = rec(Rule.STORAGE_USAGE, "vm-1", "u", "75.5% > 70%", null);
        Recommendation reworded = withReason(storage, "v2", "75.5% > 75%");
        RuleDiff diff = RuleDiff.between(List.of(storage), List.of(reworded));

        JsonNode doc = new ObjectMapper().readTree(RulesDiffCommand.json(BASE, CAND, diff));

        assertThat(fieldNames(doc)).containsExactlyElementsOf(JSON_FIELDS);
        assertThat(counts(doc)).containsExactly(0, 0, 0, 1, 0);
        assertThat(doc.get("byRule")).isEmpty();
        assertThat(doc.get("byUnit")).isEmpty();
        assertThat(doc.get("subjects")).isEmpty();
    }

    @Test
    void limitCapsTheSubjectBlocksAndSaysHowManyWereLeftOut() {
        RuleDiff diff =
                RuleDiff.between(
                        List.of(),
                        List.of(
                                rec(Rule.STORAGE_USAGE, "vm-1", "u", "full", null),
                                rec(Rule.STORAGE_USAGE, "vm-2", "u", "full", null),
                                rec(Rule.STORAGE_USAGE, "vm-3", "u", "full", null)));

        List<String> text = RulesDiffCommand.text(BASE, CAND, diff, 1, SHANGHAI);

        assertThat(text.subList(text.size() - 5, text.size()))
                .containsExactly(
                        "",
                        "vm-1 (system sys-1, unit u)",
                        "+ 2026-04-01T00:00:00+08:00 scale-up.storage.usage full {memoryPct=85}",
                        "",
                        "... 2 more affected VMs or systems not shown (--limit 1; --json lists"
                                + " all)");
    }

    private static Recommendation rec(
            Rule rule, String vm, String unit, String reason, List<String> overrides) {
        return Recommendation.newBuilder()
                .setRecommendationId(
                        Recommendations.id(rule, vm != null ? vm : "sys-1", T.toEpochMilli()))
                .setRuleId(rule.id())
                .setRuleSetVersion("v1")
                .setRegulation(rule.regulation())
                .setAction(rule.action())
                .setResource(rule.resource())
                .setVmId(vm)
                .setSystemId("sys-1")
                .setUnitId(unit)
                .setFiredAt(T)
                .setEvidence(
                        Evidence.newBuilder().setMemoryPct(85.0).setOverrides(overrides).build())
                .setReason(reason)
                .build();
    }
}
