package io.rightsizer.rules;

import static io.rightsizer.testing.Allocations.GIB;
import static io.rightsizer.testing.Allocations.active;
import static io.rightsizer.testing.Allocations.expansion;
import static io.rightsizer.testing.Allocations.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.rules.format.WorkingCalendarParser;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.TemporaryExpansion;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regulation's time limits: 3 calendar months for a temporary expansion (Article 22), 6 for a
 * temporary resource (Article 24), reminders 7 working days before the end on the shipped 2026
 * calendar (National Day week and its make-up Saturday), overruns, re-sent and changed records.
 */
class TimeLimitsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final String VM = "vm-1";
    static final String SYSTEM = "sys-1";
    static final String UNIT = "unit-1";

    static final TimeLimits LIMITS = TimeLimits.regulation(china2026());

    static WorkingCalendar china2026() {
        try {
            return WorkingCalendarParser.parse(Path.of("..", "config", "calendar.yaml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Local time in Asia/Shanghai, e.g. {@code at("2026-10-13T00:00")}. */
    static long at(String local) {
        return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
    }

    /** An expansion over the National Day holidays: until Tuesday 2026-10-13 00:00. */
    static final long FROM = at("2026-08-01T00:00");

    static final long UNTIL = at("2026-10-13T00:00");

    /**
     * 7 working days before the last day (Mon 10-12): Sat 10-10 (make-up), Fri 10-09, Thu 10-08,
     * then 10-01..10-07 are holidays and Sat/Sun 10-03/04 no matter, Wed 09-30, Tue 09-29, Mon
     * 09-28.
     */
    static final long REMINDER = at("2026-09-28T00:00");

    static final long RECEIVED = at("2026-07-30T09:15");

    static VmAllocation withExpansions(TemporaryExpansion... expansions) {
        return active(VM, SYSTEM).setTemporaryExpansions(List.of(expansions)).build();
    }

    static List<TimeLimitNotice> issue(TimeLimitPeriod[] periods, long now) {
        return LIMITS.issue(periods, VM, SYSTEM, UNIT, now);
    }

    static String sha16(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 16);
    }

    // ---------------------------------------------------------------- ending reminders

    @Test
    void reminderIsDueSevenWorkingDaysBeforeUntilOverTheHolidayWeekAndMakeUpSaturday() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(8 * GIB, FROM, UNTIL)),
                        RECEIVED);

        assertThat(LIMITS.nextDue(p)).isEqualTo(REMINDER);
        assertThat(issue(p, REMINDER - 1)).isEmpty();
        List<TimeLimitNotice> due = issue(p, REMINDER);

        assertThat(due)
                .extracting(
                        TimeLimitNotice::getKind,
                        TimeLimitNotice::getIssuedAt,
                        TimeLimitNotice::getRegulation,
                        TimeLimitNotice::getMemoryBytes,
                        TimeLimitNotice::getStorageBytes)
                .containsExactly(
                        tuple(
                                NoticeKind.EXPANSION_ENDING,
                                Instant.ofEpochMilli(REMINDER),
                                "Article 22",
                                8 * GIB,
                                0L));
        assertThat(due.get(0).getReason())
                .isEqualTo(
                        "temporary expansion (+8 GiB memory) from 2026-08-01 00:00 until"
                                + " 2026-10-13 00:00 ends in 7 working days or less (reminder day"
                                + " 2026-09-28): ask for an extension in time if it is still"
                                + " needed (times in Asia/Shanghai, Article 22)");
        // Next: the overrun, should it still be listed at its end.
        assertThat(LIMITS.nextDue(p)).isEqualTo(UNTIL);
    }

    @Test
    void anUntilLaterOnTheSameLocalDayGivesTheSameReminder() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, at("2026-10-13T15:30"))),
                        RECEIVED);

        assertThat(p[0].endingAt).isEqualTo(REMINDER);
    }

    @Test
    void aRecordReceivedAfterTheReminderInstantButBeforeUntilIsRemindedAtOnce() {
        long late = REMINDER + 3_600_000L;
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0], withExpansions(expansion(GIB, FROM, UNTIL)), late);

        assertThat(issue(p, late))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                .containsExactly(tuple(NoticeKind.EXPANSION_ENDING, Instant.ofEpochMilli(late)));
    }

    @Test
    void aRecordReceivedOneMillisecondBeforeUntilStillGetsItsReminder() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL)),
                        UNTIL - 1);

        assertThat(issue(p, UNTIL))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                .containsExactly(
                        tuple(NoticeKind.EXPANSION_ENDING, Instant.ofEpochMilli(UNTIL - 1)),
                        tuple(NoticeKind.EXPANSION_OVERRUN, Instant.ofEpochMilli(UNTIL)));
    }

    // ---------------------------------------------------------------- overruns

    @Test
    void anExpansionStillListedAtItsUntilOverrunsExactlyThen() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL)),
                        RECEIVED);
        issue(p, REMINDER);

        assertThat(issue(p, UNTIL - 1)).isEmpty();
        List<TimeLimitNotice> over = issue(p, UNTIL);

        assertThat(over)
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                .containsExactly(tuple(NoticeKind.EXPANSION_OVERRUN, Instant.ofEpochMilli(UNTIL)));
        assertThat(over.get(0).getReason())
                .isEqualTo(
                        "temporary expansion (+1 GiB memory) from 2026-08-01 00:00 until"
                                + " 2026-10-13 00:00 has ended but is still in the VM's allocation"
                                + " (times in Asia/Shanghai, Article 22)");
        assertThat(LIMITS.nextDue(p)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anExpansionRemovedBeforeItsUntilDoesNotOverrun() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL)),
                        RECEIVED);
        issue(p, REMINDER);

        TimeLimitPeriod[] after = LIMITS.track(p, withExpansions(), UNTIL - 1);

        assertThat(after).isEmpty();
        assertThat(LIMITS.nextDue(after)).isEqualTo(Long.MAX_VALUE);
        assertThat(issue(after, UNTIL + 86_400_000L)).isEmpty();
    }

    @Test
    void aRecordFirstReceivedAtUntilGetsNoReminderButAnOverrunAtOnce() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0], withExpansions(expansion(GIB, FROM, UNTIL)), UNTIL);

        assertThat(issue(p, UNTIL))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                .containsExactly(tuple(NoticeKind.EXPANSION_OVERRUN, Instant.ofEpochMilli(UNTIL)));
    }

    // ---------------------------------------------------------------- the 3-month limit

    @Test
    void exactlyThreeCalendarMonthsIsAllowedAndOneMillisecondMoreIsTooLong() {
        long from = at("2026-03-01T00:00");
        long limit = at("2026-06-01T00:00");
        TimeLimitPeriod[] ok =
                LIMITS.track(
                        new TimeLimitPeriod[0], withExpansions(expansion(GIB, from, limit)), from);
        TimeLimitPeriod[] tooLong =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, from, limit + 1)),
                        from);

        assertThat(ok[0].tooLongAt).isEqualTo(TimeLimitPeriod.NONE);
        assertThat(ok[0].limitEnd).isEqualTo(limit);
        List<TimeLimitNotice> notices = issue(tooLong, from);
        assertThat(notices)
                .extracting(
                        TimeLimitNotice::getKind,
                        TimeLimitNotice::getIssuedAt,
                        TimeLimitNotice::getLimitEnd)
                .containsExactly(
                        tuple(
                                NoticeKind.EXPANSION_TOO_LONG,
                                Instant.ofEpochMilli(from),
                                Instant.ofEpochMilli(limit)));
    }

    @Test
    void threeMonthsFromNovember30thEndOnFebruary28th() {
        long from = at("2026-11-30T00:00");
        TimeLimitPeriod[] feb28 =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, from, at("2027-02-28T00:00"))),
                        from);
        TimeLimitPeriod[] mar1 =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, from, at("2027-03-01T00:00"))),
                        from);

        assertThat(feb28[0].limitEnd).isEqualTo(at("2027-02-28T00:00"));
        assertThat(feb28[0].tooLongAt).isEqualTo(TimeLimitPeriod.NONE);
        assertThat(issue(mar1, from))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getReason)
                .containsExactly(
                        tuple(
                                NoticeKind.EXPANSION_TOO_LONG,
                                "temporary expansion (+1 GiB memory) from 2026-11-30 00:00 until"
                                        + " 2027-03-01 00:00 lasts longer than the 3 months"
                                        + " allowed: it must end by 2027-02-28 00:00 (times in"
                                        + " Asia/Shanghai, Article 22)"));
    }

    // ---------------------------------------------------------------- temporary resources

    @Test
    void aTemporaryResourceHasSixMonthsAndIsExceededWhenStillAllocatedAfterItsEnd() {
        long from = at("2026-04-13T00:00");
        long until = at("2026-10-13T12:00");
        long limit = at("2026-10-13T00:00");
        VmAllocation a = active(VM, SYSTEM).setTemporaryResource(resource(from, until)).build();
        TimeLimitPeriod[] p = LIMITS.track(new TimeLimitPeriod[0], a, from);

        List<TimeLimitNotice> all = issue(p, until);

        assertThat(all)
                .extracting(
                        TimeLimitNotice::getKind,
                        TimeLimitNotice::getIssuedAt,
                        TimeLimitNotice::getRegulation,
                        TimeLimitNotice::getLimitEnd,
                        TimeLimitNotice::getMemoryBytes)
                .containsExactly(
                        tuple(
                                NoticeKind.TEMPORARY_RESOURCE_TOO_LONG,
                                Instant.ofEpochMilli(from),
                                "Article 24",
                                Instant.ofEpochMilli(limit),
                                null),
                        tuple(
                                NoticeKind.TEMPORARY_RESOURCE_ENDING,
                                Instant.ofEpochMilli(REMINDER),
                                "Article 24",
                                Instant.ofEpochMilli(limit),
                                null),
                        tuple(
                                NoticeKind.TEMPORARY_RESOURCE_EXCEEDED,
                                Instant.ofEpochMilli(until),
                                "Article 24",
                                Instant.ofEpochMilli(limit),
                                null));
        assertThat(all.get(2).getReason())
                .isEqualTo(
                        "temporary resource from 2026-04-13 00:00 until 2026-10-13 12:00 has"
                                + " ended but the VM is still allocated (times in Asia/Shanghai,"
                                + " Article 24)");
    }

    // ---------------------------------------------------------------- ids, re-sent and changed

    @Test
    void theNoticeIdIsTheFirst16BytesOfSha256OverKindVmFromUntil() throws Exception {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL)),
                        RECEIVED);

        assertThat(issue(p, REMINDER))
                .extracting(TimeLimitNotice::getNoticeId)
                .containsExactly(sha16("EXPANSION_ENDING|vm-1|" + FROM + "|" + UNTIL));
    }

    @Test
    void aReSentRecordIssuesNothingTwice() {
        VmAllocation a = withExpansions(expansion(GIB, FROM, UNTIL));
        TimeLimitPeriod[] p = LIMITS.track(new TimeLimitPeriod[0], a, RECEIVED);
        assertThat(issue(p, REMINDER)).hasSize(1);

        TimeLimitPeriod[] again = LIMITS.track(p, a, REMINDER + 60_000L);

        assertThat(issue(again, REMINDER + 60_000L)).isEmpty();
        assertThat(LIMITS.nextDue(again)).isEqualTo(UNTIL);
    }

    @Test
    void aReSentTooLongExpansionIsNotReportedAgain() {
        long from = at("2026-11-30T00:00");
        VmAllocation a = withExpansions(expansion(GIB, from, at("2027-03-01T00:00")));
        TimeLimitPeriod[] p = LIMITS.track(new TimeLimitPeriod[0], a, from);
        assertThat(issue(p, from)).hasSize(1);

        TimeLimitPeriod[] again = LIMITS.track(p, a, from + 86_400_000L);

        assertThat(issue(again, from + 86_400_000L)).isEmpty();
    }

    @Test
    void aChangedUntilIsANewPeriodWithNewNotices() throws Exception {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL)),
                        RECEIVED);
        issue(p, REMINDER);
        long extended = at("2026-10-30T00:00");

        TimeLimitPeriod[] changed =
                LIMITS.track(p, withExpansions(expansion(GIB, FROM, extended)), REMINDER + 1);

        // 7 working days before Fri 10-30 (last day Thu 10-29): 10-29..10-27, 10-26, 10-23..10-21.
        long reminder = at("2026-10-21T00:00");
        assertThat(LIMITS.nextDue(changed)).isEqualTo(reminder);
        assertThat(issue(changed, extended))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getNoticeId)
                .containsExactly(
                        tuple(
                                NoticeKind.EXPANSION_ENDING,
                                sha16("EXPANSION_ENDING|vm-1|" + FROM + "|" + extended)),
                        tuple(
                                NoticeKind.EXPANSION_OVERRUN,
                                sha16("EXPANSION_OVERRUN|vm-1|" + FROM + "|" + extended)));
    }

    @Test
    void aChangedSizeKeepsThePeriodAndWhatWasIssued() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL)),
                        RECEIVED);
        issue(p, REMINDER);

        TimeLimitPeriod[] bigger =
                LIMITS.track(p, withExpansions(expansion(2 * GIB, FROM, UNTIL)), REMINDER + 1);

        assertThat(issue(bigger, UNTIL))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getMemoryBytes)
                .containsExactly(tuple(NoticeKind.EXPANSION_OVERRUN, 2 * GIB));
    }

    @Test
    void theSameExpansionListedTwiceIsTrackedOnce() {
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(expansion(GIB, FROM, UNTIL), expansion(GIB, FROM, UNTIL)),
                        RECEIVED);

        assertThat(p).hasSize(1);
    }

    @Test
    void noticesDueTogetherComeInIssueOrderThenListOrder() {
        long from2 = at("2026-09-01T00:00");
        long until2 = at("2026-09-15T00:00");
        TimeLimitPeriod[] p =
                LIMITS.track(
                        new TimeLimitPeriod[0],
                        withExpansions(
                                expansion(GIB, FROM, UNTIL), expansion(2 * GIB, from2, until2)),
                        RECEIVED);

        assertThat(issue(p, UNTIL))
                .extracting(
                        TimeLimitNotice::getKind,
                        TimeLimitNotice::getMemoryBytes,
                        TimeLimitNotice::getIssuedAt)
                .containsExactly(
                        // 7 working days before Tue 09-15: 09-14, 09-11..09-07, 09-04.
                        tuple(
                                NoticeKind.EXPANSION_ENDING,
                                2 * GIB,
                                Instant.ofEpochMilli(at("2026-09-04T00:00"))),
                        tuple(NoticeKind.EXPANSION_OVERRUN, 2 * GIB, Instant.ofEpochMilli(until2)),
                        tuple(NoticeKind.EXPANSION_ENDING, GIB, Instant.ofEpochMilli(REMINDER)),
                        tuple(NoticeKind.EXPANSION_OVERRUN, GIB, Instant.ofEpochMilli(UNTIL)));
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> new TimeLimits(WorkingCalendar.defaults(), 3, 6, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("time limits and reminder days must be at least 1, were 3, 6, 0");
    }
}
