package io.rightsizer.console;

import static io.rightsizer.console.ConsoleRecords.DEFERRED;
import static io.rightsizer.console.ConsoleRecords.DEFERRED_AT;
import static io.rightsizer.console.ConsoleRecords.DEFERRED_UNTIL;
import static io.rightsizer.console.ConsoleRecords.REJECTED;
import static io.rightsizer.console.ConsoleRecords.REJECTED_AT;
import static io.rightsizer.console.ConsoleRecords.WEEKLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.console.ConsoleModel.InboxFilter;
import io.rightsizer.console.ConsoleModel.InboxItem;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the records of the three topics fold into where each recommendation stands. */
class RecommendationLedgerTest {
    /** A deferral by someone else, an hour earlier, that the job did not apply. */
    static final Decision OTHER_DEFERRAL =
            Decision.newBuilder(ConsoleRecords.deferral())
                    .setDecidedBy("ops-carl")
                    .setDecidedAt(DEFERRED_AT.minus(Duration.ofHours(1)))
                    .setDeferUntil(Instant.parse("2026-05-01T00:00:00Z"))
                    .build();

    @Test
    void aDeferralEndsWhenTheDecisionTheJobAppliedSaysEvenWhenThatDecisionIsReadLater() {
        RecommendationLedger ledger = new RecommendationLedger();
        ledger.recommendation(DEFERRED);
        ledger.event(ConsoleRecords.opened(DEFERRED));
        ledger.event(deferred());
        assertThat(ledger.inbox(InboxFilter.any()))
                .extracting(InboxItem::state, InboxItem::deferredUntil)
                .containsExactly(tuple(LifecycleState.DEFERRED, null));

        ledger.decision(OTHER_DEFERRAL);
        ledger.decision(ConsoleRecords.deferral());

        assertThat(ledger.inbox(InboxFilter.any()))
                .extracting(InboxItem::state, InboxItem::stateSince, InboxItem::deferredUntil)
                .containsExactly(tuple(LifecycleState.DEFERRED, DEFERRED_AT, DEFERRED_UNTIL));
    }

    @Test
    void aReminderReplacesTheRecordAndAnEventReadTwiceCountsOnce() {
        RecommendationLedger ledger = new RecommendationLedger();
        Recommendation reminder = Recommendation.newBuilder(WEEKLY).setReminder(true).build();
        ledger.recommendation(WEEKLY);
        ledger.event(ConsoleRecords.opened(WEEKLY));
        ledger.recommendation(reminder);
        ledger.event(ConsoleRecords.opened(WEEKLY));

        assertThat(ledger.detail(WEEKLY.getRecommendationId()).orElseThrow())
                .isEqualTo(
                        new ConsoleModel.RecommendationDetail(
                                new InboxItem(
                                        reminder,
                                        LifecycleState.OPEN,
                                        WEEKLY.getFiredAt(),
                                        WEEKLY.getFiredAt(),
                                        null),
                                java.util.List.of(ConsoleRecords.opened(WEEKLY))));
    }

    @Test
    void eventsReadBeforeTheirRecordWaitForItAndARecordWithoutEventsIsOpenSinceItFired() {
        RecommendationLedger ledger = new RecommendationLedger();
        ledger.event(ConsoleRecords.opened(REJECTED));
        ledger.recommendation(WEEKLY);
        assertThat(ledger.detail(REJECTED.getRecommendationId())).isEmpty();
        assertThat(ledger.inbox(InboxFilter.any()))
                .extracting(
                        i -> i.recommendation().getRecommendationId(),
                        InboxItem::state,
                        InboxItem::openedAt)
                .containsExactly(
                        tuple(
                                WEEKLY.getRecommendationId(),
                                LifecycleState.OPEN,
                                WEEKLY.getFiredAt()));

        ledger.recommendation(REJECTED);
        assertThat(ledger.inbox(InboxFilter.any())).hasSize(2);
    }

    @Test
    void aClosedRecommendationLeavesTheInboxAndItsPageIsACopy() {
        RecommendationLedger ledger = new RecommendationLedger();
        ledger.recommendation(REJECTED);
        ledger.event(ConsoleRecords.opened(REJECTED));
        ledger.event(rejected());
        assertThat(ledger.inbox(InboxFilter.any())).isEmpty();
        assertThat(ledger.inPlayCount()).isZero();
        assertThat(ledger.size()).isEqualTo(1);

        ledger.detail(REJECTED.getRecommendationId())
                .orElseThrow()
                .item()
                .recommendation()
                .setReason("changed by a page");

        assertThat(ledger.detail(REJECTED.getRecommendationId()).orElseThrow().item())
                .isEqualTo(
                        new InboxItem(
                                REJECTED,
                                LifecycleState.REJECTED,
                                REJECTED.getFiredAt(),
                                REJECTED_AT,
                                null));
    }

    static RecommendationEvent deferred() {
        return ConsoleRecords.transition(
                DEFERRED, LifecycleState.OPEN, LifecycleState.DEFERRED, DEFERRED_AT, "ops-ben");
    }

    static RecommendationEvent rejected() {
        return ConsoleRecords.transition(
                REJECTED, LifecycleState.OPEN, LifecycleState.REJECTED, REJECTED_AT, "ops-ben");
    }
}
