package io.rightsizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What the tests of {@code rules diff} expect of its reports, and read out of the JSON one. */
final class DiffReports {
    private DiffReports() {}

    /** The fields of the JSON report, in order. */
    static final List<String> JSON_FIELDS =
            List.of(
                    "baseline",
                    "candidate",
                    "added",
                    "removed",
                    "changed",
                    "reworded",
                    "unchanged",
                    "byRule",
                    "byUnit",
                    "subjects");

    /** The text report's line under the counts when some firings were only reworded. */
    static final String REWORDED_NOTE =
            "(reworded: the same firing with the same evidence; only the reason's quoted"
                    + " thresholds differ)";

    /** The names of the fields of {@code n}, in order. */
    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The JSON report's counts: added, removed, changed, reworded, unchanged. */
    static List<Integer> counts(JsonNode doc) {
        return List.of("added", "removed", "changed", "reworded", "unchanged").stream()
                .map(f -> doc.get(f).asInt())
                .toList();
    }
}
