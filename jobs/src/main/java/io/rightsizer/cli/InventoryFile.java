package io.rightsizer.cli;

import io.rightsizer.rules.RuleSetException.Problem;
import io.rightsizer.rules.format.DidYouMean;
import io.rightsizer.rules.format.YamlChecks;
import io.rightsizer.rules.format.YamlNode;
import io.rightsizer.rules.sizing.ByteSize;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.ProtectionWindow;
import io.rightsizer.schema.TemporaryExpansion;
import io.rightsizer.schema.TemporaryResource;
import io.rightsizer.schema.VmAllocation;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an inventory file (YAML, documented in docs/provider.md "Keeping the inventory") into the
 * {@link VmAllocation} records it describes, checking every record first and collecting every
 * problem with its {@code file:line:column}: a file with any problem yields no record.
 */
final class InventoryFile {
    static final List<String> VM_KEYS =
            List.of(
                    "vmId",
                    "systemId",
                    "unitId",
                    "vcpus",
                    "memory",
                    "storage",
                    "flavor",
                    "status",
                    "onboardedAt",
                    "effectiveAt",
                    "temporaryExpansions",
                    "temporaryResource",
                    "protectionWindows");
    static final List<String> EXPANSION_KEYS =
            List.of("memory", "storage", "from", "until", "reason");
    static final List<String> PERIOD_KEYS = List.of("from", "until", "reason");
    private static final List<String> STATUSES =
            Arrays.stream(AllocationStatus.values()).map(Enum::name).toList();

    /** The records of a file without problems, or its problems (then no record). */
    record Result(List<VmAllocation> allocations, List<Problem> problems) {}

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private InventoryFile(String file) {
        this.file = file;
    }

    static Result parse(String yaml, String file) {
        return new InventoryFile(file).run(yaml);
    }

