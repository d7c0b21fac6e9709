package io.rightsizer.sim;

import io.rightsizer.model.Sample;
import java.util.SplittableRandom;

/**
 * The plan of one simulated VM (identity, allocations, planted instant) and how it turns an instant
 * into a sample. Immutable: the noise comes from a {@link SplittableRandom} the caller owns, so one
 * plan can be generated from many times with identical results.
 *
 * <p>Every band below keeps a margin of at least 0.5 percentage points from the Article 26
 * thresholds, so that rounding a percentage to whole bytes can never move a sample across one.
 */
final class SimVm {
    private static final long GIB = 1L << 30;
    private static final long[] MEMORY_GIB = {4, 8, 16, 32, 64};
    private static final long[] STORAGE_GIB = {64, 128, 256, 512, 1024};

    final int index;
    final String vmId;
    final String systemId;
    final String unitId;
    final Behaviour behaviour;

    /**
     * Whether the VM reports business records on every sample: each ordinary system has one, so the
     * no-business rule can never fire on it, whatever the other VMs do.
     */
    final boolean anchor;

    final long memoryTotal;
    final long storageTotal;
    private final double memoryBase;
    private final double storageBase;
    private final double storageGrowthPerDay;
    private final double cpuBase;
    private final long phaseMs;

    /**
     * STOPPED: first stopped sample; IDLE: first idle sample; STORAGE_FULL: first sample above 70
     * %; PEAKY: start of the first burst. A grid instant; Long.MAX_VALUE when not planted.
     */
    final long plantedAt;

    /** NO_BUSINESS: the first grid instant whose samples report 0 business records. */
    final long noBusinessFrom;

    private final FleetSimulator.Timing timing;

    SimVm(
            int index,
            String systemId,
            String unitId,
            Behaviour behaviour,
            boolean anchor,
            long noBusinessFrom,
            SplittableRandom plan,
            FleetSimulator.Timing timing) {
        this.index = index;
        this.vmId = vmId(index);
        this.systemId = systemId;
        this.unitId = unitId;
        this.behaviour = behaviour;
        this.anchor = anchor;
        this.noBusinessFrom = noBusinessFrom;
        this.timing = timing;
        memoryTotal = MEMORY_GIB[plan.nextInt(MEMORY_GIB.length)] * GIB;
        storageTotal = STORAGE_GIB[plan.nextInt(STORAGE_GIB.length)] * GIB;
        memoryBase =
                switch (behaviour) {
                    case BUSY -> uniform(plan, 75, 77);
                    case UNDERUSED -> uniform(plan, 18, 22);
                    case PEAKY -> uniform(plan, 46, 52);
                    default -> uniform(plan, 45, 55);
                };
        storageBase =
                behaviour == Behaviour.STORAGE_FULL ? uniform(plan, 40, 50) : uniform(plan, 32, 48);
        storageGrowthPerDay = uniform(plan, 0, 0.05);
        cpuBase = behaviour == Behaviour.UNDERUSED ? uniform(plan, 12, 22) : uniform(plan, 20, 45);
        phaseMs = (long) uniform(plan, -3 * FleetSimulator.HOUR, 3 * FleetSimulator.HOUR);
        plantedAt = plan(plan, timing);
    }

    static String vmId(int index) {
        return String.format("vm-%05d", index + 1);
    }

