package io.rightsizer.rules.format;

import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * What changing a rule set would do: the recommendations of a baseline and a candidate rule set
 * over the same history, compared firing by firing. Two recommendations are the same firing when
 * they have the same {@code recommendationId} (a hash of rule, subject and firedAt). The same
 * firing is
 *
 * <ul>
 *   <li><i>reworded</i> when, but for {@code ruleSetVersion}, only its {@code reason} differs: the
 *       reason quotes the thresholds ("weekly average memory 75.3% &gt; 70%" against "&gt; 65%"),
 *       so a changed threshold that still fires at the same instants with the same evidence only
 *       rewords it. Reworded firings are counted, not listed: they are in no count of {@code
 *       byRule} or {@code byUnit}, in no subject, and are not a difference for {@link #isEmpty};
 *   <li><i>changed</i> when any other field but {@code ruleSetVersion} differs (in practice its
 *       evidence), whether or not its reason differs too;
 *   <li><i>unchanged</i> when no field but {@code ruleSetVersion} differs.
 * </ul>
 *
 * <p>Everything is in a deterministic order: firings by firedAt, ruleId, subject; rule counts by
 * rule id; unit counts by unit id (the null unit last); subjects by unit (null last), subject, VM
 * before system of the same name, and within a subject by firedAt, ruleId.
 *
 * @param added firings only the candidate produces
 * @param removed firings only the baseline produces
 * @param changed firings both produce, with a difference other than the reason alone
 * @param reworded the number of firings both produce that differ only in their reason (but for
 *     ruleSetVersion)
 * @param unchanged the number of firings both produce identically (but for ruleSetVersion)
 * @param byRule per rule id with at least one added, removed or changed firing
 * @param byUnit per unit id (null for recommendations without one) with at least one added, removed
 *     or changed firing
 * @param subjects every VM or system with at least one added, removed or changed firing
 */
public record RuleDiff(
        List<Recommendation> added,
        List<Recommendation> removed,
        List<Change> changed,
        int reworded,
        int unchanged,
        List<Count> byRule,
        List<Count> byUnit,
        List<Subject> subjects) {

    /** How a unit without a unitId is shown. */
    public static final String NO_UNIT = "(no unit)";

    /** The field that always differs between two rule sets and is not a change. */
    private static final String IGNORED_FIELD = "ruleSetVersion";

    /** The field that, when it alone differs, makes a firing reworded rather than changed. */
    private static final String REASON_FIELD = "reason";

    /** firedAt, ruleId, subject: the order of a replay's output. */
    public static final Comparator<Recommendation> FIRING_ORDER =
            Comparator.<Recommendation>comparingLong(r -> r.getFiredAt().toEpochMilli())
                    .thenComparing(Recommendation::getRuleId)
                    .thenComparing(RuleDiff::subjectOf)
                    .thenComparing(Recommendation::getRecommendationId);

    private static final Comparator<String> NULL_LAST =
            Comparator.nullsLast(Comparator.naturalOrder());

    public enum Kind {
        ADDED,
        REMOVED,
        CHANGED
    }

    /**
     * One firing that differs: {@code baseline} is null when it was added, {@code candidate} is
     * null when it was removed, both are set when it changed. (A {@link RuleDiff} holds no change
     * whose only difference is the reason: that firing is reworded, and only counted.)
     */
    public record Change(Recommendation baseline, Recommendation candidate) {
        public Change {
            if (baseline == null && candidate == null) {
                throw new IllegalArgumentException("a change needs at least one side");
            }
        }

        public Kind kind() {
            return baseline == null ? Kind.ADDED : candidate == null ? Kind.REMOVED : Kind.CHANGED;
        }

        /** The candidate's recommendation, or the baseline's when the firing was removed. */
        public Recommendation latest() {
            return candidate != null ? candidate : baseline;
        }

        /**
         * The fields that differ, in schema order, nested ones as {@code evidence.name}; empty
         * unless the firing changed. {@code ruleSetVersion} is never listed.
         */
        public List<String> differences() {
            List<String> out = new ArrayList<>();
            if (kind() == Kind.CHANGED) {
                fieldDifferences(baseline, candidate, "", out);
            }
            return out;
        }
    }

    /** Changes counted under one key (a rule id, or a unit id that may be null). */
    public record Count(String key, int added, int removed, int changed) {
        Count plus(Kind kind) {
            return new Count(
                    key,
                    added + (kind == Kind.ADDED ? 1 : 0),
                    removed + (kind == Kind.REMOVED ? 1 : 0),
                    changed + (kind == Kind.CHANGED ? 1 : 0));
        }
    }

    /**
     * A VM (or, for system-level rules, an information system) with at least one change. {@code
     * subject} is the vmId, or the systemId when {@code vmId} is null; {@code systemId} and {@code
     * unitId} are those of its latest change.
     */
    public record Subject(
            String subject, String vmId, String systemId, String unitId, List<Change> changes) {
        public boolean systemLevel() {
            return vmId == null;
        }

        /** The baseline's side of the changes: removed and changed firings, in order. */
        public List<Recommendation> baseline() {
            return changes.stream().map(Change::baseline).filter(Objects::nonNull).toList();
        }

        /** The candidate's side of the changes: added and changed firings, in order. */
        public List<Recommendation> candidate() {
            return changes.stream().map(Change::candidate).filter(Objects::nonNull).toList();
        }
    }

    public RuleDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        byRule = List.copyOf(byRule);
        byUnit = List.copyOf(byUnit);
        subjects = List.copyOf(subjects);
    }

    /**
     * Compares the recommendations of two runs over the same history.
     *
     * @throws IllegalArgumentException when one side has two recommendations with the same id
     *     (which a replay never produces)
     */
    public static RuleDiff between(List<Recommendation> baseline, List<Recommendation> candidate) {
        Map<String, Recommendation> before = byId(baseline, "baseline");
        Map<String, Recommendation> after = byId(candidate, "candidate");
        List<Change> changes = new ArrayList<>();
        int reworded = 0;
        int unchanged = 0;
        for (Recommendation b : before.values()) {
            Recommendation c = after.get(b.getRecommendationId());
            if (c == null) {
                changes.add(new Change(b, null));
                continue;
            }
            Change change = new Change(b, c);
            List<String> differences = change.differences();
            if (differences.isEmpty()) {
                unchanged++;
            } else if (differences.equals(List.of(REASON_FIELD))) {
                reworded++;
            } else {
                changes.add(change);
            }
        }
        for (Recommendation c : after.values()) {
            if (!before.containsKey(c.getRecommendationId())) {
                changes.add(new Change(null, c));
            }
        }
        changes.sort(Comparator.comparing(Change::latest, FIRING_ORDER));

        List<Recommendation> added = new ArrayList<>();
        List<Recommendation> removed = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        for (Change ch : changes) {
            switch (ch.kind()) {
                case ADDED -> added.add(ch.candidate());
                case REMOVED -> removed.add(ch.baseline());
                case CHANGED -> changed.add(ch);
            }
        }
        return new RuleDiff(
                added,
                removed,
                changed,
                reworded,
                unchanged,
                count(changes, Recommendation::getRuleId, Comparator.naturalOrder()),
                count(changes, Recommendation::getUnitId, NULL_LAST),
                subjects(changes));
    }

    /**
     * True when the candidate produces exactly the baseline's firings, with the same content but
     * perhaps reworded reasons: nothing added, removed or changed.
     */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** The subject of a recommendation: its vmId, or its systemId for system-level rules. */
    public static String subjectOf(Recommendation r) {
        return r.getVmId() != null ? r.getVmId() : r.getSystemId();
    }

    /** A unit id as shown to people: {@link #NO_UNIT} for null. */
    public static String unitLabel(String unitId) {
        return unitId == null ? NO_UNIT : unitId;
    }

    /**
     * One line for people: {@code <firedAt> <ruleId> <reason> {evidence}}, instants in ISO-8601
     * with the offset of {@code zone}.
     */
    public static String describe(Recommendation r, ZoneId zone) {
        return time(r.getFiredAt(), zone) + " " + r.getRuleId() + " " + detail(r, zone);
    }

    /** What a firing says: {@code <reason> {evidence}}. */
    public static String detail(Recommendation r, ZoneId zone) {
        return r.getReason() + " " + evidence(r, zone);
    }

    /** An instant in ISO-8601 with the offset of {@code zone}: 2026-03-09T00:00:00+08:00. */
    public static String time(Instant t, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone));
    }

    /**
     * The non-null evidence fields as {@code {name=value ...}}, in the schema's order. The fields
     * are read from the Avro schema, so a field added to {@code Evidence} shows up here without a
     * change: instants as in {@link #time}, numbers as exact decimals, arrays as {@code [a, b]}.
     */
    public static String evidence(Recommendation r, ZoneId zone) {
        Evidence e = r.getEvidence();
        StringBuilder s = new StringBuilder("{");
        if (e != null) {
            for (Schema.Field f : e.getSchema().getFields()) {
                Object v = e.get(f.pos());
                if (v != null) {
                    if (s.length() > 1) {
                        s.append(' ');
                    }
                    s.append(f.name()).append('=').append(value(v, zone));
                }
            }
        }
        return s.append('}').toString();
    }

    private static String value(Object v, ZoneId zone) {
        if (v instanceof Instant t) {
            return time(t, zone);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite()
                    ? d.toString()
                    : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Float f) {
            return value(f.doubleValue(), zone);
        }
        if (v instanceof Collection<?> c) {
            StringBuilder s = new StringBuilder("[");
            for (Object o : c) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(o == null ? "null" : value(o, zone));
            }
            return s.append(']').toString();
        }
        // Integer, Long, String, enums: their own text.
        return v.toString();
    }

    private static Map<String, Recommendation> byId(List<Recommendation> recs, String side) {
        Map<String, Recommendation> m = new LinkedHashMap<>();
        for (Recommendation r : recs) {
            if (m.putIfAbsent(r.getRecommendationId(), r) != null) {
                throw new IllegalArgumentException(
                        "the "
                                + side
                                + " has two recommendations with id "
                                + r.getRecommendationId());
            }
        }
        return m;
    }

    /** Field by field, recursing into nested records; never {@code ruleSetVersion}. */
    private static void fieldDifferences(
            IndexedRecord a, IndexedRecord b, String prefix, List<String> out) {
        for (Schema.Field f : a.getSchema().getFields()) {
            if (prefix.isEmpty() && f.name().equals(IGNORED_FIELD)) {
                continue;
            }
            Object x = a.get(f.pos());
            Object y = b.get(f.pos());
            if (x instanceof IndexedRecord rx
                    && y instanceof IndexedRecord ry
                    && rx.getSchema().equals(ry.getSchema())) {
                fieldDifferences(rx, ry, prefix + f.name() + ".", out);
            } else if (!Objects.equals(x, y)) {
                out.add(prefix + f.name());
            }
        }
    }

    private static List<Count> count(
            List<Change> changes, Function<Recommendation, String> key, Comparator<String> order) {
        Map<String, Count> m = new TreeMap<>(order);
        for (Change ch : changes) {
            String k = key.apply(ch.latest());
            m.computeIfAbsent(k, x -> new Count(x, 0, 0, 0));
            m.put(k, m.get(k).plus(ch.kind()));
        }
        return List.copyOf(m.values());
    }

    private static List<Subject> subjects(List<Change> changes) {
        // Key: the subject, and whether it is a system (a VM and a system may share a name).
        Map<List<Object>, List<Change>> groups = new HashMap<>();
        for (Change ch : changes) {
            Recommendation r = ch.latest();
            groups.computeIfAbsent(
                            List.of(subjectOf(r), r.getVmId() == null), k -> new ArrayList<>())
                    .add(ch);
        }
        List<Subject> out = new ArrayList<>();
        for (List<Change> group : groups.values()) {
            // changes is in firedAt, ruleId order, and so is every group.
            Recommendation last = group.get(group.size() - 1).latest();
            out.add(
                    new Subject(
                            subjectOf(last),
                            last.getVmId(),
                            last.getSystemId(),
                            last.getUnitId(),
                            List.copyOf(group)));
        }
        out.sort(
                Comparator.comparing(Subject::unitId, NULL_LAST)
                        .thenComparing(Subject::subject)
                        .thenComparing(Subject::systemLevel));
        return out;
    }
}
