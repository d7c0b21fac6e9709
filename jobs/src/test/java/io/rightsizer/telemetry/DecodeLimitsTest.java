package io.rightsizer.telemetry;

import static io.rightsizer.telemetry.BoundedDecodingTest.concat;
import static io.rightsizer.telemetry.BoundedDecodingTest.record;
import static io.rightsizer.telemetry.BoundedDecodingTest.varint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.DeadLetterReason;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Every limit of decoding at its edge: the last value accepted and the first refused, for Avro
 * bodies (docs/schema-evolution.md, "Bounded decoding"), JSON ({@link JsonLimits}) and ids ({@link
 * SampleValidator}).
 */
class DecodeLimitsTest {
    private static Schema schema(String fields) {
        return new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[" + fields + "]}");
    }

    private static final Schema NULLS =
            schema("{\"name\":\"ids\",\"type\":{\"type\":\"array\",\"items\":\"null\"}}");
    private static final Schema BLOB = schema("{\"name\":\"b\",\"type\":\"bytes\"}");
    private static final Schema STRINGS =
            schema("{\"name\":\"ids\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}");

    private static SingleObject.Reader<Object> reader(Schema s) {
        return new SingleObject.Reader<>(s, List.of());
    }

    // ------------------------------------------------------------------ Avro

    @Test
    void itemsOfZeroBytesCannotMultiplyAcrossBlocks() {
        // Blocks of 59, 58, ... 1 items of null: each fits the bytes left after it, but together
        // they would be 1,770 items from 60 bytes (quadratic in the record's size).
        byte[] body = new byte[60];
        for (int i = 0; i < 59; i++) {
            body[i] = varint(59 - i)[0];
        }
        body[59] = 0;

        assertThatThrownBy(() -> reader(NULLS).read(record(NULLS, body)))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage(
                        "java.io.IOException: an array block declares 58 items at byte 12 but the"
                                + " record's arrays and maps may hold only 1 more (one item per"
                                + " byte of the body)");
    }

    @Test
    void zeroByteItemsUpToTheBodysSizeAreRead() {
        // 3 blocks: 2 + 1 items, then the end; 3 body bytes, 3 items.
        byte[] ok = record(NULLS, concat(varint(2), varint(1), varint(0)));

        GenericRecord r = (GenericRecord) reader(NULLS).read(ok);

        assertThat((List<?>) r.get("ids")).hasSize(3).containsOnlyNulls();
    }

    @Test
    void aBytesValueAsLongAsTheRestIsReadAndOneByteMoreIsRefused() {
        byte[] five = {1, 2, 3, 4, 5};

        GenericRecord r = (GenericRecord) reader(BLOB).read(record(BLOB, concat(varint(5), five)));
        assertThat(((ByteBuffer) r.get("b")).remaining()).isEqualTo(5);

        assertThatThrownBy(() -> reader(BLOB).read(record(BLOB, concat(varint(6), five))))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage(
                        "java.io.IOException: a bytes value declares 6 bytes at byte 11 but only 5"
                                + " remain");
    }

    @Test
    void aNegativeLengthIsRefused() {
        assertThatThrownBy(() -> reader(BLOB).read(record(BLOB, concat(varint(-1), new byte[4]))))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage(
                        "java.io.IOException: a bytes value declares -1 bytes at byte 11 but only"
                                + " 4 remain");
    }

    @Test
    void anArrayBlockOfAsManyItemsAsBytesLeftPassesTheBlockCheckAndOneMoreDoesNot() {
        byte[] empties = {0, 0, 0}; // three empty strings, no end marker
        byte[] atLimit = record(STRINGS, concat(varint(3), empties));
        byte[] over = record(STRINGS, concat(varint(4), empties));
        byte[] fits = record(STRINGS, concat(varint(2), empties));

        assertThat(((List<?>) ((GenericRecord) reader(STRINGS).read(fits)).get("ids"))).hasSize(2);
        // Accepted as a count; the block's end marker is then missing.
        assertThatThrownBy(() -> reader(STRINGS).read(atLimit))
                .hasMessage(
                        "java.io.IOException: truncated: a varint runs past the end of the record"
                                + " at byte 14");
        assertThatThrownBy(() -> reader(STRINGS).read(over))
                .hasMessage(
                        "java.io.IOException: an array block declares 4 items at byte 11 but only"
                                + " 3 bytes remain");
    }

    @Test
    void aVarintOfElevenBytesIsRefused() {
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0x80);

        assertThatThrownBy(() -> reader(BLOB).read(record(BLOB, eleven)))
                .hasMessage("java.io.IOException: a varint longer than 10 bytes at byte 20");
    }

    @Test
    void theIssuesEighteenByteRecordIsRefusedInMilliseconds() {
        byte[] body = new byte[8];
        byte[] len = varint(2_000_000_000L);
        System.arraycopy(len, 0, body, 0, len.length);
        byte[] hostile = record(io.rightsizer.schema.MetricSample.getClassSchema(), body);

        SampleJson.Result r =
                Assertions.assertTimeoutPreemptively(
                        Duration.ofSeconds(2), () -> SampleCodec.decode(hostile));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .isEqualTo(
                        "Avro body does not match MetricSample: java.io.IOException: a string"
                                + " declares 2000000000 bytes at byte 15 but only 3 remain");
    }

    // ------------------------------------------------------------------ ids

    private static String chars(int n) {
        return "v".repeat(n);
    }

    @Test
    void anIdOf256CharactersIsAVmAnd257IsInvalid() {
        SampleJson.Result ok = SampleJson.parse(SampleJsonTest.json("vmId", q(chars(256))));
        SampleJson.Result tooLong = SampleJson.parse(SampleJsonTest.json("vmId", q(chars(257))));

        assertThat(ok.ok()).isTrue();
        assertThat(ok.sample.vmId).hasSize(256);
        assertThat(tooLong.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(tooLong.message)
                .isEqualTo("vmId is 257 characters long, more than the maximum of 256");
    }

    @Test
    void theSameIdLimitHoldsForAvroSamplesAndEveryIdField() {
        SampleJson.Result vm =
                SampleCodec.decode(
                        SampleCodec.encode(SampleCodecTest.avro().setVmId(chars(257)).build()));
        SampleJson.Result system =
                SampleCodec.decode(
                        SampleCodec.encode(SampleCodecTest.avro().setSystemId(chars(257)).build()));
        SampleJson.Result unit =
                SampleCodec.decode(
                        SampleCodec.encode(SampleCodecTest.avro().setUnitId(chars(257)).build()));
        SampleJson.Result unitAtLimit =
                SampleCodec.decode(
                        SampleCodec.encode(SampleCodecTest.avro().setUnitId(chars(256)).build()));

        assertThat(List.of(vm.message, system.message, unit.message))
                .containsExactly(
                        "vmId is 257 characters long, more than the maximum of 256",
                        "systemId is 257 characters long, more than the maximum of 256",
                        "unitId is 257 characters long, more than the maximum of 256");
        assertThat(unitAtLimit.ok()).isTrue();
    }

    // ------------------------------------------------------------------ JSON

    private static String q(String s) {
        return "\"" + s + "\"";
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void jsonNestedToTheLimitIsReadAndOneLevelDeeperIsUndecodable() {
        // The sample object is level 1: an unknown field's arrays add the rest.
        SampleJson.Result atLimit =
                SampleJson.parse(SampleJsonTest.json("x", nested(JsonLimits.MAX_DEPTH - 1)));
        SampleJson.Result deeper =
                SampleJson.parse(SampleJsonTest.json("x", nested(JsonLimits.MAX_DEPTH)));

        assertThat(atLimit.ok()).isTrue();
        assertThat(deeper.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(deeper.message)
                .startsWith(
                        "not valid JSON: Document nesting depth (17) exceeds the maximum allowed"
                                + " (16");
    }

    @Test
    void aMillionLevelsOfNestingAreUndecodableNotAStackOverflow() {
        byte[] deep = SampleJsonTest.json("x", nested(1_000_000)).getBytes();

        SampleJson.Result r =
                Assertions.assertTimeoutPreemptively(
                        Duration.ofSeconds(5), () -> SampleCodec.decode(deep));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("not valid JSON: Document nesting depth (17) exceeds");
    }

    @Test
    void aStringAtTheJsonLimitIsReadAndOneCharacterMoreIsUndecodable() {
        SampleJson.Result atLimit =
                SampleJson.parse(
                        SampleJsonTest.json("vmId", q(chars(JsonLimits.MAX_STRING_LENGTH))));
        SampleJson.Result over =
                SampleJson.parse(
                        SampleJsonTest.json("vmId", q(chars(JsonLimits.MAX_STRING_LENGTH + 1))));

        // Read as a string, then too long for an id.
        assertThat(atLimit.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(atLimit.message)
                .isEqualTo("vmId is 1048576 characters long, more than the maximum of 256");
        assertThat(over.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(over.message)
                .startsWith("not valid JSON: String value length (1048577) exceeds the maximum");
        assertThat(over.vmId).isNull();
    }

    @Test
    void theIssuesSampleWithA400000CharacterVmIdIsInvalid() {
        byte[] sample = SampleJsonTest.json("vmId", q(chars(400_000))).getBytes();

        SampleJson.Result r = SampleCodec.decode(sample);

        assertThat(r.reason).isEqualTo(DeadLetterReason.INVALID);
        assertThat(r.message)
                .isEqualTo("vmId is 400000 characters long, more than the maximum of 256");
    }

    @Test
    void twoMegabytesInAFieldNobodyReadsAreSkippedWithoutBeingHeld() {
        SampleJson.Result r = SampleJson.parse(SampleJsonTest.json("notes", q(chars(2 << 20))));

        assertThat(r.ok()).isTrue();
        assertThat(r.sample.vmId).isEqualTo("vm-1");
    }

    @Test
    void aNumberOf400DigitsIsReadAnd401IsUndecodable() {
        String digits400 = "1".repeat(JsonLimits.MAX_NUMBER_LENGTH);

        SampleJson.Result atLimit = SampleJson.parse(SampleJsonTest.json("x", digits400));
        SampleJson.Result over =
                SampleJson.parse(SampleJsonTest.json("timestamp", digits400 + "1"));

        assertThat(atLimit.ok()).isTrue();
        assertThat(over.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(over.message)
                .startsWith("not valid JSON: Number value length (401) exceeds the maximum");
    }

    @Test
    void aRecommendationLineNestedTooDeeplyIsAnErrorNotAStackOverflow() {
        String deep = "{\"evidence\":" + nested(100_000) + "}";

        assertThatThrownBy(() -> RecordJson.recommendation(deep))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Document nesting depth (17) exceeds the maximum allowed");
    }
}
