package io.rightsizer.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.Resource;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.telemetry.RecordJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@code rightsizer tail} shows what arrives: one table row, or one JSON line, per record.
 * Columns have a fixed width so rows line up as they arrive; a longer value widens its row rather
 * than being cut, so nothing an operator acts on is hidden.
 */
final class TailRows {
    static final String NONE = "—";
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final String ROW = "%-19s  %-10s  %-12s  %-12s  %-16s  %-21s  %-18s  %s";
    // A recommendation id is 32 hex digits; the widest transition is IMPLEMENTED → WITHDRAWN.
    private static final String EVENT_ROW = "%-19s  %-17s  %-32s  %-23s  %-12s  %s";
    private static final JsonFactory JSON = new JsonFactory();

    private final ZoneId zone;
    private final DateTimeFormatter time;

    TailRows(ZoneId zone) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(zone);
    }

    /** The column names; the time column names the zone its times are in. */
    String header() {
        return String.format(
                        Locale.ROOT,
                        ROW,
                        "time (" + zone.getId() + ")",
                        "unit",
                        "system",
                        "vm",
                        "action",
                        "current → proposed",
                        "flags",
                        "reason")
                .stripTrailing();
    }

    String row(Recommendation r) {
        return String.format(
                        Locale.ROOT,
                        ROW,
                        time.format(r.getFiredAt()),
                        or(r.getUnitId()),
                        or(r.getSystemId()),
                        or(r.getVmId()),
                        r.getAction() + " " + r.getResource(),
                        sizes(r),
                        String.join(" ", flags(r)),
                        r.getReason())
                .stripTrailing();
    }

    String row(TimeLimitNotice n) {
        return String.format(
                        Locale.ROOT,
                        ROW,
                        time.format(n.getIssuedAt()),
                        or(n.getUnitId()),
                        or(n.getSystemId()),
                        or(n.getVmId()),
                        n.getKind(),
                        "until " + time.format(n.getUntil()),
                        n.getRegulation(),
                        n.getReason())
                .stripTrailing();
    }

    /** The audit trail's column names; the time column names the zone like {@link #header()}. */
    String eventHeader() {
        return String.format(
                        Locale.ROOT,
                        EVENT_ROW,
                        "time (" + zone.getId() + ")",
                        "kind",
                        "recommendation id",
                        "from → to",
                        "by",
                        "reason")
                .stripTrailing();
    }

    /**
     * One audit-trail event. The comment the decider gave follows the reason, so the data center
     * sees its own words next to what the job made of them.
     */
    String row(RecommendationEvent e) {
        String reason = e.getReason();
        if (e.getComment() != null && !e.getComment().isEmpty()) {
            reason += " (comment: " + e.getComment() + ")";
        }
        return String.format(
                        Locale.ROOT,
                        EVENT_ROW,
                        time.format(e.getAt()),
                        e.getKind(),
                        or(e.getRecommendationId()),
                        transition(e),
                        or(e.getBy()),
                        reason)
                .stripTrailing();
    }

    /** {@code OPEN → APPROVED}; {@code —} for a state the event has none of. */
    static String transition(RecommendationEvent e) {
        return or(e.getFromState()) + " → " + or(e.getToState());
    }

    static String undecodableRow(String topic, int partition, long offset, String reason) {
        return String.format(
                Locale.ROOT,
                "undecodable record on %s partition %d offset %d: %s",
                topic,
                partition,
                offset,
                reason);
    }

    static String json(Recommendation r) {
        return RecordJson.toJson(r, "recommendation");
    }

    static String json(RecommendationEvent e) {
        return RecordJson.toJson(e, "event");
    }

    static String json(TimeLimitNotice n) {
        return RecordJson.toJson(n, "notice");
    }

    static String undecodableJson(
            String topic, int partition, long offset, long timestamp, String reason) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "undecodable");
            g.writeStringField("topic", topic);
            g.writeNumberField("partition", partition);
            g.writeNumberField("offset", offset);
            g.writeNumberField("timestamp", timestamp);
            g.writeStringField("reason", reason);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * The allocation the recommendation is about and the size proposed, e.g. {@code 16.0 GiB → 32.0
     * GiB}; {@code —} for what is unknown or not proposed, and for VMs and systems to reclaim.
     */
    static String sizes(Recommendation r) {
        Long current;
        Long proposed;
        if (r.getResource() == Resource.MEMORY) {
            current = r.getMemoryTotalBytes();
            proposed = r.getProposedMemoryBytes();
        } else if (r.getResource() == Resource.STORAGE) {
            current = r.getStorageTotalBytes();
            proposed = r.getProposedStorageBytes();
        } else {
            return NONE;
        }
        return size(current) + " → " + size(proposed);
    }

    /** Priority first, then what needs a special procedure or is a repeat. */
    static List<String> flags(Recommendation r) {
        List<String> flags = new ArrayList<>();
        flags.add("P" + r.getPriority());
        if (r.getEmergency()) {
            flags.add("EMERGENCY");
        }
        if (r.getMajorChange()) {
            flags.add("MAJOR");
        }
        if (r.getReminder()) {
            flags.add("REMINDER");
        }
        return flags;
    }

    /**
     * Bytes in the largest binary unit in which they are at least 1, with one decimal: {@code 16.0
     * GiB}, {@code 1.5 TiB}; below 1 KiB in bytes ({@code 512 B}); {@code —} for null.
     */
    static String size(Long bytes) {
        if (bytes == null) {
            return NONE;
        }
        long b = bytes;
        if (Math.abs(b) < 1024) {
            return b + " B";
        }
        int unit = 0;
        double v = b;
        while (Math.abs(v) >= 1024 && unit < BINARY.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, BINARY[unit]);
    }

    private static String or(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    private static String or(Enum<?> e) {
        return e == null ? NONE : e.name();
    }

    /** For the caller's own lines (e.g. what is followed since when). */
    String time(Instant i) {
        return time.format(i);
    }
}
