package io.rightsizer.rules.format;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleSetException.Problem;
import io.rightsizer.rules.calendar.WorkingCalendar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the working-day calendar (YAML, documented in rules/README.md, "Working days") into a
 * {@link WorkingCalendar}, collecting every problem with its {@code file:line:column} instead of
 * stopping at the first.
 */
public final class WorkingCalendarParser {
    static final String DATE_SYNTAX =
            "a date 2026-10-01 or an inclusive range 2026-10-01..2026-10-07";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final List<String> KEYS =
            List.of("zone", "weekend", "holidays", "make-up-working-days");
    private static final List<String> DAY_NAMES =
            Arrays.stream(DayOfWeek.values()).map(DayOfWeek::name).toList();

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private WorkingCalendarParser(String file) {
        this.file = file;
    }

    public static WorkingCalendar parse(Path path) throws RuleSetException, IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    public static WorkingCalendar parse(String yaml, String fileName) throws RuleSetException {
        return new WorkingCalendarParser(fileName).run(yaml);
    }

    private WorkingCalendar run(String yaml) throws RuleSetException {
        YamlNode root =
                YamlChecks.readMapping(
                        yaml,
                        file,
                        "a calendar file is a mapping with zone, weekend, holidays and"
                                + " make-up-working-days",
                        true);
        if (root.kind() == YamlNode.Kind.NULL) {
            return WorkingCalendar.defaults();
        }
        YamlChecks.unknownKeys(root, KEYS, "the calendar file", file, problems);

        ZoneId zone = zone(root.entries().get("zone"));
        Set<DayOfWeek> weekend = weekend(root.entries().get("weekend"));
        Map<LocalDate, String> holidays = dates(root.entries().get("holidays"), "holidays");
        Map<LocalDate, String> makeUp =
                dates(root.entries().get("make-up-working-days"), "make-up-working-days");
        YamlNode makeUpNode = root.entries().get("make-up-working-days");
        if (makeUp != null) {
            for (Map.Entry<LocalDate, String> e : makeUp.entrySet()) {
                LocalDate d = e.getKey();
                YamlNode at = makeUpNode.items().get(index(e.getValue()));
                if (holidays != null && holidays.containsKey(d)) {
                    problem(
                            at,
                            e.getValue()
                                    + ": "
                                    + d
                                    + " is also a holiday ("
                                    + holidays.get(d)
                                    + "): a day is either a holiday or a make-up working day");
                } else if (weekend != null && !weekend.contains(d.getDayOfWeek())) {
                    problem(
                            at,
                            e.getValue()
                                    + ": "
                                    + d
                                    + " is a "
                                    + d.getDayOfWeek()
                                    + ", not a weekend day, so it is a working day anyway");
                }
            }
        }

        if (!problems.isEmpty()) {
            // In file order, whichever check found them.
            problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new RuleSetException(problems);
        }
        return new WorkingCalendar(zone, weekend, holidays.keySet(), makeUp.keySet());
    }

    private ZoneId zone(YamlNode n) {
        if (n == null) {
            return WorkingCalendar.DEFAULT_ZONE;
        }
        if (n.kind() != YamlNode.Kind.STRING) {
            problem(
                    n,
                    "zone must be an IANA time zone id such as Asia/Shanghai, found "
                            + n.describeKind());
            return null;
        }
        String id = (String) n.scalar();
        if (ZoneId.getAvailableZoneIds().contains(id)) {
            return ZoneId.of(id);
        }
        String hint = DidYouMean.closest(id, ZoneId.getAvailableZoneIds());
        problem(
                n,
                "zone '"
                        + id
                        + "' is not an IANA time zone id"
                        + (hint != null
                                ? " (did you mean '" + hint + "'?)"
                                : " such as Asia/Shanghai"));
        return null;
    }

    private Set<DayOfWeek> weekend(YamlNode n) {
        if (n == null) {
            return WorkingCalendar.DEFAULT_WEEKEND;
        }
        if (n.kind() == YamlNode.Kind.NULL) {
            return Set.of();
        }
        if (n.kind() != YamlNode.Kind.LIST) {
            problem(
                    n,
                    "weekend must be a list of days of the week such as [SATURDAY, SUNDAY], found "
                            + n.describeKind());
            return null;
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        boolean ok = true;
        for (int i = 0; i < n.items().size(); i++) {
            YamlNode item = n.items().get(i);
            String text = item.kind() == YamlNode.Kind.STRING ? (String) item.scalar() : null;
            String upper = text == null ? null : text.toUpperCase(Locale.ROOT);
            if (upper == null || !DAY_NAMES.contains(upper)) {
                String hint = text == null ? null : DidYouMean.closest(text, DAY_NAMES);
                problem(
                        item,
                        "weekend["
                                + i
                                + "] "
                                + (text == null
                                        ? "must be a day of the week, found " + item.describeKind()
                                        : "'" + text + "' is not a day of the week")
                                + (hint != null
                                        ? " (did you mean '" + hint + "'?)"
                                        : " (MONDAY to SUNDAY, in any case)"));
                ok = false;
                continue;
            }
            out.add(DayOfWeek.valueOf(upper));
        }
        if (ok && out.size() == DayOfWeek.values().length) {
            problem(n, "weekend lists every day of the week, so no day would be a working day");
            return null;
        }
        return ok ? out : null;
    }

    /**
     * Every date the list names, each with the first item that names it ({@code holidays[3]}); null
     * (with the problems) when any item is wrong.
     */
    private Map<LocalDate, String> dates(YamlNode n, String name) {
        Map<LocalDate, String> out = new LinkedHashMap<>();
        if (n == null || n.kind() == YamlNode.Kind.NULL) {
            return out;
        }
        if (n.kind() != YamlNode.Kind.LIST) {
            problem(
                    n,
                    name
                            + " must be a list of dates such as [2026-10-01..2026-10-07,"
                            + " 2026-12-25], found "
                            + n.describeKind());
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < n.items().size(); i++) {
            YamlNode item = n.items().get(i);
            String where = name + "[" + i + "]";
            if (item.kind() != YamlNode.Kind.STRING) {
                problem(item, where + " must be " + DATE_SYNTAX + ", found " + item.describeKind());
                ok = false;
                continue;
            }
            String text = ((String) item.scalar()).strip();
            int dots = text.indexOf("..");
            LocalDate from = date(dots < 0 ? text : text.substring(0, dots).strip());
            LocalDate to = dots < 0 ? from : date(text.substring(dots + 2).strip());
            if (from == null || to == null) {
                problem(item, where + " '" + text + "' is not " + DATE_SYNTAX);
                ok = false;
                continue;
            }
            if (from.isAfter(to)) {
                problem(
                        item,
                        where + " " + text + " starts after it ends: write the earlier date first");
                ok = false;
                continue;
            }
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                out.putIfAbsent(d, where);
            }
        }
        return ok ? out : null;
    }

    private static LocalDate date(String s) {
        try {
            return LocalDate.parse(s, DATE);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int index(String where) {
        return Integer.parseInt(where.substring(where.indexOf('[') + 1, where.indexOf(']')));
    }

    private void problem(YamlNode at, String message) {
        problems.add(new Problem(file, at.line(), at.column(), message));
    }
}
