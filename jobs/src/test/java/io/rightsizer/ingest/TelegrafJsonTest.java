package io.rightsizer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.JsonLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Telegraf's Kafka output in JSON: the examples of Telegraf's JSON serializer (README and
 * json_test.go), both forms, every timestamp unit, every mapping, bad records with their exact
 * messages, and the limits.
 */
class TelegrafJsonTest {
    static final TelegrafOptions.Settings SETTINGS = TelegrafOptions.Settings.defaults();
    static final long NO_RECORD_TIME = -1;
    static final long INTERVAL = 10_000;

    /** 2018-05-05T00:06:35.123456789Z, the time of json_test.go's TestSerialize_TimestampUnits. */
    static final long T_S = 1_525_478_795L;

    static final long T_MS = 1_525_478_795_000L;

    /** plugins/serializers/json/README.md, "Standard format". */
    static final String README_STANDARD =
            """
            {
                "fields": {
                    "field_1": 30,
                    "field_2": 4,
                    "field_N": 59,
                    "n_images": 660
                },
                "name": "docker",
                "tags": {
                    "host": "raynor"
                },
                "timestamp": 1458229140
            }
            """;

    /** plugins/serializers/json/README.md, "Batch format". */
    static final String README_BATCH =
            """
            {
                "metrics": [
                    {
                        "fields": {
                            "field_1": 30,
                            "field_2": 4,
                            "field_N": 59,
                            "n_images": 660
                        },
                        "name": "docker",
                        "tags": {
                            "host": "raynor"
                        },
                        "timestamp": 1458229140
                    },
                    {
                        "fields": {
                            "field_1": 30,
                            "field_2": 4,
                            "field_N": 59,
                            "n_images": 660
                        },
                        "name": "docker",
                        "tags": {
                            "host": "raynor"
                        },
                        "timestamp": 1458229140
                    }
                ]
            }
            """;

    static Decoded decode(String json) {
        return decode(json, NO_RECORD_TIME, SETTINGS);
    }

    static Decoded decode(String json, long recordTime, TelegrafOptions.Settings settings) {
        return TelegrafJson.decode(json.getBytes(StandardCharsets.UTF_8), recordTime, settings);
    }

    static Reading reading(String vm, long ts, Quantity q, String instance, double value) {
        return Reading.of(vm, ts, INTERVAL, TelegrafJson.FORMAT, q, instance, value);
    }

    static String mem(String fields, String timestamp) {
        return "{\"fields\":{"
                + fields
                + "},\"name\":\"mem\",\"tags\":{\"host\":\"vm-1\"},\"timestamp\":"
                + timestamp
                + "}\n";
    }

    static void assertRejected(Decoded d, DeadLetterReason reason, String message) {
        assertThat(d.ok()).as("%s", d).isFalse();
        assertThat(d.reason).isEqualTo(reason);
        assertThat(d.message).isEqualTo(message);
        assertThat(d.readings).isEmpty();
    }

    // ---------------------------------------------------------------- Telegraf's examples

