package io.rightsizer.rules;

/**
 * One VM's week as the weekly rules saw it when the week closed: the utilization history (InfluxDB
 * measurement {@code vm_weekly}, rules/README.md "Utilization history"). Only weeks with at least
 * one counted sample (RUNNING, both memory fields) have one. {@link #judged} tells whether the
 * weekly rules judged it: not a week in which the VM was resized, and enough covered hours for at
 * least one enabled weekly rule.
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

    /**
     * Arithmetic mean of the week's memory percentages, exactly the {@code weeklyAveragePct} of the
     * week's weekly recommendation ({@link VmEvaluator#weeklyAverage}).
     */
    public double averagePct;

    public double peakPct;

    /** Distinct UTC clock hours with a counted sample. */
    public int coveredHours;

    /** Counted samples: RUNNING with both memory fields. */
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
