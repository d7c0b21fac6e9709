package io.rightsizer.rules.format;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleSetException.Problem;
import io.rightsizer.rules.sizing.ByteSize;
import io.rightsizer.rules.sizing.Catalog;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the service catalog (YAML, documented in rules/README.md, "Target sizes") into a {@link
 * Catalog}, collecting every problem with its {@code file:line:column} instead of stopping at the
 * first.
 */
public final class CatalogParser {
    static final String SIZE_SYNTAX =
            "a whole number of bytes, or with a unit: KiB, MiB, GiB, TiB, PiB (binary) or kB,"
                    + " MB, GB, TB, PB (decimal), e.g. 4GiB";

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private CatalogParser(String file) {
        this.file = file;
    }

    public static Catalog parse(Path path) throws RuleSetException, IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    public static Catalog parse(String yaml, String fileName) throws RuleSetException {
        return new CatalogParser(fileName).run(yaml);
    }

    private Catalog run(String yaml) throws RuleSetException {
        YamlNode root =
                YamlChecks.readMapping(
                        yaml,
                        file,
                        "a catalog file is a mapping with memory, storage and targets",
                        false);
        YamlChecks.unknownKeys(
                root, List.of("memory", "storage", "targets"), "the catalog file", file, problems);

        List<Long> memory = memory(root);
        Catalog.Storage storage = storage(root);

        Catalog.MemoryTarget up = Catalog.DEFAULT_MEMORY_SCALE_UP;
        Catalog.MemoryTarget down = Catalog.DEFAULT_MEMORY_SCALE_DOWN;
        double storageUsage = Catalog.DEFAULT_STORAGE_USAGE_AT_MOST_PCT;
        double major = Catalog.DEFAULT_MAJOR_CHANGE_ABOVE_PCT;
        YamlNode targets = root.entries().get("targets");
        if (targets != null && targets.kind() != YamlNode.Kind.NULL) {
            if (targets.kind() != YamlNode.Kind.MAP) {
                problem(
                        targets,
                        "targets must be a mapping with memory-scale-up, memory-scale-down,"
                                + " storage and major-change-above-pct, found "
                                + targets.describeKind());
            } else {
                YamlChecks.unknownKeys(
                        targets,
                        List.of(
                                "memory-scale-up",
                                "memory-scale-down",
                                "storage",
                                "major-change-above-pct"),
                        "targets",
                        file,
                        problems);
                up = memoryTarget(targets, "memory-scale-up", up);
                down = memoryTarget(targets, "memory-scale-down", down);
                YamlNode s = mapping(targets, "storage", "usage-at-most-pct");
                if (s != null) {
                    YamlChecks.unknownKeys(
                            s, List.of("usage-at-most-pct"), "targets.storage", file, problems);
                    storageUsage = pct(s, "usage-at-most-pct", "targets.storage.", storageUsage);
                }
                major = pct(targets, "major-change-above-pct", "targets.", major);
            }
        }

        if (!problems.isEmpty()) {
            // In file order, whichever check found them.
            problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new RuleSetException(problems);
        }
        return new Catalog(memory, storage, up, down, storageUsage, major);
    }

    private List<Long> memory(YamlNode root) {
        YamlNode m = root.entries().get("memory");
        if (m == null) {
            problem(root, "memory is required: memory: {sizes: [1GiB, 2GiB, 4GiB, ...]}");
            return null;
        }
        if (m.kind() != YamlNode.Kind.MAP) {
            problem(m, "memory must be a mapping with sizes, found " + m.describeKind());
            return null;
        }
        YamlChecks.unknownKeys(m, List.of("sizes"), "memory", file, problems);
        YamlNode sizes = m.entries().get("sizes");
        if (sizes == null) {
            problem(m, "memory.sizes is required (a list of sizes such as [1GiB, 2GiB, 4GiB])");
            return null;
        }
        return sizeList(sizes, "memory.sizes");
    }

    private Catalog.Storage storage(YamlNode root) {
        YamlNode s = root.entries().get("storage");
        if (s == null) {
            problem(
                    root,
                    "storage is required: storage: {sizes: [...]} or storage: {step: 50GiB, min:"
                            + " 50GiB, max: 16TiB}");
            return null;
        }
        if (s.kind() != YamlNode.Kind.MAP) {
            problem(
                    s,
                    "storage must be a mapping with sizes, or with step, min and max, found "
                            + s.describeKind());
            return null;
        }
        YamlChecks.unknownKeys(
                s, List.of("sizes", "step", "min", "max"), "storage", file, problems);
        YamlNode sizes = s.entries().get("sizes");
        YamlNode step = s.entries().get("step");
        YamlNode min = s.entries().get("min");
        YamlNode max = s.entries().get("max");
        if (sizes != null) {
            List<Long> list = sizeList(sizes, "storage.sizes");
            boolean clean = true;
            for (String key : List.of("step", "min", "max")) {
                if (s.entries().containsKey(key)) {
                    problemAtKey(
                            s,
                            key,
                            "storage has both sizes and "
                                    + key
                                    + ": give either sizes, or step with min and max");
                    clean = false;
                }
            }
            return clean && list != null ? new Catalog.Sizes(list) : null;
        }
        if (step == null) {
            problem(s, "storage needs either sizes, or step with min and max");
            return null;
        }
        if (min == null || max == null) {
            problem(
                    s,
                    "storage.step needs "
                            + (min == null && max == null
                                    ? "storage.min and storage.max"
                                    : min == null ? "storage.min" : "storage.max")
                            + " (the smallest and largest size that may be allocated)");
        }
        Long stepBytes = size(step, "storage.step");
        Long minBytes = min == null ? null : size(min, "storage.min");
        Long maxBytes = max == null ? null : size(max, "storage.max");
        if (stepBytes == null || minBytes == null || maxBytes == null) {
            return null;
        }
        if (minBytes > maxBytes) {
            problem(
                    min,
                    "storage.min ("
                            + ByteSize.format(minBytes)
                            + ") is above storage.max ("
                            + ByteSize.format(maxBytes)
                            + ")");
            return null;
        }
        if (Math.floorDiv(maxBytes, stepBytes) < Catalog.Steps.ceilDiv(minBytes, stepBytes)) {
            problem(
                    step,
                    "no multiple of storage.step ("
                            + ByteSize.format(stepBytes)
                            + ") lies from storage.min ("
                            + ByteSize.format(minBytes)
                            + ") to storage.max ("
                            + ByteSize.format(maxBytes)
                            + "), so the catalog has no storage size");
            return null;
        }
        return new Catalog.Steps(stepBytes, minBytes, maxBytes);
    }

