package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.telemetry.SampleJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/**
 * A reader passes over another reader's line only when the line cannot be a valid sample of one of
 * its own VMs and cannot raise the watermark: the owner is the reader {@code keyBy(vmId)} gives the
 * decoded sample, on the writers' layout, on odd layouts and on damaged lines alike.
 */
class ForeignLineSkimTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long T = 1_772_409_600_000L;

    private static final String LINE =
            "{\"vmId\":\"vm-00007\",\"systemId\":\"sys-002\",\"unitId\":\"unit-01\","
                    + "\"timestamp\":1772409600000,\"powerState\":\"RUNNING\","
                    + "\"memoryUsedBytes\":16230471403,\"memoryTotalBytes\":34359738368,"
                    + "\"cpuUtilizationPct\":40.2,\"businessRecords\":56}";

    private final ForeignLineSkim skim = new ForeignLineSkim(MAX_PARALLELISM, 2);

    @Test
    void aPrefixedLineBelongsToTheReaderKeyByGivesItsVm() {
        for (int readers = 2; readers <= 3; readers++) {
            ForeignLineSkim s = new ForeignLineSkim(MAX_PARALLELISM, readers);
            for (int i = 0; i < 500; i++) {
                String vm = "vm-" + i;
                assertThat(owner(s, LINE.replace("vm-00007", vm), T))
                        .as(vm)
                        .isEqualTo(
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                        vm, MAX_PARALLELISM, readers));
            }
        }
    }

    @Test
    void aLineWhoseVmTheBytesDoNotTellIsDecodedByEveryReader() {
        List<String> lines =
                List.of(
                        " " + LINE,
                        LINE.replace("{\"vmId\":", "{ \"vmId\" :"),
                        LINE.replace("vm-00007", "vm-\\u0030"),
                        LINE.replace("unit-01", "unit-\\u0030"),
                        LINE.replace("vm-00007", "v\u00e9m"),
                        LINE.replace("vm-00007", "tab\there"),
                        LINE.replace("vm-00007", ""),
                        LINE.replace("vm-00007", "a".repeat(257)),
                        LINE.replace("\"vm-00007\"", "7"),
                        LINE.replace("}", ",\"vmId\":\"vm-1\"}"),
                        LINE.replace("}", ",\"labels\":{\"vmId\":\"vm-1\"}}"),
                        LINE.replace("\"systemId\":\"sys-002\"", "\"systemId\":\"vmId\""),
                        "{\"vmId\":\"vm-00007",
                        "{\"vmId\":\"",
                        "{\"systemId\":\"sys-002\",\"vmId\":\"vm-00007\"}",
                        "not json");
        for (String line : lines) {
            assertThat(owner(skim, line, T)).as(line).isEqualTo(ForeignLineSkim.UNPREFIXED);
        }
    }

    @Test
    void aLineMayRaiseTheWatermarkUnlessEveryTimestampKeyHasAPlainIntegerNoLaterThanTheMax() {
        assertThat(raises(LINE, T)).isFalse();
        assertThat(raises(LINE, T - 1)).isTrue();
        assertThat(raises(LINE.replace("\"timestamp\":", "\"timestamp\" :\t"), T)).isFalse();
        assertThat(raises(LINE.replace("\"timestamp\":", "\"timestamp\" : "), T - 1)).isTrue();
        assertThat(raises(LINE.replace("1772409600000", "-5"), T)).isFalse();
        assertThat(raises(LINE.replace("\"timestamp\":1772409600000,", ""), T)).isFalse();
        assertThat(raises(LINE.replace("\"sys-002\"", "\"timestamp\""), T)).isFalse();
        for (String odd :
                List.of(
                        "1772409600000.0",
                        "1.7724096E12",
                        "\"1772409600000\"",
                        "null",
                        "1772409600000e0",
                        "1" + "0".repeat(18),
                        "-",
                        "[1]")) {
            assertThat(raises(LINE.replace("1772409600000", odd), Long.MAX_VALUE)).as(odd).isTrue();
        }
        assertThat(raises(LINE.replace("}", ",\"timestamp\":" + (T + 1) + "}"), T)).isTrue();
    }

    @Test
    void passingOverALineNeverLosesAValidSampleOrAWatermarkOnDamagedLines() {
        String[] odd = {
            "null",
            "\"\"",
            "\"x\"",
            "\"vm-\\u0031\"",
            "\"vm-\\\"q\"",
            "\"v\u00e9m\"",
            "0",
            "-1",
            "01",
            "1.0",
            "1.5",
            "1e3",
            "99999999999999999999",
            "true",
            "[]",
            "{}",
            "{\"vmId\":1}",
            "\"vmId\"",
            "\"timestamp\"",
            "1772409600001",
            "1772409599999"
        };
        String[] keys = {
            "vmId", "systemId", "unitId", "timestamp", "powerState", "businessRecords"
        };
        List<String> corpus = new ArrayList<>();
        for (int n = 0; n <= LINE.length(); n++) {
            corpus.add(LINE.substring(0, n));
        }
        SplittableRandom r = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            String line = LINE.replace("vm-00007", "vm-" + r.nextInt(1000));
            for (String key : keys) {
                if (r.nextInt(4) == 0) {
                    line =
                            line.replaceFirst(
                                    "\"" + key + "\":(\"[^\"]*\"|[^,}]*)",
                                    "\""
                                            + key
                                            + "\":"
                                            + java.util.regex.Matcher.quoteReplacement(
                                                    odd[r.nextInt(odd.length)]));
                }
            }
            if (r.nextInt(4) == 0) {
                line =
                        line.replace(
                                "}",
                                ",\""
                                        + keys[r.nextInt(keys.length)]
                                        + "\":"
                                        + odd[r.nextInt(odd.length)]
                                        + "}");
            }
            StringBuilder b = new StringBuilder(line);
            for (int e = r.nextInt(3); e > 0 && b.length() > 0; e--) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, ",:\" }{0-.e\\".charAt(r.nextInt(11)));
                    default -> b.setCharAt(at, (char) ('0' + r.nextInt(10)));
                }
            }
            corpus.add(b.toString());
        }
        int prefixedValid = 0;
        int passedOver = 0;
        for (String line : corpus) {
            SampleJson.Result decoded = SampleJson.parse(line);
            for (long max : new long[] {T - 1, T, Long.MAX_VALUE}) {
                int owner = owner(skim, line, max);
                if (owner == ForeignLineSkim.UNPREFIXED) {
                    continue;
                }
                if (decoded.ok()) {
                    prefixedValid++;
                    assertThat(owner)
                            .as(line)
                            .isEqualTo(
                                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                            decoded.sample.vmId, MAX_PARALLELISM, 2));
                }
                if (!skim.mayRaise()) {
                    passedOver++;
                    assertThat(decoded.ok() && decoded.sample.timestamp > max).as(line).isFalse();
                }
            }
        }
        // The corpus exercises both answers, not only the safe one.
        assertThat(prefixedValid).isGreaterThan(5_000);
        assertThat(passedOver).isGreaterThan(5_000);
    }

    @Test
    void theScanFindsEveryCandidateByteAtAnyAlignment() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at < len; at++) {
                for (byte special : new byte[] {'I', 'p', '\\'}) {
                    byte[] b =
                            "a\"".repeat(len).substring(0, len).getBytes(StandardCharsets.US_ASCII);
                    b[at] = special;
                    for (int from = 0; from <= at; from++) {
                        assertThat(ForeignLineSkim.candidate(b, from, len)).isEqualTo(at);
                    }
                    assertThat(ForeignLineSkim.candidate(b, at + 1, len)).isEqualTo(len);
                }
            }
        }
    }

    private static int owner(ForeignLineSkim s, String line, long max) {
        byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        return s.owner(b, 2, b.length - 2, max);
    }

    private boolean raises(String line, long max) {
        assertThat(owner(skim, line, max)).isNotEqualTo(ForeignLineSkim.UNPREFIXED);
        return skim.mayRaise();
    }
}
