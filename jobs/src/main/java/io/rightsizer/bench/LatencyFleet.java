package io.rightsizer.bench;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fleet of {@link LatencyBench}: {@code vms} VMs that each report once per cycle, one slice of
 * them every tick of {@link #TICK_MILLIS}, so the topic receives a steady {@code rate} samples a
 * second stamped with the instant their tick was due. Background VMs sit at normal load (memory
 * 40–60 %, storage 30–50 %, CPU 20–40 %: no rule fires). Two sets of designated VMs each fire one
 * rule at one known sample, their trigger:
 *
 * <ul>
 *   <li>{@code scale-up.storage.usage}: one sample at 75 % storage (above 70, below the 90 of the
 *       storage emergency), every other sample normal;
 *   <li>{@code scale-up.memory.emergency}: memory at 96 % from exactly the rule's {@code for} (15
 *       min) before the trigger on; the part of that run before the steady stream starts is sent
 *       first as a backlog, one sample a minute (within {@code max-gap}), so the run is unbroken.
 * </ul>
 *
 * The triggers are spread evenly over a window of ticks. Pure Java, deterministic.
 */
final class LatencyFleet {
    static final long TICK_MILLIS = 10;
    private static final long GIB = 1L << 30;
    private static final long MEMORY_TOTAL = 16 * GIB;
    private static final long STORAGE_TOTAL = 200 * GIB;

    /** One planted firing: the rule, the VM, the trigger sample's timestamp and tick. */
    record Trigger(Rule rule, String vmId, long timestamp, long tick) {
        String key() {
            return key(rule.id(), vmId, timestamp);
        }

        static String key(String ruleId, String vmId, long firedAt) {
            return ruleId + "|" + vmId + "|" + firedAt;
        }
    }

    private final int vms;
    private final int perTick;
    private final int ticksPerCycle;
    private final long start;
    private final long emergencyFor;
    private final long storageTriggerPct;
    private final String[] vmIds;
    private final String[] systemIds;
    private final String[] unitIds;
    private final Map<Integer, Trigger> storage = new HashMap<>();
    private final Map<Integer, Trigger> emergency = new HashMap<>();

