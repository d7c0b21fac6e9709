package io.rightsizer.rules;

import io.rightsizer.rules.calendar.EventCalendar;

/**
 * A VM's week of memory readings, as the weekly rules judge it: accumulated in its {@link VmState}
 * (a compensated sum, the peak, the clock hours covered) as {@link VmEvaluator} evaluates samples,
 * and reported as one {@link WeekSummary} when the week closes, judged or not (rules/README.md,
 * "Utilization history"). The firings of the weekly rules stay in the evaluator.
 */
final class WeekSummaries {
    private WeekSummaries() {}

    /** Adds a RUNNING sample's memory% at {@code ts}, opening the week of {@code ts} if none. */
    static void add(VmState s, EventCalendar calendar, long ts, double pct) {
        if (s.weekStart == VmState.NONE) {
            s.weekStart = calendar.weekStart(ts);
            s.weekEnd = calendar.weekEnd(s.weekStart);
        }
        s.weekSamples++;
        // A compensated (Neumaier) sum, so that rounding does not accumulate over a week.
        double sum = s.weekSum;
        double t = sum + pct;
        if (Math.abs(sum) >= Math.abs(pct)) {
            s.weekCompensation += (sum - t) + pct;
        } else {
            s.weekCompensation += (pct - t) + sum;
        }
        s.weekSum = t;
        if (s.weekSamples == 1 || pct > s.weekPeak) {
            s.weekPeak = pct;
        }
        long hour = Math.floorDiv(ts, HourSummaries.HOUR);
        if (hour != s.weekLastHour) {
            s.weekLastHour = hour;
            s.weekCoveredHours++;
        }
    }

    /** The week's arithmetic mean of memory%. */
    static double average(VmState s) {
        return (s.weekSum + s.weekCompensation) / s.weekSamples;
    }

    static WeekSummary summary(VmState s, String vmId, boolean judged) {
        WeekSummary w = new WeekSummary();
        w.vmId = vmId;
        w.systemId = s.systemId;
        w.unitId = s.unitId;
        w.weekStart = s.weekStart;
        w.weekEnd = s.weekEnd;
        w.averagePct = average(s);
        w.peakPct = s.weekPeak;
        w.coveredHours = s.weekCoveredHours;
        w.samples = s.weekSamples;
        w.judged = judged;
        return w;
    }

    static void reset(VmState s) {
        s.weekStart = VmState.NONE;
        s.weekEnd = VmState.NONE;
        s.weekSamples = 0;
        s.weekSum = 0;
        s.weekCompensation = 0;
        s.weekPeak = 0;
        s.weekCoveredHours = 0;
        s.weekLastHour = VmState.NONE;
    }
}
