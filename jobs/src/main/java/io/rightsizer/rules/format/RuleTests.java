package io.rightsizer.rules.format;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.InMemoryJudge;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleSetException.Problem;
import io.rightsizer.schema.Recommendation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Unit tests for rule sets, written in YAML in the spirit of {@code promtool test rules}: input
 * series in a compact notation and the exact recommendations expected. The format is documented in
 * rules/README.md ("Testing a rule set").
 */
public final class RuleTests {
    /** Memory and storage percentages are of these totals, so whole and half percents are exact. */
    public static final long MEMORY_TOTAL = 100L << 30;

    public static final long STORAGE_TOTAL = 1000L << 30;

    private RuleTests() {}

    /** One expected or actual firing, compared exactly. */
    public record Firing(String rule, String subject, long firedAt) implements Comparable<Firing> {
        @Override
        public int compareTo(Firing o) {
            int c = Long.compare(firedAt, o.firedAt);
            if (c == 0) {
                c = rule.compareTo(o.rule);
            }
            return c != 0 ? c : subject.compareTo(o.subject);
        }

        static Firing of(Recommendation r) {
            return new Firing(
                    r.getRuleId(),
                    r.getVmId() != null ? r.getVmId() : r.getSystemId(),
                    r.getFiredAt().toEpochMilli());
        }
    }

    /** The outcome of one test case. */
    public record Result(String name, List<Firing> missing, List<Firing> unexpected) {
        public boolean passed() {
            return missing.isEmpty() && unexpected.isEmpty();
        }
    }

    /** A parsed test file: its rule set and its cases. */
    public record Suite(Path file, RuleSet rules, List<Case> cases) {
        public List<Result> run() {
            List<Result> out = new ArrayList<>();
            for (Case c : cases) {
                out.add(c.run(rules));
            }
            return out;
        }
    }

    /** One test case: samples, an optional final watermark, and the expected firings. */
    public record Case(
            String name,
            List<Sample> samples,
            long boundMillis,
            Long advanceTo,
            List<Firing> expected) {
        Result run(RuleSet rules) {
            InMemoryJudge judge = new InMemoryJudge(rules, boundMillis);
            for (Sample s : samples) {
                judge.offer(s);
            }
            if (advanceTo != null) {
                judge.advanceTo(advanceTo);
            }
            List<Firing> actual = new ArrayList<>();
            for (Recommendation r : judge.finish()) {
                actual.add(Firing.of(r));
            }
            List<Firing> missing = new ArrayList<>(expected);
            List<Firing> unexpected = new ArrayList<>();
            for (Firing f : actual) {
                if (!missing.remove(f)) {
                    unexpected.add(f);
                }
            }
            Collections.sort(missing);
            Collections.sort(unexpected);
            return new Result(name, missing, unexpected);
        }
    }

