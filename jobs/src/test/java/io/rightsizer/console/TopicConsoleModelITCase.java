package io.rightsizer.console;

import static io.rightsizer.console.ConsoleRecords.APPROVED;
import static io.rightsizer.console.ConsoleRecords.APPROVED_AT;
import static io.rightsizer.console.ConsoleRecords.DEFERRED;
import static io.rightsizer.console.ConsoleRecords.DEFERRED_AT;
import static io.rightsizer.console.ConsoleRecords.DEFERRED_UNTIL;
import static io.rightsizer.console.ConsoleRecords.EMERGENCY;
import static io.rightsizer.console.ConsoleRecords.LATE_APPROVAL_AT;
import static io.rightsizer.console.ConsoleRecords.NOW;
import static io.rightsizer.console.ConsoleRecords.REJECTED;
import static io.rightsizer.console.ConsoleRecords.REJECTED_AT;
import static io.rightsizer.console.ConsoleRecords.WEEKLY;
import static io.rightsizer.console.ConsoleRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.console.ConsoleModel.DecisionRequest;
import io.rightsizer.console.ConsoleModel.InboxFilter;
import io.rightsizer.console.ConsoleModel.InboxItem;
import io.rightsizer.console.ConsoleModel.Published;
import io.rightsizer.console.ConsoleModel.RecommendationDetail;
import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's model on a real broker: what the job wrote to its topics becomes the inbox, the
 * pages, the notices and the silent VMs; a restarted model shows the same; a decision goes out as
 * `rightsizer decide` sends it, and one the console refuses goes nowhere.
 */
class TopicConsoleModelITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    String recommendations;
    String events;
    String decisions;
    String notices;
    String dataQuality;
    String rules;
    ConsoleSettings settings;

    @BeforeEach
    void freshTopics() throws Exception {
        recommendations = KAFKA.freshTopic("rightsizing-recommendations", 2);
        events = KAFKA.freshTopic("rightsizing-recommendation-events", 2);
        decisions = KAFKA.freshTopic("rightsizing-decisions", 1);
        notices = KAFKA.freshTopic("rightsizing-notices", 1);
        dataQuality = KAFKA.freshTopic("rightsizing-data-quality", 1);
        rules = KAFKA.freshTopic("rightsizing-rules", 1);
        Map<String, String> values =
                ConsoleRecords.topics(
                        recommendations, events, decisions, notices, dataQuality, rules);
        values.put("kafka.bootstrap-servers", KAFKA.bootstrapServers());
        settings = ConsoleRecords.settings(KAFKA, JobConfig.of(values), null);
    }

    /** The five recommendations' records, trails and the deferral's decision; notices; quality. */
    void writeTheJobsRecords() {
        KAFKA.produce(
                recommendations,
                List.of(
                        record(WEEKLY),
                        record(EMERGENCY),
                        record(DEFERRED),
                        record(APPROVED),
                        record(REJECTED)));
        KAFKA.produce(
                events,
                List.of(
                        record(ConsoleRecords.opened(WEEKLY)),
                        record(ConsoleRecords.opened(EMERGENCY)),
                        record(ConsoleRecords.opened(DEFERRED)),
                        record(
                                ConsoleRecords.transition(
                                        DEFERRED,
                                        LifecycleState.OPEN,
                                        LifecycleState.DEFERRED,
                                        DEFERRED_AT,
                                        "ops-ben")),
                        record(ConsoleRecords.opened(APPROVED)),
                        record(
                                ConsoleRecords.transition(
                                        APPROVED,
                                        LifecycleState.OPEN,
                                        LifecycleState.APPROVED,
                                        APPROVED_AT,
                                        "ops-anna")),
                        record(ConsoleRecords.opened(REJECTED)),
                        record(
                                ConsoleRecords.transition(
                                        REJECTED,
                                        LifecycleState.OPEN,
                                        LifecycleState.REJECTED,
                                        REJECTED_AT,
                                        "ops-ben")),
                        record(
                                ConsoleRecords.refused(
                                        REJECTED,
                                        LifecycleState.REJECTED,
                                        LifecycleState.APPROVED,
                                        LATE_APPROVAL_AT,
                                        "ops-anna"))));
        KAFKA.produce(decisions, List.of(record(ConsoleRecords.deferral())));
        KAFKA.produce(
                notices,
                List.of(
                        record(
                                ConsoleRecords.notice(
                                        "n-old", "vm-a", Instant.parse("2026-03-01T00:00:00Z"))),
                        record(
                                ConsoleRecords.notice(
                                        "n-new", "vm-b", Instant.parse("2026-03-05T00:00:00Z")))));
        KAFKA.produce(
                dataQuality,
                List.of(
                        record(
                                ConsoleRecords.quality(
                                        "vm-silent",
                                        DataQualityKind.TELEMETRY_SILENT,
                                        Instant.parse("2026-03-08T01:00:00Z"))),
                        record(
                                ConsoleRecords.quality(
                                        "vm-back",
                                        DataQualityKind.TELEMETRY_SILENT,
                                        Instant.parse("2026-03-08T01:00:00Z"))),
                        record(
                                ConsoleRecords.quality(
                                        "vm-back",
                                        DataQualityKind.TELEMETRY_RESUMED,
                                        Instant.parse("2026-03-08T05:00:00Z")))));
    }

    @Test
    void theJobsTopicsBecomeTheInboxThePagesTheNoticesAndTheSilentVms() throws Exception {
        writeTheJobsRecords();
        try (TopicConsoleModel model = TopicConsoleModel.start(settings, CLOCK)) {
            awaitReady(model);
            assertThat(model.loading().recordsRead()).isEqualTo(20);
            assertTheView(model);
        }
    }

    @Test
    void aRestartedModelRebuildsTheSameView() throws Exception {
        writeTheJobsRecords();
        List<InboxItem> before;
        RecommendationDetail rejected;
        try (TopicConsoleModel model = TopicConsoleModel.start(settings, CLOCK)) {
            awaitReady(model);
            before = model.inbox(InboxFilter.any());
            rejected = model.recommendation(REJECTED.getRecommendationId()).orElseThrow();
        }
        try (TopicConsoleModel again = TopicConsoleModel.start(settings, CLOCK)) {
            awaitReady(again);
            assertThat(again.inbox(InboxFilter.any())).isEqualTo(before);
            assertThat(again.recommendation(REJECTED.getRecommendationId())).contains(rejected);
            assertTheView(again);
        }
    }

    @Test
    void whatArrivesAfterLoadingShowsToo() throws Exception {
        try (TopicConsoleModel model = TopicConsoleModel.start(settings, CLOCK)) {
            awaitReady(model);
            assertThat(model.inbox(InboxFilter.any())).isEmpty();
            assertThat(model.loading().recordsRead()).isZero();
            writeTheJobsRecords();
            await(() -> model.loading().recordsRead() == 20, model);
            assertTheView(model);
        }
    }

    void assertTheView(TopicConsoleModel model) {
        assertThat(model.inbox(InboxFilter.any()))
                .extracting(
                        i -> i.recommendation().getRecommendationId(),
                        InboxItem::state,
                        InboxItem::stateSince,
                        InboxItem::deferredUntil)
                .containsExactly(
                        tuple(
                                EMERGENCY.getRecommendationId(),
                                LifecycleState.OPEN,
                                EMERGENCY.getFiredAt(),
                                null),
                        tuple(
                                DEFERRED.getRecommendationId(),
                                LifecycleState.DEFERRED,
                                DEFERRED_AT,
                                DEFERRED_UNTIL),
                        tuple(
                                APPROVED.getRecommendationId(),
                                LifecycleState.APPROVED,
                                APPROVED_AT,
                                null),
                        tuple(
                                WEEKLY.getRecommendationId(),
                                LifecycleState.OPEN,
                                WEEKLY.getFiredAt(),
                                null));
        assertThat(ids(model, new InboxFilter("unit-1", null, null, null, null)))
                .containsExactly(DEFERRED.getRecommendationId(), WEEKLY.getRecommendationId());
        assertThat(ids(model, new InboxFilter(null, "sys-2", null, null, null)))
                .containsExactly(EMERGENCY.getRecommendationId(), APPROVED.getRecommendationId());
        assertThat(ids(model, new InboxFilter(null, null, WEEKLY.getRuleId(), null, null)))
                .containsExactly(APPROVED.getRecommendationId(), WEEKLY.getRecommendationId());
        assertThat(ids(model, new InboxFilter(null, null, null, Action.SCALE_DOWN, null)))
                .containsExactly(DEFERRED.getRecommendationId());
        assertThat(ids(model, new InboxFilter(null, null, null, null, LifecycleState.OPEN)))
                .containsExactly(EMERGENCY.getRecommendationId(), WEEKLY.getRecommendationId());
        assertThat(ids(model, new InboxFilter(null, null, null, null, LifecycleState.REJECTED)))
                .isEmpty();

        RecommendationDetail closed =
                model.recommendation(REJECTED.getRecommendationId()).orElseThrow();
        assertThat(closed.item().recommendation()).isEqualTo(REJECTED);
        assertThat(closed.item().state()).isEqualTo(LifecycleState.REJECTED);
        assertThat(closed.item().openedAt()).isEqualTo(REJECTED.getFiredAt());
        assertThat(closed.item().stateSince()).isEqualTo(REJECTED_AT);
        assertThat(closed.trail())
                .extracting(
                        RecommendationEvent::getKind,
                        RecommendationEvent::getToState,
                        RecommendationEvent::getBy)
                .containsExactly(
                        tuple(RecommendationEventKind.OPENED, LifecycleState.OPEN, "rightsizer"),
                        tuple(
                                RecommendationEventKind.TRANSITION,
                                LifecycleState.REJECTED,
                                "ops-ben"),
                        tuple(
                                RecommendationEventKind.DECISION_REJECTED,
                                LifecycleState.APPROVED,
                                "ops-anna"));
        assertThat(model.recommendation("0".repeat(32))).isEmpty();

        assertThat(model.notices())
                .extracting(TimeLimitNotice::getNoticeId)
                .containsExactly("n-new", "n-old");
        assertThat(model.silentVms())
                .extracting(DataQualityEvent::getVmId)
                .containsExactly("vm-silent");
        assertThat(model.undecodable()).isZero();
    }

    @Test
    void aDecisionGoesOutAsRightsizerDecideSendsItAndARefusedOneGoesNowhere() throws Exception {
        writeTheJobsRecords();
        String id = WEEKLY.getRecommendationId();
        try (TopicConsoleModel model = TopicConsoleModel.start(settings, CLOCK)) {
            awaitReady(model);
            List<DecisionRequest> refused =
                    List.of(
                            new DecisionRequest(id, DecisionState.REJECTED, "ops-ben", null, null),
                            new DecisionRequest(id, DecisionState.REJECTED, "ops-ben", "  ", null),
                            new DecisionRequest(id, DecisionState.DEFERRED, "ops-ben", null, null),
                            new DecisionRequest(id, DecisionState.DEFERRED, "ops-ben", null, NOW),
                            new DecisionRequest(
                                    id,
                                    DecisionState.APPROVED,
                                    "ops-ben",
                                    null,
                                    NOW.plus(Duration.ofDays(1))),
                            new DecisionRequest(id, DecisionState.APPROVED, " ", null, null),
                            new DecisionRequest(
                                    "1".repeat(32), DecisionState.APPROVED, "ops-ben", null, null),
                            new DecisionRequest(
                                    "not-an-id", DecisionState.APPROVED, "ops-ben", null, null));
            List<String> messages =
                    refused.stream()
                            .map(
                                    q -> {
                                        try {
                                            model.decide(q);
                                            return "published";
                                        } catch (ConsoleException e) {
                                            return e.getMessage();
                                        }
                                    })
                            .toList();
            assertThat(messages)
                    .containsExactly(
                            "a rejection needs its reason in the comment",
                            "a rejection needs its reason in the comment",
                            "a deferral needs the date the recommendation becomes open again",
                            "a deferral must end in the future: " + NOW + " is not",
                            "only a deferral has an end date",
                            "a decision needs the name of who decides",
                            "recommendation " + "1".repeat(32) + " is unknown; nothing published",
                            "'not-an-id' is not a recommendation id: 32 lowercase hex digits, the"
                                    + " recommendationId `rightsizer tail --json` shows");

            Published p =
                    model.decide(
                            new DecisionRequest(
                                    id,
                                    DecisionState.DEFERRED,
                                    " ops-anna ",
                                    " after the audit ",
                                    DEFERRED_UNTIL));
            assertThat(p).isEqualTo(new Published(id, 0, 1, NOW));
        }
        // The deferral written before the test, then the one decision: nothing else.
        List<ConsumerRecord<byte[], byte[]>> written =
                KAFKA.readCommitted(decisions, rs -> rs.size() >= 2, WAIT, Duration.ofSeconds(1));
        assertThat(written).hasSize(2);
        ConsumerRecord<byte[], byte[]> sent = written.get(1);
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(sent.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(DecisionSerializer.decode(sent.value(), sent.headers()))
                .isEqualTo(
                        Decision.newBuilder()
                                .setRecommendationId(id)
                                .setState(DecisionState.DEFERRED)
                                .setDecidedBy("ops-anna")
                                .setDecidedAt(NOW)
                                .setComment("after the audit")
                                .setDeferUntil(DEFERRED_UNTIL)
                                .build());
    }

    static List<String> ids(TopicConsoleModel model, InboxFilter f) {
        return model.inbox(f).stream().map(i -> i.recommendation().getRecommendationId()).toList();
    }

    static void awaitReady(ConsoleModel model) throws InterruptedException {
        await(() -> model.loading().ready(), model);
    }

    static void await(BooleanSupplier condition, ConsoleModel model) throws InterruptedException {
        await(condition, model, WAIT);
    }

    static void await(BooleanSupplier condition, ConsoleModel model, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait + ": " + model.loading());
            }
            Thread.sleep(50);
        }
    }
}
