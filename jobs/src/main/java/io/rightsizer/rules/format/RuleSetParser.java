package io.rightsizer.rules.format;

import io.rightsizer.rules.Overrides;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleSetException.Problem;
import io.rightsizer.rules.VmEvaluator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a rule file (YAML, documented in rules/README.md) into a {@link RuleSet}, collecting every
 * problem with its {@code file:line:column} instead of stopping at the first.
 */
public final class RuleSetParser {
    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private RuleSetParser(String file) {
        this.file = file;
    }

    public static RuleSet parse(Path path) throws RuleSetException, IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    public static RuleSet parse(String yaml, String fileName) throws RuleSetException {
        return new RuleSetParser(fileName).run(yaml);
    }

    private RuleSet run(String yaml) throws RuleSetException {
        YamlNode root =
                YamlChecks.readMapping(
                        yaml,
                        file,
                        "a rule file is a mapping with version, description, calendar and rules",
                        false);
        checkKeys(
                root,
                List.of("version", "description", "calendar", "rules", "overrides"),
                "the rule file");

        String version = null;
        YamlNode v = root.entries().get("version");
        if (v == null) {
            problem(root, "version is required (a string, unique per published rule set)");
        } else if (v.kind() == YamlNode.Kind.STRING || v.kind() == YamlNode.Kind.NUMBER) {
            version = String.valueOf(v.scalar()).trim();
            if (version.isEmpty()) {
                problem(v, "version must not be empty");
            }
        } else {
            problem(v, "version must be a string, found " + v.describeKind());
        }
        String description = "";
        YamlNode d = root.entries().get("description");
        if (d != null) {
            if (d.kind() == YamlNode.Kind.STRING) {
                description = (String) d.scalar();
            } else if (d.kind() != YamlNode.Kind.NULL) {
                problem(d, "description must be a string, found " + d.describeKind());
            }
        }

        ZoneId zone = RuleSet.DEFAULT_ZONE;
        YamlNode cal = root.entries().get("calendar");
        if (cal != null) {
            if (cal.kind() != YamlNode.Kind.MAP) {
                problem(cal, "calendar must be a mapping with 'zone', found " + cal.describeKind());
            } else {
                checkKeys(cal, List.of("zone"), "calendar");
                YamlNode z = cal.entries().get("zone");
                if (z != null) {
                    if (z.kind() != YamlNode.Kind.STRING) {
                        problem(z, "calendar.zone must be a zone id such as Asia/Shanghai");
                    } else {
                        try {
                            zone = ZoneId.of((String) z.scalar());
                        } catch (DateTimeException e) {
                            problem(
                                    z,
                                    "calendar.zone '"
                                            + z.scalar()
                                            + "' is not a known time zone (use an IANA id such as"
                                            + " Asia/Shanghai)");
                        }
                    }
                }
            }
        }

        Map<String, YamlNode> rules = Map.of();
        YamlNode rulesNode = root.entries().get("rules");
        if (rulesNode != null) {
            if (rulesNode.kind() != YamlNode.Kind.MAP) {
                problem(rulesNode, "rules must be a mapping from rule id to its parameters");
            } else {
                List<String> ids = new ArrayList<>();
                for (Rule r : Rule.values()) {
                    ids.add(r.id());
                }
                checkKeys(rulesNode, ids, "rules");
                rules = rulesNode.entries();
            }
        }

        RuleSet base =
                new RuleSet(
                        version,
                        description,
                        zone,
                        RuleSet.WeeklyAverage.DEFAULT,
                        RuleSet.HourlyPeaks.DEFAULT,
                        RuleSet.StorageUsage.DEFAULT,
                        RuleSet.WeeklyUnderuse.DEFAULT,
                        RuleSet.VmInactive.DEFAULT,
                        RuleSet.NoBusinessData.DEFAULT);
        Parsed defaults = ruleParams(rules, base, "");
        // Checked even when a rule is disabled: enabling it later must not create a rule set in
        // which one week both scales up and reduces.
        checkContradiction(
                defaults, rulesNode != null ? rulesNode : root, "", defaults.rules.version());

        List<Overrides.Entry> overrides = List.of();
        YamlNode o = root.entries().get("overrides");
        if (o != null && o.kind() != YamlNode.Kind.NULL) {
            overrides = overrides(o, defaults.rules);
        }

        if (!problems.isEmpty()) {
            // In file order, whichever check found them.
            problems.sort(
                    java.util.Comparator.comparingInt(Problem::line)
                            .thenComparingInt(Problem::column));
            throw new RuleSetException(problems);
        }
        return defaults.rules.with(
                overrides.isEmpty() ? Overrides.NONE : new Overrides(overrides), null);
    }

