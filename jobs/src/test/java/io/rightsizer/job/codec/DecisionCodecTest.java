package io.rightsizer.job.codec;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECIDED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.deferral;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.DecisionInput;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Decisions and audit events on Kafka; reading the decisions topic never fails the job. */
class DecisionCodecTest {
    static final String TOPIC = "rightsizing-decisions";

    final Recommendation fired = weeklyAverage(FIRED);
    final Decision approved = decision(fired, APPROVED, DECIDED);

    static List<DecisionInput> read(byte[] key, byte[] value) {
        List<DecisionInput> out = new ArrayList<>();
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 3, 42L, key, value);
        new DecisionDeserializer()
                .deserialize(
                        record,
                        new Collector<>() {
                            @Override
                            public void collect(DecisionInput d) {
                                out.add(d);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDecisionIsKeyedByItsRecommendationIdAndStampedWithDecidedAt() {
        ProducerRecord<byte[], byte[]> r = DecisionSerializer.record(TOPIC, approved);

        assertThat(r.topic()).isEqualTo(TOPIC);
        assertThat(r.key()).isEqualTo(utf8(fired.getRecommendationId()));
        assertThat(r.timestamp()).isEqualTo(DECIDED);
        assertThat(DecisionSerializer.decode(r.value())).isEqualTo(approved);
    }

    @Test
    void aDeferralRoundTripsWithItsDeferUntil() {
        Decision d = deferral(fired, DECIDED, DECIDED + 1);

        assertThat(DecisionSerializer.decode(DecisionSerializer.encode(d))).isEqualTo(d);
    }

    @Test
    void aDecisionIsReadWithItsPlaceInTheTopic() {
        List<DecisionInput> out =
                read(utf8(fired.getRecommendationId()), DecisionSerializer.encode(approved));

        assertThat(out).hasSize(1);
        DecisionInput in = out.get(0);
        assertThat(in.decision).isEqualTo(approved);
        assertThat(in.error).isNull();
        assertThat(in.key).isEqualTo(fired.getRecommendationId());
        assertThat(in.routingKey()).isEqualTo(fired.getRecommendationId());
        assertThat(in.sourcePartition).isEqualTo(3);
        assertThat(in.sourceOffset).isEqualTo(42L);
    }

    @Test
    void bytesThatAreNotADecisionBecomeAnInputToRejectUnderTheKey() {
        List<DecisionInput> out = read(utf8("abc"), utf8("approve abc"));

        assertThat(out).hasSize(1);
        DecisionInput in = out.get(0);
        assertThat(in.decision).isNull();
        assertThat(in.routingKey()).isEqualTo("abc");
        assertThat(in.error)
                .isEqualTo(
                        "not a Decision on partition 3 offset 42: not Avro single-object encoding"
                                + " (no complete C3 01 header and fingerprint)");
    }

    @Test
    void anotherRecordTypeIsNotADecision() {
        List<DecisionInput> out = read(null, RecommendationSerializer.encode(fired));

        assertThat(out.get(0).decision).isNull();
        assertThat(out.get(0).routingKey()).isEmpty();
        assertThat(out.get(0).error)
                .isEqualTo(
                        "not a Decision on partition 3 offset 42: unknown writer schema"
                            + " fingerprint: 72 35 62 e6 a8 b8 0a ec (this release reads 1 version"
                            + " of Decision)");
    }

    @Test
    void aTombstoneIsRejectedToo() {
        List<DecisionInput> out = read(utf8("abc"), null);

        assertThat(out.get(0).error)
                .isEqualTo(
                        "not a Decision on partition 3 offset 42: a record without a value"
                                + " (tombstone)");
    }

    @Test
    void anAuditEventIsKeyedByItsRecommendationIdAndStampedWithItsInstant() {
        RecommendationEvent e =
                io.rightsizer.rules.lifecycle.LifecycleFixtures.lifecycle()
                        .onFiring(null, fired)
                        .events
                        .get(0);

        ProducerRecord<byte[], byte[]> r =
                new RecommendationEventSerializer("rightsizing-recommendation-events")
                        .serialize(e, null, null);

        assertThat(r.key()).isEqualTo(utf8(fired.getRecommendationId()));
        assertThat(r.timestamp()).isEqualTo(FIRED);
        assertThat(RecommendationEventSerializer.decode(r.value())).isEqualTo(e);
    }

    @Test
    void aDecisionDecidedFurtherAheadOfTheWallClockThanAllowedIsUndecodable() {
        Decision farAhead = decision(fired, APPROVED, Long.MAX_VALUE);
        DecisionDeserializer d = new DecisionDeserializer(java.time.Duration.ofDays(1).toMillis());
        long now = System.currentTimeMillis();

        DecisionInput refused = d.decode(null, DecisionSerializer.encode(farAhead), 3, 42L, -1L);
        DecisionInput withinADay =
                d.decode(
                        null,
                        DecisionSerializer.encode(decision(fired, APPROVED, now + 3_600_000L)),
                        3,
                        43L,
                        -1L);

        assertThat(refused.decision).isNull();
        assertThat(refused.error)
                .startsWith("not a Decision on partition 3 offset 42: decidedAt: timestamp ");
        assertThat(withinADay.error).isNull();
        assertThat(withinADay.decision.getDecidedAt().toEpochMilli()).isEqualTo(now + 3_600_000L);
    }
}
