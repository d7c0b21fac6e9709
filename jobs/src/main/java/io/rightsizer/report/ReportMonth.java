package io.rightsizer.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A calendar month in the rule set's zone: {@code [first day 00:00, next month's first day 00:00)}
 * local time, as instants.
 */
public record ReportMonth(YearMonth month, ZoneId zone) {
    private static final DateTimeFormatter SYNTAX =
            DateTimeFormatter.ofPattern("uuuu-MM", Locale.ROOT);

    /**
     * Parses {@code 2026-10}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static YearMonth parse(String text) {
        try {
            if (text == null || !text.matches("\\d{4}-\\d{2}")) {
                throw new DateTimeParseException("", String.valueOf(text), 0);
            }
            return YearMonth.parse(text, SYNTAX);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a month such as 2026-10 (year-month, ISO 8601)");
        }
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    public int days() {
        return month.lengthOfMonth();
    }

    /** The day of the month (0-based) an instant of the month falls on, in the zone. */
    public int dayIndex(Instant t) {
        LocalDate d = t.atZone(zone).toLocalDate();
        return d.getDayOfMonth() - 1;
    }

    public LocalDate day(int index) {
        return month.atDay(index + 1);
    }

    @Override
    public String toString() {
        return month.format(SYNTAX);
    }
}
