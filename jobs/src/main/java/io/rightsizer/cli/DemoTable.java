package io.rightsizer.cli;

import io.rightsizer.rules.calendar.EventCalendar;
import io.rightsizer.schema.Recommendation;
import java.util.Locale;

/** The demo's table of recommendations as they arrive: a header, then a row each. */
final class DemoTable {
    private static final String TABLE = "%-16s  %-30s  %-10s  %-8s  %-9s  %-8s  %-7s  %s";

    /** Marks a reminder's row: the same recommendation again, still without a decision. */
    static final String REMINDER = "REMINDER: ";

    private DemoTable() {}

    static String header() {
        return String.format(
                Locale.ROOT,
                TABLE,
                "FIRED AT",
                "RULE",
                "ACTION",
                "RESOURCE",
                "SUBJECT",
                "SYSTEM",
                "UNIT",
                "REASON");
    }

    static String row(Recommendation r, EventCalendar cal) {
        return String.format(
                Locale.ROOT,
                TABLE,
                cal.dateTime(r.getFiredAt().toEpochMilli()),
                r.getRuleId(),
                r.getAction(),
                r.getResource(),
                r.getVmId() == null ? "-" : r.getVmId(),
                r.getSystemId(),
                r.getUnitId() == null ? "-" : r.getUnitId(),
                (r.getReminder() ? REMINDER : "") + r.getReason());
    }
}
