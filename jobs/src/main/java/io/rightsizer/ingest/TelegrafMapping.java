package io.rightsizer.ingest;

import io.rightsizer.telemetry.SampleValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the job takes from Telegraf's metrics (docs/providers/telegraf.md, "What is mapped"):
 *
 * <ul>
 *   <li>{@code mem}: {@code used} → MEMORY_USED_BYTES, {@code total} → MEMORY_TOTAL_BYTES, {@code
 *       used_percent} → MEMORY_USED_PCT only when {@code used} or {@code total} is missing;
 *   <li>{@code disk}, per file system (instance = the {@code path} tag): {@code used} →
 *       STORAGE_USED_BYTES, {@code total} → STORAGE_TOTAL_BYTES; without {@code total}, {@code
 *       free} → STORAGE_FREE_BYTES; {@code used_percent} → STORAGE_USED_PCT only when {@code used}
 *       or {@code total} is missing;
 *   <li>{@code cpu} with tag {@code cpu=cpu-total}: {@code usage_idle} → CPU_IDLE_PCT. The per-CPU
 *       series ({@code cpu=cpu0}, ...) are ignored: the assembly averages every CPU_IDLE_PCT of an
 *       interval, and cpu-total already is the whole VM's, so taking both would count it twice.
 * </ul>
 *
 * Any other measurement, a per-CPU series, and a metric without any of these fields is ignored and
 * counted. A metric that is mapped but cannot be used (no VM tag, no time, a mapped field that is
 * not a number) refuses the record.
 */
final class TelegrafMapping {
    /** 2001-09-09T01:46:40Z: 10^9 seconds, the first time with 10 digits in seconds. */
    static final long MIN_TIMESTAMP_MILLIS = 1_000_000_000_000L;

    /** 2286-11-20T17:46:40Z, exclusive: 10^10 seconds. */
    static final long END_TIMESTAMP_MILLIS = 10_000_000_000_000L;

    private static final String[] UNIT_NAMES = {
        "1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms", "100ms", "1s"
    };

    private final String vmTag;
    private final long intervalMillis;
    private final String format;
    private final long recordTimestamp;
    private final String unitHint;

    final List<Reading> readings = new ArrayList<>();
    int ignored;

    /** The VM and time of the metric last looked at, for a dead letter. */
    String vmId;

    long timestamp = Long.MIN_VALUE;

    /**
     * @param recordTimestamp the Kafka record's timestamp, epoch milliseconds, the time of a metric
     *     that has none (Telegraf's {@code producer_timestamp = "metric"}, the default, makes it
     *     the metric's); negative: none
     * @param unitHint what to do when a timestamp is out of range, for the message
     */
    TelegrafMapping(
            TelegrafOptions.Settings settings,
            String format,
            long recordTimestamp,
            String unitHint) {
        this.vmTag = settings.vmTag();
        this.intervalMillis = settings.intervalMillis();
        this.format = format;
        this.recordTimestamp = recordTimestamp;
        this.unitHint = unitHint;
    }

    /** Maps one metric; returns why the record cannot be used, or null. */
    String add(TelegrafMetric m) {
        boolean mapped =
                switch (m.name) {
                    case "mem", "disk" -> true;
                    case "cpu" -> "cpu-total".equals(m.tags.get("cpu"));
                    default -> false;
                };
        if (!mapped) {
            ignored++;
            return null;
        }
        String vm = m.tags.get(vmTag);
        if (vm == null) {
            return m.name
                    + " has no tag '"
                    + vmTag
                    + "' to take the vmId from (ingest.telegraf.vm-tag)";
        }
        vmId = vm;
        if (vm.isEmpty()) {
            return m.name + ": tag '" + vmTag + "' is empty";
        }
        String tooLong = SampleValidator.checkIdLength("tag '" + vmTag + "'", vm);
        if (tooLong != null) {
            return m.name + ": " + tooLong;
        }
        long ts;
        if (m.timestamp != null) {
            ts = toMillis(m.timestamp, m.unitNanos);
            if (ts < 0) {
                return m.name + ": " + timestampProblem(m.timestamp, m.unitNanos, unitHint);
            }
        } else if (recordTimestamp >= 0) {
            ts = toMillis(recordTimestamp, 1_000_000);
            if (ts < 0) {
                return m.name
                        + " has no timestamp, and the Kafka record's "
                        + timestampProblem(
                                recordTimestamp, 1_000_000, "producer_timestamp must be metric");
            }
        } else {
            return m.name + " has no timestamp and the Kafka record has none";
        }
        timestamp = ts;
        int before = readings.size();
        String problem =
                switch (m.name) {
                    case "mem" -> mem(m, vm, ts);
                    case "disk" -> disk(m, vm, ts);
                    default -> emit(m, "usage_idle", vm, ts, Quantity.CPU_IDLE_PCT, "");
                };
        if (problem != null) {
            return problem;
        }
        if (readings.size() == before) {
            ignored++;
        }
        return null;
    }

