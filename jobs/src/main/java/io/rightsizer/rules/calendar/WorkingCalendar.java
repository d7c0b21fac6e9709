package io.rightsizer.rules.calendar;

import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.WorkingCalendarParser;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * Which local days are working days (issue #4: reminders go out a number of working days before a
 * temporary expansion or resource ends). A day is a working day when it is a make-up working day,
 * or else when it is neither a public holiday nor a weekend day. Exact semantics: rules/README.md,
 * "Working days". Read from {@code config/calendar.yaml} by {@link WorkingCalendarParser}.
 */
public final class WorkingCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final ZoneId DEFAULT_ZONE = ZoneId.of(RuleSet.DEFAULT_ZONE_ID);
    public static final Set<DayOfWeek> DEFAULT_WEEKEND =
            Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    private final ZoneId zone;
    private final Set<DayOfWeek> weekend;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> makeUpWorkingDays;

    /**
     * @throws IllegalArgumentException when every day of the week is a weekend day (no working day
     *     could ever be found), or a day is both a holiday and a make-up working day
     */
    public WorkingCalendar(
            ZoneId zone,
            Set<DayOfWeek> weekend,
            Set<LocalDate> holidays,
            Set<LocalDate> makeUpWorkingDays) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.weekend = Set.copyOf(weekend);
        this.holidays = Set.copyOf(holidays);
        this.makeUpWorkingDays = Set.copyOf(makeUpWorkingDays);
        if (this.weekend.size() == DayOfWeek.values().length) {
            throw new IllegalArgumentException("every day of the week is a weekend day");
        }
        for (LocalDate d : this.makeUpWorkingDays) {
            if (this.holidays.contains(d)) {
                throw new IllegalArgumentException(
                        d + " is both a holiday and a make-up working day");
            }
        }
    }

    /** Asia/Shanghai, Saturday and Sunday off, no holidays. */
    public static WorkingCalendar defaults() {
        return new WorkingCalendar(DEFAULT_ZONE, DEFAULT_WEEKEND, Set.of(), Set.of());
    }

    public ZoneId zone() {
        return zone;
    }

    public Set<DayOfWeek> weekend() {
        return weekend;
    }

    public Set<LocalDate> holidays() {
        return holidays;
    }

    public Set<LocalDate> makeUpWorkingDays() {
        return makeUpWorkingDays;
    }

    /** A make-up working day, or else neither a public holiday nor a weekend day. */
    public boolean isWorkingDay(LocalDate date) {
        if (makeUpWorkingDays.contains(date)) {
            return true;
        }
        return !holidays.contains(date) && !weekend.contains(date.getDayOfWeek());
    }

    /**
     * The {@code n}-th working day counting back from the day before {@code date}: {@code date}
     * itself is never counted, whether or not it is a working day. So the days from the result up
     * to the day before {@code date}, both included, hold exactly {@code n} working days, and the
     * result is one of them. {@code workingDaysBefore(Tuesday, 1)} is the Monday; {@code
     * workingDaysBefore(Monday, 1)} is the Friday before (with no holiday or make-up day around).
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public LocalDate workingDaysBefore(LocalDate date, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        LocalDate d = date;
        int found = 0;
        while (found < n) {
            d = d.minusDays(1);
            if (isWorkingDay(d)) {
                found++;
            }
        }
        return d;
    }

    /**
     * When to remind of an end at {@code until}: 00:00 in this calendar's zone of {@link
     * #workingDaysBefore}{@code (local date of until, workingDays)}. The local date of {@code
     * until} is never counted: when {@code until} is exactly 00:00 local, the last day of the
     * period is the day before, which is counted like every day before {@code until}; when {@code
     * until} falls later in a day, that partial day is not counted either. So between the reminder
     * and {@code until} lie at least {@code workingDays} whole working days, and an {@code until}
     * at 00:00 and one later the same local day give the same reminder.
     *
     * @throws IllegalArgumentException when {@code workingDays < 1}
     */
    public Instant reminderAt(Instant until, int workingDays) {
        LocalDate end = until.atZone(zone).toLocalDate();
        return workingDaysBefore(end, workingDays).atStartOfDay(zone).toInstant();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkingCalendar c
                && zone.equals(c.zone)
                && weekend.equals(c.weekend)
                && holidays.equals(c.holidays)
                && makeUpWorkingDays.equals(c.makeUpWorkingDays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zone, weekend, holidays, makeUpWorkingDays);
    }

    @Override
    public String toString() {
        return "WorkingCalendar[zone="
                + zone
                + ", weekend="
                + weekend
                + ", "
                + holidays.size()
                + " holidays, "
                + makeUpWorkingDays.size()
                + " make-up working days]";
    }
}
