package io.rightsizer.ingest;

import io.rightsizer.model.Sample;
import io.rightsizer.telemetry.SampleValidator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the {@link Reading}s of one VM and one collection interval into one sample, whatever
 * collector they came from. The exact rules are in rules/README.md, "Samples assembled from
 * collectors"; in short:
 *
 * <ul>
 *   <li>a reading stamped t with interval i belongs to the interval ending e = ⌈t / i⌉ · i (a
 *       reading exactly on e belongs to e), and the sample is stamped e;
 *   <li>memory: total = MEMORY_TOTAL_BYTES (instance "available" over any other), else used + the
 *       parts when the part "free" is there; used = MEMORY_USED_BYTES, else total − unused; with
 *       only MEMORY_USED_PCT, total = the allocation's memory and used = pct × total / 100;
 *   <li>storage: per file system or disk, total = STORAGE_TOTAL_BYTES, else used + free + reserved;
 *       summed, and only when every file system seen is complete;
 *   <li>CPU = 100 − the mean idle share; power state RUNNING unless POWER_STATE says 0.
 * </ul>
 *
 * <p>The sample is then validated by {@link SampleValidator}, exactly as a native one.
 */
public final class IntervalAssembly {
    private IntervalAssembly() {}

    /** The end of the interval {@code timestamp} belongs to: ⌈timestamp / interval⌉ · interval. */
    public static long intervalEnd(long timestamp, long intervalMillis) {
        return -Math.floorDiv(-timestamp, intervalMillis) * intervalMillis;
    }

    /**
     * The readings of one VM and one interval end, at most one per (quantity, instance): a later
     * reading replaces an earlier one (collectd resends a value list it could not deliver). A Flink
     * POJO, kept in state until the interval closes.
     */
    public static class Bucket {
        /** An array, not a List: Flink serializes an array of POJOs itself, a List with Kryo. */
        public Reading[] readings = new Reading[0];

        /** Closed, waiting for the VM's allocation (see job/AssembleCollected). */
        public boolean held;

        public Bucket() {}

        public void add(Reading r) {
            for (int i = 0; i < readings.length; i++) {
                Reading o = readings[i];
                if (o.quantity == r.quantity && o.instance.equals(r.instance)) {
                    readings[i] = r;
                    return;
                }
            }
            readings = java.util.Arrays.copyOf(readings, readings.length + 1);
            readings[readings.length - 1] = r;
        }

        public List<Reading> readings() {
            return List.of(readings);
        }
    }

    /**
     * What the inventory says of the VM: the sample's ids and its allocated memory. A Flink POJO,
     * kept in state per VM.
     */
    public static class Allocation {
        public String systemId;
        public String unitId;
        public long memoryBytes;

        public Allocation() {}

        public Allocation(String systemId, String unitId, long memoryBytes) {
            this.systemId = systemId;
            this.unitId = unitId;
            this.memoryBytes = memoryBytes;
        }
    }

    /** A sample, or why the interval gives none (always INVALID). */
    public record Result(Sample sample, String problem) {
        public boolean ok() {
            return sample != null;
        }
    }

