package io.rightsizer.sim;

import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.calendar.EventCalendar;
import java.util.ArrayList;
import java.util.List;

/** The ground truth of one {@link FleetSimulator}: what each planted behaviour must fire. */
final class FleetGroundTruth {
    private final FleetSimulator sim;
    private final FleetSimulator.Timing timing;
    private final SimVm[] fleet;
    private final String[] systemIds;
    private final boolean[] noBusinessSystem;
    private final long[] noBusinessFrom;

    FleetGroundTruth(
            FleetSimulator sim,
            FleetSimulator.Timing timing,
            SimVm[] fleet,
            String[] systemIds,
            boolean[] noBusinessSystem,
            long[] noBusinessFrom) {
        this.sim = sim;
        this.timing = timing;
        this.fleet = fleet;
        this.systemIds = systemIds;
        this.noBusinessSystem = noBusinessSystem;
        this.noBusinessFrom = noBusinessFrom;
    }

    /**
     * What the stream must fire under the default Article 26 rule set in this simulator's zone,
     * when every record is read in order with the watermark {@code max ts − 5 min − 1 ms}.
     *
     * <p>A rule is expected only when the range lets it fire: a weekly rule needs a week whose
     * close (week end − 1 ms) the final watermark reaches and that has ≥ 84 covered UTC hours on
     * the grid (partial first weeks count when they have enough hours); peaks need the third peak
     * start of the first burst (first burst + 4 pulses) at or before the last grid instant; storage
     * needs the planted jump inside the grid; inactive needs spell start + 3 months ≤ final
     * watermark; no-business needs (last grid instant before the planted day) + 1 month ≤ final
     * watermark. The final watermark is (last grid instant) − 5 min − 1 ms.
     */
    GroundTruth derive() {
        RuleSet rules = RuleSet.defaults("sim");
        EventCalendar cal = new EventCalendar(sim.zone());
        long last = timing.last();
        long finalWatermark = last - FleetSimulator.WATERMARK_BOUND.toMillis() - 1;
        boolean weekJudged = anyJudgedWeek(cal, finalWatermark, rules);
        List<GroundTruth.Subject> subjects = new ArrayList<>();
        for (SimVm vm : fleet) {
            List<String> expected = new ArrayList<>();
            Long planted = vm.plantedAt == Long.MAX_VALUE ? null : vm.plantedAt;
            switch (vm.behaviour) {
                case BUSY -> {
                    if (weekJudged) {
                        expected.add(Rule.WEEKLY_AVERAGE.id());
                    }
                }
                case UNDERUSED -> {
                    if (weekJudged) {
                        expected.add(Rule.WEEKLY_UNDERUSE.id());
                    }
                }
                case PEAKY -> {
                    if (vm.plantedAt + 4 * timing.pulseMs() <= last) {
                        expected.add(Rule.HOURLY_PEAKS.id());
                    }
                }
                case STORAGE_FULL -> {
                    if (vm.plantedAt <= last) {
                        expected.add(Rule.STORAGE_USAGE.id());
                    }
                }
                case STOPPED, IDLE -> {
                    if (vm.plantedAt <= last
                            && cal.plusMonths(vm.plantedAt, rules.vmInactive().months())
                                    <= finalWatermark) {
                        expected.add(Rule.VM_INACTIVE.id());
                    }
                }
                case NO_BUSINESS -> planted = vm.noBusinessFrom;
                default -> {}
            }
            subjects.add(
                    new GroundTruth.Subject(
                            vm.vmId,
                            GroundTruth.KIND_VM,
                            vm.behaviour.id(),
                            vm.systemId,
                            planted,
                            expected));
        }
        for (int s = 0; s < systemIds.length; s++) {
            List<String> expected = new ArrayList<>();
            Long planted = null;
            if (noBusinessSystem[s]) {
                planted = noBusinessFrom[s];
                long reference = noBusinessFrom[s] - timing.intervalMs();
                if (noBusinessFrom[s] <= last
                        && cal.plusMonths(reference, rules.noBusinessData().months())
                                <= finalWatermark) {
                    expected.add(Rule.NO_BUSINESS_DATA.id());
                }
            }
            subjects.add(
                    new GroundTruth.Subject(
                            systemIds[s],
                            GroundTruth.KIND_SYSTEM,
                            (noBusinessSystem[s] ? Behaviour.NO_BUSINESS : Behaviour.NORMAL).id(),
                            systemIds[s],
                            planted,
                            expected));
        }
        GroundTruth.Generator gen =
                new GroundTruth.Generator(
                        sim.vms(),
                        sim.start().toString(),
                        timing.days(),
                        sim.interval().toString(),
                        sim.seed(),
                        sim.zone().getId(),
                        sim.validSampleCount(),
                        sim.extraSampleCount(),
                        timing.start(),
                        last);
        return new GroundTruth(
                gen,
                subjects,
                new GroundTruth.Malformed(sim.invalidCount(), sim.undecodableCount()));
    }

    /**
     * Whether some week of a VM with a counted sample on every grid instant is closed by the final
     * watermark with enough covered hours. The same for every busy and underused VM.
     */
    private boolean anyJudgedWeek(EventCalendar cal, long finalWatermark, RuleSet rules) {
        int minHours =
                Math.max(
                        rules.weeklyAverage().minCoveredHours(),
                        rules.weeklyUnderuse().minCoveredHours());
        long last = timing.last();
        for (long ws = cal.weekStart(timing.start()); ws <= last; ) {
            long we = cal.weekEnd(ws);
            if (we - 1 > finalWatermark) {
                return false;
            }
            long lo = Math.max(ws, timing.start());
            long hi = Math.min(we - 1, last);
            if (lo <= hi && coveredHours(lo, hi) >= minHours) {
                return true;
            }
            ws = we;
        }
        return false;
    }

    /** Distinct UTC hours with a grid instant in [lo, hi]. */
    private int coveredHours(long lo, long hi) {
        int n = 0;
        for (long h = Math.floorDiv(lo, FleetSimulator.HOUR);
                h <= Math.floorDiv(hi, FleetSimulator.HOUR);
                h++) {
            long a = Math.max(lo, h * FleetSimulator.HOUR);
            long b = Math.min(hi, h * FleetSimulator.HOUR + FleetSimulator.HOUR - 1);
            long k = timing.stepAtOrAfter(a);
            if (k < timing.steps() && timing.start() + k * timing.intervalMs() <= b) {
                n++;
            }
        }
        return n;
    }
}
