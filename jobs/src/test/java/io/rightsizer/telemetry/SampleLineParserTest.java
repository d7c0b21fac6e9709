package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The replay's fast JSON line parser gives what the full Jackson decoder gives, line for line: the
 * same sample, or the same reason, message, vmId and timestamp. The corpus is the simulator's lines
 * (valid and malformed), every odd case of {@link SampleJsonTest} in both its spaced and a compact
 * layout, and systematic damage to a compact line (every truncation, every position overwritten
 * with each of a set of bytes, each value replaced by each of a set of odd values).
 */
class SampleLineParserTest {
    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

    private static final String LINE =
            "{\"vmId\":\"vm-00007\",\"systemId\":\"sys-002\",\"unitId\":\"unit-01\","
                    + "\"timestamp\":1772409600000,\"powerState\":\"RUNNING\","
                    + "\"memoryUsedBytes\":16230471403,\"memoryTotalBytes\":34359738368,"
                    + "\"storageUsedBytes\":30346238709,\"storageTotalBytes\":68719476736,"
                    + "\"cpuUtilizationPct\":40.2,\"businessRecords\":56}";

    private static final String[] KEYS = {
        "vmId",
        "systemId",
        "unitId",
        "timestamp",
        "powerState",
        "memoryUsedBytes",
        "memoryTotalBytes",
        "storageUsedBytes",
        "storageTotalBytes",
        "cpuUtilizationPct",
        "businessRecords"
    };

    private static final String[] ODD_VALUES = {
        "null",
        "\"\"",
        "\" \"",
        "\"STOPPED\"",
        "\"RUNNING\"",
        "\"PAUSED\"",
        "\"NaN\"",
        "\"x\"",
        "\"vm-\\u0031\"",
        "\"vm-\\\"q\"",
        "\"v\u00e9m\"",
        "\"tab\there\"",
        "0",
        "-0",
        "-1",
        "7",
        "01",
        "1.0",
        "1.5",
        "-0.5",
        "100",
        "100.0",
        "100.5",
        "101",
        "0.0",
        "-0.0",
        "1e3",
        "1E-2",
        "2.5e1",
        ".5",
        "5.",
        "-",
        "--1",
        "+1",
        "999999999999999999",
        "1000000000000000000",
        "99999999999999999999",
        "9007199254740993",
        "true",
        "false",
        "[]",
        "[1]",
        "{}",
        "{\"a\":1}",
        "nul",
        "nulll",
        "\"" + "a".repeat(256) + "\"",
        "\"" + "a".repeat(257) + "\""
    };

    private final SampleLineParser parser = new SampleLineParser();

    @Test
    void simulatedFleetLinesDecodeAsTheFullDecoderDoesAndTakeTheFastPath() {
        FleetSimulator sim =
                new FleetSimulator(40, START, 3, Duration.ofMinutes(5), 7, RuleSet.DEFAULT_ZONE);
        List<String> lines = new ArrayList<>();
        sim.records(
                r ->
                        lines.add(
                                r instanceof SimRecord.Valid v
                                        ? RecordJson.toJson(v.sample())
                                        : ((SimRecord.Malformed) r).jsonLine()));
        int bad = 0;
        for (String line : lines) {
            if (!assertSame(line).ok()) {
                bad++;
            }
        }
        assertThat(bad).isEqualTo(sim.invalidCount() + sim.undecodableCount());
        // Every valid sample and every INVALID one the simulator writes is in the project's own
        // layout; only the UNDECODABLE lines need Jackson.
        assertThat(parser.fullLines()).isEqualTo(sim.undecodableCount());
        assertThat(parser.fastLines()).isEqualTo(lines.size() - sim.undecodableCount());
    }

    @Test
    void everyOddCaseOfTheFullDecoderSpacedOrCompact() {
        List<String> cases = new ArrayList<>();
        SampleJsonTest.invalidSamples().map(a -> (String) a.get()[0]).forEach(cases::add);
        cases.add(SampleJsonTest.json());
        cases.add(SampleJsonTest.json() + "  \t");
        cases.add("  " + SampleJsonTest.json());
        cases.add(SampleJsonTest.json() + " " + SampleJsonTest.json());
        cases.add(SampleJsonTest.json() + " 5");
        cases.add(SampleJsonTest.json("labels", "{\"zone\": \"a\", \"tags\": [1, {\"x\": null}]}"));
        cases.add("not json");
        cases.add("{\"vmId\": \"vm-1\", \"timestamp\": 5");
        cases.add("{}");
        cases.add("[]");
        cases.add("");
        cases.add("{");
        cases.add("}");
        cases.add("null");
        for (String c : List.copyOf(cases)) {
            cases.add(c.replace("\": ", "\":").replace(", \"", ",\""));
        }
        int fastBefore = (int) parser.fastLines();
        for (String c : cases) {
            assertSame(c);
        }
        // The spaced cases all go the full way; of their compact copies, those whose every value
        // is in the project's own layout are decided on the fast path: 28 of the 54 cases (the
        // others hold objects, arrays, floats or NaN strings in integer fields, or are not
        // objects at all).
        assertThat(cases).hasSize(108);
        assertThat(parser.fastLines() - fastBefore).isEqualTo(28);
    }

    @Test
    void everyTruncationOfALine() {
        for (int n = 0; n <= LINE.length(); n++) {
            assertSame(LINE.substring(0, n));
            assertSame(LINE.substring(n));
        }
    }