    /** Every rule's parameters, each defaulting to its value in {@code base}. */
    private record Parsed(RuleSet rules, Map<Rule, RuleParams> params) {}

    private Parsed ruleParams(Map<String, YamlNode> rules, RuleSet base, String prefix) {
        Map<Rule, RuleParams> params = new java.util.EnumMap<>(Rule.class);
        for (Rule rule : Rule.values()) {
            params.put(rule, params(rules, rule, prefix));
        }
        RuleParams wa = params.get(Rule.WEEKLY_AVERAGE);
        RuleSet.WeeklyAverage weeklyAverage =
                new RuleSet.WeeklyAverage(
                        wa.bool("enabled", base.weeklyAverage().enabled()),
                        wa.pct("average-above-pct", base.weeklyAverage().averageAbovePct()),
                        wa.integer(
                                "min-covered-hours",
                                base.weeklyAverage().minCoveredHours(),
                                0,
                                169));
        RuleParams hp = params.get(Rule.HOURLY_PEAKS);
        RuleSet.HourlyPeaks hourlyPeaks =
                new RuleSet.HourlyPeaks(
                        hp.bool("enabled", base.hourlyPeaks().enabled()),
                        hp.pct("peak-above-pct", base.hourlyPeaks().peakAbovePct()),
                        hp.integer(
                                "min-peaks",
                                base.hourlyPeaks().minPeaks(),
                                1,
                                VmEvaluator.MAX_PEAK_STARTS),
                        hp.duration(
                                "span",
                                base.hourlyPeaks().span(),
                                Duration.ofMillis(1),
                                Duration.ofDays(7)),
                        hp.duration(
                                "cooldown",
                                base.hourlyPeaks().cooldown(),
                                Duration.ZERO,
                                Duration.ofDays(366)));
        RuleParams su = params.get(Rule.STORAGE_USAGE);
        RuleSet.StorageUsage storage =
                new RuleSet.StorageUsage(
                        su.bool("enabled", base.storageUsage().enabled()),
                        su.pct("usage-above-pct", base.storageUsage().usageAbovePct()),
                        su.duration(
                                "cooldown",
                                base.storageUsage().cooldown(),
                                Duration.ZERO,
                                Duration.ofDays(366)));
        RuleParams wu = params.get(Rule.WEEKLY_UNDERUSE);
        RuleSet.WeeklyUnderuse underuse =
                new RuleSet.WeeklyUnderuse(
                        wu.bool("enabled", base.weeklyUnderuse().enabled()),
                        wu.pct("average-at-most-pct", base.weeklyUnderuse().averageAtMostPct()),
                        wu.pct("peak-at-most-pct", base.weeklyUnderuse().peakAtMostPct()),
                        wu.integer(
                                "min-covered-hours",
                                base.weeklyUnderuse().minCoveredHours(),
                                0,
                                169));
        RuleParams vi = params.get(Rule.VM_INACTIVE);
        RuleSet.VmInactive inactive =
                new RuleSet.VmInactive(
                        vi.bool("enabled", base.vmInactive().enabled()),
                        vi.pct("idle-cpu-at-most-pct", base.vmInactive().idleCpuAtMostPct()),
                        vi.integer("months", base.vmInactive().months(), 1, 120));
        RuleParams nb = params.get(Rule.NO_BUSINESS_DATA);
        RuleSet.NoBusinessData noBusiness =
                new RuleSet.NoBusinessData(
                        nb.bool("enabled", base.noBusinessData().enabled()),
                        nb.integer("months", base.noBusinessData().months(), 1, 120));
        RuleParams me = params.get(Rule.MEMORY_EMERGENCY);
        RuleSet.MemoryEmergency memoryEmergency =
                new RuleSet.MemoryEmergency(
                        me.bool("enabled", base.memoryEmergency().enabled()),
                        me.pct("usage-at-least-pct", base.memoryEmergency().usageAtLeastPct()),
                        me.duration(
                                "for",
                                base.memoryEmergency().duration(),
                                Duration.ZERO,
                                Duration.ofDays(7)),
                        me.duration(
                                "max-gap",
                                base.memoryEmergency().maxGap(),
                                Duration.ofMillis(1),
                                Duration.ofDays(7)),
                        me.duration(
                                "cooldown",
                                base.memoryEmergency().cooldown(),
                                Duration.ZERO,
                                Duration.ofDays(366)));
        RuleParams se = params.get(Rule.STORAGE_EMERGENCY);
        RuleSet.StorageEmergency storageEmergency =
                new RuleSet.StorageEmergency(
                        se.bool("enabled", base.storageEmergency().enabled()),
                        se.pct("usage-at-least-pct", base.storageEmergency().usageAtLeastPct()),
                        se.duration(
                                "cooldown",
                                base.storageEmergency().cooldown(),
                                Duration.ZERO,
                                Duration.ofDays(366)));
        for (RuleParams p : params.values()) {
            p.done();
        }
        return new Parsed(
                new RuleSet(
                        base.version(),
                        base.description(),
                        base.zone(),
                        weeklyAverage,
                        hourlyPeaks,
                        storage,
                        underuse,
                        inactive,
                        noBusiness,
                        memoryEmergency,
                        storageEmergency,
                        Overrides.NONE,
                        null),
                params);
    }

