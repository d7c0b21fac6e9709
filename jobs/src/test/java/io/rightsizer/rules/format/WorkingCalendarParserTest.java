package io.rightsizer.rules.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.calendar.WorkingCalendar;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Reading the working-day calendar: the shipped file, defaults, and every kind of problem. */
class WorkingCalendarParserTest {

    static final String FILE = "config/calendar.yaml";
    static final Path SHIPPED = Path.of("..", "config", "calendar.yaml");

    /** A valid calendar; the problem tests change one line of it. */
    static final String MINIMAL =
            """
            zone: Asia/Shanghai
            weekend: [SATURDAY, SUNDAY]
            holidays:
              - 2026-10-01..2026-10-07
            make-up-working-days:
              - 2026-10-10
            """;

    static WorkingCalendar parse(String yaml) throws RuleSetException {
        return WorkingCalendarParser.parse(yaml, FILE);
    }

    static List<String> problems(String yaml) {
        RuleSetException e = catchThrowableOfType(RuleSetException.class, () -> parse(yaml));
        assertThat(e).as("expected the calendar to be refused").isNotNull();
        return e.problems().stream().map(RuleSetException.Problem::toString).toList();
    }

    /** The only problem reported, as {@code file:line:column: message}. */
    static String onlyProblem(String yaml) {
        List<String> p = problems(yaml);
        assertThat(p).hasSize(1);
        return p.get(0);
    }

    static LocalDate d(String date) {
        return LocalDate.parse(date);
    }

    @Nested
    class Shipped {
        @Test
        void shippedCalendarParses() throws Exception {
            WorkingCalendar c = WorkingCalendarParser.parse(SHIPPED);

            assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
            assertThat(c.weekend()).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            // 3 + 9 + 3 + 5 + 3 + 3 + 7 days.
            assertThat(c.holidays()).hasSize(33);
            assertThat(c.holidays()).contains(d("2026-01-01"), d("2026-02-23"), d("2026-10-07"));
            assertThat(c.makeUpWorkingDays())
                    .containsExactlyInAnyOrder(
                            d("2026-01-04"),
                            d("2026-02-14"),
                            d("2026-02-28"),
                            d("2026-05-09"),
                            d("2026-09-20"),
                            d("2026-10-10"));
        }

        @Test
        void minimalCalendarReadsRangesInclusively() throws Exception {
            WorkingCalendar c = parse(MINIMAL);

            assertThat(c.holidays()).hasSize(7).contains(d("2026-10-01"), d("2026-10-07"));
            assertThat(c.makeUpWorkingDays()).containsExactly(d("2026-10-10"));
        }

        @Test
        void emptyFileIsTheDefaults() throws Exception {
            assertThat(parse("")).isEqualTo(WorkingCalendar.defaults());
        }

        @Test
        void omittedKeysTakeTheirDefaults() throws Exception {
            WorkingCalendar c = parse("holidays: [2026-12-25]\n");

            assertThat(c.zone()).isEqualTo(WorkingCalendar.DEFAULT_ZONE);
            assertThat(c.weekend()).isEqualTo(WorkingCalendar.DEFAULT_WEEKEND);
            assertThat(c.holidays()).containsExactly(d("2026-12-25"));
            assertThat(c.makeUpWorkingDays()).isEmpty();
        }

        @Test
        void dayNamesAreReadInAnyCase() throws Exception {
            WorkingCalendar c = parse("weekend: [friday, Saturday]\n");

            assertThat(c.weekend()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY);
        }

        @Test
        void emptyWeekendMeansEveryDayOfTheWeekIsWorked() throws Exception {
            assertThat(parse("weekend: []\n").weekend()).isEmpty();
        }

        @Test
        void overlappingHolidayRangesAreAllowed() throws Exception {
            WorkingCalendar c =
                    parse("holidays: [2026-10-01..2026-10-03, 2026-10-03..2026-10-04]\n");

            assertThat(c.holidays()).hasSize(4);
        }
    }

    @Nested
    class Problems {
        @Test
        void unknownKeySuggestsTheNearestKey() {
            assertThat(onlyProblem(MINIMAL.replace("holidays:", "holiday:")))
                    .isEqualTo(
                            "config/calendar.yaml:3:1: unknown key 'holiday' in the calendar file"
                                    + " (did you mean 'holidays'?)");
        }