    private Result run(String yaml) {
        YamlNode root;
        try {
            root = YamlNode.parse(yaml);
        } catch (YamlNode.DuplicateKeyException e) {
            return failed(new Problem(file, e.line, e.column, "duplicate key '" + e.key + "'"));
        } catch (YamlNode.SyntaxException e) {
            return failed(new Problem(file, e.line, e.column, e.describe()));
        } catch (IOException e) {
            return failed(
                    new Problem(
                            file,
                            1,
                            1,
                            "cannot be read as YAML (" + e.getClass().getSimpleName() + ")"));
        }
        if (root.kind() != YamlNode.Kind.MAP || !root.entries().containsKey("vms")) {
            return failed(
                    new Problem(
                            file,
                            root.line(),
                            root.column(),
                            "an inventory file is a mapping with the list vms; found "
                                    + root.describeKind()));
        }
        unknownKeys(root, List.of("vms"), "the inventory file");
        YamlNode vms = root.entries().get("vms");
        List<VmAllocation> out = new ArrayList<>();
        if (vms.kind() != YamlNode.Kind.LIST) {
            problem(vms, "vms must be a list of VMs; found " + vms.describeKind());
        } else {
            Map<String, YamlNode> seen = new HashMap<>();
            for (int i = 0; i < vms.items().size(); i++) {
                VmAllocation a = vm(vms.items().get(i), "vms[" + i + "]", seen);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return problems.isEmpty() ? new Result(out, List.of()) : new Result(List.of(), problems);
    }

    private VmAllocation vm(YamlNode n, String where, Map<String, YamlNode> seen) {
        if (n.kind() != YamlNode.Kind.MAP) {
            problem(
                    n,
                    where + " must be a mapping of vmId, systemId, ...; found " + n.describeKind());
            return null;
        }
        int before = problems.size();
        unknownKeys(n, VM_KEYS, where);
        String vmId = text(n, "vmId", where, true);
        if (vmId != null) {
            YamlNode earlier = seen.putIfAbsent(vmId, n.entries().get("vmId"));
            if (earlier != null) {
                problem(
                        n.entries().get("vmId"),
                        where
                                + ".vmId "
                                + vmId
                                + " is already listed at line "
                                + earlier.line()
                                + " (the topic keeps one record per VM)");
            }
        }
        String systemId = text(n, "systemId", where, true);
        String unitId = text(n, "unitId", where, true);
        Integer vcpus = vcpus(n, where);
        Long memory = size(n, "memory", where, true, false);
        Long storage = size(n, "storage", where, true, false);
        String flavor = text(n, "flavor", where, false);
        AllocationStatus status = status(n, where);
        Instant onboardedAt = instant(n, "onboardedAt", where, true);
        Instant effectiveAt = instant(n, "effectiveAt", where, false);
        List<TemporaryExpansion> expansions = expansions(n, where);
        TemporaryResource resource = resource(n, where);
        List<ProtectionWindow> windows = windows(n, where);
        if (problems.size() > before) {
            return null;
        }
        return VmAllocation.newBuilder()
                .setVmId(vmId)
                .setSystemId(systemId)
                .setUnitId(unitId)
                .setVcpus(vcpus)
                .setMemoryBytes(memory)
                .setStorageBytes(storage)
                .setFlavor(flavor)
                .setStatus(status)
                .setOnboardedAt(onboardedAt)
                .setEffectiveAt(effectiveAt)
                .setTemporaryExpansions(expansions)
                .setTemporaryResource(resource)
                .setProtectionWindows(windows)
                .build();
    }

    private List<TemporaryExpansion> expansions(YamlNode vm, String where) {
        List<TemporaryExpansion> out = new ArrayList<>();
        for (Item item : list(vm, "temporaryExpansions", where)) {
            YamlNode n = item.node();
            String at = item.where();
            unknownKeys(n, EXPANSION_KEYS, at);
            Long memory = size(n, "memory", at, false, true);
            Long storage = size(n, "storage", at, false, true);
            if (!n.entries().containsKey("memory") && !n.entries().containsKey("storage")) {
                problem(n, at + " needs memory or storage: what the expansion adds");
            } else if (memory != null && storage != null && memory == 0 && storage == 0) {
                problem(n, at + " adds neither memory nor storage");
            }
            Period p = period(n, at);
            if (memory != null && storage != null && p != null) {
                out.add(
                        TemporaryExpansion.newBuilder()
                                .setMemoryBytes(memory)
                                .setStorageBytes(storage)
                                .setFrom(p.from())
                                .setUntil(p.until())
                                .setReason(p.reason())
                                .build());
            }
        }
        return out;
    }

    private TemporaryResource resource(YamlNode vm, String where) {
        YamlNode n = vm.entries().get("temporaryResource");
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            return null;
        }
        String at = where + ".temporaryResource";
        if (n.kind() != YamlNode.Kind.MAP) {
            problem(n, at + " must be a mapping of from, until, reason; found " + n.describeKind());
            return null;
        }
        unknownKeys(n, PERIOD_KEYS, at);
        Period p = period(n, at);
        return p == null
                ? null
                : TemporaryResource.newBuilder()
                        .setFrom(p.from())
                        .setUntil(p.until())
                        .setReason(p.reason())
                        .build();
    }

    private List<ProtectionWindow> windows(YamlNode vm, String where) {
        List<ProtectionWindow> out = new ArrayList<>();
        for (Item item : list(vm, "protectionWindows", where)) {
            unknownKeys(item.node(), PERIOD_KEYS, item.where());
            Period p = period(item.node(), item.where());
            if (p != null) {
                out.add(
                        ProtectionWindow.newBuilder()
                                .setFrom(p.from())
                                .setUntil(p.until())
                                .setReason(p.reason())
                                .build());
            }
        }
        return out;
    }

    private record Item(YamlNode node, String where) {}

    /** The mappings of an optional list; problems for anything else. */
    private List<Item> list(YamlNode vm, String key, String where) {
        YamlNode n = vm.entries().get(key);
        List<Item> out = new ArrayList<>();
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            return out;
        }
        if (n.kind() != YamlNode.Kind.LIST) {
            problem(n, where + "." + key + " must be a list; found " + n.describeKind());
            return out;
        }
        for (int i = 0; i < n.items().size(); i++) {
            YamlNode item = n.items().get(i);
            String at = where + "." + key + "[" + i + "]";
            if (item.kind() != YamlNode.Kind.MAP) {
                problem(item, at + " must be a mapping; found " + item.describeKind());
            } else {
                out.add(new Item(item, at));
            }
        }
        return out;
    }

    private record Period(Instant from, Instant until, String reason) {}

