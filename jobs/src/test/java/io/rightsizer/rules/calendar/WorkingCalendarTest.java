package io.rightsizer.rules.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.rules.format.WorkingCalendarParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Working days: counting back over weekends, holidays and make-up days, and reminder instants. */
class WorkingCalendarTest {

    static final Path SHIPPED = Path.of("..", "config", "calendar.yaml");

    /** Saturday and Sunday off, no holidays, Asia/Shanghai. */
    static final WorkingCalendar PLAIN = WorkingCalendar.defaults();

    static WorkingCalendar china2026() throws Exception {
        return WorkingCalendarParser.parse(SHIPPED);
    }

    static LocalDate d(String date) {
        return LocalDate.parse(date);
    }

    @Nested
    class PlainWeeks {
        @Test
        void weekdaysAreWorkingDaysAndTheWeekendIsNot() {
            // 2026-11-23 is a Monday.
            assertThat(PLAIN.isWorkingDay(d("2026-11-23"))).isTrue();
            assertThat(PLAIN.isWorkingDay(d("2026-11-27"))).isTrue();
            assertThat(PLAIN.isWorkingDay(d("2026-11-28"))).isFalse();
            assertThat(PLAIN.isWorkingDay(d("2026-11-29"))).isFalse();
        }

        @Test
        void oneWorkingDayBeforeTuesdayIsMonday() {
            assertThat(PLAIN.workingDaysBefore(d("2026-11-24"), 1)).isEqualTo(d("2026-11-23"));
        }

        @Test
        void theDateItselfIsNotCountedEvenOnAWorkingDay() {
            assertThat(PLAIN.workingDaysBefore(d("2026-11-27"), 4)).isEqualTo(d("2026-11-23"));
        }

        @Test
        void oneWorkingDayBeforeMondayIsTheFridayBefore() {
            assertThat(PLAIN.workingDaysBefore(d("2026-11-30"), 1)).isEqualTo(d("2026-11-27"));
        }

        @Test
        void sevenWorkingDaysBeforeAWednesdayCrossOneWeekend() {
            // Tue 25, Mon 24, Fri 20, Thu 19, Wed 18, Tue 17, Mon 16 (the weekend 21-22 skipped).
            assertThat(PLAIN.workingDaysBefore(d("2026-11-25"), 7)).isEqualTo(d("2026-11-16"));
        }

        @Test
        void countingBackFromASundayStartsOnTheFriday() {
            assertThat(PLAIN.workingDaysBefore(d("2026-11-29"), 1)).isEqualTo(d("2026-11-27"));
        }