        @Test
        void unknownKeyFarFromAnyListsTheKnownKeys() {
            assertThat(onlyProblem(MINIMAL + "country: CN\n"))
                    .isEqualTo(
                            "config/calendar.yaml:7:1: unknown key 'country' in the calendar file"
                                    + " (known: zone, weekend, holidays, make-up-working-days)");
        }

        @Test
        void calendarThatIsNotAMappingIsRefused() {
            assertThat(onlyProblem("- 2026-10-01\n"))
                    .isEqualTo(
                            "config/calendar.yaml:1:1: a calendar file is a mapping with zone,"
                                    + " weekend, holidays and make-up-working-days; found a list");
        }

        @Test
        void duplicateKeyIsRefused() {
            assertThat(onlyProblem(MINIMAL + "zone: UTC\n"))
                    .isEqualTo("config/calendar.yaml:7:1: duplicate key 'zone'");
        }

        @Test
        void misspeltZoneSuggestsTheNearestZone() {
            assertThat(onlyProblem(MINIMAL.replace("Asia/Shanghai", "Asia/Shangai")))
                    .isEqualTo(
                            "config/calendar.yaml:1:7: zone 'Asia/Shangai' is not an IANA time"
                                    + " zone id (did you mean 'Asia/Shanghai'?)");
        }