    /** from and until (exclusive), from strictly before until, and an optional reason. */
    private Period period(YamlNode n, String where) {
        Instant from = instant(n, "from", where, true);
        Instant until = instant(n, "until", where, true);
        String reason = text(n, "reason", where, false);
        if (from == null || until == null) {
            return null;
        }
        if (!from.isBefore(until)) {
            problem(
                    n.entries().get("until"),
                    where + ".until " + until + " must be after from " + from);
            return null;
        }
        return new Period(from, until, reason);
    }

    private String text(YamlNode map, String key, String where, boolean required) {
        YamlNode n = map.entries().get(key);
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            if (required) {
                problem(map, where + "." + key + " is missing");
            }
            return null;
        }
        if (n.kind() != YamlNode.Kind.STRING && n.kind() != YamlNode.Kind.NUMBER) {
            problem(n, where + "." + key + " must be text; found " + n.describeKind());
            return null;
        }
        String s = String.valueOf(n.scalar()).strip();
        if (s.isEmpty()) {
            if (required) {
                problem(n, where + "." + key + " must not be empty");
            }
            return null;
        }
        return s;
    }

    private Integer vcpus(YamlNode map, String where) {
        YamlNode n = map.entries().get("vcpus");
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            problem(map, where + ".vcpus is missing");
            return null;
        }
        if (n.kind() == YamlNode.Kind.NUMBER && n.scalar() instanceof Integer v && v > 0) {
            return v;
        }
        problem(n, where + ".vcpus must be a whole number above 0; found " + shown(n));
        return null;
    }

    /**
     * A size as the catalog writes it ({@code 16GiB}); positive, or with {@code zeroAllowed} at
     * least 0. Absent and not required: 0.
     */
    private Long size(
            YamlNode map, String key, String where, boolean required, boolean zeroAllowed) {
        YamlNode n = map.entries().get(key);
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            if (required) {
                problem(map, where + "." + key + " is missing");
                return null;
            }
            return 0L;
        }
        BigInteger b =
                n.kind() == YamlNode.Kind.STRING
                                || (n.kind() == YamlNode.Kind.NUMBER
                                        && !(n.scalar() instanceof Double))
                        ? ByteSize.parse(String.valueOf(n.scalar()))
                        : null;
        if (b == null) {
            problem(
                    n,
                    where
                            + "."
                            + key
                            + " must be a size such as 16GiB or 500GB; found "
                            + shown(n));
            return null;
        }
        if (b.signum() < 0 || (b.signum() == 0 && !zeroAllowed)) {
            problem(
                    n,
                    where
                            + "."
                            + key
                            + " must be "
                            + (zeroAllowed ? "0 or more" : "above 0")
                            + "; found "
                            + shown(n));
            return null;
        }
        if (b.bitLength() > 63) {
            problem(n, where + "." + key + " " + shown(n) + " does not fit in 63 bits");
            return null;
        }
        return b.longValueExact();
    }

    private AllocationStatus status(YamlNode map, String where) {
        String s = text(map, "status", where, true);
        if (s == null) {
            return null;
        }
        if (STATUSES.contains(s)) {
            return AllocationStatus.valueOf(s);
        }
        String hint = DidYouMean.closest(s, STATUSES);
        problem(
                map.entries().get("status"),
                where
                        + ".status must be ACTIVE or DECOMMISSIONED; found '"
                        + s
                        + "'"
                        + (hint != null ? " (did you mean '" + hint + "'?)" : ""));
        return null;
    }

    private Instant instant(YamlNode map, String key, String where, boolean required) {
        String s = text(map, key, where, required);
        if (s == null) {
            return null;
        }
        try {
            return IsoInstant.parse(s);
        } catch (IllegalArgumentException e) {
            problem(map.entries().get(key), where + "." + key + ": " + e.getMessage());
            return null;
        }
    }

    private void unknownKeys(YamlNode map, List<String> allowed, String where) {
        YamlChecks.unknownKeys(map, allowed, where, file, problems);
    }

    private static String shown(YamlNode n) {
        return switch (n.kind()) {
            case STRING -> "'" + n.scalar() + "'";
            case NUMBER, BOOLEAN -> String.valueOf(n.scalar());
            default -> n.describeKind();
        };
    }

    private void problem(YamlNode at, String message) {
        problems.add(new Problem(file, at.line(), at.column(), message));
    }

    private Result failed(Problem p) {
        return new Result(List.of(), List.of(p));
    }
}
