package io.rightsizer.job.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Quantity;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Telegraf's topic records into readings, or one dead letter with the record's coordinates. */
class TelegrafDeserializerTest {
    static final long DAY = Duration.ofDays(1).toMillis();

    /** A Kafka record timestamp, for metrics that carry none. */
    static final long RECORD_TIME = 1_796_362_210_000L;

    static List<Collected> deserialize(String value) {
        List<Collected> out = new ArrayList<>();
        new TelegrafDeserializer(TelegrafOptions.Settings.defaults(), DAY)
                .deserialize(
                        new ConsumerRecord<>(
                                "telegraf",
                                3,
                                42L,
                                RECORD_TIME,
                                TimestampType.CREATE_TIME,
                                0,
                                0,
                                null,
                                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                                new RecordHeaders(),
                                Optional.empty()),
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
    void aLineProtocolRecordGivesOneReadingPerMappedField() {
        long now = System.currentTimeMillis() / 1000 * 1000;

        List<Collected> out =
                deserialize(
                        "mem,host=vm-1 used=100i,total=400i,used_percent=25,swap_total=1i "
                                + now * 1_000_000);

        assertThat(out)
                .extracting(
                        c -> c.reading.vmId,
                        c -> c.reading.quantity,
                        c -> c.reading.value,
                        c -> c.reading.timestamp,
                        c -> c.reading.intervalMillis,
                        c -> c.reading.format)
                .containsExactly(
                        tuple(
                                "vm-1",
                                Quantity.MEMORY_USED_BYTES,
                                100.0,
                                now,
                                10_000L,
                                "telegraf-line"),
                        tuple(
                                "vm-1",
                                Quantity.MEMORY_TOTAL_BYTES,
                                400.0,
                                now,
                                10_000L,
                                "telegraf-line"));
    }

    @Test
    void aJsonRecordWithoutATimestampTakesTheKafkaRecordsTime() {
        List<Collected> out =
                deserialize(
                        "{\"fields\":{\"used\":100,\"total\":400},\"name\":\"mem\","
                                + "\"tags\":{\"host\":\"vm-1\"}}");

        assertThat(out)
                .extracting(
                        c -> c.reading.quantity, c -> c.reading.timestamp, c -> c.reading.format)
                .containsExactly(
                        tuple(Quantity.MEMORY_USED_BYTES, RECORD_TIME, "telegraf-json"),
                        tuple(Quantity.MEMORY_TOTAL_BYTES, RECORD_TIME, "telegraf-json"));
    }

    @Test
    void aRejectedRecordIsOneDeadLetterWithItsCoordinates() {
        List<Collected> out = deserialize("mem,host=vm-1 used=1i\nmem,host used=1i");

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
                                "InfluxDB line protocol: line 2: expected '=' after tag key"
                                        + " 'host' at column 9",
                                "telegraf",
                                3,
                                42L));
    }

    @Test
    void aNullValueIsUndecodable() {
        assertThat(deserialize(null))
                .extracting(c -> c.rejected.reason, c -> c.rejected.sourceOffset)
                .containsExactly(tuple(DeadLetterReason.UNDECODABLE, 42L));
    }

    @Test
    void aValueStampedFurtherAheadThanAllowedRejectsTheRecordNamingItsFormat() {
        long ahead = (System.currentTimeMillis() + 2 * DAY) / 1000;

        List<Collected> out =
                deserialize(
                        "{\"fields\":{\"used\":100,\"total\":400},\"name\":\"mem\","
                                + "\"tags\":{\"host\":\"vm-1\"},\"timestamp\":"
                                + ahead
                                + "}");

        assertThat(out).hasSize(1);
        assertThat(out.get(0).rejected.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(out.get(0).rejected.message)
                .startsWith("Telegraf JSON: timestamp ")
                .contains("is more than PT24H ahead of the wall clock");
        assertThat(out.get(0).rejected)
                .extracting(r -> r.vmId, r -> r.sampleTimestamp, r -> r.sourceOffset)
                .containsExactly("vm-1", ahead * 1000, 42L);
    }
}
