package io.rightsizer.job;

import static io.rightsizer.job.InputFuzzITCase.AT_DEFAULT_LIMIT;
import static io.rightsizer.job.InputFuzzITCase.SYSTEM;
import static io.rightsizer.job.InputFuzzITCase.VM;
import static io.rightsizer.job.InputFuzzITCase.W1;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.PowerState;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Samples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The hostile records of {@link InputFuzzITCase}, each with what the job must make of it. */
final class HostileRecords {
    /** A hostile record and what the job must make of it (null: nothing, as documented). */
    record Hostile(String what, byte[] key, byte[] value, DeadLetterReason reason) {}

    private final Random random;

    HostileRecords(long seed) {
        random = new Random(seed);
    }

    // ---------------------------------------------------------------- hostile telemetry

    List<Hostile> hostileSamples() {
        List<Hostile> out = new ArrayList<>();
        DeadLetterReason undecodable = DeadLetterReason.UNDECODABLE;
        DeadLetterReason invalid = DeadLetterReason.INVALID;
        byte[] valid = sample(W1 + HOUR, 50);
        out.add(new Hostile("random bytes", null, randomBytes(4096), undecodable));
        out.add(new Hostile("empty value", null, new byte[0], undecodable));
        out.add(new Hostile("null value", null, null, undecodable));
        out.add(new Hostile("at the default limit", null, filled(AT_DEFAULT_LIMIT), undecodable));
        String longId = "v".repeat(400_000);
        out.add(
                new Hostile(
                        "400 KB JSON, 400,000-char vmId",
                        longId.getBytes(StandardCharsets.UTF_8),
                        json("\"vmId\":\"" + longId + "\",\"systemId\":\"s\",\"timestamp\":" + W1),
                        invalid));
        out.add(new Hostile("unknown fingerprint", null, unknownFingerprint(valid), undecodable));
        for (int n : new int[] {1, 2, 9, 10, 11, valid.length / 2, valid.length - 1}) {
            out.add(new Hostile("Avro prefix of " + n, null, Arrays.copyOf(valid, n), undecodable));
        }
        byte[] validJson = json("\"vmId\":\"vm-j\",\"systemId\":\"s\",\"timestamp\":" + W1);
        out.add(
                new Hostile(
                        "JSON prefix",
                        null,
                        Arrays.copyOf(validJson, validJson.length / 2),
                        undecodable));
        out.add(
                new Hostile(
                        "JSON, 300,000-char unitId",
                        null,
                        json(
                                "\"vmId\":\"vm-u\",\"systemId\":\"s\",\"unitId\":\""
                                        + "u".repeat(300_000)
                                        + "\",\"timestamp\":"
                                        + W1),
                        invalid));
        // Over the JSON reader's longest string (JsonLimits): not read at all.
        out.add(
                new Hostile(
                        "JSON, 3,000,000-char unitId",
                        null,
                        json(
                                "\"vmId\":\"vm-u\",\"systemId\":\"s\",\"unitId\":\""
                                        + "u".repeat(3_000_000)
                                        + "\",\"timestamp\":"
                                        + W1),
                        undecodable));
        out.add(
                new Hostile(
                        "Avro, 2,000,000-char systemId",
                        null,
                        avro(metric("vm-s", W1).setSystemId("s".repeat(2_000_000))),
                        invalid));
        for (String cpu : new String[] {"\"NaN\"", "1e999", "-1e999", "-0.5"}) {
            out.add(
                    new Hostile(
                            "JSON cpu " + cpu,
                            null,
                            jsonSample("\"cpuUtilizationPct\":" + cpu),
                            invalid));
        }
        out.add(
                new Hostile(
                        "JSON NaN literal",
                        null,
                        jsonSample("\"cpuUtilizationPct\":NaN"),
                        undecodable));
        out.add(
                new Hostile(
                        "JSON negative memory",
                        null,
                        jsonSample("\"memoryUsedBytes\":-5"),
                        invalid));
        out.add(
                new Hostile(
                        "JSON Long.MAX_VALUE used memory",
                        null,
                        jsonSample(
                                "\"memoryUsedBytes\":"
                                        + Long.MAX_VALUE
                                        + ",\"memoryTotalBytes\":"
                                        + 16 * GIB),
                        invalid));
        out.add(
                new Hostile(
                        "JSON timestamp Long.MAX_VALUE",
                        null,
                        json(
                                "\"vmId\":\"vm-t\",\"systemId\":\"s\",\"timestamp\":"
                                        + Long.MAX_VALUE),
                        invalid));
        out.add(
                new Hostile(
                        "JSON timestamp beyond long",
                        null,
                        json(
                                "\"vmId\":\"vm-t\",\"systemId\":\"s\",\"timestamp\":99999999999999999999"),
                        invalid));
        for (double cpu :
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            out.add(
                    new Hostile(
                            "Avro cpu " + cpu,
                            null,
                            avro(metric("vm-c", W1).setCpuUtilizationPct(cpu)),
                            invalid));
        }
        out.add(
                new Hostile(
                        "Avro negative memory",
                        null,
                        avro(metric("vm-m", W1).setMemoryUsedBytes(-1L)),
                        invalid));
        out.add(
                new Hostile(
                        "Avro Long.MAX_VALUE used memory",
                        null,
                        avro(metric("vm-m", W1).setMemoryUsedBytes(Long.MAX_VALUE)),
                        invalid));
        out.add(
                new Hostile(
                        "Avro timestamp Long.MAX_VALUE",
                        null,
                        avro(metric("vm-t", 0).setTimestamp(Instant.ofEpochMilli(Long.MAX_VALUE))),
                        invalid));
        out.add(
                new Hostile(
                        "Avro timestamp in 2200",
                        null,
                        avro(metric("vm-t", 7_258_118_400_000L)),
                        invalid));
        out.add(
                new Hostile(
                        "JSON nested 100,000 deep",
                        null,
                        json("\"x\":" + "[".repeat(100_000) + "]".repeat(100_000)),
                        undecodable));
        out.add(
                new Hostile(
                        "a JSON array nested 100,000 deep",
                        null,
                        ("[".repeat(100_000) + "]".repeat(100_000))
                                .getBytes(StandardCharsets.UTF_8),
                        undecodable));
        out.add(
                new Hostile(
                        "18 bytes declaring a 2 GB string",
                        null,
                        declaringAHugeString(valid),
                        undecodable));
        return out;
    }

