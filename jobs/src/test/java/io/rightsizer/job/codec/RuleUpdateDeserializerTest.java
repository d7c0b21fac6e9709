package io.rightsizer.job.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.RuleUpdate;
import io.rightsizer.telemetry.RuleEnvelopes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Reading the rules topic never fails the job. */
class RuleUpdateDeserializerTest {
    static List<RuleUpdate> read(byte[] value) {
        List<RuleUpdate> out = new ArrayList<>();
        new RuleUpdateDeserializer()
                .deserialize(
                        new ConsumerRecord<>(
                                "rightsizing-rules",
                                0,
                                42L,
                                "2026.12.0".getBytes(StandardCharsets.UTF_8),
                                value),
                        new Collector<>() {
                            @Override
                            public void collect(RuleUpdate u) {
                                out.add(u);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void anEnvelopeBecomesAnUpdateWithItsPlaceInTheTopic() {
        byte[] value =
                RuleEnvelopes.encode(
                        RuleEnvelopes.envelope(
                                "version: \"2026.12.0\"\n",
                                "2026.12.0",
                                "alice",
                                Instant.parse("2026-11-26T09:00:00Z")));
        List<RuleUpdate> out = read(value);
        assertThat(out).hasSize(1);
        RuleUpdate u = out.get(0);
        assertThat(u.error).isNull();
        assertThat(u.version).isEqualTo("2026.12.0");
        assertThat(u.author).isEqualTo("alice");
        assertThat(u.publishedAt).isEqualTo(Instant.parse("2026-11-26T09:00:00Z").toEpochMilli());
        assertThat(u.document).isEqualTo("version: \"2026.12.0\"\n");
        assertThat(u.sha256).isEqualTo(RuleEnvelopes.sha256Hex("version: \"2026.12.0\"\n"));
        assertThat(u.sourcePartition).isZero();
        assertThat(u.sourceOffset).isEqualTo(42L);
    }

    @Test
    void bytesThatAreNotAnEnvelopeBecomeAnUpdateToReject() {
        List<RuleUpdate> out = read("version: 2026.12.0".getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).version).isNull();
        assertThat(out.get(0).error)
                .isEqualTo(
                        "not a RuleSetEnvelope: not Avro single-object encoding (no complete C3 01"
                                + " header and fingerprint)");
        assertThat(out.get(0).sourceOffset).isEqualTo(42L);
    }

    @Test
    void aTombstoneChangesNothing() {
        assertThat(read(null)).isEmpty();
    }
}
