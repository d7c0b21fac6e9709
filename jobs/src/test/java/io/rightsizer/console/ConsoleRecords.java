package io.rightsizer.console;

import io.rightsizer.job.codec.DataQualitySerializer;
import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.job.codec.NoticeSerializer;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the job writes for the console, with named instants: five recommendations in every state the
 * inbox distinguishes, their audit trails, a deferral's decision, two notices and two VMs' data
 * quality.
 */
final class ConsoleRecords {
    private ConsoleRecords() {}

    static final long GIB = 1L << 30;

    /** Monday 2026-03-09 00:00 in Shanghai: the weekly rules' firing. */
    static final Instant WEEK_CLOSED = Instant.parse("2026-03-08T16:00:00Z");

    static final Instant WEEK_START = WEEK_CLOSED.minus(Duration.ofDays(7));

    /** When the console decides in these tests: Wednesday after the firing. */
    static final Instant NOW = Instant.parse("2026-03-11T02:00:00Z");

    static final Instant DEFERRED_AT = Instant.parse("2026-03-10T01:00:00Z");
    static final Instant DEFERRED_UNTIL = Instant.parse("2026-04-01T00:00:00Z");
    static final Instant APPROVED_AT = Instant.parse("2026-03-09T03:00:00Z");
    static final Instant REJECTED_AT = Instant.parse("2026-03-09T04:00:00Z");
    static final Instant LATE_APPROVAL_AT = Instant.parse("2026-03-09T05:00:00Z");

    /** Weekly average, vm-a, unit-1: OPEN. */
    static final Recommendation WEEKLY = weekly(Rule.WEEKLY_AVERAGE, "vm-a", "sys-1", "unit-1");

    /** Storage emergency, vm-b, unit-2, fired last: OPEN, and first in the inbox. */
    static final Recommendation EMERGENCY =
            Recommendation.newBuilder(weekly(Rule.STORAGE_EMERGENCY, "vm-b", "sys-2", "unit-2"))
                    .setRecommendationId(
                            Recommendations.id(
                                    Rule.STORAGE_EMERGENCY,
                                    "vm-b",
                                    WEEK_CLOSED.plus(Duration.ofHours(2)).toEpochMilli()))
                    .setFiredAt(WEEK_CLOSED.plus(Duration.ofHours(2)))
                    .setEvidence(Evidence.newBuilder().setStoragePct(93.0).build())
                    .setEmergency(true)
                    .setPriority(Recommendations.PRIORITY_EMERGENCY)
                    .build();

    /** Weekly underuse of the week before, vm-c, unit-1: DEFERRED. */
    static final Recommendation DEFERRED =
            fired(
                    weekly(Rule.WEEKLY_UNDERUSE, "vm-c", "sys-1", "unit-1"),
                    WEEK_CLOSED.minus(Duration.ofDays(7)));

    /** Weekly average of vm-d three days before, unit-2: APPROVED. */
    static final Recommendation APPROVED =
            fired(
                    weekly(Rule.WEEKLY_AVERAGE, "vm-d", "sys-2", "unit-2"),
                    WEEK_CLOSED.minus(Duration.ofDays(3)));

    /** Weekly underuse of vm-e: REJECTED, then an approval refused. */
    static final Recommendation REJECTED = weekly(Rule.WEEKLY_UNDERUSE, "vm-e", "sys-3", "unit-1");

    static Recommendation weekly(Rule rule, String vm, String system, String unit) {
        return Recommendation.newBuilder()
                .setRecommendationId(Recommendations.id(rule, vm, WEEK_CLOSED.toEpochMilli()))
                .setRuleId(rule.id())
                .setRuleSetVersion("2026.11.0")
                .setRegulation(rule.regulation())
                .setAction(rule.action())
                .setResource(rule.resource())
                .setVmId(vm)
                .setSystemId(system)
                .setUnitId(unit)
                .setFiredAt(WEEK_CLOSED)
                .setEvidence(
                        Evidence.newBuilder()
                                .setWeekStart(WEEK_START)
                                .setWeekEnd(WEEK_CLOSED)
                                .setWeeklyAveragePct(74.2)
                                .setWeeklyPeakPct(81.0)
                                .setCoveredHours(168)
                                .build())
                .setReason(rule.id() + " of " + vm)
                .setMemoryTotalBytes(16 * GIB)
                .setStorageTotalBytes(200 * GIB)
                .setPriority(Recommendations.PRIORITY_SCALE_UP)
                .build();
    }

    /** {@code r} fired at {@code at} (its id and week follow). */
    static Recommendation fired(Recommendation r, Instant at) {
        return Recommendation.newBuilder(r)
                .setRecommendationId(
                        Recommendations.id(
                                Rule.byId(r.getRuleId()).orElseThrow(),
                                r.getVmId(),
                                at.toEpochMilli()))
                .setFiredAt(at)
                .setEvidence(
                        Evidence.newBuilder(r.getEvidence())
                                .setWeekStart(at.minus(Duration.ofDays(7)))
                                .setWeekEnd(at)
                                .build())
                .build();
    }

    static RecommendationEvent opened(Recommendation r) {
        return event(r, RecommendationEventKind.OPENED, null, LifecycleState.OPEN)
                .setAt(r.getFiredAt())
                .setBy(Lifecycle.ENGINE)
                .setReason("sent for approval: " + r.getReason())
                .build();
    }

