package io.rightsizer.history;

import io.rightsizer.model.Rejected;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordCaps;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The utilization history as InfluxDB line protocol, millisecond precision, one function per
 * measurement of the issue #5 contract ({@code vm_hourly}, {@code vm_weekly}, {@code
 * recommendations}, {@code dead_letters}, {@code data_quality}).
 *
 * <p>Lines are built with the client's {@link Point} so that escaping of measurement, tag and field
 * text is the client's, not ours. The client sorts tags and fields by name, so a point's line is
 * the same in every run: a replay rewrites the same points (same measurement, tags and time) and
 * InfluxDB keeps one copy.
 *
 * <p>Tag values with a line break, another control character or a trailing backslash, which the
 * line protocol cannot carry, have those characters replaced by U+FFFD (see {@link #safeTagValue}).
 *
 * <p>Absent values: a null or empty tag is left out (InfluxDB has no null tag); an optional field
 * that is unknown is left out rather than written as 0, so that InfluxQL's MEAN/MAX ignore it; a
 * non-finite number (NaN, infinity) is left out by the client, as the line protocol cannot carry
 * it. Floating-point fields are always written with a decimal point ({@code 100.0}), so a field's
 * type never changes between points (InfluxDB refuses a type change in a shard).
 */
public final class HistoryLines {
    public static final String VM_HOURLY = "vm_hourly";
    public static final String VM_WEEKLY = "vm_weekly";
    public static final String RECOMMENDATIONS = "recommendations";
    public static final String DEAD_LETTERS = "dead_letters";
    public static final String DATA_QUALITY = "data_quality";

    private HistoryLines() {}

    /**
     * One VM's clock hour, at the hour's start. The one measurement with a point per VM and hour,
     * so it is written here without the client's builder (whose number formatting and sorted maps
     * cost the rules operator, where this runs, as much as a tenth of its time), in exactly the
     * client's format: {@code HistoryLinesTest} compares the two on many summaries.
     */
    public static String hourly(HourSummary h) {
        StringBuilder b = new StringBuilder(256).append(VM_HOURLY);
        fastTag(b, "systemId", h.systemId);
        fastTag(b, "unitId", h.unitId);
        fastTag(b, "vmId", h.vmId);
        char sep = ' ';
        if (h.hasMemory()) {
            sep = fastField(b, sep, "memory_max", h.memoryMaxPct);
            sep = fastField(b, sep, "memory_mean", h.memoryMeanPct);
        }
        if (h.memoryTotalBytes >= 0) {
            sep = fastField(b, sep, "memory_total_bytes", h.memoryTotalBytes);
        }
        sep = fastField(b, sep, "peak_starts", h.peakStarts);
        sep = fastField(b, sep, "samples", h.samples);
        sep = fastField(b, sep, "stopped_samples", h.stoppedSamples);
        if (h.hasStorage()) {
            sep = fastField(b, sep, "storage_max", h.storageMaxPct);
        }
        if (h.storageTotalBytes >= 0) {
            fastField(b, sep, "storage_total_bytes", h.storageTotalBytes);
        }
        return b.append(' ').append(h.hourStart).toString();
    }

    /** As {@link #hourly}, through the client's builder: the reference the fast path must match. */
    static String hourlyWithClient(HourSummary h) {
        Point.Builder p = point(VM_HOURLY, h.hourStart);
        subject(p, h.vmId, h.systemId, h.unitId);
        p.addField("samples", (long) h.samples);
        p.addField("stopped_samples", (long) h.stoppedSamples);
        if (h.hasMemory()) {
            p.addField("memory_mean", h.memoryMeanPct);
            p.addField("memory_max", h.memoryMaxPct);
        }
        if (h.hasStorage()) {
            p.addField("storage_max", h.storageMaxPct);
        }
        p.addField("peak_starts", (long) h.peakStarts);
        if (h.memoryTotalBytes >= 0) {
            p.addField("memory_total_bytes", h.memoryTotalBytes);
        }
        if (h.storageTotalBytes >= 0) {
            p.addField("storage_total_bytes", h.storageTotalBytes);
        }
        return line(p);
    }

    /** One VM's week as the weekly rules saw it, at the week's start (Monday 00:00, rule zone). */
    public static String weekly(WeekSummary w) {
        Point.Builder p = point(VM_WEEKLY, w.weekStart);
        subject(p, w.vmId, w.systemId, w.unitId);
        p.addField("average", w.averagePct);
        p.addField("peak", w.peakPct);
        p.addField("covered_hours", (long) w.coveredHours);
        p.addField("samples", w.samples);
        p.addField("judged", w.judged);
        return line(p);
    }

    /**
     * A recommendation that reached the approval topic, at {@code firedAt}; empty for a reminder
     * ({@code reminder} = true), which re-sends an earlier recommendation and is not a new one.
     */
    public static Optional<String> recommendation(Recommendation r) {
        if (r.getReminder()) {
            return Optional.empty();
        }
        Point.Builder p = point(RECOMMENDATIONS, r.getFiredAt().toEpochMilli());
        tag(p, "rule", r.getRuleId());
        tag(p, "action", r.getAction() == null ? null : r.getAction().name());
        subject(p, r.getVmId(), r.getSystemId(), r.getUnitId());
        p.addField("id", RecordCaps.text(r.getRecommendationId()));
        p.addField("reason", RecordCaps.text(r.getReason()));
        p.addField("priority", (long) r.getPriority());
        p.addField("emergency", r.getEmergency());
        p.addField("major_change", r.getMajorChange());
        Evidence e = r.getEvidence();
        if (e != null) {
            field(p, "weekly_average", e.getWeeklyAveragePct());
            field(p, "weekly_peak", e.getWeeklyPeakPct());
            if (e.getCoveredHours() != null) {
                p.addField("covered_hours", e.getCoveredHours().longValue());
            }
            if (e.getPeakStarts() != null) {
                p.addField("peak_starts", (long) e.getPeakStarts().size());
            }
            field(p, "storage_pct", e.getStoragePct());
            field(p, "memory_pct", e.getMemoryPct());
        }
        field(p, "memory_total_bytes", r.getMemoryTotalBytes());
        field(p, "storage_total_bytes", r.getStorageTotalBytes());
        field(p, "proposed_memory_bytes", r.getProposedMemoryBytes());
        field(p, "proposed_storage_bytes", r.getProposedStorageBytes());
        field(p, "change_pct", r.getChangePct());
        return Optional.of(line(p));
    }

    /**
     * {@code count} dead letters of {@code reason} in the processing-time minute that ends at
     * {@code at}.
     */
    public static String deadLetters(String reason, long at, long count) {
        Point.Builder p = point(DEAD_LETTERS, at);
        tag(p, "reason", reason);
        p.addField("count", count);
        return line(p);
    }

    /** A telemetry silence or its end, at {@code detectedAt}. */
    public static String dataQuality(DataQualityEvent d) {
        Point.Builder p = point(DATA_QUALITY, d.getDetectedAt().toEpochMilli());
        tag(p, "kind", d.getKind() == null ? null : d.getKind().name());
        subject(p, d.getVmId(), d.getSystemId(), d.getUnitId());
        p.addField("id", RecordCaps.text(d.getEventId()));
        p.addField("last_sample_at", d.getLastSampleAt().toEpochMilli());
        p.addField("silent_for_ms", d.getSilentForMillis());
        return line(p);
    }

    /** A tag as the client writes it: left out when empty; space, comma and '=' escaped. */
    private static void fastTag(StringBuilder b, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        b.append(',').append(name).append('=');
        if (plain(value)) {
            // Ids as collectors send them: nothing to cap, replace or escape, one copy.
            b.append(value);
            return;
        }
        String v = safeTagValue(Rejected.cap(value, RecordCaps.TAG_CAP));
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ' ' || c == ',' || c == '=') {
                b.append('\\');
            }
            b.append(c);
        }
    }

    /**
     * Whether {@code value} goes into a tag unchanged: within the cap, and only printable ASCII
     * that the line protocol does not escape (no space, comma, equals sign or backslash).
     */
    static boolean plain(String value) {
        int n = value.length();
        if (n > RecordCaps.TAG_CAP) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == ',' || c == '=' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static char fastField(StringBuilder b, char sep, String name, long value) {
        b.append(sep).append(name).append('=').append(value).append('i');
        return ',';
    }

    /** A float as the client writes it; a non-finite one is left out, as the client does. */
    private static char fastField(StringBuilder b, char sep, String name, double value) {
        if (!Double.isFinite(value)) {
            return sep;
        }
        b.append(sep).append(name).append('=');
        double a = Math.abs(value);
        if (a >= 1e-3 && a < 1e7) {
            // Double.toString is plain notation in this range, with the shortest digits that
            // round-trip and at least one decimal: what the client's NumberFormat writes too.
            b.append(value);
        } else {
            b.append(CLIENT_FORMAT.get().format(value));
        }
        return ',';
    }

    /** The client's number format (influxdb-java's Point), for values outside the fast range. */
    private static final ThreadLocal<java.text.NumberFormat> CLIENT_FORMAT =
            ThreadLocal.withInitial(
                    () -> {
                        java.text.NumberFormat f =
                                java.text.NumberFormat.getInstance(java.util.Locale.ENGLISH);
                        f.setMaximumFractionDigits(340);
                        f.setGroupingUsed(false);
                        f.setMinimumFractionDigits(1);
                        return f;
                    });

    private static Point.Builder point(String measurement, long epochMillis) {
        return Point.measurement(measurement).time(epochMillis, TimeUnit.MILLISECONDS);
    }

    private static void subject(Point.Builder p, String vmId, String systemId, String unitId) {
        tag(p, "vmId", vmId);
        tag(p, "systemId", systemId);
        tag(p, "unitId", unitId);
    }

    private static void tag(Point.Builder p, String name, String value) {
        if (value != null && !value.isEmpty()) {
            p.tag(name, safeTagValue(Rejected.cap(value, RecordCaps.TAG_CAP)));
        }
    }

    /** What stands in for a character that a tag value cannot carry. */
    static final char REPLACEMENT = '\uFFFD';

    /**
     * The client escapes spaces, commas and equals signs in tags, but a line break or other control
     * character would split or corrupt the line, and a trailing backslash would escape the
     * separator after it; the server would then refuse the whole batch of up to 5000 points as
     * unparsable. Identifiers come from telemetry, so such a value is written with U+FFFD in place
     * of those characters rather than risk the batch.
     */
    static String safeTagValue(String value) {
        StringBuilder out = null;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean bad = Character.isISOControl(c) || (c == '\\' && i == n - 1);
            if (bad && out == null) {
                out = new StringBuilder(value.length());
                out.append(value, 0, i);
            }
            if (out != null) {
                out.append(bad ? REPLACEMENT : c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static void field(Point.Builder p, String name, Double value) {
        if (value != null) {
            p.addField(name, value.doubleValue());
        }
    }

    private static void field(Point.Builder p, String name, Long value) {
        if (value != null) {
            p.addField(name, value.longValue());
        }
    }

    private static String line(Point.Builder p) {
        return p.build().lineProtocol(TimeUnit.MILLISECONDS);
    }
}
