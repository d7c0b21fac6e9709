package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.ApprovalDecoder;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.Resource;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * With a schema registry the job writes the approval topic Confluent-framed; rightsizer's own
 * readers (tail, verify and the demo) read it as they read single-object records, without a
 * registry, by the writer-schema header every record carries.
 */
class FramedApprovalTopicTest {
    static final Instant FIRED = Instant.parse("2026-03-08T16:00:00Z");

    static Recommendation scaleUp() {
        return Recommendation.newBuilder()
                .setRecommendationId("0123456789abcdef0123456789abcdef")
                .setRuleId("scale-up.memory.weekly-average")
                .setRuleSetVersion("2026.11.0")
                .setRegulation("Article 26(1)1")
                .setAction(Action.SCALE_UP)
                .setResource(Resource.MEMORY)
                .setVmId("vm-1")
                .setSystemId("sys-1")
                .setFiredAt(FIRED)
                .setEvidence(Evidence.newBuilder().setWeeklyAveragePct(74.2).build())
                .setReason("weekly average memory 74.2% > 70%")
                .setMemoryTotalBytes(16L << 30)
                .build();
    }

    @Test
    void tailVerifyAndTheDemoReadTheFramedApprovalTopicWithoutARegistry() {
        Recommendation rec = scaleUp();
        ProducerRecord<byte[], byte[]> written =
                new RecommendationSerializer("approvals", 77).serialize(rec, null, null);

        assertThat(Arrays.copyOf(written.value(), 5)).containsExactly(0, 0, 0, 0, 77);
        assertThat(
                        new ApprovalDecoder("approvals")
                                .decode("approvals", written.value(), written.headers()))
                .isEqualTo(rec);
        assertThat(RecommendationSerializer.decode(written.value(), written.headers()))
                .isEqualTo(rec);
    }

    @Test
    void withoutARegistryTheApprovalTopicStaysInSingleObjectEncoding() {
        ProducerRecord<byte[], byte[]> written =
                new RecommendationSerializer("approvals").serialize(scaleUp(), null, null);

        assertThat(Arrays.copyOf(written.value(), 2)).containsExactly(0xC3, 0x01);
        assertThat(RecommendationSerializer.decode(written.value())).isEqualTo(scaleUp());
    }
}