    @Test
    void everyPositionOverwrittenWithOddBytes() {
        byte[] line = LINE.getBytes(StandardCharsets.UTF_8);
        byte[] odd = {
            ' ',
            '\t',
            '"',
            '\\',
            ',',
            ':',
            '{',
            '}',
            '[',
            '0',
            '9',
            '-',
            '.',
            'e',
            'n',
            'x',
            0,
            0x1f,
            0x7f,
            (byte) 0xc3,
            (byte) 0xff
        };
        for (int i = 0; i < line.length; i++) {
            for (byte b : odd) {
                byte[] copy = line.clone();
                copy[i] = b;
                assertSame(copy);
            }
        }
    }

    @Test
    void everyFieldGivenEveryOddValueMissingOrRepeated() {
        for (String key : KEYS) {
            for (String value : ODD_VALUES) {
                assertSame(withValue(LINE, key, value));
            }
            assertSame(LINE.replaceFirst("\"" + key + "\":[^,}]*,?", ""));
            assertSame(LINE.replace("{", "{\"" + key + "\":null,"));
            assertSame(LINE.replace("}", ",\"" + key + "\":\"dup\"}"));
        }
        assertSame(LINE.replace("}", ",\"labels\":{\"zone\":\"a\"}}"));
        assertSame(LINE.replace("\"vmId\"", "\"vmid\""));
    }

    @Test
    void randomDamageToRandomLines() {
        SplittableRandom r = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(LINE);
            for (int k = 0; k < KEYS.length; k++) {
                if (r.nextInt(4) == 0) {
                    String v = ODD_VALUES[r.nextInt(ODD_VALUES.length)];
                    b = new StringBuilder(withValue(b.toString(), KEYS[k], v));
                }
            }
            int edits = r.nextInt(3);
            for (int e = 0; e < edits && b.length() > 0; e++) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, ",:\" }{0-.e\\".charAt(r.nextInt(11)));
                    default -> b.setCharAt(at, (char) ('0' + r.nextInt(10)));
                }
            }
            assertSame(b.toString());
        }
    }

    @Test
    void theIdsOfTheSameVmAreOneStringInstance() {
        Sample a = parser.parse(bytes(LINE), 0, LINE.length()).sample;
        Sample b = parser.parse(bytes(LINE), 0, LINE.length()).sample;
        assertThat(a).isEqualTo(b);
        assertThat(b.vmId).isSameAs(a.vmId).isEqualTo("vm-00007");
        assertThat(b.systemId).isSameAs(a.systemId).isEqualTo("sys-002");
        assertThat(b.unitId).isSameAs(a.unitId).isEqualTo("unit-01");
        assertThat(b.cpuUtilizationPct).isEqualTo(40.2);
        assertThat(b.businessRecords).isEqualTo(56);
        assertThat(b.timestamp).isEqualTo(1_772_409_600_000L);
        assertThat(b.memoryUsedBytes).isEqualTo(16_230_471_403L);
        assertThat(b.memoryTotalBytes).isEqualTo(34_359_738_368L);
        assertThat(b.storageUsedBytes).isEqualTo(30_346_238_709L);
        assertThat(b.storageTotalBytes).isEqualTo(68_719_476_736L);
        assertThat(b.stopped).isFalse();
        assertThat(parser.fastLines()).isEqualTo(2);
    }

    @Test
    void cpuDecimalsOfEveryLengthAreTheDoublesParseDoubleReads() {
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder v = new StringBuilder(r.nextInt(8) == 0 ? "-" : "");
            int whole = r.nextInt(4);
            v.append(whole == 0 ? "0" : Integer.toString(r.nextInt(1, (int) Math.pow(10, whole))));
            v.append('.');
            for (int d = 1 + r.nextInt(20); d > 0; d--) {
                v.append((char) ('0' + r.nextInt(10)));
            }
            SampleJson.Result got = assertSame(withValue(LINE, "cpuUtilizationPct", v.toString()));
            if (got.ok()) {
                assertThat(Double.doubleToRawLongBits(got.sample.cpuUtilizationPct))
                        .as(v.toString())
                        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(v.toString())));
            }
        }
        assertThat(parser.fullLines()).isZero();
    }

    @Test
    void aLineInsideALargerBufferIsReadWithinItsBounds() {
        byte[] buf = bytes("xx" + LINE + "\n" + LINE);
        SampleJson.Result r = parser.parse(buf, 2, LINE.length());
        assertThat(r.ok()).isTrue();
        assertThat(r.sample).isEqualTo(SampleJson.parse(LINE).sample);
        SampleJson.Result cut = parser.parse(buf, 2, LINE.length() - 1);
        assertThat(cut.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    private static String withValue(String line, String key, String value) {
        return line.replaceFirst(
                "\"" + key + "\":(\"[^\"]*\"|[^,}]*)",
                java.util.regex.Matcher.quoteReplacement("\"" + key + "\":" + value));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private SampleJson.Result assertSame(String line) {
        return assertSame(bytes(line));
    }

    private SampleJson.Result assertSame(byte[] line) {
        // The line sits inside a larger buffer, as the file reader hands it over.
        byte[] buf = new byte[line.length + 4];
        buf[0] = '{';
        buf[1] = '"';
        System.arraycopy(line, 0, buf, 2, line.length);
        buf[buf.length - 2] = ',';
        buf[buf.length - 1] = '}';
        SampleJson.Result want = SampleJson.parse(line, 0, line.length);
        SampleJson.Result got = parser.parse(buf, 2, line.length);
        String what = new String(line, StandardCharsets.UTF_8);
        assertThat(got.ok()).as(what).isEqualTo(want.ok());
        assertThat(got.sample).as(what).isEqualTo(want.sample);
        assertThat(got.reason).as(what).isEqualTo(want.reason);
        assertThat(got.message).as(what).isEqualTo(want.message);
        assertThat(got.vmId).as(what).isEqualTo(want.vmId);
        assertThat(got.timestamp).as(what).isEqualTo(want.timestamp);
        return got;
    }
}
