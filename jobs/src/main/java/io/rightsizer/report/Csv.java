package io.rightsizer.report;

import java.util.List;
import java.util.Locale;

/** RFC 4180 CSV: CRLF line ends, fields quoted only when they hold a comma, quote or line break. */
public final class Csv {
    private Csv() {}

    public static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(fields.get(i)));
        }
        return b.append("\r\n").toString();
    }

    public static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0
                && s.indexOf('"') < 0
                && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A percentage with one decimal ({@code 42.5}), empty when there is none. */
    public static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.1f", v);
    }
}