    /** A non-empty list of sizes, ascending, each once; null (with the problems) otherwise. */
    private List<Long> sizeList(YamlNode node, String name) {
        if (node.kind() != YamlNode.Kind.LIST) {
            problem(
                    node,
                    name
                            + " must be a list of sizes such as [1GiB, 2GiB, 4GiB], found "
                            + node.describeKind());
            return null;
        }
        if (node.items().isEmpty()) {
            problem(node, name + " must list at least one size");
            return null;
        }
        List<Long> out = new ArrayList<>();
        boolean ok = true;
        int previousIndex = -1;
        long previous = 0;
        List<YamlNode> items = node.items();
        for (int i = 0; i < items.size(); i++) {
            String item = name + "[" + i + "]";
            Long v = size(items.get(i), item);
            if (v == null) {
                ok = false;
                continue;
            }
            if (previousIndex >= 0 && v == previous) {
                problem(
                        items.get(i),
                        item
                                + " ("
                                + ByteSize.format(v)
                                + ") repeats "
                                + name
                                + "["
                                + previousIndex
                                + "]: list each size once");
                ok = false;
            } else if (previousIndex >= 0 && v < previous) {
                problem(
                        items.get(i),
                        item
                                + " ("
                                + ByteSize.format(v)
                                + ") is below "
                                + name
                                + "["
                                + previousIndex
                                + "] ("
                                + ByteSize.format(previous)
                                + "): list the sizes in ascending order");
                ok = false;
            }
            out.add(v);
            previous = v;
            previousIndex = i;
        }
        return ok ? out : null;
    }

    /** A positive size in bytes; null (with the problem) otherwise. */
    private Long size(YamlNode n, String name) {
        if (n.kind() != YamlNode.Kind.STRING && n.kind() != YamlNode.Kind.NUMBER) {
            problem(
                    n,
                    name
                            + " must be a size such as 4GiB or a number of bytes, found "
                            + n.describeKind());
            return null;
        }
        BigInteger bytes = ByteSize.parse(String.valueOf(n.scalar()));
        if (bytes == null) {
            problem(n, name + " '" + n.scalar() + "' is not a size (" + SIZE_SYNTAX + ")");
            return null;
        }
        if (bytes.signum() <= 0) {
            problem(n, name + " is " + n.scalar() + ": a size must be positive");
            return null;
        }
        if (bytes.bitLength() > 63) {
            problem(
                    n,
                    name
                            + " is "
                            + n.scalar()
                            + ": a size must be at most "
                            + Long.MAX_VALUE
                            + " bytes");
            return null;
        }
        return bytes.longValue();
    }

    private Catalog.MemoryTarget memoryTarget(
            YamlNode targets, String key, Catalog.MemoryTarget dflt) {
        YamlNode t = mapping(targets, key, "average-at-most-pct and peak-at-most-pct");
        if (t == null) {
            return dflt;
        }
        String prefix = "targets." + key + ".";
        YamlChecks.unknownKeys(
                t,
                List.of("average-at-most-pct", "peak-at-most-pct"),
                "targets." + key,
                file,
                problems);
        return new Catalog.MemoryTarget(
                pct(t, "average-at-most-pct", prefix, dflt.averageAtMostPct()),
                pct(t, "peak-at-most-pct", prefix, dflt.peakAtMostPct()));
    }

    /** The mapping under {@code key}, or null when it is absent, empty or (a problem) not one. */
    private YamlNode mapping(YamlNode parent, String key, String what) {
        YamlNode n = parent.entries().get(key);
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            return null;
        }
        if (n.kind() != YamlNode.Kind.MAP) {
            problem(
                    n,
                    "targets."
                            + key
                            + " must be a mapping with "
                            + what
                            + ", found "
                            + n.describeKind());
            return null;
        }
        return n;
    }

    private double pct(YamlNode parent, String key, String prefix, double dflt) {
        YamlNode n = parent.entries().get(key);
        if (n == null) {
            return dflt;
        }
        if (n.kind() != YamlNode.Kind.NUMBER) {
            problem(
                    n,
                    prefix
                            + key
                            + " must be a percentage (a number from 0 to 100), found "
                            + n.describeKind());
            return dflt;
        }
        double v = ((Number) n.scalar()).doubleValue();
        if (!(v >= 0 && v <= 100)) {
            problem(
                    n,
                    prefix
                            + key
                            + " is "
                            + RuleSetParser.fmt(v)
                            + ": a percentage must be from 0 to 100");
            return dflt;
        }
        return v;
    }

    private void problem(YamlNode at, String message) {
        problems.add(new Problem(file, at.line(), at.column(), message));
    }

    private void problemAtKey(YamlNode map, String key, String message) {
        int[] loc = map.keyLocation(key);
        problems.add(new Problem(file, loc[0], loc[1], message));
    }
}
