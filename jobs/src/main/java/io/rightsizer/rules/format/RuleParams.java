package io.rightsizer.rules.format;

import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSetException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parameters of one rule of a rule file and reports the keys nobody asked for; its
 * problems go to the parser's list ({@link RuleSetParser}).
 */
final class RuleParams {
    private final String file;
    private final List<Problem> problems;
    private final Rule rule;
    private final YamlNode node;
    private final String prefix;
    private final List<String> known = new ArrayList<>();

    RuleParams(String file, List<Problem> problems, Rule rule, YamlNode node, String prefix) {
        this.file = file;
        this.problems = problems;
        this.rule = rule;
        this.node = node;
        this.prefix = prefix;
    }

    YamlNode node(String key) {
        return node == null ? null : node.entries().get(key);
    }

    boolean bool(String key, boolean dflt) {
        known.add(key);
        YamlNode n = node(key);
        if (n == null) {
            return dflt;
        }
        if (n.kind() != YamlNode.Kind.BOOLEAN) {
            problem(n, name(key) + " must be true or false, found " + n.describeKind());
            return dflt;
        }
        return (Boolean) n.scalar();
    }

    double pct(String key, double dflt) {
        known.add(key);
        YamlNode n = node(key);
        if (n == null) {
            return dflt;
        }
        if (n.kind() != YamlNode.Kind.NUMBER) {
            problem(
                    n,
                    name(key)
                            + " must be a percentage (a number from 0 to 100), found "
                            + n.describeKind());
            return dflt;
        }
        double v = ((Number) n.scalar()).doubleValue();
        if (!(v >= 0 && v <= 100)) {
            problem(
                    n,
                    name(key)
                            + " is "
                            + RuleSetParser.fmt(v)
                            + ": a percentage must be from 0 to 100");
            return dflt;
        }
        return v;
    }

    int integer(String key, int dflt, int min, int max) {
        known.add(key);
        YamlNode n = node(key);
        if (n == null) {
            return dflt;
        }
        Object s = n.scalar();
        if (n.kind() != YamlNode.Kind.NUMBER
                || s instanceof Double
                || s instanceof Float
                || s instanceof java.math.BigDecimal) {
            problem(n, name(key) + " must be a whole number, found " + describe(n));
            return dflt;
        }
        long v = ((Number) s).longValue();
        if (v < min || v > max) {
            problem(n, name(key) + " is " + v + ": allowed from " + min + " to " + max);
            return dflt;
        }
        return (int) v;
    }

    Duration duration(String key, Duration dflt, Duration min, Duration max) {
        known.add(key);
        YamlNode n = node(key);
        if (n == null) {
            return dflt;
        }
        if (n.kind() != YamlNode.Kind.STRING) {
            problem(
                    n,
                    name(key)
                            + " must be a duration such as 60m, 1h, 7d or PT1H, found "
                            + describe(n));
            return dflt;
        }
        Duration d = DurationText.parseInRuleFile((String) n.scalar());
        if (d == null) {
            problem(
                    n,
                    name(key)
                            + " '"
                            + n.scalar()
                            + "' is not a duration (use a number with ms, s, m, h, d or w,"
                            + " e.g. 60m, or ISO-8601 such as PT1H)");
            return dflt;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(
                    n,
                    name(key)
                            + " is "
                            + n.scalar()
                            + ": allowed from "
                            + DurationText.format(min)
                            + " to "
                            + DurationText.format(max));
            return dflt;
        }
        return d;
    }

    void done() {
        if (node != null) {
            YamlChecks.unknownKeys(node, known, prefix + rule.id(), file, problems);
        }
    }

    private String name(String key) {
        return prefix + rule.id() + "." + key;
    }

    private void problem(YamlNode at, String message) {
        problems.add(new Problem(file, at.line(), at.column(), message));
    }

    private static String describe(YamlNode n) {
        return n.kind() == YamlNode.Kind.NULL ? "nothing" : "'" + n.scalar() + "'";
    }
}
