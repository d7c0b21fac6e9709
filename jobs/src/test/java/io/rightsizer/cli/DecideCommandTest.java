package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.testing.Cli;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What `rightsizer decide` publishes for its arguments, and what it refuses before Kafka. */
class DecideCommandTest {
    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-03-10T09:15:00.123456Z");
    private static final Instant NOW_MS = Instant.parse("2026-03-10T09:15:00.123Z");

    @Test
    void approveIsDecidedNowCutToMilliseconds() {
        Decision d = DecideCommand.decision(ID, "approve", " alice ", null, null, null, NOW);

        assertThat(d)
                .isEqualTo(
                        Decision.newBuilder()
                                .setRecommendationId(ID)
                                .setState(DecisionState.APPROVED)
                                .setDecidedBy("alice")
                                .setDecidedAt(NOW_MS)
                                .setComment(null)
                                .setDeferUntil(null)
                                .build());
    }

    @Test
    void eachVerbIsItsState() {
        assertThat(DecideCommand.decision(ID, "reject", "bob", null, "keep", null, NOW).getState())
                .isEqualTo(DecisionState.REJECTED);
        assertThat(
                        DecideCommand.decision(ID, "implemented", "bob", null, null, null, NOW)
                                .getState())
                .isEqualTo(DecisionState.IMPLEMENTED);
        assertThat(
                        DecideCommand.decision(
                                        ID,
                                        "defer",
                                        "bob",
                                        "2026-03-17T00:00:00+08:00",
                                        null,
                                        null,
                                        NOW)
                                .getState())
                .isEqualTo(DecisionState.DEFERRED);
    }

    @Test
    void deferKeepsItsEndAndTheCommentAndAtBackfillsTheTime() {
        Decision d =
                DecideCommand.decision(
                        ID,
                        "defer",
                        "carol",
                        "2026-03-17T00:00:00+08:00",
                        "after the tax season",
                        "2026-03-01T12:00:00Z",
                        NOW);

        assertThat(d.getDecidedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(d.getDeferUntil()).isEqualTo(Instant.parse("2026-03-16T16:00:00Z"));
        assertThat(d.getComment()).isEqualTo("after the tax season");
    }

    @Test
    void deferUntilMustBeStrictlyAfterTheDecision() {
        assertThatThrownBy(
                        () ->
                                DecideCommand.decision(
                                        ID,
                                        "defer",
                                        "carol",
                                        "2026-03-01T12:00:00Z",
                                        null,
                                        "2026-03-01T12:00:00Z",
                                        NOW))
                .hasMessage(
                        "--until 2026-03-01T12:00:00Z must be after the decision's time"
                                + " 2026-03-01T12:00:00Z (--at)");
        Decision oneMsLater =
                DecideCommand.decision(
                        ID,
                        "defer",
                        "carol",
                        "2026-03-01T12:00:00.001Z",
                        null,
                        "2026-03-01T12:00:00Z",
                        NOW);
        assertThat(oneMsLater.getDeferUntil()).isEqualTo(Instant.parse("2026-03-01T12:00:00.001Z"));
        assertThatThrownBy(
                        () ->
                                DecideCommand.decision(
                                        ID,
                                        "defer",
                                        "carol",
                                        "2026-03-10T09:15:00.123Z",
                                        null,
                                        null,
                                        NOW))
                .hasMessage(
                        "--until 2026-03-10T09:15:00.123Z must be after the decision's time"
                                + " 2026-03-10T09:15:00.123Z (now)");
    }

    @Test
    void refusesWhatIsNotADecision() {
        assertThatThrownBy(() -> DecideCommand.decision(ID, "defer", "c", null, null, null, NOW))
                .hasMessage(
                        "defer needs --until INSTANT: when the recommendation becomes OPEN again");
        assertThatThrownBy(
                        () ->
                                DecideCommand.decision(
                                        ID,
                                        "approve",
                                        "c",
                                        "2026-03-17T00:00:00Z",
                                        null,
                                        null,
                                        NOW))
                .hasMessage("--until is for defer only; approve takes no end");
        assertThatThrownBy(() -> DecideCommand.decision(ID, "Approve", "c", null, null, null, NOW))
                .hasMessage("'Approve' is not a decision: approve, reject, defer or implemented");
        assertThatThrownBy(() -> DecideCommand.decision(ID, "approve", " ", null, null, null, NOW))
                .hasMessage("--by must name who decides");
        assertThatThrownBy(
                        () ->
                                DecideCommand.decision(
                                        ID, "approve", "c", null, null, "2026-03-01", NOW))
                .hasMessage(
                        "--at: '2026-03-01' is not an ISO-8601 instant such as"
                                + " 2026-10-01T00:00:00Z or 2026-10-01T08:00:00+08:00");
        assertThatThrownBy(
                        () ->
                                DecideCommand.decision(
                                        ID,
                                        "approve",
                                        "c",
                                        null,
                                        null,
                                        "2026-03-01T00:00:00.0001Z",
                                        NOW))
                .hasMessage("--at: '2026-03-01T00:00:00.0001Z' is more precise than a millisecond");
    }

    @Test
    void theIdIsThirtyTwoLowercaseHexDigits() {
        for (String bad :
                new String[] {
                    ID.toUpperCase(), ID.substring(1), ID + "0", "0123456789abcdef0123456789abcdeg"
                }) {
            assertThatThrownBy(
                            () ->
                                    DecideCommand.decision(
                                            bad, "approve", "c", null, null, null, NOW))
                    .as(bad)
                    .hasMessage(
                            "'"
                                    + bad
                                    + "' is not a recommendation id: 32 lowercase hex digits, the"
                                    + " recommendationId `rightsizer tail --json` shows");
        }
    }

    @Test
    void aUsageErrorExitsTwoBeforeTalkingToKafka() {
        Cli.Run run =
                Cli.run(
                        "decide",
                        ID,
                        "defer",
                        "--by",
                        "alice",
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines().get(0))
                .isEqualTo(
                        "defer needs --until INSTANT: when the recommendation becomes OPEN again");
        assertThat(run.out()).isEmpty();
    }
}
