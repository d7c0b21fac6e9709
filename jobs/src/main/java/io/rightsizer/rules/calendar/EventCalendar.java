package io.rightsizer.rules.calendar;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;

/**
 * Calendar arithmetic in the rule set's zone: weeks run from Monday 00:00 to the next Monday 00:00,
 * months are {@link ZonedDateTime#plusMonths} (the 31st plus one month is the last day of the next
 * month; a local time that does not exist because of a daylight-saving gap moves forward).
 */
public final class EventCalendar implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final ZoneId zone;

    public EventCalendar(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Start (inclusive) of the week that contains {@code epochMillis}. */
    public long weekStart(long epochMillis) {
        LocalDate day = Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return monday.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** End (exclusive) of the week that starts at {@code weekStart}: the next Monday 00:00. */
    public long weekEnd(long weekStart) {
        LocalDate monday = Instant.ofEpochMilli(weekStart).atZone(zone).toLocalDate();
        return monday.plusDays(7).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public long plusMonths(long epochMillis, int months) {
        return Instant.ofEpochMilli(epochMillis)
                .atZone(zone)
                .plusMonths(months)
                .toInstant()
                .toEpochMilli();
    }

    public String date(long epochMillis) {
        return DATE.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    public String dateTime(long epochMillis) {
        return DATE_TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    public String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }
}
