package io.rightsizer.rules;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;

/**
 * A parsed, validated rule set: the thresholds of the six Article 26 rules and the calendar they
 * are judged in. Immutable and serializable so a Flink operator can carry it.
 */
public record RuleSet(
        String version,
        String description,
        ZoneId zone,
        WeeklyAverage weeklyAverage,
        HourlyPeaks hourlyPeaks,
        StorageUsage storageUsage,
        WeeklyUnderuse weeklyUnderuse,
        VmInactive vmInactive,
        NoBusinessData noBusinessData)
        implements Serializable {

    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /** Article 26(1)1: weekly average memory above a threshold. */
    public record WeeklyAverage(boolean enabled, double averageAbovePct, int minCoveredHours)
            implements Serializable {
        public static final WeeklyAverage DEFAULT = new WeeklyAverage(true, 70, 84);
    }

    /** Article 26(1)2: memory peaks above a threshold starting often within a span. */
    public record HourlyPeaks(
            boolean enabled, double peakAbovePct, int minPeaks, Duration span, Duration cooldown)
            implements Serializable {
        public static final HourlyPeaks DEFAULT =
                new HourlyPeaks(true, 80, 3, Duration.ofMinutes(60), Duration.ofDays(7));
    }

    /** Article 26(1)3: storage usage above a threshold. */
    public record StorageUsage(boolean enabled, double usageAbovePct, Duration cooldown)
            implements Serializable {
        public static final StorageUsage DEFAULT = new StorageUsage(true, 70, Duration.ofDays(7));
    }

    /** Article 26(2)1: weekly average and peak memory at or below thresholds. */
    public record WeeklyUnderuse(
            boolean enabled, double averageAtMostPct, double peakAtMostPct, int minCoveredHours)
            implements Serializable {
        public static final WeeklyUnderuse DEFAULT = new WeeklyUnderuse(true, 30, 50, 84);
    }

    /** Article 26(2)2: VM stopped or idle without a break for a number of calendar months. */
    public record VmInactive(boolean enabled, double idleCpuAtMostPct, int months)
            implements Serializable {
        public static final VmInactive DEFAULT = new VmInactive(true, 5, 3);
    }

    /** Article 26(2)3: an information system produced no business data for calendar months. */
    public record NoBusinessData(boolean enabled, int months) implements Serializable {
        public static final NoBusinessData DEFAULT = new NoBusinessData(true, 1);
    }

    public EventCalendar calendar() {
        return new EventCalendar(zone);
    }

    /** The defaults of Article 26 under the given version name. */
    public static RuleSet defaults(String version) {
        return new RuleSet(
                version,
                "Article 26 defaults",
                DEFAULT_ZONE,
                WeeklyAverage.DEFAULT,
                HourlyPeaks.DEFAULT,
                StorageUsage.DEFAULT,
                WeeklyUnderuse.DEFAULT,
                VmInactive.DEFAULT,
                NoBusinessData.DEFAULT);
    }

    public boolean isEnabled(Rule rule) {
        return switch (rule) {
            case WEEKLY_AVERAGE -> weeklyAverage.enabled();
            case HOURLY_PEAKS -> hourlyPeaks.enabled();
            case STORAGE_USAGE -> storageUsage.enabled();
            case WEEKLY_UNDERUSE -> weeklyUnderuse.enabled();
            case VM_INACTIVE -> vmInactive.enabled();
            case NO_BUSINESS_DATA -> noBusinessData.enabled();
        };
    }
}
