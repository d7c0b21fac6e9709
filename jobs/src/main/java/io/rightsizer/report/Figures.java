package io.rightsizer.report;

/**
 * The utilization figures of a VM, system, unit or fleet over a period, kept as sums so that any
 * two can be added exactly: the average is the hour-weighted mean of the hourly memory means, never
 * a mean of means.
 *
 * @param memorySum sum of the hourly {@code memory_mean} values
 * @param runningHours number of hours with a {@code memory_mean} (hours with RUNNING samples)
 * @param peakMemory max of the hourly {@code memory_max}, null when no hour has one
 * @param peakStorage max of the hourly {@code storage_max}, null when no hour has one
 * @param coveredHours number of {@code vm_hourly} points (hours with at least one sample)
 * @param samples sum of the hourly sample counts
 * @param stoppedSamples sum of the hourly STOPPED sample counts
 */
public record Figures(
        double memorySum,
        long runningHours,
        Double peakMemory,
        Double peakStorage,
        long coveredHours,
        long samples,
        long stoppedSamples) {

    public static final Figures NONE = new Figures(0, 0, null, null, 0, 0, 0);

    /** The hour-weighted average memory %, or null without a running hour. */
    public Double averageMemory() {
        return runningHours == 0 ? null : memorySum / runningHours;
    }

    /** Every sample of the period STOPPED (and at least one sample). */
    public boolean allStopped() {
        return samples > 0 && samples == stoppedSamples;
    }

    public Figures plus(Figures o) {
        return new Figures(
                memorySum + o.memorySum,
                runningHours + o.runningHours,
                max(peakMemory, o.peakMemory),
                max(peakStorage, o.peakStorage),
                coveredHours + o.coveredHours,
                samples + o.samples,
                stoppedSamples + o.stoppedSamples);
    }

    private static Double max(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