    private String mem(TelegrafMetric m, String vm, long ts) {
        Object used = m.fields.get("used");
        Object total = m.fields.get("total");
        String p = emit(m, "used", vm, ts, Quantity.MEMORY_USED_BYTES, "");
        if (p == null) {
            p = emit(m, "total", vm, ts, Quantity.MEMORY_TOTAL_BYTES, "");
        }
        if (p == null && (used == null || total == null)) {
            p = emit(m, "used_percent", vm, ts, Quantity.MEMORY_USED_PCT, "");
        }
        return p;
    }

    private String disk(TelegrafMetric m, String vm, long ts) {
        String path = m.tags.get("path");
        if (path == null) {
            return "disk has no tag 'path' to tell its file systems apart";
        }
        String tooLong = SampleValidator.checkIdLength("tag 'path'", path);
        if (tooLong != null) {
            return "disk: " + tooLong;
        }
        Object used = m.fields.get("used");
        Object total = m.fields.get("total");
        String p = emit(m, "used", vm, ts, Quantity.STORAGE_USED_BYTES, path);
        if (p == null) {
            p = emit(m, "total", vm, ts, Quantity.STORAGE_TOTAL_BYTES, path);
        }
        if (p == null && total == null) {
            p = emit(m, "free", vm, ts, Quantity.STORAGE_FREE_BYTES, path);
        }
        if (p == null && (used == null || total == null)) {
            p = emit(m, "used_percent", vm, ts, Quantity.STORAGE_USED_PCT, path);
        }
        return p;
    }

    /** Adds the reading of {@code field} when the metric has it; why not, or null. */
    private String emit(
            TelegrafMetric m, String field, String vm, long ts, Quantity q, String instance) {
        Object v = m.fields.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Double d)) {
            return m.name
                    + ": field '"
                    + field
                    + "' is "
                    + TelegrafMetric.typeName(v)
                    + ", not a number";
        }
        readings.add(Reading.of(vm, ts, intervalMillis, format, q, instance, d));
        return null;
    }

    /**
     * Epoch milliseconds of {@code raw} in units of {@code unitNanos} (a power of ten from 1 ns to
     * 1 s), or -1 when it is not a time from 2001-09-09 to 2286-11-20. Within that range every such
     * unit gives a distinct number of digits, so a value outside it is almost always a unit that
     * differs from the configured one, which {@link #timestampProblem} names.
     */
    static long toMillis(long raw, long unitNanos) {
        long lo = 1_000_000_000_000_000_000L / unitNanos;
        if (raw < lo || (unitNanos > 1 && raw >= 10 * lo)) {
            return -1;
        }
        return unitNanos >= 1_000_000
                ? raw * (unitNanos / 1_000_000)
                : raw / (1_000_000 / unitNanos);
    }

    static String unitName(long unitNanos) {
        int i = 0;
        for (long p = 1; p < unitNanos; p *= 10) {
            i++;
        }
        return UNIT_NAMES[i];
    }

    /** Why {@code raw} in units of {@code unitNanos} is refused (see {@link #toMillis}). */
    static String timestampProblem(long raw, long unitNanos, String how) {
        int digits = raw <= 0 ? 0 : Long.toString(raw).length();
        String guess =
                digits >= 10 && digits <= 19
                        ? "its "
                                + digits
                                + " digits are a time in units of "
                                + UNIT_NAMES[19 - digits]
                        : "it is no time in that range in any unit from 1ns to 1s";
        return "timestamp "
                + raw
                + " in units of "
                + unitName(unitNanos)
                + " is not between "
                + Instant.ofEpochMilli(MIN_TIMESTAMP_MILLIS)
                + " and "
                + Instant.ofEpochMilli(END_TIMESTAMP_MILLIS)
                + "; "
                + guess
                + ": "
                + how;
    }
}