    public static Result assemble(String vmId, long end, List<Reading> readings, Allocation vm) {
        Map<String, Double> memParts = new TreeMap<>();
        Map<String, Double> memTotals = new TreeMap<>();
        Double memUsed = null;
        Double memUnused = null;
        Double memPct = null;
        Map<String, double[]> fileSystems = new TreeMap<>();
        double idleSum = 0;
        int idleCount = 0;
        Double idleAll = null;
        Double power = null;
        for (Reading r : readings) {
            switch (r.quantity) {
                case MEMORY_USED_BYTES -> memUsed = r.value;
                case MEMORY_PART_BYTES -> memParts.put(r.instance, r.value);
                case MEMORY_TOTAL_BYTES -> memTotals.put(r.instance, r.value);
                case MEMORY_UNUSED_BYTES -> memUnused = r.value;
                case MEMORY_USED_PCT -> memPct = r.value;
                case STORAGE_USED_BYTES -> fs(fileSystems, r)[USED] = r.value;
                case STORAGE_FREE_BYTES -> fs(fileSystems, r)[FREE] = r.value;
                case STORAGE_RESERVED_BYTES -> fs(fileSystems, r)[RESERVED] = r.value;
                case STORAGE_TOTAL_BYTES -> fs(fileSystems, r)[TOTAL] = r.value;
                case STORAGE_USED_PCT -> fs(fileSystems, r)[PCT] = r.value;
                case CPU_IDLE_PCT -> {
                    if (r.instance.isEmpty()) {
                        idleAll = r.value;
                    } else {
                        idleSum += r.value;
                        idleCount++;
                    }
                }
                case POWER_STATE -> power = r.value;
            }
        }

        Long memoryTotal = null;
        Long memoryUsed = null;
        Double total = memTotals.containsKey("available") ? memTotals.get("available") : null;
        if (total == null && !memTotals.isEmpty()) {
            total = memTotals.values().iterator().next();
        }
        if (total == null && memUsed != null && memParts.containsKey("free")) {
            double sum = memUsed;
            for (double part : memParts.values()) {
                sum += part;
            }
            total = sum;
        }
        Double used = memUsed;
        if (used == null && total != null && memUnused != null) {
            used = total - memUnused;
        }
        if (total != null && used != null) {
            memoryTotal = Math.round(total);
            memoryUsed = Math.round(used);
        } else if (memUsed == null && memTotals.isEmpty() && memPct != null && vm != null) {
            memoryTotal = vm.memoryBytes;
            memoryUsed = Math.round(clampPct(memPct) * vm.memoryBytes / 100);
        }

        Long storageTotal = null;
        Long storageUsed = null;
        if (!fileSystems.isEmpty()) {
            double t = 0;
            double u = 0;
            boolean complete = true;
            for (double[] f : fileSystems.values()) {
                if (Double.isNaN(f[USED]) || (Double.isNaN(f[TOTAL]) && Double.isNaN(f[FREE]))) {
                    complete = false;
                    break;
                }
                u += f[USED];
                t +=
                        !Double.isNaN(f[TOTAL])
                                ? f[TOTAL]
                                : f[USED] + f[FREE] + (Double.isNaN(f[RESERVED]) ? 0 : f[RESERVED]);
            }
            if (complete) {
                storageTotal = Math.round(t);
                storageUsed = Math.round(u);
            }
        }

        Double cpu = null;
        if (idleAll != null) {
            cpu = 100 - clampPct(idleAll);
        } else if (idleCount > 0) {
            cpu = 100 - clampPct(idleSum / idleCount);
        }
        String powerState = power == null ? null : power == 0 ? "STOPPED" : "RUNNING";

        if (memoryTotal == null && storageTotal == null && cpu == null && powerState == null) {
            return new Result(
                    null,
                    "vm "
                            + vmId
                            + ": the values of the interval ending "
                            + Instant.ofEpochMilli(end)
                            + " give no memory, storage, CPU or power state ("
                            + arrived(readings)
                            + ")");
        }
        if (vm == null) {
            return new Result(
                    null, "vm " + vmId + " is not in the inventory (kafka.topics.inventory)");
        }
        Sample s = new Sample();
        String problem =
                SampleValidator.validate(
                        vmId,
                        vm.systemId,
                        vm.unitId,
                        end,
                        powerState,
                        memoryUsed,
                        memoryTotal,
                        storageUsed,
                        storageTotal,
                        cpu,
                        null,
                        s);
        if (problem != null) {
            return new Result(
                    null,
                    "vm "
                            + vmId
                            + ": the sample assembled for the interval ending "
                            + Instant.ofEpochMilli(end)
                            + " is invalid: "
                            + problem
                            + " ("
                            + arrived(readings)
                            + ")");
        }
        return new Result(s, null);
    }

    private static final int USED = 0;
    private static final int FREE = 1;
    private static final int RESERVED = 2;
    private static final int TOTAL = 3;
    private static final int PCT = 4;

    private static double[] fs(Map<String, double[]> fileSystems, Reading r) {
        return fileSystems.computeIfAbsent(
                r.instance,
                k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
    }

    /** collectd's percentages may exceed 100 by rounding (types.db allows up to 100.1). */
    private static double clampPct(double pct) {
        return Math.max(0, Math.min(100, pct));
    }

    /** What arrived, for messages: "collectd: MEMORY_PART_BYTES[free]=1024, ...". */
    public static String arrived(List<Reading> readings) {
        if (readings.isEmpty()) {
            return "nothing arrived";
        }
        StringBuilder b = new StringBuilder(readings.get(0).format).append(": ");
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            if (i > 0) {
                b.append(", ");
            }
            b.append(r.quantity);
            if (!r.instance.isEmpty()) {
                b.append('[').append(r.instance).append(']');
            }
            b.append('=').append(r.value);
        }
        return b.toString();
    }
}