    @Test
    void readmeStandardFormatIsReadAndItsDockerMetricIgnored() throws Exception {
        Decoded d = decode(README_STANDARD);
        assertThat(d.ok()).isTrue();
        assertThat(d.readings).isEmpty();
        assertThat(d.ignored).isEqualTo(1);
        assertThat(TelegrafJson.parse(README_STANDARD.getBytes(StandardCharsets.UTF_8), 1))
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.name).isEqualTo("docker");
                            assertThat(m.tags).containsExactly(entry("host", "raynor"));
                            assertThat(m.fields)
                                    .containsExactly(
                                            entry("field_1", 30.0),
                                            entry("field_2", 4.0),
                                            entry("field_N", 59.0),
                                            entry("n_images", 660.0));
                            assertThat(m.timestamp).isEqualTo(1_458_229_140L);
                        });
    }

    @Test
    void readmeBatchFormatIsRead() {
        Decoded d = decode(README_BATCH);
        assertThat(d.ok()).isTrue();
        assertThat(d.ignored).isEqualTo(2);
    }

    /** json_test.go TestSerializeMetricFloat: a per-CPU series, ignored; cpu-total is taken. */
    @Test
    void serializerTestCpuMetricIsIgnoredPerCpuAndTakenForTheTotal() {
        String perCpu =
                "{\"fields\":{\"usage_idle\":91.5},\"name\":\"cpu\",\"tags\":{\"cpu\":\"cpu0\"},"
                        + "\"timestamp\":"
                        + T_S
                        + "}\n";
        assertThat(decode(perCpu).ignored).isEqualTo(1);
        String total = perCpu.replace("\"cpu0\"", "\"cpu-total\",\"host\":\"vm-1\"");
        assertThat(decode(total).readings)
                .containsExactly(reading("vm-1", T_MS, Quantity.CPU_IDLE_PCT, "", 91.5));
    }

    @Test
    void memAndDiskAreMappedAsInLineProtocol() {
        Decoded d =
                decode(
                        "{\"metrics\":["
                                + "{\"fields\":{\"free\":1877688320,\"total\":20913917952,"
                                + "\"used\":3335778304,\"used_percent\":15.95004011996231},"
                                + "\"name\":\"mem\",\"tags\":{\"host\":\"vm-1\"},\"timestamp\":"
                                + T_S
                                + "},{\"fields\":{\"free\":398407520256,\"total\":499088621568,"
                                + "\"used\":100418957312,\"used_percent\":20.131039916242397},"
                                + "\"name\":\"disk\",\"tags\":{\"device\":\"sda1\",\"fstype\":\"ext4\","
                                + "\"host\":\"vm-1\",\"mode\":\"rw\",\"path\":\"/\"},\"timestamp\":"
                                + T_S
                                + "}]}");
        assertThat(d.readings)
                .containsExactly(
                        reading("vm-1", T_MS, Quantity.MEMORY_USED_BYTES, "", 3335778304.0),
                        reading("vm-1", T_MS, Quantity.MEMORY_TOTAL_BYTES, "", 20913917952.0),
                        reading("vm-1", T_MS, Quantity.STORAGE_USED_BYTES, "/", 100418957312.0),
                        reading("vm-1", T_MS, Quantity.STORAGE_TOTAL_BYTES, "/", 499088621568.0));
    }

    @Test
    void severalObjectsOneAfterAnotherAreRead() {
        Decoded d = decode(mem("\"used\":1", "" + T_S) + "  " + mem("\"total\":2", "" + T_S));
        assertThat(d.readings)
                .containsExactly(
                        reading("vm-1", T_MS, Quantity.MEMORY_USED_BYTES, "", 1),
                        reading("vm-1", T_MS, Quantity.MEMORY_TOTAL_BYTES, "", 2));
    }

    @Test
    void vmIsTakenFromTheConfiguredTag() {
        String json =
                "{\"fields\":{\"used\":1},\"name\":\"mem\","
                        + "\"tags\":{\"host\":\"hv-1\",\"vm_id\":\"vm-7\"},\"timestamp\":"
                        + T_S
                        + "}";
        assertThat(decode(json, NO_RECORD_TIME, SETTINGS.withVmTag("vm_id")).readings)
                .extracting(r -> r.vmId)
                .containsExactly("vm-7");
    }

    // ---------------------------------------------------------------- timestamps

    /** json_test.go TestSerialize_TimestampUnits, and the units between. */
    static Stream<Arguments> timestampUnits() {
        return Stream.of(
                Arguments.of(Duration.ofSeconds(1), "1525478795", 1_525_478_795_000L),
                Arguments.of(Duration.ofMillis(100), "15254787951", 1_525_478_795_100L),
                Arguments.of(Duration.ofMillis(10), "152547879512", 1_525_478_795_120L),
                Arguments.of(Duration.ofMillis(1), "1525478795123", 1_525_478_795_123L),
                Arguments.of(Duration.ofNanos(100_000), "15254787951234", 1_525_478_795_123L),
                Arguments.of(Duration.ofNanos(10_000), "152547879512345", 1_525_478_795_123L),
                Arguments.of(Duration.ofNanos(1_000), "1525478795123456", 1_525_478_795_123L),
                Arguments.of(Duration.ofNanos(100), "15254787951234567", 1_525_478_795_123L),
                Arguments.of(Duration.ofNanos(10), "152547879512345678", 1_525_478_795_123L),
                Arguments.of(Duration.ofNanos(1), "1525478795123456789", 1_525_478_795_123L));
    }

    @ParameterizedTest
    @MethodSource
    void timestampUnits(Duration unit, String timestamp, long millis) {
        Decoded d =
                decode(
                        mem("\"used\":1", timestamp),
                        NO_RECORD_TIME,
                        SETTINGS.withJsonTimestampUnits(unit));
        assertThat(d.readings).extracting(r -> r.timestamp).containsExactly(millis);
    }

    @Test
    void anRfc3339TimestampIsRead() {
        assertThat(decode(mem("\"used\":1", "\"2018-05-05T00:06:35Z\"")).readings)
                .extracting(r -> r.timestamp)
                .containsExactly(T_MS);
        assertThat(decode(mem("\"used\":1", "\"2018-05-05T02:06:35.123+02:00\"")).readings)
                .extracting(r -> r.timestamp)
                .containsExactly(T_MS + 123);
    }

    @Test
    void aTimestampInAnotherUnitThanConfiguredIsRefusedNamingTheUnitItLooksLike() {
        assertRejected(
                decode(mem("\"used\":1", "1525478795123")),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: timestamp 1525478795123 in units of 1s is not"
                        + " between 2001-09-09T01:46:40Z and 2286-11-20T17:46:40Z; its 13 digits"
                        + " are a time in units of 1ms: ingest.telegraf.json-timestamp-units (1s)"
                        + " must be Telegraf's json_timestamp_units");
        assertRejected(
                decode(
                        mem("\"used\":1", "1525478795"),
                        NO_RECORD_TIME,
                        SETTINGS.withJsonTimestampUnits(Duration.ofNanos(1))),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: timestamp 1525478795 in units of 1ns is not"
                        + " between 2001-09-09T01:46:40Z and 2286-11-20T17:46:40Z; its 10 digits"
                        + " are a time in units of 1s: ingest.telegraf.json-timestamp-units (1ns)"
                        + " must be Telegraf's json_timestamp_units");
    }

    @Test
    void aMetricWithoutTimestampTakesTheKafkaRecordsOrIsRefused() {
        String json = "{\"fields\":{\"used\":1},\"name\":\"mem\",\"tags\":{\"host\":\"a\"}}";
        assertThat(decode(json, T_MS + 7, SETTINGS).readings)
                .containsExactly(reading("a", T_MS + 7, Quantity.MEMORY_USED_BYTES, "", 1));
        assertRejected(
                decode(json),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem has no timestamp and the Kafka record has none");
    }

    // ---------------------------------------------------------------- field values

    @Test
    void fieldValuesOfEveryType() throws Exception {
        String json =
                "{\"name\":\"m\",\"fields\":{\"i\":42,\"f\":-1.5e3,\"u\":18446744073709551615,"
                        + "\"s\":\"a \\\"b\\\"\",\"t\":true,\"n\":false,\"z\":null,"
                        + "\"o\":{\"x\":[1,{\"y\":2}]},\"a\":[1,2]}}";
        assertThat(TelegrafJson.parse(json.getBytes(StandardCharsets.UTF_8), 1))
                .singleElement()
                .satisfies(
                        m ->
                                assertThat(m.fields)
                                        .containsExactly(
                                                entry("i", 42.0),
                                                entry("f", -1500.0),
                                                entry("u", 18446744073709551615.0),
                                                entry("s", "a \"b\""),
                                                entry("t", true),
                                                entry("n", false),
                                                entry("o", TelegrafMetric.NESTED),
                                                entry("a", TelegrafMetric.NESTED)));
    }

    @Test
    void aMappedFieldThatIsNotANumberRefusesTheRecord() {
        assertRejected(
                decode(mem("\"used\":\"lots\"", "" + T_S)),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: field 'used' is a string, not a number");
        assertRejected(
                decode(mem("\"total\":{\"value\":1}", "" + T_S)),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: field 'total' is a JSON object or array, not a"
                        + " number");
        assertRejected(
                decode(mem("\"used\":true", "" + T_S)),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: field 'used' is a boolean, not a number");
    }

    @Test
    void aNullOrNestedFieldTheMappingDoesNotTakeIsNoProblem() {
        assertThat(decode(mem("\"used\":1,\"total\":null,\"extra\":[1]", "" + T_S)).readings)
                .containsExactly(reading("vm-1", T_MS, Quantity.MEMORY_USED_BYTES, "", 1));
    }

    @Test
    void aMetricWithEmptyFieldsIsIgnored() {
        // Telegraf leaves out NaN and Inf floats (json_test.go TestSerializeBatchSkipInfAllFields)
        Decoded d = decode(mem("", "" + T_S));
        assertThat(d.ok()).isTrue();
        assertThat(d.readings).isEmpty();
        assertThat(d.ignored).isEqualTo(1);
    }

    @Test
    void aMappedMetricWithoutTheVmTagOrWithAnEmptyOneIsRefused() {
        assertRejected(
                decode("{\"fields\":{\"used\":1},\"name\":\"mem\",\"tags\":{},\"timestamp\":0}"),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem has no tag 'host' to take the vmId from"
                        + " (ingest.telegraf.vm-tag)");
        assertRejected(
                decode(
                        "{\"fields\":{\"used\":1},\"name\":\"mem\",\"tags\":{\"host\":\"\"},"
                                + "\"timestamp\":"
                                + T_S
                                + "}"),
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: tag 'host' is empty");
    }

    // ---------------------------------------------------------------- bad records

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "the record is empty"),
                Arguments.of(" \n ", "the record holds no metric"),
                Arguments.of("{\"metrics\":[]}", "the record holds no metric"),
                Arguments.of("[]", "expected a JSON object, found an array"),
                Arguments.of("42", "expected a JSON object, found a whole number"),
                Arguments.of("{\"fields\":{}}", "metric 1 has no name"),
                Arguments.of("{\"name\":\"mem\"}", "metric 1 (mem) has no fields"),
                Arguments.of("{\"name\":5,\"fields\":{}}", "metric 1: name is a whole number"),
                Arguments.of(
                        "{\"name\":\"m\",\"tags\":[],\"fields\":{}}", "metric 1: tags is an array"),
                Arguments.of(
                        "{\"name\":\"m\",\"tags\":{\"host\":1},\"fields\":{}}",
                        "metric 1: tag 'host' is a whole number"),
                Arguments.of(
                        "{\"name\":\"m\",\"tags\":{\"host\":\"a\",\"host\":\"b\"},\"fields\":{}}",
                        "metric 1: tag 'host' appears twice"),
                Arguments.of("{\"name\":\"m\",\"fields\":\"x\"}", "metric 1: fields is a string"),
                Arguments.of(
                        "{\"name\":\"m\",\"fields\":{\"a\":1,\"a\":2}}",
                        "metric 1: field 'a' appears twice"),
                Arguments.of(
                        "{\"name\":\"m\",\"fields\":{\"a\":1e999}}",
                        "metric 1: the value of field 'a' is out of range"),
                Arguments.of(
                        "{\"name\":\"m\",\"fields\":{},\"timestamp\":1.5}",
                        "metric 1: timestamp is a number with a fraction, not a whole number of"
                                + " json_timestamp_units"),
                Arguments.of(
                        "{\"name\":\"m\",\"fields\":{},\"timestamp\":null}",
                        "metric 1: timestamp is null, not a whole number of json_timestamp_units"),
                Arguments.of(
                        "{\"name\":\"m\",\"fields\":{},\"timestamp\":99999999999999999999}",
                        "metric 1: timestamp is the number 99999999999999999999, out of range,"
                                + " not a whole number of json_timestamp_units"),
                Arguments.of(
                        "{\"name\":\"m\",\"fields\":{},\"timestamp\":\"May 5\"}",
                        "metric 1: timestamp 'May 5' is not an RFC 3339 time"
                                + " (json_timestamp_format \"2006-01-02T15:04:05Z07:00\"); leave"
                                + " json_timestamp_format unset for epoch numbers"),
                Arguments.of("{\"metrics\":5}", "metrics is a whole number, not an array"),
                Arguments.of("{\"metrics\":[5]}", "metric 1 is a whole number, not an object"),
                Arguments.of(
                        "{\"metrics\":[{\"name\":\"m\",\"fields\":{}},{\"name\":\"m\"}]}",
                        "metric 2 (m) has no fields"),
                Arguments.of(
                        "{\"metrics\":[],\"name\":\"m\"}",
                        "the object at metric 1 has both metrics and name, tags, fields or"
                                + " timestamp"));
    }

    @ParameterizedTest
    @MethodSource
    void malformed(String json, String message) {
        assertRejected(decode(json), DeadLetterReason.UNDECODABLE, "Telegraf JSON: " + message);
    }

    @Test
    void invalidJsonIsRefusedWithJacksonsReason() {
        Decoded d = decode("{\"name\":\"mem\",");
        assertThat(d.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(d.message)
                .isEqualTo(
                        "Telegraf JSON: not valid JSON: Unexpected end-of-input within/between"
                                + " Object entries");
    }

    // ---------------------------------------------------------------- limits

    @Test
    void jsonLimitsApply() {
        String deep = "{\"name\":\"m\",\"fields\":{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}}";
        Decoded d = decode(deep);
        assertThat(d.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(d.message)
                .isEqualTo(
                        "Telegraf JSON: not valid JSON: Document nesting depth (17) exceeds the"
                                + " maximum allowed ("
                                + JsonLimits.MAX_DEPTH
                                + ", from `StreamReadConstraints.getMaxNestingDepth()`)");
    }

    @Test
    void aRecordOfTheMaximumNumberOfMetricsIsReadAndALargerOneIsRefused() {
        String one = mem("\"used\":1", "" + T_S);
        assertThat(decode(one.repeat(TelegrafJson.MAX_METRICS)).readings)
                .hasSize(TelegrafJson.MAX_METRICS);
        assertRejected(
                decode(one.repeat(TelegrafJson.MAX_METRICS + 1)),
                DeadLetterReason.UNDECODABLE,
                "Telegraf JSON: the record holds more than 1000 metrics");
        String element = one.substring(0, one.length() - 1);
        String batch =
                "{\"metrics\":["
                        + String.join(",", java.util.Collections.nCopies(1001, element))
                        + "]}";
        assertRejected(
                decode(batch),
                DeadLetterReason.UNDECODABLE,
                "Telegraf JSON: the record holds more than 1000 metrics");
    }

    @Test
    void vmIdsOfTheMaximumLengthAreReadAndLongerOnesRefused() {
        String id = "v".repeat(256);
        String json =
                "{\"fields\":{\"used\":1},\"name\":\"mem\",\"tags\":{\"host\":\"ID\"},\"timestamp\":"
                        + T_S
                        + "}";
        assertThat(decode(json.replace("ID", id)).readings)
                .extracting(r -> r.vmId)
                .containsExactly(id);
        Decoded d = decode(json.replace("ID", id + "v"));
        assertRejected(
                d,
                DeadLetterReason.INVALID,
                "Telegraf JSON: metric 1: mem: tag 'host' is 257 characters long, more than the"
                        + " maximum of 256");
        assertThat(d.vmId).isEqualTo(id + "v");
    }
}