    /**
     * Samples stamped at the epoch: LATE once the watermark at the rules is past it, which the
     * first recommendation proves; before that, the rules' watermark also waits for their other
     * inputs.
     */
    static List<Hostile> epochSamples() {
        List<Hostile> out = new ArrayList<>();
        out.add(
                new Hostile(
                        "JSON timestamp 0",
                        null,
                        json("\"vmId\":\"vm-zero\",\"systemId\":\"s\",\"timestamp\":0"),
                        DeadLetterReason.LATE));
        out.add(
                new Hostile(
                        "Avro timestamp 0",
                        null,
                        avro(metric("vm-zero", 0)),
                        DeadLetterReason.LATE));
        return out;
    }

    static MetricSample.Builder metric(String vm, long ts) {
        return MetricSample.newBuilder()
                .setVmId(vm)
                .setSystemId("s")
                .setUnitId(null)
                .setTimestamp(Instant.ofEpochMilli(ts))
                .setPowerState(PowerState.RUNNING)
                .setMemoryUsedBytes(GIB)
                .setMemoryTotalBytes(16 * GIB)
                .setStorageUsedBytes(null)
                .setStorageTotalBytes(null)
                .setCpuUtilizationPct(null)
                .setBusinessRecords(null);
    }

    static byte[] avro(MetricSample.Builder b) {
        return SampleCodec.encode(b.build());
    }

