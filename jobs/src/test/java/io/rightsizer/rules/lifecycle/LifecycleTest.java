package io.rightsizer.rules.lifecycle;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.ALICE;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DAY;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECIDED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.GIB;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.QUIET_UNTIL;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.REMINDER_DUE;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.SYSTEM;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.UNIT;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.VM;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.WINDOW_END;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.active;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decommissioned;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.deferral;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.firing;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.lifecycle;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static io.rightsizer.schema.DecisionState.DEFERRED;
import static io.rightsizer.schema.DecisionState.IMPLEMENTED;
import static io.rightsizer.schema.DecisionState.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every transition of the approval lifecycle, legal and illegal, and its event-time edges. */
class LifecycleTest {
    final Lifecycle lifecycle = lifecycle();
    final Recommendation fired = weeklyAverage(FIRED);
    final String id = fired.getRecommendationId();
    final String subject = "vm:" + VM;
    final String rule = fired.getRuleId();

    LifecycleEntry open() {
        return lifecycle.onFiring(null, fired).entry;
    }

    LifecycleEntry decided(DecisionState state) {
        LifecycleOutcome o =
                state == DEFERRED
                        ? lifecycle.onDecision(
                                open(), deferral(fired, DECIDED, DECIDED + 7 * DAY), subject, rule)
                        : lifecycle.onDecision(
                                open(), decision(fired, state, DECIDED), subject, rule);
        return o.entry;
    }

    LifecycleEntry inState(LifecycleState state) {
        return switch (state) {
            case OPEN -> open();
            case APPROVED -> decided(APPROVED);
            case REJECTED -> decided(REJECTED);
            case DEFERRED -> decided(DEFERRED);
            case IMPLEMENTED, EXPIRED, WITHDRAWN ->
                    throw new IllegalArgumentException("an entry in a final state is gone");
        };
    }

    static List<Object> transitions(LifecycleOutcome o) {
        return o.events.stream()
                .map(
                        e ->
                                (Object)
                                        tuple(
                                                e.getKind(),
                                                e.getFromState(),
                                                e.getToState(),
                                                e.getAt().toEpochMilli(),
                                                e.getBy()))
                .toList();
    }

    static long at(RecommendationEvent e) {
        return e.getAt().toEpochMilli();
    }

    /** The fields a rejected decision must leave untouched. */
    static List<Object> snapshot(LifecycleEntry e) {
        return List.of(
                e.recommendationId,
                e.state,
                e.reminderDue,
                e.deferUntil,
                e.quietUntil,
                e.expiresAt);
    }

    @Nested
    class Firings {
        @Test
        void aFirstFiringOpensAnEntryAndIsSentForApproval() {
            LifecycleOutcome o = lifecycle.onFiring(null, fired);

            assertThat(o.approvals).containsExactly(fired);
            assertThat(o.suppressed).isFalse();
            assertThat(o.entry.state).isEqualTo(LifecycleState.OPEN);
            assertThat(o.entry.reminderDue).isEqualTo(REMINDER_DUE);
            assertThat(o.entry.expiresAt).isEqualTo(WINDOW_END);
            assertThat(o.entry.subject).isEqualTo(subject);
            assertThat(o.events).hasSize(1);
            RecommendationEvent opened = o.events.get(0);
            assertThat(opened.getKind()).isEqualTo(RecommendationEventKind.OPENED);
            assertThat(opened.getRecommendationId()).isEqualTo(id);
            assertThat(opened.getRuleId()).isEqualTo(rule);
            assertThat(opened.getVmId()).isEqualTo(VM);
            assertThat(opened.getSystemId()).isEqualTo(SYSTEM);
            assertThat(opened.getUnitId()).isEqualTo(UNIT);
            assertThat(opened.getFromState()).isNull();
            assertThat(opened.getToState()).isEqualTo(LifecycleState.OPEN);
            assertThat(at(opened)).isEqualTo(FIRED);
            assertThat(opened.getBy()).isEqualTo("rightsizer");
            assertThat(opened.getReason())
                    .isEqualTo("sent for approval: scale-up.memory.weekly-average fired");
        }

