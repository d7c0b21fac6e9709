package io.rightsizer.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The {@code overrides} of a rule file: parameters set for the units, systems or VMs whose id
 * matches, exactly or by a glob ({@code *} any run of characters, {@code ?} one character).
 *
 * <p>Precedence: a vmId match over a systemId match over a unitId match over the defaults; among
 * matches on the same field, the later entry in the file wins. Each parameter is decided on its
 * own, so a unit override of one threshold and a VM override of another both apply.
 *
 * <p>Resolution runs for every evaluated sample, so it is indexed: exact ids by hash, globs in a
 * list, and the resolved rule set of each distinct combination of matching entries is cached.
 */
public final class Overrides implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A rule set's overrides when its file has none. */
    public static final Overrides NONE = new Overrides(List.of());

    /** The id an override matches on, in ascending precedence. */
    public enum Field {
        UNIT("unitId"),
        SYSTEM("systemId"),
        VM("vmId");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        /** The key in the rule file's {@code match}. */
        public String key() {
            return key;
        }
    }

    /** One entry: its name (for evidence), what it matches, and the parameters it sets. */
    public record Entry(
            String name, Field field, String pattern, Map<Rule, Map<String, Object>> set)
            implements Serializable {
        public boolean isGlob() {
            return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
        }

        public boolean matches(String id) {
            return id != null
                    && (isGlob() ? glob(pattern).matcher(id).matches() : pattern.equals(id));
        }
    }

    private final List<Entry> entries;

    private transient volatile Index index;

    public Overrides(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The rule set for one subject; {@code vmId} is null for an information system. */
    RuleSet resolve(RuleSet base, String vmId, String systemId, String unitId) {
        if (entries.isEmpty()) {
            return base;
        }
        Index ix = index;
        if (ix == null) {
            ix = new Index(entries);
            index = ix;
        }
        int[] matched = ix.match(vmId, systemId, unitId);
        if (matched.length == 0) {
            return base.resolved(Map.of());
        }
        String key = Arrays.toString(matched);
        RuleSet r = ix.resolved.get(key);
        if (r == null) {
            r = apply(base, matched);
            if (ix.resolved.size() >= MAX_CACHED) {
                ix.resolved.clear();
            }
            ix.resolved.put(key, r);
        }
        return r;
    }

    /** Bounds the cache of resolved rule sets; only distinct combinations of entries count. */
    private static final int MAX_CACHED = 4096;

    private RuleSet apply(RuleSet base, int[] matched) {
        RuleSet r = base;
        Map<Rule, List<String>> applied = new EnumMap<>(Rule.class);
        for (int i : matched) {
            Entry e = entries.get(i);
            for (Map.Entry<Rule, Map<String, Object>> rule : e.set().entrySet()) {
                for (Map.Entry<String, Object> p : rule.getValue().entrySet()) {
                    r = r.withParam(rule.getKey(), p.getKey(), p.getValue());
                }
                applied.computeIfAbsent(rule.getKey(), k -> new ArrayList<>()).add(e.name());
            }
        }
        return guardContradiction(r).resolved(applied);
    }

    /**
     * Each override is validated against the defaults, but two matching overrides can still combine
     * into an underuse average at or above the scale-up average; then one week could both scale up
     * and reduce the VM. Scale-up wins: the underuse rule is not judged for that subject.
     */
    private static RuleSet guardContradiction(RuleSet r) {
        if (r.weeklyUnderuse().averageAtMostPct() >= r.weeklyAverage().averageAbovePct()
                && r.weeklyUnderuse().enabled()) {
            return r.withParam(Rule.WEEKLY_UNDERUSE, "enabled", false);
        }
        return r;
    }

    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Overrides other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Exact ids by hash, globs compiled once; entry indices in application order. */
    private static final class Index {
        private final Map<Field, Map<String, int[]>> exact = new EnumMap<>(Field.class);
        private final Map<Field, List<Integer>> globs = new EnumMap<>(Field.class);
        private final Map<Integer, Pattern> patterns = new HashMap<>();
        private final Map<String, RuleSet> resolved = new ConcurrentHashMap<>();

        Index(List<Entry> entries) {
            for (Field f : Field.values()) {
                Map<String, List<Integer>> ex = new LinkedHashMap<>();
                List<Integer> gl = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    if (e.field() != f) {
                        continue;
                    }
                    if (e.isGlob()) {
                        gl.add(i);
                        patterns.put(i, glob(e.pattern()));
                    } else {
                        ex.computeIfAbsent(e.pattern(), k -> new ArrayList<>()).add(i);
                    }
                }
                Map<String, int[]> exArr = new HashMap<>();
                ex.forEach(
                        (k, v) -> exArr.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
                exact.put(f, exArr);
                globs.put(f, gl);
            }
        }

        /** Matching entry indices: unitId ones, then systemId, then vmId; each in file order. */
        int[] match(String vmId, String systemId, String unitId) {
            int[] out = new int[0];
            for (Field f : Field.values()) {
                String id =
                        switch (f) {
                            case UNIT -> unitId;
                            case SYSTEM -> systemId;
                            case VM -> vmId;
                        };
                if (id == null) {
                    continue;
                }
                int[] ex = exact.get(f).getOrDefault(id, new int[0]);
                List<Integer> gl = globs.get(f);
                int[] hits = new int[ex.length + gl.size()];
                int n = 0;
                int a = 0;
                // Merge exact and glob hits back into file order: later entries win.
                for (int g : gl) {
                    if (!patterns.get(g).matcher(id).matches()) {
                        continue;
                    }
                    while (a < ex.length && ex[a] < g) {
                        hits[n++] = ex[a++];
                    }
                    hits[n++] = g;
                }
                while (a < ex.length) {
                    hits[n++] = ex[a++];
                }
                if (n > 0) {
                    int[] joined = Arrays.copyOf(out, out.length + n);
                    System.arraycopy(hits, 0, joined, out.length, n);
                    out = joined;
                }
            }
            return out;
        }
    }
}