        @Test
        void fewerThanOneWorkingDayIsRefused() {
            assertThatThrownBy(() -> PLAIN.workingDaysBefore(d("2026-11-25"), 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("n must be at least 1, was 0");
        }

        @Test
        void anotherWeekendIsHonoured() {
            WorkingCalendar fridayOff =
                    new WorkingCalendar(
                            ZoneId.of("Asia/Dubai"),
                            Set.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY),
                            Set.of(),
                            Set.of());

            // 2026-11-29 is a Sunday: a working day there; the day before is Thursday.
            assertThat(fridayOff.isWorkingDay(d("2026-11-29"))).isTrue();
            assertThat(fridayOff.workingDaysBefore(d("2026-11-29"), 1)).isEqualTo(d("2026-11-26"));
        }

        @Test
        void aWeekendOfEveryDayIsRefused() {
            assertThatThrownBy(
                            () ->
                                    new WorkingCalendar(
                                            ZoneId.of("UTC"),
                                            Set.of(DayOfWeek.values()),
                                            Set.of(),
                                            Set.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("every day of the week is a weekend day");
        }
    }

    @Nested
    class China2026 {
        @Test
        void nationalDayWeekIsNotWorked() throws Exception {
            WorkingCalendar c = china2026();

            for (LocalDate day = d("2026-10-01");
                    !day.isAfter(d("2026-10-07"));
                    day = day.plusDays(1)) {
                assertThat(c.isWorkingDay(day)).as(day.toString()).isFalse();
            }
            assertThat(c.isWorkingDay(d("2026-10-08"))).isTrue();
        }

        @Test
        void makeUpSaturdayIsAWorkingDay() throws Exception {
            WorkingCalendar c = china2026();

            assertThat(d("2026-10-10").getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);
            assertThat(c.isWorkingDay(d("2026-10-10"))).isTrue();
            assertThat(c.isWorkingDay(d("2026-10-11"))).isFalse();
            assertThat(c.workingDaysBefore(d("2026-10-12"), 1)).isEqualTo(d("2026-10-10"));
        }

        @Test
        void makeUpSundayIsAWorkingDay() throws Exception {
            assertThat(d("2026-09-20").getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
            assertThat(china2026().isWorkingDay(d("2026-09-20"))).isTrue();
        }

        @Test
        void sevenWorkingDaysBeforeTwelfthOfOctoberSkipNationalDayAndMidAutumn() throws Exception {
            // Back from Mon 2026-10-12: Sat 10 (make-up) 1, Fri 9 2, Thu 8 3, Oct 1-7 holidays,
            // Wed Sep 30 4, Tue 29 5, Mon 28 6, Sep 25-27 Mid-Autumn, Thu Sep 24 7.
            assertThat(china2026().workingDaysBefore(d("2026-10-12"), 7))
                    .isEqualTo(d("2026-09-24"));
        }

        @Test
        void sevenWorkingDaysBeforeTheThirteenthOfOctoberCountTheTwelfth() throws Exception {
            assertThat(china2026().workingDaysBefore(d("2026-10-13"), 7))
                    .isEqualTo(d("2026-09-28"));
        }

        @Test
        void springFestivalAndItsTwoMakeUpSaturdays() throws Exception {
            WorkingCalendar c = china2026();

            // Back from Tue 2026-03-03: Mon 2, Sat Feb 28 (make-up), Fri 27, Thu 26, Wed 25,
            // Tue 24, then Feb 15-23 holidays, Sat Feb 14 (make-up) is the 7th.
            assertThat(c.workingDaysBefore(d("2026-03-03"), 7)).isEqualTo(d("2026-02-14"));
        }
    }

    @Nested
    class Reminders {
        static Instant at(String isoOffsetDateTime) {
            return java.time.OffsetDateTime.parse(isoOffsetDateTime).toInstant();
        }

        @Test
        void untilAtMidnightCountsThePreviousDayAsTheLastDay() throws Exception {
            // until 2026-10-13 00:00 Shanghai: the last day is Mon 12, counted; reminder Sep 28.
            assertThat(china2026().reminderAt(at("2026-10-13T00:00+08:00"), 7))
                    .isEqualTo(at("2026-09-28T00:00+08:00"));
        }

        @Test
        void untilLaterInTheDayGivesTheSameReminderAsMidnightOfThatDay() throws Exception {
            WorkingCalendar c = china2026();

            assertThat(c.reminderAt(at("2026-10-13T15:30+08:00"), 7))
                    .isEqualTo(at("2026-09-28T00:00+08:00"));
            assertThat(c.reminderAt(at("2026-10-13T23:59:59.999+08:00"), 7))
                    .isEqualTo(at("2026-09-28T00:00+08:00"));
        }

        @Test
        void oneMillisecondAfterMidnightStillDoesNotCountThatDay() throws Exception {
            assertThat(china2026().reminderAt(at("2026-10-12T00:00:00.001+08:00"), 7))
                    .isEqualTo(at("2026-09-24T00:00+08:00"));
        }

        @Test
        void theLocalDateInTheCalendarZoneDecidesNotTheUtcDate() throws Exception {
            WorkingCalendar c = china2026();

            // Both on 2026-10-12 UTC; the first is still Oct 12 in Shanghai, the second Oct 13.
            assertThat(c.reminderAt(Instant.parse("2026-10-12T15:59:59Z"), 7))
                    .isEqualTo(Instant.parse("2026-09-23T16:00:00Z"));
            assertThat(c.reminderAt(Instant.parse("2026-10-12T16:00:00Z"), 7))
                    .isEqualTo(Instant.parse("2026-09-27T16:00:00Z"));
        }

        @Test
        void reminderIsMidnightInTheCalendarZone() {
            WorkingCalendar utc =
                    new WorkingCalendar(
                            ZoneId.of("UTC"), WorkingCalendar.DEFAULT_WEEKEND, Set.of(), Set.of());

            // Same instant, Wed 2026-11-25 16:00 UTC = Thu 2026-11-26 00:00 Shanghai.
            Instant until = Instant.parse("2026-11-25T16:00:00Z");
            assertThat(utc.reminderAt(until, 1)).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
            assertThat(PLAIN.reminderAt(until, 1)).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
        }

        @Test
        void reminderOnADaylightSavingDayIsThatDaysFirstInstant() {
            // Europe/Berlin moves to summer time on Sun 2026-03-29; a reminder on Mon 2026-03-30
            // is 00:00 CEST = 22:00 UTC the day before.
            WorkingCalendar berlin =
                    new WorkingCalendar(
                            ZoneId.of("Europe/Berlin"),
                            WorkingCalendar.DEFAULT_WEEKEND,
                            Set.of(),
                            Set.of());

            assertThat(berlin.reminderAt(Instant.parse("2026-03-31T10:00:00Z"), 1))
                    .isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        }
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        WorkingCalendar c = china2026();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            WorkingCalendar back = (WorkingCalendar) in.readObject();

            assertThat(back).isEqualTo(c);
            assertThat(back.isWorkingDay(d("2026-10-10"))).isTrue();
        }
    }
}