    /**
     * @param start the wall-clock instant of tick 0 (the first steady sample's timestamp)
     * @param firstTriggerTick the tick of the first trigger; the others follow evenly within {@code
     *     windowTicks}
     */
    LatencyFleet(
            int vms,
            int rate,
            long start,
            RuleSet rules,
            int triggersPerRule,
            long firstTriggerTick,
            long windowTicks) {
        perTick = (int) (rate * TICK_MILLIS / 1000);
        if (perTick < 1 || vms % perTick != 0) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "vms (%d) must be a multiple of the samples per %d ms tick (%d at"
                                    + " %d/s)",
                            vms,
                            TICK_MILLIS,
                            perTick,
                            rate));
        }
        if (2 * triggersPerRule > vms) {
            throw new IllegalArgumentException("more triggers than VMs");
        }
        this.vms = vms;
        // Formatted once: the producer must keep its rate on a busy machine.
        vmIds = new String[vms];
        systemIds = new String[vms];
        unitIds = new String[vms];
        for (int vm = 0; vm < vms; vm++) {
            vmIds[vm] = vmId(vm);
            systemIds[vm] = String.format(Locale.ROOT, "sys-%05d", vm / 4);
            unitIds[vm] = String.format(Locale.ROOT, "unit-%03d", vm / 400);
        }
        this.ticksPerCycle = vms / perTick;
        this.start = start;
        this.emergencyFor = rules.memoryEmergency().duration().toMillis();
        if (rules.memoryEmergency().maxGap().toMillis() < 60_000) {
            throw new IllegalArgumentException(
                    "the backlog's one-minute spacing needs max-gap >= 1m");
        }
        if (emergencyFor % (ticksPerCycle * TICK_MILLIS) != 0) {
            // Otherwise a run starting within the stream starts after for before the trigger.
            throw new IllegalArgumentException(
                    "the memory emergency's for must be a multiple of each VM's reporting cycle ("
                            + ticksPerCycle * TICK_MILLIS
                            + " ms)");
        }
        this.storageTriggerPct = Math.round(rules.storageUsage().usageAbovePct()) + 5;
        int stride = vms / (2 * triggersPerRule);
        for (int i = 0; i < triggersPerRule; i++) {
            long due = firstTriggerTick + windowTicks * i / triggersPerRule;
            int s = 2 * i * stride;
            int e = s + stride;
            storage.put(s, trigger(Rule.STORAGE_USAGE, s, due));
            emergency.put(e, trigger(Rule.MEMORY_EMERGENCY, e, due));
        }
    }

    private Trigger trigger(Rule rule, int vm, long due) {
        long slot = vm / perTick;
        long tick = due + Math.floorMod(slot - due, ticksPerCycle);
        return new Trigger(rule, vmIds[vm], timestamp(tick), tick);
    }

    List<Trigger> triggers() {
        List<Trigger> all = new ArrayList<>(storage.values());
        all.addAll(emergency.values());
        all.sort(Comparator.comparingLong(Trigger::tick));
        return all;
    }

    int perTick() {
        return perTick;
    }

    long timestamp(long tick) {
        return start + tick * TICK_MILLIS;
    }

    static String vmId(int vm) {
        return String.format(Locale.ROOT, "vm-%06d", vm);
    }

    /** The samples due at {@code tick}; the trigger among them, if any, is in {@code fired}. */
    void samplesAt(long tick, List<Sample> out, List<Trigger> fired) {
        int first = (int) (tick % ticksPerCycle) * perTick;
        long ts = timestamp(tick);
        for (int vm = first; vm < first + perTick; vm++) {
            Sample s = normal(vm, tick, ts);
            Trigger st = storage.get(vm);
            if (st != null && st.tick() == tick) {
                s.storageUsedBytes = STORAGE_TOTAL * storageTriggerPct / 100;
                fired.add(st);
            }
            Trigger em = emergency.get(vm);
            if (em != null && ts >= em.timestamp() - emergencyFor) {
                s.memoryUsedBytes = MEMORY_TOTAL * 96 / 100;
                if (em.tick() == tick) {
                    fired.add(em);
                }
            }
            out.add(s);
        }
    }

    /**
     * The emergency runs' samples before tick 0, in timestamp order: from exactly {@code for}
     * before each trigger, one a minute.
     */
    List<Sample> backlog() {
        List<Sample> out = new ArrayList<>();
        emergency.forEach(
                (vm, t) -> {
                    for (long ts = t.timestamp() - emergencyFor; ts < start; ts += 60_000) {
                        Sample s = normal(vm, -1, ts);
                        s.memoryUsedBytes = MEMORY_TOTAL * 96 / 100;
                        out.add(s);
                    }
                });
        out.sort(Comparator.comparingLong(s -> s.timestamp));
        return out;
    }

    /** A VM at normal load; the noise is a hash of the VM and the tick, so runs repeat. */
    private Sample normal(int vm, long tick, long ts) {
        long h = mix(vm * 0x9E3779B97F4A7C15L + tick);
        Sample s = new Sample();
        s.vmId = vmIds[vm];
        s.systemId = systemIds[vm];
        s.unitId = unitIds[vm];
        s.timestamp = ts;
        s.memoryTotalBytes = MEMORY_TOTAL;
        s.memoryUsedBytes = MEMORY_TOTAL * (40 + (h & 15)) / 100;
        s.storageTotalBytes = STORAGE_TOTAL;
        s.storageUsedBytes = STORAGE_TOTAL * (30 + ((h >>> 8) & 15)) / 100;
        s.cpuUtilizationPct = 20 + ((h >>> 16) & 15);
        return s;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