    static byte[] sample(long ts, double pct) {
        Sample s = Samples.running(VM, SYSTEM, ts, pct);
        return SampleCodec.encode(s);
    }

    static byte[] json(String fields) {
        return ("{" + fields + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] jsonSample(String extra) {
        return json("\"vmId\":\"vm-n\",\"systemId\":\"s\",\"timestamp\":" + W1 + "," + extra);
    }

    // ---------------------------------------------------------------- other inputs

    List<Hostile> hostileAllocations() {
        List<Hostile> out = new ArrayList<>();
        DeadLetterReason undecodable = DeadLetterReason.UNDECODABLE;
        DeadLetterReason invalid = DeadLetterReason.INVALID;
        byte[] valid = allocation(Allocations.active("vm-i", "sys-i"));
        out.addAll(commonHostiles(valid, undecodable));
        // A tombstone deletes nothing on the compacted topic: skipped and counted, no dead letter.
        out.add(new Hostile("null value", null, null, null));
        out.add(
                new Hostile(
                        "2,000,000-char vmId",
                        null,
                        allocation(Allocations.active("i".repeat(2_000_000), "sys-i")),
                        invalid));
        out.add(
                new Hostile(
                        "2,000,000-char flavor",
                        null,
                        allocation(
                                Allocations.active("vm-i", "sys-i")
                                        .setFlavor("f".repeat(2_000_000))),
                        invalid));
        out.add(
                new Hostile(
                        "negative vcpus",
                        null,
                        allocation(Allocations.active("vm-i", "sys-i").setVcpus(-1)),
                        invalid));
        out.add(
                new Hostile(
                        "Long.MIN_VALUE memory",
                        null,
                        allocation(
                                Allocations.active("vm-i", "sys-i").setMemoryBytes(Long.MIN_VALUE)),
                        invalid));
        out.add(
                new Hostile(
                        "protection window ending at its start",
                        null,
                        allocation(
                                Allocations.active("vm-i", "sys-i")
                                        .setProtectionWindows(
                                                List.of(
                                                        Allocations.window(
                                                                Long.MAX_VALUE, Long.MAX_VALUE)))),
                        invalid));
        return out;
    }

    List<Hostile> hostileRuleUpdates() {
        List<Hostile> out = new ArrayList<>();
        DeadLetterReason refused = DeadLetterReason.INVALID;
        byte[] valid = envelope("2026.11.5", RuleFiles.weeklyAnyHour("2026.11.5", 70));
        out.addAll(commonHostiles(valid, refused));
        // A tombstone (someone deleting a version from the compacted topic) changes nothing.
        out.add(new Hostile("null value", null, null, null));
        out.add(
                new Hostile(
                        "3 MB document",
                        null,
                        envelope("2026.11.6", "x".repeat(3_000_000)),
                        refused));
        out.add(
                new Hostile(
                        "2,000,000-char version",
                        null,
                        envelope("9".repeat(2_000_000), RuleFiles.weeklyAnyHour("2026.11.7", 70)),
                        refused));
        out.add(
                new Hostile(
                        "YAML nested 100,000 deep",
                        null,
                        envelope(
                                "2026.11.8", "rules: " + "[".repeat(100_000) + "]".repeat(100_000)),
                        refused));
        String[] numbers = {".nan", ".inf", "-.inf", "-5", String.valueOf(Long.MAX_VALUE)};
        for (int i = 0; i < numbers.length; i++) {
            String version = "2026.11." + (10 + i);
            out.add(
                    new Hostile(
                            "average-above-pct " + numbers[i],
                            null,
                            envelope(
                                    version,
                                    RuleFiles.weeklyAnyHour(version, 70)
                                            .replace(
                                                    "average-above-pct: 70",
                                                    "average-above-pct: " + numbers[i])),
                            refused));
        }
        return out;
    }

    List<Hostile> hostileDecisions() {
        List<Hostile> out = new ArrayList<>();
        DeadLetterReason refused = DeadLetterReason.INVALID;
        String unknown = "0".repeat(32);
        byte[] valid = decision(unknown, "ops", W1);
        out.addAll(commonHostiles(valid, refused));
        out.add(new Hostile("null value", null, null, refused));
        out.add(
                new Hostile(
                        "2 MB comment",
                        null,
                        DecisionSerializer.encode(
                                decisionOf(unknown, "ops", W1)
                                        .setComment("c".repeat(2_000_000))
                                        .build()),
                        refused));
        out.add(
                new Hostile(
                        "2,000,000-char recommendationId",
                        null,
                        decision("r".repeat(2_000_000), "ops", W1),
                        refused));
        out.add(new Hostile("decidedAt 0", null, decision(unknown, "ops", 0), refused));
        out.add(
                new Hostile(
                        "decidedAt Long.MAX_VALUE",
                        null,
                        decision(unknown, "ops", Long.MAX_VALUE),
                        refused));
        out.add(
                new Hostile(
                        "deferred until Long.MAX_VALUE",
                        null,
                        DecisionSerializer.encode(
                                decisionOf(unknown, "ops", W1)
                                        .setState(DecisionState.DEFERRED)
                                        .setDeferUntil(Instant.ofEpochMilli(Long.MAX_VALUE))
                                        .build()),
                        refused));
        return out;
    }

    /**
     * Random bytes, an empty value, a valid header with an unknown fingerprint, prefixes of a valid
     * record and the 18-byte record declaring a 2 GB string, all with {@code reason}.
     */
    List<Hostile> commonHostiles(byte[] valid, DeadLetterReason reason) {
        List<Hostile> out = new ArrayList<>();
        out.add(new Hostile("random bytes", null, randomBytes(4096), reason));
        out.add(new Hostile("empty value", null, new byte[0], reason));
        out.add(new Hostile("unknown fingerprint", null, unknownFingerprint(valid), reason));
        for (int n : new int[] {1, 9, 10, valid.length / 2, valid.length - 1}) {
            out.add(new Hostile("prefix of " + n, null, Arrays.copyOf(valid, n), reason));
        }
        out.add(
                new Hostile(
                        "18 bytes declaring a 2 GB string",
                        null,
                        declaringAHugeString(valid),
                        reason));
        return out;
    }

    static byte[] allocation(VmAllocation.Builder b) {
        return SingleObject.encode(VmAllocation.getEncoder(), b.build());
    }

    static byte[] envelope(String version, String document) {
        RuleSetEnvelope e =
                RuleEnvelopes.envelope(
                        document, version, "ops@example", Instant.parse("2026-11-26T09:00:00Z"));
        return RuleEnvelopes.encode(e);
    }

    static Decision.Builder decisionOf(String id, String by, long at) {
        return Decision.newBuilder()
                .setRecommendationId(id)
                .setState(DecisionState.APPROVED)
                .setDecidedBy(by)
                .setDecidedAt(Instant.ofEpochMilli(at));
    }

    static byte[] decision(String id, String by, long at) {
        return DecisionSerializer.encode(decisionOf(id, by, at).build());
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** {@code valid} with its fingerprint (bytes 2 to 9) changed. */
    static byte[] unknownFingerprint(byte[] valid) {
        byte[] b = valid.clone();
        for (int i = 2; i < 10; i++) {
            b[i] = (byte) ~b[i];
        }
        return b;
    }

    /**
     * 18 bytes: {@code valid}'s header and fingerprint, then the zig-zag varint of 2,000,000,000
     * (the length of the record's first string, or its first union index as a huge number), then
     * three bytes of the string.
     */
    static byte[] declaringAHugeString(byte[] valid) {
        ByteBuffer b = ByteBuffer.allocate(18);
        b.put(valid, 0, 10);
        long zigzag = 2_000_000_000L << 1;
        while ((zigzag & ~0x7FL) != 0) {
            b.put((byte) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        b.put((byte) zigzag);
        b.put("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(b.position()).isEqualTo(18);
        return b.array();
    }
}