    public static Suite load(Path file) throws RuleSetException, IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String name = file.toString();
        YamlNode root;
        try {
            root = YamlNode.parse(text);
        } catch (IOException e) {
            throw new RuleSetException(List.of(RuleSetParser.notYaml(name, e)));
        }
        Reader r = new Reader(name);
        YamlNode ruleFile = r.required(root, "rule_file");
        RuleSet rules = null;
        if (ruleFile != null) {
            Path rf = file.toAbsolutePath().getParent().resolve(r.string(ruleFile));
            try {
                rules = RuleSetParser.parse(rf);
            } catch (java.nio.file.NoSuchFileException e) {
                r.problem(ruleFile, "no such rule file: " + rf.normalize());
            }
        }
        List<Case> cases = new ArrayList<>();
        YamlNode tests = r.required(root, "tests");
        if (tests != null && tests.kind() != YamlNode.Kind.LIST) {
            r.problem(tests, "tests must be a list of test cases");
        } else if (tests != null) {
            for (YamlNode t : tests.items()) {
                Case c = r.testCase(t);
                if (c != null) {
                    cases.add(c);
                }
            }
        }
        if (!r.problems.isEmpty()) {
            throw new RuleSetException(r.problems);
        }
        return new Suite(file, rules, cases);
    }

    /**
     * Expands the compact series notation: space-separated tokens, each a value or {@code VALUE x
     * N} written {@code VxN} (the value N times); {@code _} is a step without a reading.
     */
    public static List<String> expand(String series) {
        List<String> out = new ArrayList<>();
        for (String token : series.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int x = token.lastIndexOf('x');
            String value = token;
            int times = 1;
            if (x > 0 && x < token.length() - 1) {
                try {
                    times = Integer.parseInt(token.substring(x + 1));
                    value = token.substring(0, x);
                } catch (NumberFormatException e) {
                    // not a repeat: the whole token is the value
                }
            }
            if (times < 1) {
                throw new IllegalArgumentException("'" + token + "' repeats fewer than once");
            }
            for (int i = 0; i < times; i++) {
                out.add(value);
            }
        }
        return out;
    }

    private static final class Reader {
        private final String file;
        private final List<Problem> problems = new ArrayList<>();

        Reader(String file) {
            this.file = file;
        }

        void problem(YamlNode at, String message) {
            problems.add(new Problem(file, at.line(), at.column(), message));
        }

        YamlNode required(YamlNode map, String key) {
            if (map.kind() != YamlNode.Kind.MAP) {
                problem(map, "expected a mapping with '" + key + "'");
                return null;
            }
            YamlNode n = map.entries().get(key);
            if (n == null) {
                problem(map, "'" + key + "' is required");
            }
            return n;
        }

        String string(YamlNode n) {
            return n.scalar() == null ? "" : String.valueOf(n.scalar());
        }

        Long instant(YamlNode n) {
            try {
                return OffsetDateTime.parse(string(n)).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(string(n)).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    problem(
                            n,
                            "'"
                                    + string(n)
                                    + "' is not an ISO-8601 instant such as"
                                    + " 2026-03-02T00:00:00+08:00");
                    return null;
                }
            }
        }

        Duration duration(YamlNode n) {
            Duration d = DurationText.parseInRuleFile(string(n));
            if (d == null || d.isZero() || d.isNegative()) {
                problem(n, "'" + string(n) + "' is not a positive duration such as 5m or 1h");
            }
            return d;
        }

        Case testCase(YamlNode t) {
            int before = problems.size();
            YamlNode nameNode = required(t, "name");
            String name = nameNode == null ? "?" : string(nameNode);
            YamlNode startNode = required(t, "start");
            YamlNode intervalNode = required(t, "interval");
            YamlNode seriesNode = required(t, "series");
            if (problems.size() > before) {
                return null;
            }
            Long start = instant(startNode);
            Duration interval = duration(intervalNode);
            Duration bound = Duration.ofMinutes(5);
            YamlNode b = t.entries().get("out_of_orderness");
            if (b != null) {
                bound = duration(b);
            }
            Long advanceTo = null;
            YamlNode adv = t.entries().get("advance_to");
            if (adv != null) {
                advanceTo = instant(adv);
            }
            List<Firing> expected = new ArrayList<>();
            YamlNode exp = t.entries().get("expect");
            if (exp != null && exp.kind() == YamlNode.Kind.LIST) {
                for (YamlNode e : exp.items()) {
                    YamlNode rule = required(e, "rule");
                    YamlNode subject = required(e, "subject");
                    YamlNode at = required(e, "firedAt");
                    if (rule != null && Rule.byId(string(rule)).isEmpty()) {
                        problem(rule, "unknown rule '" + string(rule) + "'");
                    }
                    Long firedAt = at == null ? null : instant(at);
                    if (rule != null && subject != null && firedAt != null) {
                        expected.add(new Firing(string(rule), string(subject), firedAt));
                    }
                }
            } else if (exp != null && exp.kind() != YamlNode.Kind.NULL) {
                problem(exp, "expect must be a list of {rule, subject, firedAt}");
            }
            if (seriesNode.kind() != YamlNode.Kind.LIST) {
                problem(seriesNode, "series must be a list, one entry per VM");
                return null;
            }
            for (YamlNode vm : seriesNode.items()) {
                if (vm.kind() == YamlNode.Kind.MAP) {
                    checkSeriesKeys(vm);
                }
            }
            if (start == null || interval == null || bound == null) {
                return null;
            }
            List<Sample> samples = new ArrayList<>();
            for (YamlNode vm : seriesNode.items()) {
                samples.addAll(series(vm, start, interval.toMillis()));
            }
            samples.sort(
                    java.util.Comparator.comparingLong((Sample s) -> s.timestamp)
                            .thenComparing(s -> s.vmId));
            if (problems.size() > before) {
                return null;
            }
            Collections.sort(expected);
            return new Case(name, samples, bound.toMillis(), advanceTo, expected);
        }

        private List<Sample> series(YamlNode vm, long start, long step) {
            List<Sample> out = new ArrayList<>();
            YamlNode id = required(vm, "vm");
            YamlNode system = required(vm, "system");
            if (id == null || system == null) {
                return out;
            }
            Map<String, List<String>> cols = new java.util.HashMap<>();
            int steps = 0;
            for (String k : List.of("memory", "storage", "cpu", "state", "businessRecords")) {
                YamlNode n = vm.entries().get(k);
                if (n != null) {
                    try {
                        List<String> v = expand(string(n));
                        cols.put(k, v);
                        steps = Math.max(steps, v.size());
                    } catch (IllegalArgumentException e) {
                        problem(n, k + ": " + e.getMessage());
                    }
                }
            }
            YamlNode unit = vm.entries().get("unit");
            for (int i = 0; i < steps; i++) {
                Sample s = new Sample();
                s.vmId = string(id);
                s.systemId = string(system);
                s.unitId = unit == null ? null : string(unit);
                s.timestamp = start + i * step;
                String state = value(cols, "state", i);
                if (state != null) {
                    switch (state.toUpperCase(Locale.ROOT)) {
                        case "R", "RUNNING" -> s.stopped = false;
                        case "S", "STOPPED" -> s.stopped = true;
                        default -> {
                            problem(
                                    vm.entries().get("state"),
                                    "state '" + state + "' is not R or S");
                            return out;
                        }
                    }
                }
                try {
                    Double mem = number(value(cols, "memory", i));
                    if (mem != null) {
                        s.memoryTotalBytes = MEMORY_TOTAL;
                        s.memoryUsedBytes = Math.round(mem * (1L << 30));
                    }
                    Double sto = number(value(cols, "storage", i));
                    if (sto != null) {
                        s.storageTotalBytes = STORAGE_TOTAL;
                        s.storageUsedBytes = Math.round(sto * (10L << 30));
                    }
                    Double cpu = number(value(cols, "cpu", i));
                    if (cpu != null) {
                        s.cpuUtilizationPct = cpu;
                    }
                    Double br = number(value(cols, "businessRecords", i));
                    if (br != null) {
                        s.businessRecords = br.longValue();
                    }
                } catch (NumberFormatException e) {
                    problem(vm, "series of " + s.vmId + ": " + e.getMessage());
                    return out;
                }
                out.add(s);
            }
            return out;
        }

        private void checkSeriesKeys(YamlNode vm) {
            for (String k : vm.entries().keySet()) {
                if (!List.of(
                                "vm",
                                "system",
                                "unit",
                                "memory",
                                "storage",
                                "cpu",
                                "state",
                                "businessRecords")
                        .contains(k)) {
                    int[] loc = vm.keyLocation(k);
                    problems.add(
                            new Problem(
                                    file,
                                    loc[0],
                                    loc[1],
                                    "unknown key '"
                                            + k
                                            + "' in a series (known: vm, system, unit, memory,"
                                            + " storage, cpu, state, businessRecords)"));
                }
            }
        }

        private static String value(Map<String, List<String>> cols, String k, int i) {
            List<String> v = cols.get(k);
            if (v == null || i >= v.size() || v.get(i).equals("_")) {
                return null;
            }
            return v.get(i);
        }

        private static Double number(String v) {
            return v == null ? null : Double.valueOf(v);
        }
    }
}