    private long plan(SplittableRandom plan, FleetSimulator.Timing t) {
        // Planted days are capped at a fraction of the range so that short simulations still show
        // the behaviour; the ground truth decides whether the rule has time to fire.
        double rangeDays = t.days();
        long step =
                switch (behaviour) {
                    case STOPPED ->
                            t.stepAtOrAfter(
                                    t.start()
                                            + days(
                                                    Math.min(
                                                            uniform(plan, 1, 7),
                                                            0.25 * rangeDays)));
                    case IDLE ->
                            t.stepAtOrAfter(
                                    t.start()
                                            + days(
                                                    Math.min(
                                                            uniform(plan, 0, 4),
                                                            0.25 * rangeDays)));
                    case STORAGE_FULL -> Math.max(1, (long) (t.steps() * uniform(plan, 0.3, 0.6)));
                    case PEAKY -> plan.nextLong(t.burstPeriodSteps());
                    default -> Long.MAX_VALUE;
                };
        if (step == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return t.start() + step * t.intervalMs();
    }

    private static long days(double d) {
        return (long) (d * FleetSimulator.DAY);
    }

    boolean stoppedAt(long ts) {
        return behaviour == Behaviour.STOPPED && ts >= plantedAt;
    }

    /**
     * The start of the burst of a PEAKY VM that contains or last began at or before {@code ts}, or
     * Long.MIN_VALUE before the first burst.
     */
    long burstStartAtOrBefore(long ts) {
        if (behaviour != Behaviour.PEAKY || ts < plantedAt) {
            return Long.MIN_VALUE;
        }
        long period = timing.burstPeriodMs();
        return plantedAt + (ts - plantedAt) / period * period;
    }

    Sample sample(long ts, SplittableRandom rnd) {
        Sample x = new Sample();
        x.vmId = vmId;
        x.systemId = systemId;
        x.unitId = unitId;
        x.timestamp = ts;
        boolean stopped = stoppedAt(ts);
        x.stopped = stopped;
        double daily = diurnal(ts);
        if (!stopped) {
            x.memoryTotalBytes = memoryTotal;
            x.memoryUsedBytes = bytes(memoryTotal, memoryPct(ts, daily, rnd));
        }
        x.storageTotalBytes = storageTotal;
        x.storageUsedBytes = bytes(storageTotal, storagePct(ts, rnd));
        x.cpuUtilizationPct = tenths(cpuPct(ts, daily, stopped, rnd));
        if (!stopped) {
            x.businessRecords = businessRecords(ts, rnd);
        }
        return x;
    }

    private double memoryPct(long ts, double daily, SplittableRandom rnd) {
        switch (behaviour) {
            case BUSY:
                // Above 70 on every sample, so every judged week fires; never above 80, so no
                // peak ever starts.
                return clamp(memoryBase + 1.5 * daily + uniform(rnd, -2, 2), 72, 79.5);
            case UNDERUSED:
                return clamp(memoryBase + 2 * daily + uniform(rnd, -2.5, 2.5), 15, 25);
            case PEAKY:
                long b = burstStartAtOrBefore(ts);
                long off = ts - b;
                if (b != Long.MIN_VALUE && off < FleetSimulator.BURST_PULSES * timing.pulseMs()) {
                    // Pulses alternate above 80 and well below it, so a peak starts on every
                    // other pulse. The low pulses sit far below 80 because with coarse intervals
                    // burst samples are a large share of a week: with at most two bursts a day
                    // and a baseline of at most 55 the weekly average stays below 70.
                    return (off / timing.pulseMs()) % 2 == 0
                            ? uniform(rnd, 82, 90)
                            : uniform(rnd, 50, 65);
                }
                return clamp(memoryBase + 3 * daily + uniform(rnd, -3, 3), 42, 55);
            default:
                return clamp(memoryBase + 3 * daily + uniform(rnd, -3, 3), 40, 60);
        }
    }

    private double storagePct(long ts, SplittableRandom rnd) {
        double elapsedDays = (double) (ts - timing.start()) / FleetSimulator.DAY;
        if (behaviour == Behaviour.STORAGE_FULL) {
            if (ts >= plantedAt) {
                double since = (double) (ts - plantedAt) / FleetSimulator.DAY;
                return clamp(76 + 0.05 * since + uniform(rnd, -0.5, 0.5), 75, 90);
            }
            // A two-day climb that stays below the threshold, then the jump at plantedAt: the
            // first sample above 70 % is exactly the planted one.
            long rampFrom = plantedAt - 2 * FleetSimulator.DAY;
            double base = storageBase;
            if (ts >= rampFrom) {
                double f = (double) (ts - rampFrom) / (2 * FleetSimulator.DAY);
                base = storageBase + (68 - storageBase) * f;
            }
            return clamp(base + uniform(rnd, -0.3, 0.3), 30, 68.5);
        }
        return clamp(
                storageBase + storageGrowthPerDay * elapsedDays + uniform(rnd, -0.3, 0.3), 30, 50);
    }

    private double cpuPct(long ts, double daily, boolean stopped, SplittableRandom rnd) {
        if (stopped) {
            return 0;
        }
        if (behaviour == Behaviour.IDLE && ts >= plantedAt) {
            return uniform(rnd, 0.5, 4.5);
        }
        if (behaviour == Behaviour.UNDERUSED) {
            return clamp(cpuBase + 5 * daily + uniform(rnd, -4, 4), 8, 30);
        }
        return clamp(cpuBase + 15 * daily + uniform(rnd, -10, 10), 10, 60);
    }

    private long businessRecords(long ts, SplittableRandom rnd) {
        // Always the same two draws, so a VM's other readings do not depend on which system it
        // landed in (anchor or not).
        boolean quiet = rnd.nextInt(4) == 0;
        long records = 1 + rnd.nextInt(200);
        if (behaviour == Behaviour.NO_BUSINESS) {
            // Records on every sample before the planted instant fix the reference time to the
            // last grid instant before it, which the ground truth can compute.
            return ts < noBusinessFrom ? records : 0;
        }
        if (behaviour == Behaviour.IDLE && ts >= plantedAt) {
            return 0;
        }
        return quiet && !anchor ? 0 : records;
    }

    /** -1 at night, +1 around noon local time (shifted per VM), for a plausible daily curve. */
    private double diurnal(long ts) {
        long local = Math.floorMod(ts + timing.zoneOffsetMs() + phaseMs, FleetSimulator.DAY);
        // StrictMath: Math.sin may differ in the last bit between JIT and interpreter, and one bit
        // can change a rounded byte count, which would break byte-identical output.
        return -StrictMath.cos(2 * StrictMath.PI * local / FleetSimulator.DAY);
    }

    static long bytes(long total, double pct) {
        return Math.round(total * pct / 100.0);
    }

    private static double tenths(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