        @ParameterizedTest
        @EnumSource(
                value = LifecycleState.class,
                names = {"OPEN", "APPROVED", "DEFERRED", "REJECTED"})
        void aNewFiringOfTheSameRuleIsSuppressedWhileAnEntryStands(LifecycleState state) {
            LifecycleEntry e = inState(state);
            List<Object> before = snapshot(e);

            LifecycleOutcome o = lifecycle.onFiring(e, weeklyAverage(FIRED + 7 * DAY));

            assertThat(o.suppressed).isTrue();
            assertThat(o.approvals).isEmpty();
            assertThat(o.events).isEmpty();
            assertThat(snapshot(o.entry)).isEqualTo(before);
        }

        @Test
        void aSystemLevelFiringHasASystemSubject() {
            Recommendation r = firing(Rule.NO_BUSINESS_DATA, FIRED);

            LifecycleOutcome o = lifecycle.onFiring(null, r);

            assertThat(Lifecycle.subject(r)).isEqualTo("system:" + SYSTEM);
            assertThat(o.entry.subject).isEqualTo("system:" + SYSTEM);
            assertThat(o.events.get(0).getVmId()).isNull();
            assertThat(o.events.get(0).getSystemId()).isEqualTo(SYSTEM);
        }
    }

    @Nested
    class LegalDecisions {
        @Test
        void openToApproved() {
            LifecycleOutcome o =
                    lifecycle.onDecision(open(), decision(fired, APPROVED, DECIDED), subject, rule);

            assertThat(o.entry.state).isEqualTo(LifecycleState.APPROVED);
            assertThat(o.entry.reminderDue).isEqualTo(LifecycleEntry.NONE);
            assertThat(o.entry.expiresAt).isEqualTo(DECIDED + 180 * DAY);
            assertThat(o.approvals).isEmpty();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.APPROVED,
                                    DECIDED,
                                    ALICE));
            assertThat(o.events.get(0).getComment()).isEqualTo("ok by alice");
            assertThat(o.events.get(0).getReason()).isEqualTo("approved");
        }

        @Test
        void approvedToImplementedEndsTheEntry() {
            LifecycleOutcome o =
                    lifecycle.onDecision(
                            decided(APPROVED),
                            decision(fired, IMPLEMENTED, DECIDED + DAY),
                            subject,
                            rule);

            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.APPROVED,
                                    LifecycleState.IMPLEMENTED,
                                    DECIDED + DAY,
                                    ALICE));
        }

        @Test
        void openToRejectedStartsTheCooldownAtDecidedAt() {
            LifecycleOutcome o =
                    lifecycle.onDecision(open(), decision(fired, REJECTED, DECIDED), subject, rule);

            assertThat(o.entry.state).isEqualTo(LifecycleState.REJECTED);
            assertThat(o.entry.quietUntil).isEqualTo(QUIET_UNTIL);
            assertThat(o.entry.nextDue()).isEqualTo(QUIET_UNTIL);
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.REJECTED,
                                    DECIDED,
                                    ALICE));
            assertThat(o.events.get(0).getReason())
                    .isEqualTo(
                            "rejected; the rule stays quiet for vm:vm-1 until "
                                    + Instant.ofEpochMilli(QUIET_UNTIL));
        }

        @Test
        void openToDeferredUntilATime() {
            long until = DECIDED + 7 * DAY;

            LifecycleOutcome o =
                    lifecycle.onDecision(open(), deferral(fired, DECIDED, until), subject, rule);

            assertThat(o.entry.state).isEqualTo(LifecycleState.DEFERRED);
            assertThat(o.entry.deferUntil).isEqualTo(until);
            assertThat(o.entry.nextDue()).isEqualTo(until);
            assertThat(o.entry.expiresAt).isEqualTo(until + 180 * DAY);
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.DEFERRED,
                                    DECIDED,
                                    ALICE));
        }

        @Test
        void deferUntilOneMillisecondAfterTheDecisionIsAccepted() {
            LifecycleOutcome o =
                    lifecycle.onDecision(
                            open(), deferral(fired, DECIDED, DECIDED + 1), subject, rule);

            assertThat(o.decisionRejected).isFalse();
            assertThat(o.entry.deferUntil).isEqualTo(DECIDED + 1);
        }

        @ParameterizedTest
        @EnumSource(
                value = DecisionState.class,
                names = {"APPROVED", "REJECTED", "DEFERRED"})
        void aDeferredEntryCanBeDecidedBeforeItsDeferralEnds(DecisionState asked) {
            long at = DECIDED + DAY;
            Decision d =
                    asked == DEFERRED
                            ? deferral(fired, at, at + 30 * DAY)
                            : decision(fired, asked, at);

            LifecycleOutcome o = lifecycle.onDecision(decided(DEFERRED), d, subject, rule);

            assertThat(o.entry.state).isEqualTo(LifecycleState.valueOf(asked.name()));
            assertThat(o.entry.deferUntil)
                    .isEqualTo(asked == DEFERRED ? at + 30 * DAY : LifecycleEntry.NONE);
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.DEFERRED,
                                    LifecycleState.valueOf(asked.name()),
                                    at,
                                    ALICE));
        }

        @Test
        void aDecisionAtTheFiringInstantIsAccepted() {
            LifecycleOutcome o =
                    lifecycle.onDecision(open(), decision(fired, APPROVED, FIRED), subject, rule);

            assertThat(o.decisionRejected).isFalse();
            assertThat(o.entry.state).isEqualTo(LifecycleState.APPROVED);
        }
    }

    @Nested
    class IllegalDecisions {
        void assertRejected(LifecycleEntry e, Decision d, String reason) {
            List<Object> before = e == null ? null : snapshot(e);
            LifecycleState from = e == null ? null : e.state;

            LifecycleOutcome o = lifecycle.onDecision(e, d, subject, rule);

            assertThat(o.decisionRejected).isTrue();
            assertThat(o.approvals).isEmpty();
            if (e == null) {
                assertThat(o.entry).isNull();
            } else {
                assertThat(snapshot(o.entry)).isEqualTo(before);
            }
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.DECISION_REJECTED,
                                    from,
                                    LifecycleState.valueOf(d.getState().name()),
                                    d.getDecidedAt().toEpochMilli(),
                                    d.getDecidedBy()));
            RecommendationEvent ev = o.events.get(0);
            assertThat(ev.getRecommendationId()).isEqualTo(d.getRecommendationId());
            assertThat(ev.getRuleId()).isEqualTo(rule);
            assertThat(ev.getVmId()).isEqualTo(VM);
            assertThat(ev.getReason()).isEqualTo("decision rejected: " + reason);
        }

        @ParameterizedTest
        @EnumSource(
                value = LifecycleState.class,
                names = {"OPEN", "DEFERRED"})
        void implementedNeedsAnApprovedEntry(LifecycleState state) {
            assertRejected(
                    inState(state),
                    decision(fired, IMPLEMENTED, DECIDED + DAY),
                    state
                            + " -> IMPLEMENTED is not a transition of the lifecycle (only an"
                            + " APPROVED recommendation can be implemented)");
        }

        @ParameterizedTest
        @EnumSource(
                value = DecisionState.class,
                names = {"APPROVED", "REJECTED", "DEFERRED"})
        void anApprovedEntryTakesOnlyImplemented(DecisionState asked) {
            long at = DECIDED + DAY;
            Decision d =
                    asked == DEFERRED ? deferral(fired, at, at + DAY) : decision(fired, asked, at);
            assertRejected(
                    decided(APPROVED),
                    d,
                    "APPROVED -> "
                            + asked
                            + " is not a transition of the lifecycle (a decision is taken on an"
                            + " OPEN or DEFERRED recommendation)");
        }

        @ParameterizedTest
        @EnumSource(DecisionState.class)
        void aRejectedEntryTakesNoDecision(DecisionState asked) {
            long at = DECIDED + DAY;
            Decision d =
                    asked == DEFERRED ? deferral(fired, at, at + DAY) : decision(fired, asked, at);
            String why =
                    asked == IMPLEMENTED
                            ? " (only an APPROVED recommendation can be implemented)"
                            : " (the recommendation was rejected)";
            assertRejected(
                    decided(REJECTED),
                    d,
                    "REJECTED -> " + asked + " is not a transition of the lifecycle" + why);
        }

        @Test
        void deferredWithoutDeferUntil() {
            assertRejected(
                    open(), decision(fired, DEFERRED, DECIDED), "DEFERRED without deferUntil");
        }

        @Test
        void deferUntilAtTheDecisionInstant() {
            assertRejected(
                    open(),
                    deferral(fired, DECIDED, DECIDED),
                    "deferUntil "
                            + Instant.ofEpochMilli(DECIDED)
                            + " is not after decidedAt "
                            + Instant.ofEpochMilli(DECIDED));
        }

        @Test
        void aDecisionOneMillisecondBeforeTheFiring() {
            assertRejected(
                    open(),
                    decision(fired, APPROVED, FIRED - 1),
                    "decided at "
                            + Instant.ofEpochMilli(FIRED - 1)
                            + ", before the recommendation fired at "
                            + Instant.ofEpochMilli(FIRED));
        }

        @Test
        void aDecisionWithoutAName() {
            Decision d = decision(fired, APPROVED, DECIDED);
            d.setDecidedBy(" ");
            assertRejected(open(), d, "decidedBy is empty: every decision names who took it");
        }

        @Test
        void aDecisionOnASuppressedFiringOfTheSameRule() {
            Recommendation suppressed = weeklyAverage(FIRED + 7 * DAY);
            assertRejected(
                    open(),
                    decision(suppressed, APPROVED, FIRED + 8 * DAY),
                    "not the current recommendation of "
                            + rule
                            + " for vm:vm-1: that is "
                            + id
                            + " (OPEN); this one was suppressed or is superseded");
        }

        @Test
        void aDecisionOnAnEntryThatIsGone() {
            assertRejected(
                    null,
                    decision(fired, IMPLEMENTED, DECIDED),
                    "no recommendation of "
                            + rule
                            + " is open for vm:vm-1 at "
                            + Instant.ofEpochMilli(DECIDED)
                            + " (it was implemented, withdrawn, expired, or its rejection cooldown"
                            + " ended)");
        }

        @Test
        void aDecisionAfterTheDecisionWindowFindsTheEntryExpired() {
            LifecycleOutcome o =
                    lifecycle.onDecision(
                            open(), decision(fired, APPROVED, WINDOW_END), subject, rule);

            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.REMINDED,
                                    LifecycleState.OPEN,
                                    LifecycleState.OPEN,
                                    REMINDER_DUE,
                                    "rightsizer"),
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.EXPIRED,
                                    WINDOW_END,
                                    "rightsizer"),
                            tuple(
                                    RecommendationEventKind.DECISION_REJECTED,
                                    null,
                                    LifecycleState.APPROVED,
                                    WINDOW_END,
                                    ALICE));
        }
    }

    @Nested
    class Reminders {
        @Test
        void noReminderOneMillisecondBeforeItIsDue() {
            LifecycleOutcome o = lifecycle.onTimer(open(), REMINDER_DUE - 1);

            assertThat(o.approvals).isEmpty();
            assertThat(o.events).isEmpty();
            assertThat(o.entry.reminderDue).isEqualTo(REMINDER_DUE);
        }

        @Test
        void anUndecidedEntryIsResentOnceWithTheSameIdAsAReminder() {
            LifecycleOutcome o = lifecycle.onTimer(open(), REMINDER_DUE);

            Recommendation again = Recommendation.newBuilder(fired).setReminder(true).build();
            assertThat(o.approvals).containsExactly(again);
            assertThat(o.approvals.get(0).getRecommendationId()).isEqualTo(id);
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.REMINDED,
                                    LifecycleState.OPEN,
                                    LifecycleState.OPEN,
                                    REMINDER_DUE,
                                    "rightsizer"));
            assertThat(o.events.get(0).getReason())
                    .isEqualTo("re-sent as a reminder: no decision 14 days after it fired");
            assertThat(o.entry.reminderDue).isEqualTo(LifecycleEntry.NONE);
            assertThat(o.entry.nextDue()).isEqualTo(WINDOW_END);

            LifecycleOutcome later = lifecycle.onTimer(o.entry, WINDOW_END - 1);
            assertThat(later.approvals).isEmpty();
            assertThat(later.events).isEmpty();
        }

        @Test
        void aDecisionAtTheReminderInstantComesAfterTheReminder() {
            LifecycleOutcome o =
                    lifecycle.onDecision(
                            open(), decision(fired, APPROVED, REMINDER_DUE), subject, rule);

            assertThat(o.approvals).hasSize(1);
            assertThat(o.approvals.get(0).getReminder()).isTrue();
            assertThat(o.events.stream().map(RecommendationEvent::getKind))
                    .containsExactly(
                            RecommendationEventKind.REMINDED, RecommendationEventKind.TRANSITION);
            assertThat(o.entry.state).isEqualTo(LifecycleState.APPROVED);
        }

        @Test
        void aDecisionJustBeforeTheReminderPreventsIt() {
            LifecycleOutcome approved =
                    lifecycle.onDecision(
                            open(), decision(fired, APPROVED, REMINDER_DUE - 1), subject, rule);

            LifecycleOutcome o = lifecycle.onTimer(approved.entry, REMINDER_DUE);

            assertThat(o.approvals).isEmpty();
            assertThat(o.events).isEmpty();
        }
    }

    @Nested
    class Deferrals {
        final long until = DECIDED + 7 * DAY;

        LifecycleEntry deferred() {
            return lifecycle.onDecision(open(), deferral(fired, DECIDED, until), subject, rule)
                    .entry;
        }

        @Test
        void stillDeferredOneMillisecondBeforeDeferUntil() {
            LifecycleOutcome o = lifecycle.onTimer(deferred(), until - 1);

            assertThat(o.entry.state).isEqualTo(LifecycleState.DEFERRED);
            assertThat(o.events).isEmpty();
            assertThat(o.approvals).isEmpty();
        }

        @Test
        void atDeferUntilTheEntryIsOpenAgainAndResentAsAReminder() {
            LifecycleOutcome o = lifecycle.onTimer(deferred(), until);

            assertThat(o.entry.state).isEqualTo(LifecycleState.OPEN);
            assertThat(o.approvals)
                    .containsExactly(Recommendation.newBuilder(fired).setReminder(true).build());
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.DEFERRED,
                                    LifecycleState.OPEN,
                                    until,
                                    "rightsizer"),
                            tuple(
                                    RecommendationEventKind.REMINDED,
                                    LifecycleState.OPEN,
                                    LifecycleState.OPEN,
                                    until,
                                    "rightsizer"));
            assertThat(o.events.get(1).getReason())
                    .isEqualTo("re-sent as a reminder: the deferral ended");
            // The return is the re-send: no second reminder, the entry waits for its window.
            assertThat(o.entry.nextDue()).isEqualTo(until + 180 * DAY);
        }
    }

    @Nested
    class Cooldown {
        LifecycleEntry rejected() {
            return decided(REJECTED);
        }

        @Test
        void aFiringOneMillisecondBeforeTheCooldownEndsIsSuppressed() {
            LifecycleOutcome o = lifecycle.onFiring(rejected(), weeklyAverage(QUIET_UNTIL - 1));

            assertThat(o.suppressed).isTrue();
            assertThat(o.approvals).isEmpty();
            assertThat(o.entry.state).isEqualTo(LifecycleState.REJECTED);
        }

        @Test
        void aFiringAtTheCooldownEndOpensANewEntry() {
            Recommendation next = weeklyAverage(QUIET_UNTIL);

            LifecycleOutcome o = lifecycle.onFiring(rejected(), next);

            assertThat(o.suppressed).isFalse();
            assertThat(o.approvals).containsExactly(next);
            assertThat(o.entry.recommendationId).isEqualTo(next.getRecommendationId());
            assertThat(o.entry.state).isEqualTo(LifecycleState.OPEN);
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.OPENED,
                                    null,
                                    LifecycleState.OPEN,
                                    QUIET_UNTIL,
                                    "rightsizer"));
        }

        @Test
        void theEntryIsForgottenWhenTheCooldownEndsWithoutAnEvent() {
            assertThat(lifecycle.onTimer(rejected(), QUIET_UNTIL - 1).entry).isNotNull();

            LifecycleOutcome o = lifecycle.onTimer(rejected(), QUIET_UNTIL);

            assertThat(o.entry).isNull();
            assertThat(o.events).isEmpty();
        }

        @Test
        void aZeroCooldownLetsTheNextFiringThrough() {
            Lifecycle noCooldown =
                    new Lifecycle(Duration.ofDays(14), Duration.ZERO, Duration.ofDays(180));
            LifecycleEntry e =
                    noCooldown.onDecision(
                                    noCooldown.onFiring(null, fired).entry,
                                    decision(fired, REJECTED, DECIDED),
                                    subject,
                                    rule)
                            .entry;

            assertThat(noCooldown.onFiring(e, weeklyAverage(DECIDED)).suppressed).isFalse();
        }
    }

    @Nested
    class DecisionWindow {
        @Test
        void anOpenEntryExpiresAtTheEndOfItsWindow() {
            LifecycleEntry reminded = lifecycle.onTimer(open(), REMINDER_DUE).entry;
            assertThat(lifecycle.onTimer(reminded, WINDOW_END - 1).entry).isNotNull();

            LifecycleOutcome o = lifecycle.onTimer(reminded, WINDOW_END);

            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.EXPIRED,
                                    WINDOW_END,
                                    "rightsizer"));
            assertThat(o.events.get(0).getReason())
                    .isEqualTo(
                            "expired: OPEN and not decided on within the 180 days decision"
                                    + " window; the rule may fire again");
        }

        @Test
        void anApprovedEntryExpiresAWindowAfterItsApproval() {
            LifecycleEntry approved = decided(APPROVED);

            assertThat(lifecycle.onTimer(approved, DECIDED + 180 * DAY - 1).entry).isNotNull();
            LifecycleOutcome o = lifecycle.onTimer(approved, DECIDED + 180 * DAY);

            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.APPROVED,
                                    LifecycleState.EXPIRED,
                                    DECIDED + 180 * DAY,
                                    "rightsizer"));
        }

        @Test
        void aLateTimerCatchesUpEveryDueInOrderAtItsOwnInstant() {
            LifecycleOutcome o = lifecycle.onTimer(open(), Long.MAX_VALUE - 1);

            assertThat(o.entry).isNull();
            assertThat(o.events.stream().map(LifecycleTest::at))
                    .containsExactly(REMINDER_DUE, WINDOW_END);
        }

        @Test
        void settingsAreChecked() {
            assertThatThrownBy(
                            () ->
                                    new Lifecycle(
                                            Duration.ofDays(14),
                                            Duration.ofDays(30),
                                            Duration.ofDays(14)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "decisionWindow (PT336H) must be longer than reminderAfter (PT336H)");
            assertThatThrownBy(
                            () ->
                                    new Lifecycle(
                                            Duration.ZERO,
                                            Duration.ofDays(30),
                                            Duration.ofDays(180)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reminderAfter must be positive: PT0S");
            assertThatThrownBy(
                            () ->
                                    new Lifecycle(
                                            Duration.ofDays(14),
                                            Duration.ofMillis(-1),
                                            Duration.ofDays(180)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rejectCooldown must be >= 0: PT-0.001S");
        }
    }

    @Nested
    class Inventory {
        LifecycleOutcome seen(LifecycleEntry e, long memory, long storage, long at) {
            return lifecycle.onInventory(e, active(memory, storage), at);
        }

        @ParameterizedTest
        @EnumSource(
                value = LifecycleState.class,
                names = {"OPEN", "APPROVED", "DEFERRED"})
        void moreMemoryConfirmsAMemoryScaleUp(LifecycleState state) {
            long at = DECIDED + DAY;

            LifecycleOutcome o = seen(inState(state), 32 * GIB, 100 * GIB, at);

            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    state,
                                    LifecycleState.IMPLEMENTED,
                                    at,
                                    "rightsizer"));
            assertThat(o.events.get(0).getReason())
                    .isEqualTo("implemented: the inventory shows memory 16.0 GiB -> 32.0 GiB");
        }

        @Test
        void theSameMemoryOrLessDoesNotConfirmAScaleUp() {
            assertThat(seen(open(), 16 * GIB, 200 * GIB, DECIDED).entry.state)
                    .isEqualTo(LifecycleState.OPEN);
            assertThat(seen(open(), 8 * GIB, 100 * GIB, DECIDED).entry.state)
                    .isEqualTo(LifecycleState.OPEN);
        }

        @Test
        void anAllocationEffectiveBeforeTheFiringDoesNotCountOneAtItDoes() {
            assertThat(seen(open(), 32 * GIB, 100 * GIB, FIRED - 1).entry).isNotNull();
            assertThat(seen(open(), 32 * GIB, 100 * GIB, FIRED).entry).isNull();
        }

        @Test
        void lessMemoryConfirmsAMemoryScaleDown() {
            Recommendation down = firing(Rule.WEEKLY_UNDERUSE, FIRED);
            LifecycleEntry e = lifecycle.onFiring(null, down).entry;

            assertThat(seen(e, 16 * GIB, 100 * GIB, DECIDED).entry).isNotNull();
            assertThat(seen(e, 32 * GIB, 100 * GIB, DECIDED).entry).isNotNull();
            assertThat(seen(e, 8 * GIB, 100 * GIB, DECIDED).entry).isNull();
        }

        @Test
        void moreStorageConfirmsAStorageScaleUp() {
            LifecycleEntry e = lifecycle.onFiring(null, firing(Rule.STORAGE_USAGE, FIRED)).entry;

            assertThat(seen(e, 32 * GIB, 100 * GIB, DECIDED).entry).isNotNull();
            LifecycleOutcome o = seen(e, 16 * GIB, 150 * GIB, DECIDED);
            assertThat(o.entry).isNull();
            assertThat(o.events.get(0).getReason())
                    .isEqualTo("implemented: the inventory shows storage 100.0 GiB -> 150.0 GiB");
        }

        @Test
        void aRecommendationWithoutAllocationIsNotConfirmedByTheInventory() {
            Recommendation unknown =
                    Recommendation.newBuilder(fired).setMemoryTotalBytes(null).build();
            LifecycleEntry e = lifecycle.onFiring(null, unknown).entry;

            assertThat(seen(e, 64 * GIB, 100 * GIB, DECIDED).entry).isNotNull();
        }

        @Test
        void decommissioningConfirmsAVmReclaim() {
            LifecycleEntry e = lifecycle.onFiring(null, firing(Rule.VM_INACTIVE, FIRED)).entry;

            assertThat(seen(e, 0, 0, DECIDED).entry).isNotNull();
            LifecycleOutcome o = lifecycle.onInventory(e, decommissioned(), DECIDED);
            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.IMPLEMENTED,
                                    DECIDED,
                                    "rightsizer"));
        }

        @Test
        void decommissioningWithdrawsEveryOtherEntryOfTheVm() {
            LifecycleOutcome o =
                    lifecycle.onInventory(decided(APPROVED), decommissioned(), DECIDED);

            assertThat(o.entry).isNull();
            assertThat(transitions(o))
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.APPROVED,
                                    LifecycleState.WITHDRAWN,
                                    DECIDED,
                                    "rightsizer"));
            assertThat(o.events.get(0).getReason())
                    .isEqualTo("withdrawn: the inventory shows the VM decommissioned");
        }

        @Test
        void decommissioningForgetsARejectionCooldownSilently() {
            LifecycleOutcome o =
                    lifecycle.onInventory(decided(REJECTED), decommissioned(), DECIDED);

            assertThat(o.entry).isNull();
            assertThat(o.events).isEmpty();
        }

        @Test
        void aResizeDoesNotEndARejection() {
            LifecycleOutcome o = seen(decided(REJECTED), 32 * GIB, 100 * GIB, DECIDED + DAY);

            assertThat(o.entry.state).isEqualTo(LifecycleState.REJECTED);
            assertThat(o.events).isEmpty();
        }
    }

    @Test
    void eventIdsAreTheFirst16BytesOfTheSha256OfTheirFields() throws Exception {
        RecommendationEvent opened = lifecycle.onFiring(null, fired).events.get(0);
        byte[] digest =
                MessageDigest.getInstance("SHA-256")
                        .digest(
                                (id + "|OPENED|OPEN|" + FIRED + "|rightsizer")
                                        .getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            hex.append(String.format("%02x", digest[i] & 0xff));
        }

        assertThat(opened.getEventId()).isEqualTo(hex.toString());
        assertThat(Lifecycle.eventId(id, RecommendationEventKind.TRANSITION, null, FIRED, "x"))
                .isEqualTo(
                        Lifecycle.eventId(id, RecommendationEventKind.TRANSITION, null, FIRED, "x"))
                .isNotEqualTo(
                        Lifecycle.eventId(
                                id, RecommendationEventKind.TRANSITION, null, FIRED + 1, "x"));
    }

    @Test
    void anUndecodableDecisionIsAuditedUnderItsKey() {
        RecommendationEvent e = Lifecycle.undecodableDecision("abc", FIRED, "not Avro");

        assertThat(e.getKind()).isEqualTo(RecommendationEventKind.DECISION_REJECTED);
        assertThat(e.getRecommendationId()).isEqualTo("abc");
        assertThat(e.getRuleId()).isNull();
        assertThat(e.getToState()).isNull();
        assertThat(e.getBy()).isEqualTo("rightsizer");
        assertThat(e.getReason()).isEqualTo("decision rejected: not Avro");
        assertThat(Lifecycle.undecodableDecision(null, FIRED, "x").getRecommendationId()).isEmpty();
    }
}