    static RecommendationEvent transition(
            Recommendation r, LifecycleState from, LifecycleState to, Instant at, String by) {
        return event(r, RecommendationEventKind.TRANSITION, from, to)
                .setAt(at)
                .setBy(by)
                .setReason(to.name().toLowerCase(java.util.Locale.ROOT))
                .build();
    }

    static RecommendationEvent refused(
            Recommendation r, LifecycleState state, LifecycleState asked, Instant at, String by) {
        return event(r, RecommendationEventKind.DECISION_REJECTED, state, asked)
                .setAt(at)
                .setBy(by)
                .setReason(state + " → " + asked + " is not a transition of the lifecycle")
                .build();
    }

    private static RecommendationEvent.Builder event(
            Recommendation r,
            RecommendationEventKind kind,
            LifecycleState from,
            LifecycleState to) {
        return RecommendationEvent.newBuilder()
                .setEventId(Integer.toHexString((r.getRecommendationId() + kind + to).hashCode()))
                .setKind(kind)
                .setRecommendationId(r.getRecommendationId())
                .setRuleId(r.getRuleId())
                .setVmId(r.getVmId())
                .setSystemId(r.getSystemId())
                .setUnitId(r.getUnitId())
                .setFromState(from)
                .setToState(to);
    }

    static Decision deferral() {
        return Decision.newBuilder()
                .setRecommendationId(DEFERRED.getRecommendationId())
                .setState(DecisionState.DEFERRED)
                .setDecidedBy("ops-ben")
                .setDecidedAt(DEFERRED_AT)
                .setDeferUntil(DEFERRED_UNTIL)
                .build();
    }

    static TimeLimitNotice notice(String id, String vm, Instant issuedAt) {
        return TimeLimitNotice.newBuilder()
                .setNoticeId(id)
                .setKind(NoticeKind.EXPANSION_ENDING)
                .setRegulation("Article 22")
                .setVmId(vm)
                .setSystemId("sys-1")
                .setUnitId("unit-1")
                .setIssuedAt(issuedAt)
                .setFrom(issuedAt.minus(Duration.ofDays(60)))
                .setUntil(issuedAt.plus(Duration.ofDays(9)))
                .setLimitEnd(issuedAt.plus(Duration.ofDays(30)))
                .setReason("the temporary expansion of " + vm + " ends soon (Article 22)")
                .build();
    }

    static DataQualityEvent quality(String vm, DataQualityKind kind, Instant detectedAt) {
        Instant last = Instant.parse("2026-03-08T00:00:00Z");
        return DataQualityEvent.newBuilder()
                .setEventId(vm + "-" + kind)
                .setKind(kind)
                .setVmId(vm)
                .setSystemId("sys-1")
                .setUnitId("unit-1")
                .setLastSampleAt(last)
                .setDetectedAt(detectedAt)
                .setSilentForMillis(detectedAt.toEpochMilli() - last.toEpochMilli())
                .setSilenceAfterMillis(Duration.ofHours(1).toMillis())
                .build();
    }

    static ProducerRecord<byte[], byte[]> keyed(String key, byte[] value) {
        return new ProducerRecord<>("unused", key.getBytes(StandardCharsets.UTF_8), value);
    }

    static ProducerRecord<byte[], byte[]> record(Recommendation r) {
        return keyed(r.getRecommendationId(), RecommendationSerializer.encode(r));
    }

    static ProducerRecord<byte[], byte[]> record(RecommendationEvent e) {
        return keyed(e.getRecommendationId(), RecommendationEventSerializer.encode(e));
    }

    static ProducerRecord<byte[], byte[]> record(TimeLimitNotice n) {
        return keyed(n.getVmId(), NoticeSerializer.encode(n));
    }

    static ProducerRecord<byte[], byte[]> record(DataQualityEvent e) {
        return keyed(e.getVmId(), DataQualitySerializer.encode(e));
    }

    static ProducerRecord<byte[], byte[]> record(Decision d) {
        return DecisionSerializer.record("unused", d);
    }

    /** The topics a test's console reads, as the job's configuration names them. */
    static Map<String, String> topics(
            String recommendations,
            String events,
            String decisions,
            String notices,
            String dataQuality,
            String rules) {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.topics.recommendations", recommendations);
        m.put("kafka.topics.recommendation-events", events);
        m.put("kafka.topics.decisions", decisions);
        m.put("kafka.topics.notices", notices);
        m.put("kafka.topics.data-quality", dataQuality);
        m.put("kafka.topics.rules", rules);
        return m;
    }

    /**
     * A read_committed consumer without a group and the producer {@code rightsizer decide} uses.
     */
    static ConsoleSettings settings(
            KafkaBroker kafka,
            io.rightsizer.job.config.JobConfig cfg,
            ConsoleSettings.Influx influx) {
        Properties producer = kafka.clientProps();
        producer.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        ConsoleSettings s =
                ConsoleSettings.of(
                        cfg,
                        kafka.bootstrapServers(),
                        TopicReader.properties(kafka.bootstrapServers()),
                        producer);
        return new ConsoleSettings(
                s.brokers(), s.consumer(), s.producer(), s.topics(), influx, s.configuredRules());
    }
}
