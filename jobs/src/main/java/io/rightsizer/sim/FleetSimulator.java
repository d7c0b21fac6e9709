package io.rightsizer.sim;

import io.rightsizer.model.Sample;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic fleet of VMs with planted Article 26 behaviours, streamed in global timestamp
 * order, plus the {@link GroundTruth} of which rules that stream must fire.
 *
 * <p><b>Grid.</b> Every VM reports at {@code start + k·interval} for {@code k = 0 .. K-1}, {@code K
 * = floor(days·24 h / interval)}; at each instant the VMs report in index order ({@code vm-00001}
 * first). Same arguments, same records, byte for byte: every VM draws from its own {@link
 * SplittableRandom} seeded with the seed mixed with its index, and nothing else is random.
 *
 * <p><b>Shares</b> (of N, rounded down; with N ≥ 10 at least one of each): busy 10 %, peaky 10 %,
 * storage-full 5 %, underused 10 %, stopped 5 %, idle 5 %, no-business 5 % (in systems of up to 3
 * VMs that hold nothing else), normal the rest. Other systems have about 4 VMs, one of which (the
 * "anchor") reports business records > 0 on every sample, so none of them can go a month without
 * business data. See {@link Behaviour} and {@code SimVm} for the value bands.
 *
 * <p><b>Extra samples.</b> Three peak starts within 60 minutes need samples less than 15 minutes
 * apart. With an interval of at most 10 minutes a peaky VM's burst is 6 pulses of P = the smallest
 * multiple of the interval that is ≥ 5 min (peaks start at 0, 2P, 4P ≤ 40 min), three bursts a day.
 * With a coarser interval, a peaky VM additionally reports at 5-minute spacing during its bursts
 * only (6 pulses of 5 minutes, two bursts a day); these extra samples fall strictly between grid
 * instants and never after the last grid instant, so they are emitted in timestamp order between
 * the grid instants (ties by VM index) and the last timestamp of the stream is always the last grid
 * instant.
 *
 * <p><b>Malformed records</b> (only in {@link #records}): with N·K ≥ 1000, max(3, N·K/2000) INVALID
 * (0.05 %) and max(3, N·K/10000) UNDECODABLE (0.01 %) records, spread evenly over the grid and
 * emitted after the grid samples of their instant. They change no rule state.
 *
 * <p>Pure Java: no Flink or Kafka classes.
 */
public final class FleetSimulator {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** The watermark bound the ground truth assumes: the job's default out-of-orderness. */
    public static final Duration WATERMARK_BOUND = Duration.ofMinutes(5);

    /** Pulses per burst of a peaky VM; peaks start on pulses 0, 2 and 4. */
    static final int BURST_PULSES = 6;

    /** Intervals above this get extra 5-minute samples during bursts. */
    static final long DENSE_INTERVAL = 10 * MINUTE;

    private static final int SYSTEM_SIZE = 4;
    private static final int NO_BUSINESS_SYSTEM_SIZE = 3;

    /** The time layout shared by every VM of one simulation. */
    record Timing(
            long start,
            int days,
            long intervalMs,
            long steps,
            long pulseMs,
            long burstPeriodSteps,
            boolean extras,
            long zoneOffsetMs) {
        long burstPeriodMs() {
            return burstPeriodSteps * intervalMs;
        }

        long last() {
            return start + (steps - 1) * intervalMs;
        }

        /** The first grid step at or after {@code ts} (may be ≥ steps). */
        long stepAtOrAfter(long ts) {
            return Math.max(0, -Math.floorDiv(start - ts, intervalMs));
        }
    }

    private final int vms;
    private final Instant start;
    private final Duration interval;
    private final long seed;
    private final ZoneId zone;
    private final Timing timing;
    private final SimVm[] fleet;
    private final String[] systemIds;
    private final boolean[] noBusinessSystem;
    private final long[] noBusinessFrom;
    private final int[] peaky;
    private final long extraSamples;
    private final long[] invalidSteps;
    private final long[] undecodableSteps;

    /**
     * @param vms number of VMs, at least 1
     * @param start first grid instant (truncated to milliseconds, not before the epoch)
     * @param days length of the simulated range, 1 to 3660
     * @param interval grid spacing, 1 second to 1 day, whole milliseconds
     * @param seed the only source of randomness
     * @param zone the calendar zone of the rule set the output is judged with (weeks, months)
     */
    public FleetSimulator(
            int vms, Instant start, int days, Duration interval, long seed, ZoneId zone) {
        if (vms < 1) {
            throw new IllegalArgumentException("vms must be at least 1, got " + vms);
        }
        if (days < 1 || days > 3660) {
            throw new IllegalArgumentException("days must be 1 to 3660, got " + days);
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0
                || interval.compareTo(Duration.ofDays(1)) > 0
                || interval.toNanos() % 1_000_000 != 0) {
            // More than a day apart, ordinary systems could go a month without business data
            // between two samples, and the ground truth would no longer hold.
            throw new IllegalArgumentException(
                    "interval must be whole milliseconds from 1s to 1d, got " + interval);
        }
        long startMs = start.toEpochMilli();
        if (startMs < 0) {
            throw new IllegalArgumentException("start must not be before 1970, got " + start);
        }
        this.vms = vms;
        this.start = Instant.ofEpochMilli(startMs);
        this.interval = interval;
        this.seed = seed;
        this.zone = zone;
        long intervalMs = interval.toMillis();
        long steps = days * DAY / intervalMs;
        boolean extras = intervalMs > DENSE_INTERVAL;
        long pulse = extras ? 5 * MINUTE : intervalMs * ceilDiv(5 * MINUTE, intervalMs);
        long period = extras ? 12 * HOUR : 8 * HOUR;
        long burstPeriodSteps = Math.max(1, Math.round((double) period / intervalMs));
        long offset = zone.getRules().getOffset(this.start).getTotalSeconds() * 1000L;
        this.timing =
                new Timing(
                        startMs, days, intervalMs, steps, pulse, burstPeriodSteps, extras, offset);

        SplittableRandom fleetRandom = new SplittableRandom(mix(seed, -1));
        Behaviour[] behaviours = assignBehaviours(vms, fleetRandom);
        int noBusinessVms = 0;
        int reporters = 0;
        for (Behaviour b : behaviours) {
            if (b == Behaviour.NO_BUSINESS) {
                noBusinessVms++;
            } else if (reports(b)) {
                reporters++;
            }
        }
        int ordinary = vms - noBusinessVms;
        int ordinarySystems =
                ordinary == 0
                        ? 0
                        : Math.max(
                                1,
                                Math.min(
                                        Math.max(reporters, 1),
                                        (int) Math.round((double) ordinary / SYSTEM_SIZE)));
        int noBusinessSystems = ceilDiv(noBusinessVms, NO_BUSINESS_SYSTEM_SIZE);
        int systems = ordinarySystems + noBusinessSystems;
        int units = Math.max(1, ceilDiv(systems, 3));
        systemIds = new String[systems];
        noBusinessSystem = new boolean[systems];
        noBusinessFrom = new long[systems];
        String[] unitIds = new String[systems];
        for (int s = 0; s < systems; s++) {
            systemIds[s] = String.format("sys-%03d", s + 1);
            unitIds[s] = String.format("unit-%02d", s % units + 1);
            noBusinessSystem[s] = s >= ordinarySystems;
            noBusinessFrom[s] = Long.MAX_VALUE;
            if (noBusinessSystem[s]) {
                // At least one grid step in, so the reference is a sample with records.
                double day = Math.min(SimVm.uniform(fleetRandom, 3, 14), 0.3 * days);
                long step = Math.max(1, timing.stepAtOrAfter(startMs + (long) (day * DAY)));
                noBusinessFrom[s] = startMs + step * intervalMs;
            }
        }

        fleet = new SimVm[vms];
        int nextReporter = 0;
        int nextOther = 0;
        int nextNoBusiness = 0;
        List<Integer> peakyList = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            Behaviour b = behaviours[i];
            int sys;
            boolean anchor = false;
            if (b == Behaviour.NO_BUSINESS) {
                sys = ordinarySystems + nextNoBusiness++ / NO_BUSINESS_SYSTEM_SIZE;
            } else if (reports(b)) {
                anchor = nextReporter < ordinarySystems;
                sys = nextReporter++ % ordinarySystems;
            } else {
                sys = nextOther++ % ordinarySystems;
            }
            fleet[i] =
                    new SimVm(
                            i,
                            systemIds[sys],
                            unitIds[sys],
                            b,
                            anchor,
                            noBusinessFrom[sys],
                            new SplittableRandom(mix(seed, 2L * i)),
                            timing);
            if (b == Behaviour.PEAKY) {
                peakyList.add(i);
            }
        }
        peaky = peakyList.stream().mapToInt(Integer::intValue).toArray();
        extraSamples = countExtras();

        long base = (long) vms * steps;
        int invalid = base < 1000 ? 0 : (int) Math.max(3, base / 2000);
        int undecodable = base < 1000 ? 0 : (int) Math.max(3, base / 10000);
        invalidSteps = spread(invalid, steps, 0.5);
        undecodableSteps = spread(undecodable, steps, 0.75);
    }

    /** The behaviours in VM index order: counts by share, then shuffled over the fleet. */
    private static Behaviour[] assignBehaviours(int n, SplittableRandom r) {
        Behaviour[] planted = {
            Behaviour.BUSY,
            Behaviour.PEAKY,
            Behaviour.STORAGE_FULL,
            Behaviour.UNDERUSED,
            Behaviour.STOPPED,
            Behaviour.IDLE,
            Behaviour.NO_BUSINESS
        };
        double[] shares = {0.10, 0.10, 0.05, 0.10, 0.05, 0.05, 0.05};
        Behaviour[] out = new Behaviour[n];
        int i = 0;
        for (int p = 0; p < planted.length; p++) {
            int count = (int) Math.floor(n * shares[p]);
            if (n >= 10) {
                count = Math.max(1, count);
            }
            for (int c = 0; c < count; c++) {
                out[i++] = planted[p];
            }
        }
        while (i < n) {
            out[i++] = Behaviour.NORMAL;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            Behaviour t = out[k];
            out[k] = out[j];
            out[j] = t;
        }
        return out;
    }

    /** Whether the behaviour has business records on (almost) every sample for the whole range. */
    private static boolean reports(Behaviour b) {
        return b != Behaviour.STOPPED && b != Behaviour.IDLE && b != Behaviour.NO_BUSINESS;
    }

    private static long[] spread(int count, long steps, double phase) {
        long[] at = new long[count];
        for (int j = 0; j < count; j++) {
            at[j] = Math.min(steps - 1, (long) ((j + phase) * steps / count));
        }
        return at;
    }

    private long countExtras() {
        if (!timing.extras()) {
            return 0;
        }
        long last = timing.last();
        long n = 0;
        for (int v : peaky) {
            for (long b = fleet[v].plantedAt; b < last; b += timing.burstPeriodMs()) {
                for (int p = 1; p < BURST_PULSES; p++) {
                    long e = b + p * timing.pulseMs();
                    if (e < last && (p * timing.pulseMs()) % timing.intervalMs() != 0) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Streams the valid samples only, in timestamp order; each is a new object. */
    public void generate(Consumer<? super Sample> out) {
        records(
                r -> {
                    if (r instanceof SimRecord.Valid v) {
                        out.accept(v.sample());
                    }
                });
    }

    /** Streams every record, valid and malformed, in the order a producer should send them. */
    public void records(Consumer<? super SimRecord> out) {
        SplittableRandom[] noise = new SplittableRandom[vms];
        for (int i = 0; i < vms; i++) {
            noise[i] = new SplittableRandom(mix(seed, 2L * i + 1));
        }
        SplittableRandom defects = new SplittableRandom(mix(seed, -2));
        long[] extras = new long[peaky.length * BURST_PULSES];
        int nextInvalid = 0;
        int nextUndecodable = 0;
        long steps = timing.steps();
        long intervalMs = timing.intervalMs();
        for (long k = 0; k < steps; k++) {
            long t = timing.start() + k * intervalMs;
            for (int i = 0; i < vms; i++) {
                out.accept(new SimRecord.Valid(fleet[i].sample(t, noise[i])));
            }
            while (nextInvalid < invalidSteps.length && invalidSteps[nextInvalid] == k) {
                out.accept(SimDefects.invalid(nextInvalid++, fleet[defects.nextInt(vms)], t));
            }
            while (nextUndecodable < undecodableSteps.length
                    && undecodableSteps[nextUndecodable] == k) {
                out.accept(
                        SimDefects.undecodable(nextUndecodable++, fleet[defects.nextInt(vms)], t));
            }
            if (timing.extras() && k + 1 < steps) {
                int n = collectExtras(t, extras);
                // Key: offset from t in the high bits, VM index in the low bits, so sorting the
                // keys gives timestamp order with ties broken by VM index.
                Arrays.sort(extras, 0, n);
                for (int e = 0; e < n; e++) {
                    int v = (int) (extras[e] & 0xFFFF_FFFFL);
                    long ts = t + (extras[e] >>> 32);
                    out.accept(new SimRecord.Valid(fleet[v].sample(ts, noise[v])));
                }
            }
        }
    }

    /** The burst samples of peaky VMs strictly between grid instants t and t + interval. */
    private int collectExtras(long t, long[] into) {
        int n = 0;
        for (int v : peaky) {
            long b = fleet[v].burstStartAtOrBefore(t);
            if (b == Long.MIN_VALUE) {
                continue;
            }
            for (int p = 1; p < BURST_PULSES; p++) {
                long e = b + p * timing.pulseMs();
                if (e > t && e < t + timing.intervalMs()) {
                    into[n++] = ((e - t) << 32) | v;
                }
            }
        }
        return n;
    }

    /**
     * What the stream must fire under the default Article 26 rule set in this simulator's zone,
     * when every record is read in order with the watermark {@code max ts − 5 min − 1 ms} ({@link
     * FleetGroundTruth} says when each rule is expected).
     */
    public GroundTruth groundTruth() {
        return new FleetGroundTruth(
                        this, timing, fleet, systemIds, noBusinessSystem, noBusinessFrom)
                .derive();
    }

    public int vms() {
        return vms;
    }

    public Instant start() {
        return start;
    }

    public int days() {
        return timing.days();
    }

    public Duration interval() {
        return interval;
    }

    public long seed() {
        return seed;
    }

    public ZoneId zone() {
        return zone;
    }

    /** K: grid instants per VM. */
    public long gridSteps() {
        return timing.steps();
    }

    /** Extra 5-minute burst samples of peaky VMs (0 when the interval is at most 10 minutes). */
    public long extraSampleCount() {
        return extraSamples;
    }

    /** Valid samples {@link #generate} emits: vms × gridSteps + extraSampleCount. */
    public long validSampleCount() {
        return (long) vms * timing.steps() + extraSamples;
    }

    public int invalidCount() {
        return invalidSteps.length;
    }

    public int undecodableCount() {
        return undecodableSteps.length;
    }

    /** Every record {@link #records} emits. */
    public long recordCount() {
        return validSampleCount() + invalidCount() + undecodableCount();
    }

    public long firstTimestamp() {
        return timing.start();
    }

    /** The last grid instant, which is also the largest timestamp of the stream. */
    public long lastTimestamp() {
        return timing.last();
    }

    /**
     * What VM {@code index} reports at {@code ts}, inside the simulated range or after it (the
     * demo's fleet going on in wall-clock time): the same plan, its noise drawn from {@code noise}.
     * Outside {@link #records} nothing promises a ground truth for these samples.
     */
    public Sample sampleAt(int index, long ts, SplittableRandom noise) {
        return fleet[index].sample(ts, noise);
    }

    /** The behaviour planted on VM {@code index} (0-based; vmId {@code vm-<index+1>}). */
    public Behaviour behaviour(int index) {
        return fleet[index].behaviour;
    }

    public String vmId(int index) {
        return fleet[index].vmId;
    }

    static long mix(long seed, long salt) {
        // SplitMix64's finalizer: nearby (seed, index) pairs give unrelated streams.
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
