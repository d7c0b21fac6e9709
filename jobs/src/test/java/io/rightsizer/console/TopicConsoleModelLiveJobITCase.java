package io.rightsizer.console;

import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.console.ConsoleModel.DecisionRequest;
import io.rightsizer.console.ConsoleModel.InboxFilter;
import io.rightsizer.console.ConsoleModel.InboxItem;
import io.rightsizer.console.ConsoleModel.RecommendationDetail;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Samples;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console beside the live job: a recommendation the job fired shows in the inbox; two people
 * approve it at once; the job applies the first (its APPROVED transition arrives in the model) and
 * refuses the second, whose refusal arrives on the trail with the job's reason.
 */
class TopicConsoleModelLiveJobITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    /** Weeks start on Monday 00:00 in the rule set's zone (Asia/Shanghai). */
    static final long W1 = Samples.MON_2026_03_02;

    static final long W2 = W1 + 7 * 24 * HOUR;

    /** The telemetry reaches this far, so the job's watermark passes the decisions' time. */
    static final long SAMPLES_END = W2 + 4 * HOUR;

    /** When both people decide: an hour after the firing, behind the watermark. */
    static final Instant DECIDED_AT = Instant.ofEpochMilli(W2 + HOUR);

    static final String BUSY = "vm-busy";

    /** A deadline for the job on a loaded machine (it usually takes a few seconds). */
    static final Duration JOB_WAIT = Duration.ofSeconds(90);

    @Test
    void theJobsTransitionAndItsRefusalOfTheSecondDecisionArriveInTheModel() throws Exception {
        Topics t = LiveJobs.Topics.freshWithRules(KAFKA, 1, 1);
        Map<String, String> topics =
                Map.of(
                        "kafka.topics.inventory", KAFKA.freshTopic("vm-inventory", 1),
                        "kafka.topics.decisions", KAFKA.freshTopic("rightsizing-decisions", 1),
                        "kafka.topics.recommendation-events",
                                KAFKA.freshTopic("rightsizing-recommendation-events", 1),
                        "kafka.topics.notices", KAFKA.freshTopic("rightsizing-notices", 1),
                        "lifecycle.enabled", "true",
                        "checkpoint.interval", "300 ms",
                        "parallelism", "1");
        JobConfig cfg = LiveJobs.config(KAFKA, t, topics);
        JobClient job =
                LiveJobs.start(
                        KAFKA,
                        cfg,
                        RuleSetParser.parse(Path.of("..", "rules", "article26.yaml")),
                        "console-model-it",
                        null);
        ConsoleSettings settings = ConsoleRecords.settings(KAFKA, cfg, null);
        try (TopicConsoleModel model =
                TopicConsoleModel.start(settings, Clock.fixed(DECIDED_AT, ZoneOffset.UTC))) {
            // Week 1 at 85 % of 16 GiB: the weekly average fires when the week closes.
            produceSamples(t, W1, SAMPLES_END);
            String id = Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY, W2);
            try {
                TopicConsoleModelITCase.await(
                        () -> !model.inbox(InboxFilter.any()).isEmpty(), model, JOB_WAIT);
            } catch (AssertionError e) {
                // Whether the job wrote nothing or the model did not read it.
                throw new AssertionError(
                        e.getMessage()
                                + "; on the approval topic: "
                                + KAFKA.readCommitted(
                                                t.recommendations(),
                                                rs -> false,
                                                Duration.ofSeconds(2),
                                                Duration.ZERO)
                                        .size()
                                + " committed records; job "
                                + job.getJobStatus().get(),
                        e);
            }
            assertThat(model.inbox(InboxFilter.any()))
                    .extracting(i -> i.recommendation().getRecommendationId(), InboxItem::state)
                    .containsExactly(tuple(id, LifecycleState.OPEN));

            model.decide(new DecisionRequest(id, DecisionState.APPROVED, "ops-anna", null, null));
            model.decide(new DecisionRequest(id, DecisionState.APPROVED, "ops-ben", null, null));

            TopicConsoleModelITCase.await(() -> trail(model, id).size() >= 3, model, JOB_WAIT);
            RecommendationDetail d = model.recommendation(id).orElseThrow();
            assertThat(d.item().state()).isEqualTo(LifecycleState.APPROVED);
            assertThat(d.item().stateSince()).isEqualTo(DECIDED_AT);
            assertThat(d.trail())
                    .extracting(
                            RecommendationEvent::getKind,
                            RecommendationEvent::getFromState,
                            RecommendationEvent::getToState,
                            RecommendationEvent::getBy)
                    .containsExactly(
                            tuple(
                                    RecommendationEventKind.OPENED,
                                    null,
                                    LifecycleState.OPEN,
                                    "rightsizer"),
                            tuple(
                                    RecommendationEventKind.TRANSITION,
                                    LifecycleState.OPEN,
                                    LifecycleState.APPROVED,
                                    "ops-anna"),
                            tuple(
                                    RecommendationEventKind.DECISION_REJECTED,
                                    LifecycleState.APPROVED,
                                    LifecycleState.APPROVED,
                                    "ops-ben"));
            assertThat(d.trail().get(2).getReason())
                    .isEqualTo(
                            "decision rejected: APPROVED -> APPROVED is not a transition of the"
                                    + " lifecycle (a"
                                    + " decision is taken on an OPEN or DEFERRED recommendation)");
            assertThat(
                            model.inbox(
                                    new InboxFilter(
                                            null, null, null, null, LifecycleState.APPROVED)))
                    .extracting(i -> i.recommendation().getRecommendationId())
                    .containsExactly(id);
        } finally {
            job.cancel().get();
        }
    }

    static List<RecommendationEvent> trail(TopicConsoleModel model, String id) {
        return model.recommendation(id).map(RecommendationDetail::trail).orElse(List.of());
    }

    /** vm-busy at 85 % of 16 GiB every 30 minutes in [from, until), in timestamp order. */
    static void produceSamples(Topics t, long from, long until) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long ts = from; ts < until; ts += 30 * MINUTE) {
            Sample s = Samples.running(BUSY, "sys-" + BUSY, ts, 0);
            s.memoryTotalBytes = 16 * GIB;
            s.memoryUsedBytes = Math.round(s.memoryTotalBytes * 0.85);
            records.add(ConsoleRecords.keyed(BUSY, SampleCodec.encode(s)));
        }
        KAFKA.produce(t.metrics(), records);
    }
}
