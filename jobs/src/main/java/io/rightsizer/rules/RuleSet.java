package io.rightsizer.rules;

import io.rightsizer.rules.calendar.EventCalendar;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed, validated rule set: the thresholds of the Article 26 rules (the six of 26(1)/(2) and
 * the two emergency expansions), the calendar they are judged in and the overrides for particular
 * units, systems or VMs. Immutable and serializable so a Flink operator can carry it.
 *
 * <p>The evaluators judge each subject with {@link #forVm} / {@link #forSystem}: the defaults with
 * the matching overrides applied; {@link #applied} names the overrides behind each rule's
 * parameters, for the recommendation's evidence.
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
        NoBusinessData noBusinessData,
        MemoryEmergency memoryEmergency,
        StorageEmergency storageEmergency,
        Overrides overrides,
        Map<Rule, List<String>> applied)
        implements Serializable {

    public RuleSet {
        memoryEmergency = memoryEmergency == null ? MemoryEmergency.DEFAULT : memoryEmergency;
        storageEmergency = storageEmergency == null ? StorageEmergency.DEFAULT : storageEmergency;
        overrides = overrides == null ? Overrides.NONE : overrides;
        applied = applied == null ? Map.of() : applied;
    }

    /** A rule set without overrides, with the emergency rules at their defaults. */
    public RuleSet(
            String version,
            String description,
            ZoneId zone,
            WeeklyAverage weeklyAverage,
            HourlyPeaks hourlyPeaks,
            StorageUsage storageUsage,
            WeeklyUnderuse weeklyUnderuse,
            VmInactive vmInactive,
            NoBusinessData noBusinessData) {
        this(
                version,
                description,
                zone,
                weeklyAverage,
                hourlyPeaks,
                storageUsage,
                weeklyUnderuse,
                vmInactive,
                noBusinessData,
                MemoryEmergency.DEFAULT,
                StorageEmergency.DEFAULT,
                Overrides.NONE,
                Map.of());
    }

    /** The zone of a rule set that names none, as a constant for the command line's annotations. */
    public static final String DEFAULT_ZONE_ID = "Asia/Shanghai";

    public static final ZoneId DEFAULT_ZONE = ZoneId.of(DEFAULT_ZONE_ID);

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

    /**
     * Article 26 emergency expansion of memory: memory% at or above a threshold without a break for
     * a duration ({@code for}); a gap of more than {@code maxGap} between two counted samples
     * breaks the run (rules/README.md, Emergency expansion).
     */
    public record MemoryEmergency(
            boolean enabled,
            double usageAtLeastPct,
            Duration duration,
            Duration maxGap,
            Duration cooldown)
            implements Serializable {
        public static final MemoryEmergency DEFAULT =
                new MemoryEmergency(
                        true,
                        95,
                        Duration.ofMinutes(15),
                        Duration.ofMinutes(15),
                        Duration.ofDays(1));
    }

    /** Article 26 emergency expansion of storage: storage% at or above a threshold. */
    public record StorageEmergency(boolean enabled, double usageAtLeastPct, Duration cooldown)
            implements Serializable {
        public static final StorageEmergency DEFAULT =
                new StorageEmergency(true, 90, Duration.ofDays(1));
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

    /** The rule set that judges one VM: the defaults with its matching overrides applied. */
    public RuleSet forVm(String vmId, String systemId, String unitId) {
        return overrides.resolve(this, vmId, systemId, unitId);
    }

    /** The rule set that judges one information system (vmId overrides never apply). */
    public RuleSet forSystem(String systemId, String unitId) {
        return overrides.resolve(this, null, systemId, unitId);
    }

    /** The names of the overrides that set a parameter of the rule, in the order applied. */
    public List<String> applied(Rule rule) {
        return applied.getOrDefault(rule, List.of());
    }

    /**
     * The value of one parameter as written in a rule file: Boolean, Double (percentages), Integer
     * or Duration.
     */
    public Object param(Rule rule, String key) {
        Object v =
                switch (rule) {
                    case WEEKLY_AVERAGE ->
                            switch (key) {
                                case "enabled" -> weeklyAverage.enabled();
                                case "average-above-pct" -> weeklyAverage.averageAbovePct();
                                case "min-covered-hours" -> weeklyAverage.minCoveredHours();
                                default -> null;
                            };
                    case HOURLY_PEAKS ->
                            switch (key) {
                                case "enabled" -> hourlyPeaks.enabled();
                                case "peak-above-pct" -> hourlyPeaks.peakAbovePct();
                                case "min-peaks" -> hourlyPeaks.minPeaks();
                                case "span" -> hourlyPeaks.span();
                                case "cooldown" -> hourlyPeaks.cooldown();
                                default -> null;
                            };
                    case STORAGE_USAGE ->
                            switch (key) {
                                case "enabled" -> storageUsage.enabled();
                                case "usage-above-pct" -> storageUsage.usageAbovePct();
                                case "cooldown" -> storageUsage.cooldown();
                                default -> null;
                            };
                    case WEEKLY_UNDERUSE ->
                            switch (key) {
                                case "enabled" -> weeklyUnderuse.enabled();
                                case "average-at-most-pct" -> weeklyUnderuse.averageAtMostPct();
                                case "peak-at-most-pct" -> weeklyUnderuse.peakAtMostPct();
                                case "min-covered-hours" -> weeklyUnderuse.minCoveredHours();
                                default -> null;
                            };
                    case VM_INACTIVE ->
                            switch (key) {
                                case "enabled" -> vmInactive.enabled();
                                case "idle-cpu-at-most-pct" -> vmInactive.idleCpuAtMostPct();
                                case "months" -> vmInactive.months();
                                default -> null;
                            };
                    case NO_BUSINESS_DATA ->
                            switch (key) {
                                case "enabled" -> noBusinessData.enabled();
                                case "months" -> noBusinessData.months();
                                default -> null;
                            };
                    case MEMORY_EMERGENCY ->
                            switch (key) {
                                case "enabled" -> memoryEmergency.enabled();
                                case "usage-at-least-pct" -> memoryEmergency.usageAtLeastPct();
                                case "for" -> memoryEmergency.duration();
                                case "max-gap" -> memoryEmergency.maxGap();
                                case "cooldown" -> memoryEmergency.cooldown();
                                default -> null;
                            };
                    case STORAGE_EMERGENCY ->
                            switch (key) {
                                case "enabled" -> storageEmergency.enabled();
                                case "usage-at-least-pct" -> storageEmergency.usageAtLeastPct();
                                case "cooldown" -> storageEmergency.cooldown();
                                default -> null;
                            };
                };
        if (v == null) {
            throw new IllegalArgumentException(rule.id() + " has no parameter " + key);
        }
        return v;
    }

    /** A copy with one parameter replaced; the value has the type {@link #param} returns. */
    public RuleSet withParam(Rule rule, String key, Object value) {
        WeeklyAverage wa = weeklyAverage;
        HourlyPeaks hp = hourlyPeaks;
        StorageUsage su = storageUsage;
        WeeklyUnderuse wu = weeklyUnderuse;
        VmInactive vi = vmInactive;
        NoBusinessData nb = noBusinessData;
        MemoryEmergency me = memoryEmergency;
        StorageEmergency se = storageEmergency;
        switch (rule) {
            case WEEKLY_AVERAGE ->
                    wa =
                            switch (key) {
                                case "enabled" ->
                                        new WeeklyAverage(
                                                (Boolean) value,
                                                wa.averageAbovePct(),
                                                wa.minCoveredHours());
                                case "average-above-pct" ->
                                        new WeeklyAverage(
                                                wa.enabled(), (Double) value, wa.minCoveredHours());
                                case "min-covered-hours" ->
                                        new WeeklyAverage(
                                                wa.enabled(),
                                                wa.averageAbovePct(),
                                                (Integer) value);
                                default -> throw unknown(rule, key);
                            };
            case HOURLY_PEAKS ->
                    hp =
                            switch (key) {
                                case "enabled" ->
                                        new HourlyPeaks(
                                                (Boolean) value,
                                                hp.peakAbovePct(),
                                                hp.minPeaks(),
                                                hp.span(),
                                                hp.cooldown());
                                case "peak-above-pct" ->
                                        new HourlyPeaks(
                                                hp.enabled(),
                                                (Double) value,
                                                hp.minPeaks(),
                                                hp.span(),
                                                hp.cooldown());
                                case "min-peaks" ->
                                        new HourlyPeaks(
                                                hp.enabled(),
                                                hp.peakAbovePct(),
                                                (Integer) value,
                                                hp.span(),
                                                hp.cooldown());
                                case "span" ->
                                        new HourlyPeaks(
                                                hp.enabled(),
                                                hp.peakAbovePct(),
                                                hp.minPeaks(),
                                                (Duration) value,
                                                hp.cooldown());
                                case "cooldown" ->
                                        new HourlyPeaks(
                                                hp.enabled(),
                                                hp.peakAbovePct(),
                                                hp.minPeaks(),
                                                hp.span(),
                                                (Duration) value);
                                default -> throw unknown(rule, key);
                            };
            case STORAGE_USAGE ->
                    su =
                            switch (key) {
                                case "enabled" ->
                                        new StorageUsage(
                                                (Boolean) value, su.usageAbovePct(), su.cooldown());
                                case "usage-above-pct" ->
                                        new StorageUsage(
                                                su.enabled(), (Double) value, su.cooldown());
                                case "cooldown" ->
                                        new StorageUsage(
                                                su.enabled(), su.usageAbovePct(), (Duration) value);
                                default -> throw unknown(rule, key);
                            };
            case WEEKLY_UNDERUSE ->
                    wu =
                            switch (key) {
                                case "enabled" ->
                                        new WeeklyUnderuse(
                                                (Boolean) value,
                                                wu.averageAtMostPct(),
                                                wu.peakAtMostPct(),
                                                wu.minCoveredHours());
                                case "average-at-most-pct" ->
                                        new WeeklyUnderuse(
                                                wu.enabled(),
                                                (Double) value,
                                                wu.peakAtMostPct(),
                                                wu.minCoveredHours());
                                case "peak-at-most-pct" ->
                                        new WeeklyUnderuse(
                                                wu.enabled(),
                                                wu.averageAtMostPct(),
                                                (Double) value,
                                                wu.minCoveredHours());
                                case "min-covered-hours" ->
                                        new WeeklyUnderuse(
                                                wu.enabled(),
                                                wu.averageAtMostPct(),
                                                wu.peakAtMostPct(),
                                                (Integer) value);
                                default -> throw unknown(rule, key);
                            };
            case VM_INACTIVE ->
                    vi =
                            switch (key) {
                                case "enabled" ->
                                        new VmInactive(
                                                (Boolean) value,
                                                vi.idleCpuAtMostPct(),
                                                vi.months());
                                case "idle-cpu-at-most-pct" ->
                                        new VmInactive(vi.enabled(), (Double) value, vi.months());
                                case "months" ->
                                        new VmInactive(
                                                vi.enabled(),
                                                vi.idleCpuAtMostPct(),
                                                (Integer) value);
                                default -> throw unknown(rule, key);
                            };
            case NO_BUSINESS_DATA ->
                    nb =
                            switch (key) {
                                case "enabled" -> new NoBusinessData((Boolean) value, nb.months());
                                case "months" -> new NoBusinessData(nb.enabled(), (Integer) value);
                                default -> throw unknown(rule, key);
                            };
            case MEMORY_EMERGENCY ->
                    me =
                            switch (key) {
                                case "enabled" ->
                                        new MemoryEmergency(
                                                (Boolean) value,
                                                me.usageAtLeastPct(),
                                                me.duration(),
                                                me.maxGap(),
                                                me.cooldown());
                                case "usage-at-least-pct" ->
                                        new MemoryEmergency(
                                                me.enabled(),
                                                (Double) value,
                                                me.duration(),
                                                me.maxGap(),
                                                me.cooldown());
                                case "for" ->
                                        new MemoryEmergency(
                                                me.enabled(),
                                                me.usageAtLeastPct(),
                                                (Duration) value,
                                                me.maxGap(),
                                                me.cooldown());
                                case "max-gap" ->
                                        new MemoryEmergency(
                                                me.enabled(),
                                                me.usageAtLeastPct(),
                                                me.duration(),
                                                (Duration) value,
                                                me.cooldown());
                                case "cooldown" ->
                                        new MemoryEmergency(
                                                me.enabled(),
                                                me.usageAtLeastPct(),
                                                me.duration(),
                                                me.maxGap(),
                                                (Duration) value);
                                default -> throw unknown(rule, key);
                            };
            case STORAGE_EMERGENCY ->
                    se =
                            switch (key) {
                                case "enabled" ->
                                        new StorageEmergency(
                                                (Boolean) value,
                                                se.usageAtLeastPct(),
                                                se.cooldown());
                                case "usage-at-least-pct" ->
                                        new StorageEmergency(
                                                se.enabled(), (Double) value, se.cooldown());
                                case "cooldown" ->
                                        new StorageEmergency(
                                                se.enabled(),
                                                se.usageAtLeastPct(),
                                                (Duration) value);
                                default -> throw unknown(rule, key);
                            };
        }
        return new RuleSet(
                version, description, zone, wa, hp, su, wu, vi, nb, me, se, overrides, applied);
    }

    /** A copy that names, per rule, the overrides applied (a resolved rule set has none left). */
    RuleSet resolved(Map<Rule, List<String>> appliedOverrides) {
        Map<Rule, List<String>> a = new EnumMap<>(Rule.class);
        appliedOverrides.forEach((r, names) -> a.put(r, List.copyOf(names)));
        return with(Overrides.NONE, a);
    }

    /** A copy with other overrides and other names of applied overrides. */
    public RuleSet with(Overrides overrides, Map<Rule, List<String>> applied) {
        return new RuleSet(
                version,
                description,
                zone,
                weeklyAverage,
                hourlyPeaks,
                storageUsage,
                weeklyUnderuse,
                vmInactive,
                noBusinessData,
                memoryEmergency,
                storageEmergency,
                overrides,
                applied);
    }

    private static IllegalArgumentException unknown(Rule rule, String key) {
        return new IllegalArgumentException(rule.id() + " has no parameter " + key);
    }

    public boolean isEnabled(Rule rule) {
        return switch (rule) {
            case WEEKLY_AVERAGE -> weeklyAverage.enabled();
            case HOURLY_PEAKS -> hourlyPeaks.enabled();
            case STORAGE_USAGE -> storageUsage.enabled();
            case WEEKLY_UNDERUSE -> weeklyUnderuse.enabled();
            case VM_INACTIVE -> vmInactive.enabled();
            case NO_BUSINESS_DATA -> noBusinessData.enabled();
            case MEMORY_EMERGENCY -> memoryEmergency.enabled();
            case STORAGE_EMERGENCY -> storageEmergency.enabled();
        };
    }
}
