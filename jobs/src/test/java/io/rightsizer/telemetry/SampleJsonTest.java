package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Samples as JSON objects: the input contract, every INVALID message, UNDECODABLE lines. */
class SampleJsonTest {
    static final long TS = 1_767_225_600_000L;

    /**
     * A JSON line: a valid minimal sample (vmId, systemId, timestamp) with keys replaced, added or
     * (value {@code null}) removed. Values are raw JSON text.
     */
    static String json(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vmId", "\"vm-1\"");
        m.put("systemId", "\"sys-1\"");
        m.put("timestamp", Long.toString(TS));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                m.remove(keyValues[i]);
            } else {
                m.put(keyValues[i], keyValues[i + 1]);
            }
        }
        StringJoiner j = new StringJoiner(", ", "{", "}");
        m.forEach((k, v) -> j.add("\"" + k + "\": " + v));
        return j.toString();
    }

    static SampleJson.Result parse(String line) {
        return SampleJson.parse(line);
    }

    // ---------------------------------------------------------------- INVALID

    static Stream<Arguments> invalidSamples() {
        return Stream.of(
                Arguments.of(json("vmId", null), "vmId is missing"),
                Arguments.of(json("vmId", "null"), "vmId is missing"),
                Arguments.of(json("vmId", "\"\""), "vmId is missing"),
                Arguments.of(json("vmId", "\"  \""), "vmId is missing"),
                Arguments.of(json("systemId", null), "systemId is missing"),
                Arguments.of(json("systemId", "\" \""), "systemId is missing"),
                Arguments.of(json("timestamp", null), "timestamp is missing"),
                Arguments.of(json("timestamp", "null"), "timestamp is missing"),
                Arguments.of(json("timestamp", "-1"), "timestamp -1 is negative"),
                Arguments.of(
                        json("powerState", "\"PAUSED\""),
                        "powerState 'PAUSED' is neither RUNNING nor STOPPED"),
                Arguments.of(
                        json("powerState", "\"running\""),
                        "powerState 'running' is neither RUNNING nor STOPPED"),
                Arguments.of(json("memoryUsedBytes", "-1"), "memoryUsedBytes -1 is negative"),
                Arguments.of(
                        json("memoryUsedBytes", "-1", "memoryTotalBytes", "10"),
                        "memoryUsedBytes -1 is negative"),
                Arguments.of(json("memoryTotalBytes", "-2"), "memoryTotalBytes -2 is negative"),
                Arguments.of(json("memoryTotalBytes", "0"), "memoryTotalBytes is 0"),
                Arguments.of(
                        json("memoryUsedBytes", "0", "memoryTotalBytes", "0"),
                        "memoryTotalBytes is 0"),
                Arguments.of(
                        json("memoryUsedBytes", "2", "memoryTotalBytes", "1"),
                        "memoryUsedBytes 2 is greater than memoryTotalBytes 1"),
                Arguments.of(json("storageUsedBytes", "-1"), "storageUsedBytes -1 is negative"),
                Arguments.of(json("storageTotalBytes", "-3"), "storageTotalBytes -3 is negative"),
                Arguments.of(json("storageTotalBytes", "0"), "storageTotalBytes is 0"),
                Arguments.of(
                        json("storageUsedBytes", "11", "storageTotalBytes", "10"),
                        "storageUsedBytes 11 is greater than storageTotalBytes 10"),
                Arguments.of(json("cpuUtilizationPct", "\"NaN\""), "cpuUtilizationPct is NaN"),
                Arguments.of(
                        json("cpuUtilizationPct", "100.5"),
                        "cpuUtilizationPct 100.5 is outside 0 to 100"),
                Arguments.of(
                        json("cpuUtilizationPct", "101"),
                        "cpuUtilizationPct 101.0 is outside 0 to 100"),
                Arguments.of(
                        json("cpuUtilizationPct", "-0.5"),
                        "cpuUtilizationPct -0.5 is outside 0 to 100"),
                Arguments.of(json("businessRecords", "-1"), "businessRecords -1 is negative"),
                // wrong JSON types
                Arguments.of(json("vmId", "7"), "vmId must be a string"),
                Arguments.of(json("vmId", "{\"id\": \"vm-1\"}"), "vmId must be a string"),
                Arguments.of(json("systemId", "true"), "systemId must be a string"),
                Arguments.of(json("unitId", "5"), "unitId must be a string or null"),
                Arguments.of(
                        json("powerState", "1"), "powerState must be \"RUNNING\" or \"STOPPED\""),
                Arguments.of(
                        json("timestamp", "\"2026-01-01T00:00:00Z\""),
                        "timestamp must be an integer (epoch milliseconds)"),
                Arguments.of(
                        json("timestamp", "1.5"),
                        "timestamp must be an integer (epoch milliseconds)"),
                Arguments.of(
                        json("memoryUsedBytes", "\"1024\""),
                        "memoryUsedBytes must be an integer or null"),
                Arguments.of(
                        json("memoryUsedBytes", "1024.5"),
                        "memoryUsedBytes must be an integer or null"),
                Arguments.of(
                        json("memoryTotalBytes", "99999999999999999999"),
                        "memoryTotalBytes must be an integer or null"),
                Arguments.of(
                        json("storageUsedBytes", "[1]"),
                        "storageUsedBytes must be an integer or null"),
                Arguments.of(
                        json("storageTotalBytes", "true"),
                        "storageTotalBytes must be an integer or null"),
                Arguments.of(
                        json("cpuUtilizationPct", "\"high\""),
                        "cpuUtilizationPct must be a number or null"),
                Arguments.of(
                        json("businessRecords", "2.5"),
                        "businessRecords must be an integer or null"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidSamples")
    void invalidSampleIsRejectedWithAMessageNamingTheField(String line, String message) {
        SampleJson.Result r = parse(line);

        assertThat(tuple(r.reason, r.message)).isEqualTo(tuple(DeadLetterReason.INVALID, message));
        assertThat(r.ok()).isFalse();
        assertThat(r.sample).isNull();
    }

    @Test
    void invalidSampleKeepsItsVmIdAndTimestampForTheDeadLetter() {
        SampleJson.Result r = parse(json("memoryTotalBytes", "0"));
        assertThat(r.vmId).isEqualTo("vm-1");
        assertThat(r.timestamp).isEqualTo(TS);

        SampleJson.Result noTs = parse(json("timestamp", null, "vmId", "\"vm-9\""));
        assertThat(noTs.message).isEqualTo("timestamp is missing");
        assertThat(noTs.vmId).isEqualTo("vm-9");
        assertThat(noTs.timestamp).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void firstOffendingFieldIsNamedAndTypeErrorsComeFirst() {
        assertThat(parse(json("vmId", null, "timestamp", "-1")).message)
                .isEqualTo("vmId is missing");
        assertThat(parse(json("vmId", null, "memoryTotalBytes", "\"x\"")).message)
                .isEqualTo("memoryTotalBytes must be an integer or null");
        assertThat(parse(json("memoryUsedBytes", "true", "businessRecords", "\"x\"")).message)
                .isEqualTo("memoryUsedBytes must be an integer or null");
    }

    // ---------------------------------------------------------------- accepted

    @Test
    void validSampleFillsEveryField() {
        SampleJson.Result r =
                parse(
                        json(
                                "unitId", "\"unit-7\"",
                                "powerState", "\"STOPPED\"",
                                "memoryUsedBytes", "512",
                                "memoryTotalBytes", "1024",
                                "storageUsedBytes", "10",
                                "storageTotalBytes", "100",
                                "cpuUtilizationPct", "12.5",
                                "businessRecords", "0"));

        assertThat(r.ok()).isTrue();
        assertThat(r.reason).isNull();
        assertThat(r.message).isNull();
        Sample s = r.sample;
        assertThat(s.vmId).isEqualTo("vm-1");
        assertThat(s.systemId).isEqualTo("sys-1");
        assertThat(s.unitId).isEqualTo("unit-7");
        assertThat(s.timestamp).isEqualTo(TS);
        assertThat(s.stopped).isTrue();
        assertThat(s.memoryUsedBytes).isEqualTo(512);
        assertThat(s.memoryTotalBytes).isEqualTo(1024);
        assertThat(s.storageUsedBytes).isEqualTo(10);
        assertThat(s.storageTotalBytes).isEqualTo(100);
        assertThat(s.cpuUtilizationPct).isEqualTo(12.5);
        assertThat(s.businessRecords).isZero();
        assertThat(s.sourcePartition).isEqualTo(-1);
        assertThat(s.sourceOffset).isEqualTo(-1);
    }

    @Test
    void absentOptionalFieldsAreMarkedAbsent() {
        Sample s = parse(json()).sample;

        assertThat(s.unitId).isNull();
        assertThat(s.memoryUsedBytes).isEqualTo(Sample.ABSENT);
        assertThat(s.memoryTotalBytes).isEqualTo(Sample.ABSENT);
        assertThat(s.storageUsedBytes).isEqualTo(Sample.ABSENT);
        assertThat(s.storageTotalBytes).isEqualTo(Sample.ABSENT);
        assertThat(s.cpuUtilizationPct).isNaN();
        assertThat(s.businessRecords).isEqualTo(Sample.ABSENT);
    }

    @Test
    void absentOrNullPowerStateMeansRunning() {
        assertThat(parse(json()).sample.stopped).isFalse();
        assertThat(parse(json("powerState", "null")).sample.stopped).isFalse();
        assertThat(parse(json("powerState", "\"RUNNING\"")).sample.stopped).isFalse();
        assertThat(parse(json("powerState", "\"STOPPED\"")).sample.stopped).isTrue();
    }

    @Test
    void integralJsonFloatsCountAsIntegers() {
        SampleJson.Result r =
                parse(
                        json(
                                "timestamp", "1767225600000.0",
                                "memoryUsedBytes", "1024.0",
                                "memoryTotalBytes", "2048.0",
                                "storageUsedBytes", "1e3",
                                "storageTotalBytes", "2E3",
                                "businessRecords", "3.0"));

        assertThat(r.message).isNull();
        assertThat(r.sample.timestamp).isEqualTo(TS);
        assertThat(r.sample.memoryUsedBytes).isEqualTo(1024);
        assertThat(r.sample.memoryTotalBytes).isEqualTo(2048);
        assertThat(r.sample.storageUsedBytes).isEqualTo(1000);
        assertThat(r.sample.storageTotalBytes).isEqualTo(2000);
        assertThat(r.sample.businessRecords).isEqualTo(3);
    }

    @Test
    void boundaryValuesAreValid() {
        assertThat(parse(json("cpuUtilizationPct", "0")).sample.cpuUtilizationPct).isZero();
        assertThat(parse(json("cpuUtilizationPct", "100")).sample.cpuUtilizationPct)
                .isEqualTo(100.0);
        assertThat(parse(json("timestamp", "0")).sample.timestamp).isZero();
        Sample full = parse(json("memoryUsedBytes", "1024", "memoryTotalBytes", "1024")).sample;
        assertThat(full.memoryUsedBytes).isEqualTo(1024);
    }

    @Test
    void onlyOneOfAUsedTotalPairIsValidButDoesNotCount() {
        Sample usedOnly = parse(json("memoryUsedBytes", "5")).sample;
        Sample totalOnly = parse(json("storageTotalBytes", "5")).sample;

        assertThat(usedOnly.memoryUsedBytes).isEqualTo(5);
        assertThat(usedOnly.hasMemory()).isFalse();
        assertThat(totalOnly.storageTotalBytes).isEqualTo(5);
        assertThat(totalOnly.hasStorage()).isFalse();
    }

    @Test
    void unknownKeysAreIgnoredWhateverTheirValue() {
        SampleJson.Result r =
                parse(
                        json(
                                "labels", "{\"zone\": \"a\", \"tags\": [1, {\"x\": null}]}",
                                "extra", "[1, 2, [3]]",
                                "comment", "\"hello\"",
                                "VMID", "42"));

        assertThat(r.message).isNull();
        assertThat(r.sample).isEqualTo(parse(json()).sample);
    }

    @Test
    void parsesASliceOfABuffer() {
        byte[] buf = ("xx" + json() + "yy").getBytes(StandardCharsets.UTF_8);

        SampleJson.Result r = SampleJson.parse(buf, 2, buf.length - 4);

        assertThat(r.sample).isEqualTo(parse(json()).sample);
    }

    // ---------------------------------------------------------------- UNDECODABLE

    static Stream<Arguments> notAJsonObject() {
        return Stream.of(
                Arguments.of("[1, 2]"),
                Arguments.of("[" + json() + "]"),
                Arguments.of("\"a string\""),
                Arguments.of("42"),
                Arguments.of("null"),
                Arguments.of(""));
    }

    @ParameterizedTest
    @MethodSource("notAJsonObject")
    void jsonThatIsNotAnObjectIsUndecodable(String line) {
        SampleJson.Result r = parse(line);

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).isEqualTo("not a JSON object");
        assertThat(r.sample).isNull();
    }

    @Test
    void textThatIsNotJsonIsUndecodable() {
        SampleJson.Result r = parse("not json");

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("not valid JSON: Unrecognized token 'not'");
        assertThat(r.message).doesNotContain("\n");
    }

    @Test
    void truncatedJsonIsUndecodable() {
        SampleJson.Result r = parse("{\"vmId\": \"vm-1\", \"timestamp\": 5");

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("not valid JSON: Unexpected end-of-input");
        assertThat(r.vmId).isEqualTo("vm-1");
        assertThat(r.timestamp).isEqualTo(5);
    }

    @Test
    void secondJsonValueOnTheLineIsUndecodable() {
        SampleJson.Result two = parse(json() + " " + json());
        SampleJson.Result number = parse(json() + " 5");

        assertThat(two.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(two.message).isEqualTo("more than one JSON value on the line");
        assertThat(two.vmId).isEqualTo("vm-1");
        assertThat(two.timestamp).isEqualTo(TS);
        assertThat(number.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(number.message).isEqualTo("more than one JSON value on the line");
    }

    @Test
    void trailingGarbageAfterTheObjectIsUndecodable() {
        SampleJson.Result r = parse(json() + " garbage");

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("not valid JSON: Unrecognized token 'garbage'");
        assertThat(r.vmId).isEqualTo("vm-1");
        assertThat(r.timestamp).isEqualTo(TS);
    }

    @Test
    void bareNanIsNotJson() {
        SampleJson.Result r = parse(json("cpuUtilizationPct", "NaN"));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message).startsWith("not valid JSON: ");
    }

    @Test
    void trailingWhitespaceIsFine() {
        assertThat(parse(json() + "  \t").ok()).isTrue();
        assertThat(parse("  " + json()).ok()).isTrue();
    }
}
