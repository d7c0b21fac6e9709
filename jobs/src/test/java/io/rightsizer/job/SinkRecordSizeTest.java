package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.history.HistoryLines;
import io.rightsizer.job.codec.DataQualitySerializer;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.NoticeSerializer;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.codec.RuleStatusSerializer;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.telemetry.RecordCaps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Every sink the job writes fits its record below the producer's default {@code max.request.size}
 * (1 MiB) with a wide margin, even when every string of the record is a megabyte: no sink can fail
 * on one record's size.
 */
class SinkRecordSizeTest {
    /** Half the producer's default max.request.size: the margin every worst case must keep. */
    private static final int LIMIT_WITH_MARGIN = 512 * 1024;

    /** Three bytes in UTF-8, so a capped string is as large in bytes as a capped string can be. */
    private static final char WIDE = '€';

    private static String text(int chars) {
        return String.valueOf(WIDE).repeat(chars);
    }

    /** A record of {@code type} whose every string is {@code chars} characters long. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> T filled(Class<T> type, int chars) {
        Schema schema = SpecificData.get().getSchema(type);
        return (T) fill(schema, chars);
    }

    private static Object fill(Schema s, int chars) {
        switch (s.getType()) {
            case STRING:
                return text(chars);
            case LONG:
                return s.getLogicalType() != null ? Instant.ofEpochMilli(1_700_000_000_000L) : 1L;
            case INT:
                return 1;
            case DOUBLE:
                return 1.0;
            case BOOLEAN:
                return false;
            case ENUM:
                return SpecificData.get().createEnum(s.getEnumSymbols().get(0), s);
            case UNION:
                for (Schema branch : s.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return fill(branch, chars);
                    }
                }
                return null;
            case ARRAY:
                List<Object> l = new ArrayList<>();
                l.add(fill(s.getElementType(), chars));
                return l;
            case MAP:
                return Map.of(text(chars), fill(s.getValueType(), chars));
            case RECORD:
                SpecificRecord r = (SpecificRecord) SpecificData.get().newRecord(null, s);
                for (Schema.Field f : s.getFields()) {
                    r.put(f.pos(), fill(f.schema(), chars));
                }
                return r;
            default:
                throw new IllegalArgumentException("no filler for " + s);
        }
    }

    private static int size(ProducerRecord<byte[], byte[]> r) {
        int n = (r.key() == null ? 0 : r.key().length) + r.value().length;
        for (Header h : r.headers()) {
            n += h.key().length() + h.value().length;
        }
        return n;
    }

    private static void assertFits(ProducerRecord<byte[], byte[]> r) {
        assertThat(size(r)).isLessThan(LIMIT_WITH_MARGIN);
    }

    @Test
    void aRecommendationWhoseEveryStringIsAMegabyteFits() {
        Recommendation r = filled(Recommendation.class, 1_000_000);
        assertFits(new RecommendationSerializer("t").serialize(r, null, null));
        assertThat(r.getReason()).as("the input is not changed").hasSize(1_000_000);
    }

    @Test
    void aRecommendationEventWhoseEveryStringIsAMegabyteFits() {
        assertFits(
                new RecommendationEventSerializer("t")
                        .serialize(filled(RecommendationEvent.class, 1_000_000), null, null));
    }

    @Test
    void aNoticeWhoseEveryStringIsAMegabyteFits() {
        assertFits(
                new NoticeSerializer("t")
                        .serialize(filled(TimeLimitNotice.class, 1_000_000), null, null));
    }

    @Test
    void aDataQualityEventWhoseEveryStringIsAMegabyteFits() {
        assertFits(
                new DataQualitySerializer("t")
                        .serialize(filled(DataQualityEvent.class, 1_000_000), null, null));
    }

    @Test
    void aRuleStatusWhoseEveryStringIsAMegabyteFits() {
        assertFits(
                new RuleStatusSerializer("t")
                        .serialize(filled(RuleSetStatus.class, 1_000_000), null, null));
    }

    @Test
    void aDeadLetterWhoseEveryStringAndPayloadIsAMegabyteFits() {
        Rejected r = Rejected.of(DeadLetterReason.INVALID, text(1_000_000), new byte[1_048_480]);
        r.vmId = text(1_000_000);
        r.sourceTopic = text(1_000_000);
        assertFits(new DeadLetterSerializer("t").serialize(r, null, null));
    }

    @Test
    void aStringIsCappedOnlyBeyondTheCapAndThenEndsInItsLength() {
        Recommendation atCap = filled(Recommendation.class, RecordCaps.TEXT_CAP);
        assertThat(RecordCaps.fit(atCap)).isSameAs(atCap);

        Recommendation over = filled(Recommendation.class, RecordCaps.TEXT_CAP + 1);
        Recommendation fitted = RecordCaps.fit(over);
        assertThat(fitted.getReason())
                .hasSize(RecordCaps.TEXT_CAP)
                .endsWith("…(" + (RecordCaps.TEXT_CAP + 1) + " chars)");
        assertThat(fitted.getEvidence()).isNotSameAs(over.getEvidence());
        assertThat(RecordCaps.fit(fitted)).as("capping twice changes nothing").isSameAs(fitted);

        Recommendation under = filled(Recommendation.class, RecordCaps.TEXT_CAP - 1);
        assertThat(RecordCaps.fit(under)).isSameAs(under);
    }

    @Test
    void aHistoryLineOfAMegabyteIdKeepsItsSeriesKeyUnderInfluxDbsLimit() {
        Recommendation r = filled(Recommendation.class, 1_000_000);
        r.setReminder(false);
        String ascii = "x".repeat(1_000_000);
        r.setRuleId(ascii);
        r.setVmId(ascii);
        r.setSystemId(ascii);
        r.setUnitId(ascii);
        r.setRecommendationId(ascii);
        r.setReason(ascii);

        String line = HistoryLines.recommendation(r).orElseThrow();

        // The series key ends at the first space the line protocol does not escape.
        String seriesKey = line.split("(?<!\\\\) ", 2)[0];
        assertThat(seriesKey.getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
        assertThat(seriesKey)
                .contains(
                        "vmId="
                                + "x".repeat(RecordCaps.TAG_CAP - "…(1000000 chars)".length())
                                + "…(1000000\\ chars)");
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
    }

    @Test
    void aReplayDeadLetterKeepsTheSizeAndHashOfTheWholeValue() {
        byte[] raw = new byte[Rejected.PAYLOAD_CAP + 1];
        Rejected r = Rejected.of(DeadLetterReason.UNDECODABLE, "not JSON", raw);
        r.sourceOffset = 7;

        Rejected back = ReplayJob.deadLetterFromLine(ReplayJob.deadLetterToLine(r));

        assertThat(back.payload).hasSize(Rejected.PAYLOAD_CAP);
        assertThat(back.payloadSize).isEqualTo(Rejected.PAYLOAD_CAP + 1);
        assertThat(back.payloadSha256).isEqualTo(r.payloadSha256);
        assertThat(back.message).isEqualTo("not JSON");
        assertThat(back.sourceOffset).isEqualTo(7);
    }
}
