package io.rightsizer.report;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The values of InfluxDB's query answers as the report reads them: tags, columns, numbers. */
final class InfluxValues {
    private InfluxValues() {}

    static Subject subject(Map<String, String> tags) {
        Map<String, String> t = tags == null ? Map.of() : tags;
        return new Subject(t.get("unitId"), t.get("systemId"), t.get("vmId"));
    }

    static Map<String, Object> byColumn(List<String> cols, List<Object> row) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            m.put(cols.get(i), row.get(i));
        }
        return m;
    }

    /** A time column: epoch ms (a number) or RFC 3339 (chunked responses). */
    static Instant instant(Object o) {
        if (o instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        return Instant.parse(String.valueOf(o));
    }

    static long asLong(Object o) {
        return o == null ? 0 : Math.round(((Number) o).doubleValue());
    }

    static Double asDouble(Object o, Double absent) {
        if (o == null) {
            return absent;
        }
        return ((Number) o).doubleValue();
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