        @Test
        void zoneFarFromAnyIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("Asia/Shanghai", "Beijing time")))
                    .isEqualTo(
                            "config/calendar.yaml:1:7: zone 'Beijing time' is not an IANA time"
                                    + " zone id such as Asia/Shanghai");
        }

        @Test
        void fixedOffsetIsNotAZone() {
            assertThat(onlyProblem(MINIMAL.replace("Asia/Shanghai", "\"+08:00\"")))
                    .isEqualTo(
                            "config/calendar.yaml:1:7: zone '+08:00' is not an IANA time zone id"
                                    + " such as Asia/Shanghai");
        }

        @Test
        void zoneOfTheWrongTypeIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("Asia/Shanghai", "8")))
                    .isEqualTo(
                            "config/calendar.yaml:1:7: zone must be an IANA time zone id such as"
                                    + " Asia/Shanghai, found a number");
        }

        @Test
        void misspeltDayNameSuggestsTheDay() {
            assertThat(onlyProblem(MINIMAL.replace("SATURDAY", "Saturdy")))
                    .isEqualTo(
                            "config/calendar.yaml:2:11: weekend[0] 'Saturdy' is not a day of the"
                                    + " week (did you mean 'SATURDAY'?)");
        }

        @Test
        void abbreviatedDayNameIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("SUNDAY", "Sun")))
                    .isEqualTo(
                            "config/calendar.yaml:2:21: weekend[1] 'Sun' is not a day of the week"
                                    + " (MONDAY to SUNDAY, in any case)");
        }

        @Test
        void dayNumberIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("SUNDAY", "7")))
                    .isEqualTo(
                            "config/calendar.yaml:2:21: weekend[1] must be a day of the week,"
                                    + " found a number (MONDAY to SUNDAY, in any case)");
        }

        @Test
        void weekendThatIsNotAListIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("[SATURDAY, SUNDAY]", "SUNDAY")))
                    .isEqualTo(
                            "config/calendar.yaml:2:10: weekend must be a list of days of the week"
                                    + " such as [SATURDAY, SUNDAY], found a string");
        }

        @Test
        void weekendOfEveryDayIsRefused() {
            String all = "[MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]";
            assertThat(onlyProblem("weekend: " + all + "\n"))
                    .isEqualTo(
                            "config/calendar.yaml:1:10: weekend lists every day of the week, so no"
                                    + " day would be a working day");
        }

        @Test
        void impossibleDateIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("  - 2026-10-10", "  - 2026-02-30")))
                    .isEqualTo(
                            "config/calendar.yaml:6:5: make-up-working-days[0] '2026-02-30' is not"
                                    + " a date 2026-10-01 or an inclusive range"
                                    + " 2026-10-01..2026-10-07");
        }

        @Test
        void dateInAnotherFormatIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("2026-10-01..2026-10-07", "1 Oct 2026")))
                    .isEqualTo(
                            "config/calendar.yaml:4:5: holidays[0] '1 Oct 2026' is not a date"
                                    + " 2026-10-01 or an inclusive range 2026-10-01..2026-10-07");
        }

        @Test
        void rangeWithABadEndIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("2026-10-07", "2026-10-32")))
                    .isEqualTo(
                            "config/calendar.yaml:4:5: holidays[0] '2026-10-01..2026-10-32' is not"
                                    + " a date 2026-10-01 or an inclusive range"
                                    + " 2026-10-01..2026-10-07");
        }

        @Test
        void rangeThatStartsAfterItEndsIsRefused() {
            assertThat(
                            onlyProblem(
                                    MINIMAL.replace(
                                            "2026-10-01..2026-10-07", "2026-10-08..2026-10-01")))
                    .isEqualTo(
                            "config/calendar.yaml:4:5: holidays[0] 2026-10-08..2026-10-01 starts"
                                    + " after it ends: write the earlier date first");
        }

        @Test
        void dateOfTheWrongTypeIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("  - 2026-10-10", "  - 20261010")))
                    .isEqualTo(
                            "config/calendar.yaml:6:5: make-up-working-days[0] must be a date"
                                    + " 2026-10-01 or an inclusive range 2026-10-01..2026-10-07,"
                                    + " found a number");
        }

        @Test
        void holidaysThatAreNotAListAreRefused() {
            assertThat(onlyProblem("holidays: 2026-10-01\n"))
                    .isEqualTo(
                            "config/calendar.yaml:1:11: holidays must be a list of dates such as"
                                    + " [2026-10-01..2026-10-07, 2026-12-25], found a string");
        }

        @Test
        void dayThatIsBothHolidayAndMakeUpDayIsRefused() {
            String yaml =
                    """
                    holidays:
                      - 2026-10-01..2026-10-07
                      - 2026-10-10..2026-10-11
                    make-up-working-days:
                      - 2026-10-10
                    """;

            assertThat(onlyProblem(yaml))
                    .isEqualTo(
                            "config/calendar.yaml:5:5: make-up-working-days[0]: 2026-10-10 is also"
                                    + " a holiday (holidays[1]): a day is either a holiday or a"
                                    + " make-up working day");
        }

        @Test
        void makeUpDayThatIsNotAWeekendDayIsRefused() {
            assertThat(onlyProblem(MINIMAL.replace("  - 2026-10-10", "  - 2026-10-09")))
                    .isEqualTo(
                            "config/calendar.yaml:6:5: make-up-working-days[0]: 2026-10-09 is a"
                                    + " FRIDAY, not a weekend day, so it is a working day anyway");
        }

        @Test
        void makeUpDayIsCheckedAgainstTheGivenWeekend() throws Exception {
            WorkingCalendar c = parse("weekend: [FRIDAY]\nmake-up-working-days: [2026-10-09]\n");

            assertThat(c.isWorkingDay(d("2026-10-09"))).isTrue();
            assertThat(onlyProblem("weekend: [FRIDAY]\nmake-up-working-days: [2026-10-10]\n"))
                    .isEqualTo(
                            "config/calendar.yaml:2:24: make-up-working-days[0]: 2026-10-10 is a"
                                    + " SATURDAY, not a weekend day, so it is a working day"
                                    + " anyway");
        }

        @Test
        void everyProblemIsReportedInFileOrder() {
            String yaml =
                    """
                    zone: Mars/Olympus
                    weekend: [SATURDAY, Sundy]
                    holidays:
                      - 2026-10-07..2026-10-01
                      - 2026-13-01
                    make-up-working-days:
                      - 2026-10-09
                    """;

            assertThat(problems(yaml))
                    .containsExactly(
                            "config/calendar.yaml:1:7: zone 'Mars/Olympus' is not an IANA time"
                                    + " zone id such as Asia/Shanghai",
                            "config/calendar.yaml:2:21: weekend[1] 'Sundy' is not a day of the"
                                    + " week (did you mean 'SUNDAY'?)",
                            "config/calendar.yaml:4:5: holidays[0] 2026-10-07..2026-10-01 starts"
                                    + " after it ends: write the earlier date first",
                            "config/calendar.yaml:5:5: holidays[1] '2026-13-01' is not a date"
                                    + " 2026-10-01 or an inclusive range 2026-10-01..2026-10-07");
        }
    }
}