    private void checkContradiction(Parsed p, YamlNode fallback, String prefix, String unused) {
        RuleSet r = p.rules;
        if (r.weeklyUnderuse().averageAtMostPct() >= r.weeklyAverage().averageAbovePct()) {
            YamlNode at = p.params.get(Rule.WEEKLY_UNDERUSE).node("average-at-most-pct");
            if (at == null) {
                at = p.params.get(Rule.WEEKLY_AVERAGE).node("average-above-pct");
            }
            problem(
                    at != null ? at : fallback,
                    prefix
                            + Rule.WEEKLY_UNDERUSE.id()
                            + ".average-at-most-pct ("
                            + fmt(r.weeklyUnderuse().averageAtMostPct())
                            + ") must be below "
                            + Rule.WEEKLY_AVERAGE.id()
                            + ".average-above-pct ("
                            + fmt(r.weeklyAverage().averageAbovePct())
                            + "): otherwise one week could both scale up and reduce the VM");
        }
    }

    private List<Overrides.Entry> overrides(YamlNode node, RuleSet defaults) {
        if (node.kind() != YamlNode.Kind.LIST) {
            problem(
                    node,
                    "overrides must be a list of {match: {unitId | systemId | vmId: id or glob},"
                            + " set: {rule id: {parameter: value}}}, found "
                            + node.describeKind());
            return List.of();
        }
        List<Overrides.Entry> out = new ArrayList<>();
        Map<String, YamlNode> names = new java.util.HashMap<>();
        List<YamlNode> items = node.items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String where = "overrides[" + i + "]";
            if (item.kind() != YamlNode.Kind.MAP) {
                problem(item, where + " must be a mapping with match and set");
                continue;
            }
            checkKeys(item, List.of("name", "match", "set"), where);
            String name = null;
            YamlNode n = item.entries().get("name");
            if (n != null) {
                if (n.kind() != YamlNode.Kind.STRING || ((String) n.scalar()).isBlank()) {
                    problem(n, where + ".name must be a non-empty string");
                } else {
                    name = ((String) n.scalar()).trim();
                    YamlNode other = names.putIfAbsent(name, n);
                    if (other != null) {
                        problem(
                                n,
                                where
                                        + ".name '"
                                        + name
                                        + "' is already used at line "
                                        + other.line()
                                        + ": evidence names the override, so names must be"
                                        + " unique");
                    }
                }
            }
            Overrides.Field field = null;
            String pattern = null;
            YamlNode m = item.entries().get("match");
            if (m == null) {
                problem(item, where + " needs match: {unitId | systemId | vmId: id or glob}");
            } else if (m.kind() != YamlNode.Kind.MAP || m.entries().size() != 1) {
                problem(
                        m,
                        where
                                + ".match must name exactly one of unitId, systemId, vmId (an id"
                                + " or a glob with * and ?)");
                if (m.kind() == YamlNode.Kind.MAP) {
                    checkKeys(m, List.of("unitId", "systemId", "vmId"), where + ".match");
                }
            } else {
                checkKeys(m, List.of("unitId", "systemId", "vmId"), where + ".match");
                Map.Entry<String, YamlNode> e = m.entries().entrySet().iterator().next();
                for (Overrides.Field f : Overrides.Field.values()) {
                    if (f.key().equals(e.getKey())) {
                        field = f;
                    }
                }
                YamlNode v = e.getValue();
                if (v.kind() != YamlNode.Kind.STRING && v.kind() != YamlNode.Kind.NUMBER) {
                    problem(v, where + ".match." + e.getKey() + " must be an id or a glob");
                    field = null;
                } else {
                    pattern = String.valueOf(v.scalar()).trim();
                    if (pattern.isEmpty()) {
                        problem(v, where + ".match." + e.getKey() + " must not be empty");
                        field = null;
                    }
                }
            }
            YamlNode set = item.entries().get("set");
            Map<Rule, Map<String, Object>> params = new java.util.EnumMap<>(Rule.class);
            if (set == null) {
                problem(item, where + " needs set: {rule id: {parameter: value}}");
            } else if (set.kind() != YamlNode.Kind.MAP || set.entries().isEmpty()) {
                problem(
                        set,
                        where
                                + ".set must map rule ids to the parameters to change, found "
                                + set.describeKind());
            } else {
                List<String> ids = new ArrayList<>();
                for (Rule r : Rule.values()) {
                    ids.add(r.id());
                }
                checkKeys(set, ids, where + ".set");
                Parsed p = ruleParams(set.entries(), defaults, where + ".set.");
                for (Rule r : Rule.values()) {
                    YamlNode rn = set.entries().get(r.id());
                    if (rn == null || rn.kind() != YamlNode.Kind.MAP) {
                        continue;
                    }
                    if (rn.entries().isEmpty()) {
                        problem(rn, where + ".set." + r.id() + " sets no parameter");
                        continue;
                    }
                    if (field == Overrides.Field.VM && r == Rule.NO_BUSINESS_DATA) {
                        problem(
                                rn,
                                where
                                        + ": "
                                        + r.id()
                                        + " is judged per information system, so a vmId match"
                                        + " cannot apply to it (match systemId or unitId)");
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String key : rn.entries().keySet()) {
                        if (r.params().contains(key)) {
                            values.put(key, p.rules.param(r, key));
                        }
                    }
                    if (!values.isEmpty()) {
                        params.put(r, values);
                    }
                }
                checkContradiction(p, set, where + ": with it, ", null);
            }
            if (field != null && pattern != null && !params.isEmpty()) {
                out.add(
                        new Overrides.Entry(
                                name != null
                                        ? name
                                        : where + " (" + field.key() + "=" + pattern + ")",
                                field,
                                pattern,
                                params));
            }
        }
        return out;
    }

    private RuleParams params(Map<String, YamlNode> rules, Rule rule, String prefix) {
        YamlNode n = rules.get(rule.id());
        if (n != null && n.kind() != YamlNode.Kind.MAP && n.kind() != YamlNode.Kind.NULL) {
            problem(
                    n,
                    prefix
                            + rule.id()
                            + " must be a mapping of parameters, found "
                            + n.describeKind());
            n = null;
        }
        return new RuleParams(
                file,
                problems,
                rule,
                n != null && n.kind() == YamlNode.Kind.MAP ? n : null,
                prefix);
    }

    private void checkKeys(YamlNode map, List<String> allowed, String where) {
        YamlChecks.unknownKeys(map, allowed, where, file, problems);
    }

    private void problem(YamlNode at, String message) {
        problems.add(new Problem(file, at.line(), at.column(), message));
    }

    public static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.valueOf((long) v)
                : String.valueOf(v);
    }

    /**
     * A YAML syntax error at the place the YAML reader names, with its problem but never the text
     * of the line ({@link YamlNode.SyntaxException}).
     */
    static Problem notYaml(String file, IOException e) {
        if (e instanceof YamlNode.SyntaxException syntax) {
            return new Problem(file, syntax.line, syntax.column, syntax.describe());
        }
        return new Problem(
                file, 1, 1, "cannot be read as YAML (" + e.getClass().getSimpleName() + ")");
    }
}
