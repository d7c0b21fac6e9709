package io.rightsizer.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rightsizer.i18n.Messages;
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
    private static final int[] ROW = {19, 10, 12, 12, 16, 21, 18};
    // A recommendation id is 32 hex digits; the widest transition is IMPLEMENTED → WITHDRAWN.
    private static final int[] EVENT_ROW = {19, 17, 32, 23, 12};
    private static final JsonFactory JSON = new JsonFactory();

    private final ZoneId zone;
    private final DateTimeFormatter time;
    private final Messages m;

    TailRows(ZoneId zone) {
        this(zone, Messages.ENGLISH);
    }

    /** The table in the language of {@code m}; the records' own text is shown as it is. */
    TailRows(ZoneId zone, Messages m) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(zone);
        this.m = m;
    }

    /** The column names; the time column names the zone its times are in. */
    String header() {
        return columns(
                ROW,
                m.get("tail.time", zone.getId()),
                m.get("tail.unit"),
                m.get("tail.system"),
                m.get("tail.vm"),
                m.get("tail.action"),
                m.get("tail.sizes"),
                m.get("tail.flags"),
                m.get("tail.reason"));
    }

    String row(Recommendation r) {
        return columns(
                ROW,
                time.format(r.getFiredAt()),
                or(r.getUnitId()),
                or(r.getSystemId()),
                or(r.getVmId()),
                m.get(
                        "tail.action-resource",
                        m.get("enum.action." + r.getAction()),
                        m.get("enum.resource." + r.getResource())),
                sizes(r, m),
                String.join(" ", flags(r, m)),
                r.getReason());
    }

    String row(TimeLimitNotice n) {
        return columns(
                ROW,
                time.format(n.getIssuedAt()),
                or(n.getUnitId()),
                or(n.getSystemId()),
                or(n.getVmId()),
                m.get("enum.notice." + n.getKind()),
                m.get("tail.until", time.format(n.getUntil())),
                article(n.getRegulation()),
                n.getReason());
    }

    /** The audit trail's column names; the time column names the zone like {@link #header()}. */
    String eventHeader() {
        return columns(
                EVENT_ROW,
                m.get("tail.time", zone.getId()),
                m.get("tail.kind"),
                m.get("tail.recommendation-id"),
                m.get("tail.transition"),
                m.get("tail.by"),
                m.get("tail.reason"));
    }

    /**
     * The cells left-aligned in columns of {@code widths} terminal cells and two spaces apart, the
     * last one as it is. A Chinese character takes two cells, so the rows of a Chinese table line
     * up as the English ones do.
     */
    static String columns(int[] widths, String... cells) {
        StringBuilder b = new StringBuilder(160);
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < widths.length) {
                b.append(" ".repeat(Math.max(0, widths[i] - cellsOf(cells[i])) + 2));
            }
        }
        return b.toString().stripTrailing();
    }

    /** How many terminal cells {@code s} takes: two for East Asian wide and fullwidth forms. */
    static int cellsOf(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean wide =
                    (c >= 0x1100 && c <= 0x115F)
                            || (c >= 0x2E80 && c <= 0xA4CF)
                            || (c >= 0xAC00 && c <= 0xD7A3)
                            || (c >= 0xF900 && c <= 0xFAFF)
                            || (c >= 0xFE30 && c <= 0xFE4F)
                            || (c >= 0xFF00 && c <= 0xFF60)
                            || (c >= 0xFFE0 && c <= 0xFFE6)
                            || (c >= 0x20000 && c <= 0x3FFFD);
            n += wide ? 2 : 1;
        }
        return n;
    }

    /** A notice's article ({@code Article 22}) as the regulation writes it in this language. */
    String article(String regulation) {
        if (regulation != null && regulation.matches("Article \\d+")) {
            String key = "article." + regulation.substring("Article ".length());
            if (m.keys().contains(key)) {
                return m.get(key);
            }
        }
        return or(regulation);
    }

    /**
     * One audit-trail event. The comment the decider gave follows the reason, so the data center
     * sees its own words next to what the job made of them.
     */
    String row(RecommendationEvent e) {
        String reason = e.getReason();
        if (e.getComment() != null && !e.getComment().isEmpty()) {
            reason += m.get("tail.comment", e.getComment());
        }
        return columns(
                EVENT_ROW,
                time.format(e.getAt()),
                String.valueOf(e.getKind()),
                or(e.getRecommendationId()),
                transition(e),
                or(e.getBy()),
                reason);
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
        return sizes(r, Messages.ENGLISH);
    }

    static String sizes(Recommendation r, Messages m) {
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
        return size(current, m) + " → " + size(proposed, m);
    }

    /** Priority first, then what needs a special procedure or is a repeat. */
    static List<String> flags(Recommendation r) {
        return flags(r, Messages.ENGLISH);
    }

    static List<String> flags(Recommendation r, Messages m) {
        List<String> flags = new ArrayList<>();
        flags.add(m.get("tail.flag.priority", Integer.toString(r.getPriority())));
        if (r.getEmergency()) {
            flags.add(m.get("tail.flag.emergency"));
        }
        if (r.getMajorChange()) {
            flags.add(m.get("tail.flag.major"));
        }
        if (r.getReminder()) {
            flags.add(m.get("tail.flag.reminder"));
        }
        return flags;
    }

    /**
     * Bytes in the largest binary unit in which they are at least 1, with one decimal: {@code 16.0
     * GiB}, {@code 1.5 TiB}; below 1 KiB in bytes ({@code 512 B}); {@code —} for null.
     */
    static String size(Long bytes) {
        return size(bytes, Messages.ENGLISH);
    }

    static String size(Long bytes, Messages m) {
        return bytes == null ? NONE : m.size(bytes);
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
