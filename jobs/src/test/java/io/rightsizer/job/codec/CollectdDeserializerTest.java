package io.rightsizer.job.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Quantity;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** collectd's topic records into readings, or one dead letter with the record's coordinates. */
class CollectdDeserializerTest {
    static final long DAY = Duration.ofDays(1).toMillis();

    static String message(double timeSeconds) {
        return "[{\"values\":[100],\"dstypes\":[\"gauge\"],\"dsnames\":[\"value\"],\"time\":"
                + timeSeconds
                + ",\"interval\":10,\"host\":\"vm-1\",\"plugin\":\"memory\",\"plugin_instance\":\"\","
                + "\"type\":\"memory\",\"type_instance\":\"used\"},"
                + "{\"values\":[0.5],\"dstypes\":[\"gauge\"],\"dsnames\":[\"shortterm\"],\"time\":"
                + timeSeconds
                + ",\"interval\":10,\"host\":\"vm-1\",\"plugin\":\"load\",\"plugin_instance\":\"\","
                + "\"type\":\"load\",\"type_instance\":\"\"}]";
    }

    static List<Collected> deserialize(String value) {
        List<Collected> out = new ArrayList<>();
        new CollectdDeserializer(DAY)
                .deserialize(
                        new ConsumerRecord<>(
                                "collectd",
                                3,
                                42L,
                                null,
                                value == null ? null : value.getBytes(StandardCharsets.UTF_8)),
                        new Collector<>() {
                            @Override
                            public void collect(Collected c) {
                                out.add(c);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void aMessageGivesOneReadingPerMappedValue() {
        long now = System.currentTimeMillis() / 1000 * 1000;

        List<Collected> out = deserialize(message(now / 1000.0));

        assertThat(out)
                .extracting(c -> c.reading.vmId, c -> c.reading.quantity, c -> c.reading.timestamp)
                .containsExactly(tuple("vm-1", Quantity.MEMORY_USED_BYTES, now));
    }

    @Test
    void aRejectedMessageIsOneDeadLetterWithItsCoordinates() {
        List<Collected> out = deserialize("{\"not\":\"an array\"}");

        assertThat(out)
                .extracting(
                        c -> c.rejected.reason,
                        c -> c.rejected.message,
                        c -> c.rejected.sourceTopic,
                        c -> c.rejected.sourcePartition,
                        c -> c.rejected.sourceOffset)
                .containsExactly(
                        tuple(
                                DeadLetterReason.UNDECODABLE,
                                "collectd JSON: not a JSON array of value lists",
                                "collectd",
                                3,
                                42L));
    }

    @Test
    void aNullValueIsUndecodable() {
        assertThat(deserialize(null))
                .extracting(c -> c.rejected.reason)
                .containsExactly(DeadLetterReason.UNDECODABLE);
    }

    @Test
    void aValueStampedFurtherAheadThanAllowedRejectsTheMessage() {
        long ahead = System.currentTimeMillis() + 2 * DAY;

        List<Collected> out = deserialize(message(ahead / 1000.0));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).rejected.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(out.get(0).rejected.message)
                .startsWith("collectd JSON: timestamp ")
                .contains("is more than PT24H ahead of the wall clock");
        assertThat(out.get(0).rejected.vmId).isEqualTo("vm-1");
        assertThat(out.get(0).rejected.sourceOffset).isEqualTo(42L);
    }
}
