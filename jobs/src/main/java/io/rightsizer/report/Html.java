package io.rightsizer.report;

import java.util.Locale;

/**
 * Escaping and number formatting for the HTML report, the console and their SVG: the one escaping
 * function of every page the project writes.
 */
public final class Html {
    private Html() {}

    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** One decimal and a percent sign, or an en dash when there is no figure. */
    static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f %%", v);
    }

    public static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
