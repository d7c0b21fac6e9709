package io.rightsizer.report;

import io.rightsizer.rules.RuleSet;

/**
 * The rule set's lines a report draws and judges by: over-provisioned is the weekly-underuse rule
 * applied to a month; the scale-up average is drawn for orientation only.
 */
public record Thresholds(
        double underuseAverageAtMost, double underusePeakAtMost, double scaleUpAverageAbove) {
    public static Thresholds of(RuleSet rules) {
        return new Thresholds(
                rules.weeklyUnderuse().averageAtMostPct(),
                rules.weeklyUnderuse().peakAtMostPct(),
                rules.weeklyAverage().averageAbovePct());
    }

    /**
     * Average at most the underuse average and peak at most the underuse peak, with a memory
     * reading in at least one covered hour.
     */
    public boolean overProvisioned(Figures f) {
        Double avg = f.averageMemory();
        return f.coveredHours() > 0
                && avg != null
                && f.peakMemory() != null
                && avg <= underuseAverageAtMost
                && f.peakMemory() <= underusePeakAtMost;
    }
}
