package io.rightsizer.job;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data center's loop on the live job, end to end on a real broker and a MiniCluster: a
 * recommendation fires with its proposed size, is approved (its repeat is suppressed), another is
 * rejected (its repeat stays quiet for the cooldown), a decision for an unknown id is refused, the
 * inventory shows the approved size (IMPLEMENTED), and the VM is judged at its new size from the
 * next full week, where it fires again with the next size up.
 */
class ApprovalLoopITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    /** Weeks start on Monday 00:00 in the rule set's zone (Asia/Shanghai). */
    static final long W1 = Samples.MON_2026_03_02;

    static final long W2 = W1 + 7 * DAY;
    static final long W3 = W2 + 7 * DAY;
    static final long W4 = W3 + 7 * DAY;
    static final long W5 = W4 + 7 * DAY;

    /** The resize the provider carries out: Wednesday noon of the third week. */
    static final long RESIZED = W3 + 2 * DAY + 12 * HOUR;

    static final long APPROVED_AT = W2 + DAY + 12 * HOUR;
    static final long REJECTED_AT = W3 + 12 * HOUR;
    static final String UNKNOWN_ID = "0".repeat(32);

    static final String BUSY = "vm-busy";
    static final String SPARE = "vm-spare";

    @Test
    void fireDecideSuppressImplementAndJudgeAtTheNewSize() throws Exception {
        Topics t = LiveJobs.Topics.fresh(KAFKA, 1, 1);
        String inventory = KAFKA.freshTopic("vm-inventory", 1);
        String decisions = KAFKA.freshTopic("rightsizing-decisions", 1);
        String events = KAFKA.freshTopic("rightsizing-recommendation-events", 1);
        String notices = KAFKA.freshTopic("rightsizing-notices", 1);
        JobClient job =
                LiveJobs.start(
                        KAFKA,
                        LiveJobs.config(
                                KAFKA,
                                t,
                                Map.of(
                                        "kafka.topics.inventory", inventory,
                                        "kafka.topics.decisions", decisions,
                                        "kafka.topics.recommendation-events", events,
                                        "kafka.topics.notices", notices,
                                        "lifecycle.enabled", "true",
                                        "checkpoint.interval", "300 ms",
                                        "parallelism", "1")),
                        RuleSetParser.parse(Path.of("..", "rules", "article26.yaml")),
                        "approval-loop-it",
                        null);
        try {
            // Week 1 at 85 % of 16 GiB: the weekly average fires when the week closes.
            produceSamples(t, W1, W2 + 2 * HOUR, busy(16, 85));
            Recommendation first = awaitApprovals(t, 1).get(0);
            String r1 = Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY, W2);
            assertThat(first.getRecommendationId()).isEqualTo(r1);
            assertThat(first.getFiredAt()).isEqualTo(Instant.ofEpochMilli(W2));
            assertThat(first.getMemoryTotalBytes()).isEqualTo(16 * GIB);
            assertThat(first.getProposedMemoryBytes()).isEqualTo(32 * GIB);
            assertThat(first.getMajorChange()).isTrue();
            assertThat(first.getReminder()).isFalse();

            // Approved on Tuesday; a decision for an id the job never issued is refused.
            produceDecision(decisions, r1, DecisionState.APPROVED, "ops-anna", APPROVED_AT);
            produceDecision(decisions, UNKNOWN_ID, DecisionState.APPROVED, "ops-anna", APPROVED_AT);
            // Week 2: still busy (its firing is suppressed: the recommendation is approved);
            // vm-spare reports from this week on, mostly idle: a reduction.
            produceSamples(t, W2 + 2 * HOUR, W3 + 2 * HOUR, busy(16, 85), spare());
            List<Recommendation> afterWeek2 = awaitApprovals(t, 2);
            String m2 = Recommendations.id(Rule.WEEKLY_UNDERUSE, SPARE, W3);
            assertThat(afterWeek2)
                    .extracting(Recommendation::getRecommendationId)
                    .containsExactly(r1, m2);
            assertThat(afterWeek2.get(1).getProposedMemoryBytes()).isEqualTo(4 * GIB);

            // The reduction is rejected: vm-spare's next underused weeks stay quiet (cooldown).
            produceDecision(decisions, m2, DecisionState.REJECTED, "ops-ben", REJECTED_AT);
            // The provider resizes vm-busy to 32 GiB on Wednesday of week 3.
            KAFKA.produce(
                    inventory,
                    List.of(
                            record(
                                    BUSY,
                                    SingleObject.encode(
                                            VmAllocation.getEncoder(),
                                            Allocations.active(BUSY, "sys-" + BUSY)
                                                    .setMemoryBytes(32 * GIB)
                                                    .setEffectiveAt(Instant.ofEpochMilli(RESIZED))
                                                    .build()))));
            produceSamples(t, W3 + 2 * HOUR, RESIZED, busy(16, 85), spare());
            // At the new size vm-busy is still at 80 %: week 3 (resized mid-week) is not judged,
            // week 4 is, and asks for the next size up.
            produceSamples(t, RESIZED, RESIZED + HOUR, busy(32, 80), spare());
            awaitEvents(events, es -> es.stream().anyMatch(e -> isImplemented(e, r1)));
            produceSamples(t, RESIZED + HOUR, W5 + 2 * HOUR, busy(32, 80), spare());

            List<Recommendation> all = awaitApprovals(t, 3);
            String r2 = Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY, W5);
            assertThat(all)
                    .extracting(Recommendation::getRecommendationId)
                    .containsExactly(r1, m2, r2);
            Recommendation second = all.get(2);
            assertThat(second.getMemoryTotalBytes()).isEqualTo(32 * GIB);
            assertThat(second.getProposedMemoryBytes()).isEqualTo(64 * GIB);
            assertThat(second.getEvidence().getWeekStart()).isEqualTo(Instant.ofEpochMilli(W4));

            assertThat(awaitEvents(events, es -> es.size() >= 7))
                    .extracting(
                            RecommendationEvent::getKind,
                            RecommendationEvent::getRecommendationId,
                            RecommendationEvent::getFromState,
                            RecommendationEvent::getToState,
                            RecommendationEvent::getBy)
                    .containsExactlyInAnyOrder(
                            tuple(OPENED, r1, null, LifecycleState.OPEN, "rightsizer"),
                            tuple(
                                    TRANSITION,
                                    r1,
                                    LifecycleState.OPEN,
                                    LifecycleState.APPROVED,
                                    "ops-anna"),
                            tuple(
                                    DECISION_REJECTED,
                                    UNKNOWN_ID,
                                    null,
                                    LifecycleState.APPROVED,
                                    "ops-anna"),
                            tuple(OPENED, m2, null, LifecycleState.OPEN, "rightsizer"),
                            tuple(
                                    TRANSITION,
                                    m2,
                                    LifecycleState.OPEN,
                                    LifecycleState.REJECTED,
                                    "ops-ben"),
                            tuple(
                                    TRANSITION,
                                    r1,
                                    LifecycleState.APPROVED,
                                    LifecycleState.IMPLEMENTED,
                                    "rightsizer"),
                            tuple(OPENED, r2, null, LifecycleState.OPEN, "rightsizer"));
        } finally {
            job.cancel().get();
        }
    }

    static final RecommendationEventKind OPENED = RecommendationEventKind.OPENED;
    static final RecommendationEventKind TRANSITION = RecommendationEventKind.TRANSITION;
    static final RecommendationEventKind DECISION_REJECTED =
            RecommendationEventKind.DECISION_REJECTED;

    static boolean isImplemented(RecommendationEvent e, String id) {
        return e.getRecommendationId().equals(id) && e.getToState() == LifecycleState.IMPLEMENTED;
    }

    /** A VM's memory: its size in GiB and the share of it used. */
    record Series(String vm, long memoryGib, double pct) {}

    static Series busy(long gib, double pct) {
        return new Series(BUSY, gib, pct);
    }

    static Series spare() {
        return new Series(SPARE, 16, 15);
    }

    /**
     * One sample of each series every 30 minutes in [from, until), in timestamp order: the
     * telemetry topic has one partition, so a sample behind the watermark would be late.
     */
    static void produceSamples(Topics t, long from, long until, Series... series) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long ts = from; ts < until; ts += 30 * MINUTE) {
            for (Series x : series) {
                Sample s = Samples.running(x.vm(), "sys-" + x.vm(), ts, 0);
                s.memoryTotalBytes = x.memoryGib() * GIB;
                s.memoryUsedBytes = Math.round(s.memoryTotalBytes * x.pct() / 100.0);
                records.add(record(x.vm(), SampleCodec.encode(s)));
            }
        }
        KAFKA.produce(t.metrics(), records);
    }

    static void produceDecision(
            String topic, String id, DecisionState state, String by, long decidedAt) {
        Decision d =
                Decision.newBuilder()
                        .setRecommendationId(id)
                        .setState(state)
                        .setDecidedBy(by)
                        .setDecidedAt(Instant.ofEpochMilli(decidedAt))
                        .build();
        ProducerRecord<byte[], byte[]> r = DecisionSerializer.record(topic, d);
        KAFKA.produce(topic, List.of(r));
    }

    static List<Recommendation> awaitApprovals(Topics t, int expected) {
        return KAFKA.readCommitted(
                t.recommendations(),
                r -> RecommendationSerializer.decode(r.value()),
                expected,
                Duration.ofSeconds(90),
                Duration.ofSeconds(2));
    }

    static List<RecommendationEvent> awaitEvents(
            String topic, Predicate<List<RecommendationEvent>> done) {
        List<RecommendationEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readCommitted(
                        topic,
                        rs -> done.test(decodeEvents(rs)),
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(2))) {
            out.add(RecommendationEventSerializer.decode(r.value()));
        }
        assertThat(done.test(out)).as("events so far: %s", out).isTrue();
        return out;
    }

    static List<RecommendationEvent> decodeEvents(List<ConsumerRecord<byte[], byte[]>> rs) {
        return rs.stream().map(r -> RecommendationEventSerializer.decode(r.value())).toList();
    }

    static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>("unused", key.getBytes(StandardCharsets.UTF_8), value);
    }
}
