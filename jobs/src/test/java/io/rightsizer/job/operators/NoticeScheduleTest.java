package io.rightsizer.job.operators;

import static io.rightsizer.testing.Allocations.GIB;
import static io.rightsizer.testing.Allocations.active;
import static io.rightsizer.testing.Allocations.expansion;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.shanghai;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.TimeLimitNotice;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time-limit notice schedule on its own, without Flink: what is due, and when next. */
class NoticeScheduleTest {
    static final String VM = "vm-1";
    static final long RECEIVED = shanghai(2026, 3, 3, 9, 0);
    static final long EXPANSION_FROM = shanghai(2026, 3, 1, 0, 0);
    static final long EXPANSION_UNTIL = shanghai(2026, 3, 20, 0, 0);

    /** 7 working days before the last day, Thursday 19 March: Wednesday 11 March 00:00. */
    static final long REMINDER = shanghai(2026, 3, 11, 0, 0);

    static final TimeLimits LIMITS = TimeLimits.regulation(WorkingCalendar.defaults());
    static final NoticeSchedule SCHEDULE = new NoticeSchedule(LIMITS);

    static VmInventory withExpansion() {
        VmInventory inv = new VmInventory();
        inv.apply(
                active(VM, "sys-1")
                        .setTemporaryExpansions(
                                List.of(expansion(8 * GIB, EXPANSION_FROM, EXPANSION_UNTIL)))
                        .build(),
                RECEIVED,
                LIMITS);
        return inv;
    }

    @Test
    void theReminderIsNextAndNothingIsDueBeforeIt() {
        VmInventory inv = withExpansion();
        assertThat(SCHEDULE.next(inv)).isEqualTo(REMINDER);
        assertThat(SCHEDULE.due(VM, inv, REMINDER - 1)).isEmpty();
        assertThat(SCHEDULE.next(inv)).isEqualTo(REMINDER);
    }

    @Test
    void eachNoticeIsDueOnceAtItsInstantThenTheNextOneIsNext() {
        VmInventory inv = withExpansion();

        assertThat(SCHEDULE.due(VM, inv, REMINDER))
                .extracting(TimeLimitNotice::getKind, TimeLimitNotice::getIssuedAt)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(
                                NoticeKind.EXPANSION_ENDING, Instant.ofEpochMilli(REMINDER)));
        assertThat(SCHEDULE.due(VM, inv, REMINDER + HOUR)).isEmpty();
        assertThat(SCHEDULE.next(inv)).isEqualTo(EXPANSION_UNTIL);

        assertThat(SCHEDULE.due(VM, inv, EXPANSION_UNTIL))
                .extracting(TimeLimitNotice::getKind)
                .containsExactly(NoticeKind.EXPANSION_OVERRUN);
        assertThat(SCHEDULE.next(inv)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theEndOfABoundedInputIssuesNothing() {
        VmInventory inv = withExpansion();
        assertThat(SCHEDULE.due(VM, inv, Long.MAX_VALUE)).isEmpty();
        assertThat(SCHEDULE.next(inv)).isEqualTo(REMINDER);
    }

    @Test
    void withoutLimitsOrWithoutAnInventoryNothingIsEverDue() {
        NoticeSchedule none = new NoticeSchedule(null);
        assertThat(none.due(VM, withExpansion(), EXPANSION_UNTIL)).isEmpty();
        assertThat(none.next(withExpansion())).isEqualTo(Long.MAX_VALUE);
        assertThat(SCHEDULE.due(VM, null, EXPANSION_UNTIL)).isEmpty();
        assertThat(SCHEDULE.next(null)).isEqualTo(Long.MAX_VALUE);
    }
}
