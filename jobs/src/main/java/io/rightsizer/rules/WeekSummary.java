package io.rightsizer.rules;

/**
 * One VM's week as the weekly rules saw it when the week closed: the utilization history (InfluxDB
 * measurement {@code vm_weekly}). {@link #judged} tells whether the weekly rules judged it (enough
 * covered hours, and not a week in which the VM was resized).
 *
 * <p>A Flink POJO: public fields and a public no-arg constructor.
 */
public class WeekSummary {
    public String vmId;
    public String systemId;
    public String unitId;

    /** Monday 00:00 in the rule set's zone, epoch millis. */
    public long weekStart;

    /** The next Monday 00:00, exclusive. */
    public long weekEnd;

    /** Arithmetic mean of the week's memory readings, the figure the weekly rules compare. */
    public double averagePct;

    public double peakPct;
    public int coveredHours;
    public long samples;
    public boolean judged;

    public WeekSummary() {}

    @Override
    public String toString() {
        return "WeekSummary{"
                + vmId
                + " @"
                + java.time.Instant.ofEpochMilli(weekStart)
                + " avg="
                + averagePct
                + " peak="
                + peakPct
                + " coveredHours="
                + coveredHours
                + " samples="
                + samples
                + " judged="
                + judged
                + "}";
    }
}
