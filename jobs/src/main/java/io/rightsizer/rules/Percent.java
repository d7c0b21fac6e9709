package io.rightsizer.rules;

/** Utilization percentages exactly as the rules define them. */
public final class Percent {
    private Percent() {}

    /**
     * 100·used/total. {@code 100.0 * used} is exact for any byte count below 90 TB, so the result
     * is the correctly rounded value of the exact ratio: a sample at exactly 70% gives exactly
     * 70.0.
     */
    public static double of(long used, long total) {
        return 100.0 * used / total;
    }
}
