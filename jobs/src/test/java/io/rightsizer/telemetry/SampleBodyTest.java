package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.PowerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SampleBody reads a record of the current MetricSample schema to exactly the result Avro's reader
 * gives it (SampleCodec.decodeAvro): the sample, or the dead letter's reason, message, vmId and
 * timestamp. Over records of every shape, and over the same records damaged, which either path may
 * read (a damaged record can still be a valid one) or reject.
 */
class SampleBodyTest {
    private static final int RECORDS = 3_000;

    @Test
    void readsEveryShapeOfRecordAsAvrosReaderDoes() {
        SplittableRandom r = new SplittableRandom(26);
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < RECORDS; i++) {
            byte[] v = SampleCodec.encode(randomSample(r));

            SampleJson.Result fast = SampleBody.decode(v);

            // Every well-formed record of the current schema takes the fast path...
            assertThat(fast).as("record %d", i).isNotNull();
            // ...and ends as Avro's reader ends it.
            assertSame(fast, SampleCodec.decodeAvro(v, null, null), v);
            if (fast.ok()) {
                valid++;
            } else {
                invalid++;
            }
        }
        // Both kinds were drawn, so both were compared.
        assertThat(valid).isGreaterThan(RECORDS / 10);
        assertThat(invalid).isGreaterThan(RECORDS / 10);
    }

    @Test
    void damagedRecordsEndAsWithAvrosReader() {
        SplittableRandom r = new SplittableRandom(14);
        int fastTaken = 0;
        int fellBack = 0;
        for (int i = 0; i < RECORDS; i++) {
            byte[] good = SampleCodec.encode(randomSample(r));
            for (byte[] v : damaged(good, r)) {
                if (SampleBody.decode(v) != null) {
                    fastTaken++;
                } else {
                    fellBack++;
                }
                assertSame(SampleCodec.decode(v), SampleCodec.decodeAvro(v, null, null), v);
            }
        }
        assertThat(fastTaken).isGreaterThan(1_000);
        assertThat(fellBack).isGreaterThan(1_000);
    }

    @Test
    void leavesRecordsOfAnotherSchemaToAvrosReader() {
        byte[] v = SampleCodec.encode(randomSample(new SplittableRandom(3)));
        v[5] ^= 0x01; // another fingerprint

        assertThat(SampleBody.decode(v)).isNull();
        SampleJson.Result r = SampleCodec.decode(v);
        assertThat(r.ok()).isFalse();
        assertThat(r.message).startsWith("unknown writer schema fingerprint");
    }

    @Test
    void anEnumSymbolOrUnionBranchOutOfRangeIsLeftToAvrosReader() {
        MetricSample m = base();
        m.setUnitId(null);
        byte[] v = SampleCodec.encode(m);
        // vmId "vm-1" (len 4 → 0x08 + 4 bytes), systemId "sys-1" (0x0A + 5 bytes): then unitId's
        // union branch, 0 for null.
        int branch = 10 + 5 + 6;
        assertThat(v[branch]).isEqualTo((byte) 0);
        v[branch] = 4; // branch 2

        assertThat(SampleBody.decode(v)).isNull();
        // Said the same way every time, also once the JIT throws Avro's exception at that place
        // without its message (it did within the damaged records above, before describe()).
        for (int i = 0; i < 50_000; i++) {
            SampleJson.Result r = SampleCodec.decode(v);
            assertThat(r.ok()).isFalse();
            assertThat(r.message)
                    .isEqualTo(
                            "Avro body does not match MetricSample:"
                                    + " java.lang.ArrayIndexOutOfBoundsException");
        }
    }

    private static void assertSame(SampleJson.Result a, SampleJson.Result b, byte[] v) {
        String as = Arrays.toString(v);
        assertThat(a.ok()).as(as).isEqualTo(b.ok());
        assertThat(a.sample).as(as).isEqualTo(b.sample);
        assertThat(a.reason).as(as).isEqualTo(b.reason);
        assertThat(a.message).as(as).isEqualTo(b.message);
        assertThat(a.vmId).as(as).isEqualTo(b.vmId);
        assertThat(a.timestamp).as(as).isEqualTo(b.timestamp);
    }

    /** A few damaged copies: cut short, a byte changed, bytes added. */
    private static List<byte[]> damaged(byte[] good, SplittableRandom r) {
        List<byte[]> out = new ArrayList<>();
        out.add(Arrays.copyOf(good, 10 + r.nextInt(good.length - 10)));
        for (int k = 0; k < 3; k++) {
            byte[] v = good.clone();
            v[10 + r.nextInt(v.length - 10)] = (byte) r.nextInt(256);
            out.add(v);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1 + r.nextInt(3));
        for (int j = good.length; j < longer.length; j++) {
            longer[j] = (byte) r.nextInt(256);
        }
        out.add(longer);
        return out;
    }

    private static MetricSample base() {
        return MetricSample.newBuilder()
                .setVmId("vm-1")
                .setSystemId("sys-1")
                .setUnitId("unit-1")
                .setTimestamp(Instant.parse("2026-03-02T00:00:00Z"))
                .setPowerState(PowerState.RUNNING)
                .build();
    }

    private static MetricSample randomSample(SplittableRandom r) {
        MetricSample m = base();
        m.setVmId(id(r));
        m.setSystemId(id(r));
        m.setUnitId(r.nextInt(4) == 0 ? null : id(r));
        m.setTimestamp(
                Instant.ofEpochMilli(
                        r.nextInt(20) == 0
                                ? r.nextLong()
                                : 1_770_000_000_000L + r.nextInt(1_000_000_000)));
        m.setPowerState(r.nextBoolean() ? PowerState.RUNNING : PowerState.STOPPED);
        Long memoryTotal = optionalBytes(r);
        m.setMemoryTotalBytes(memoryTotal);
        m.setMemoryUsedBytes(used(r, memoryTotal));
        Long storageTotal = optionalBytes(r);
        m.setStorageTotalBytes(storageTotal);
        m.setStorageUsedBytes(used(r, storageTotal));
        m.setCpuUtilizationPct(optionalPct(r));
        m.setBusinessRecords(r.nextInt(3) == 0 ? null : (long) r.nextInt(-5, 1_000));
        return m;
    }

    private static String id(SplittableRandom r) {
        return switch (r.nextInt(40)) {
            case 0 -> "";
            case 1 -> "   ";
            case 2 -> "vm-" + "x".repeat(260);
            case 3 -> "虚拟机-" + r.nextInt(100);
            case 4 -> "vm-\u00e9-" + r.nextInt(100);
            default -> "vm-" + r.nextInt(100_000);
        };
    }

    /** Mostly a valid size; now and then absent, negative, zero or at the ends of a long. */
    private static Long optionalBytes(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0, 1 -> null;
            case 2 -> -r.nextLong(1, Long.MAX_VALUE);
            case 3 -> 0L;
            case 4 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            default -> r.nextLong(1L << 20, 1L << 40);
        };
    }

    /** Mostly within {@code total}; now and then anything. */
    private static Long used(SplittableRandom r, Long total) {
        if (total != null && total > 0 && r.nextInt(10) > 0) {
            return r.nextLong(0, total + 1 == Long.MIN_VALUE ? total : total + 1);
        }
        return optionalBytes(r);
    }

    private static Double optionalPct(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0 -> null;
            case 1 -> Double.NaN;
            case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : -0.0;
            case 3 -> 100 + r.nextDouble();
            default -> 100 * r.nextDouble();
        };
    }
}
