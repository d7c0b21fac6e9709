package io.rightsizer.rules;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration grammar of the rule files and the command line: 60m, 1h, 7d, 2w, 500ms, 90s, sums
 * such as 1h30m, or ISO-8601 (PT1H, P7D).
 */
public final class DurationText {
    private static final Pattern SHORT_DURATION =
            Pattern.compile("(\\d+)\\s*(ms|min|s|m|h|d|w)", Pattern.CASE_INSENSITIVE);

    private DurationText() {}

    /** Parses 60m, 1h, 7d, 2w, 500ms, 90s (and sums such as 1h30m) or ISO-8601 (PT1H, P7D). */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                return null;
            }
        }
        Matcher m = SHORT_DURATION.matcher(s);
        Duration total = Duration.ZERO;
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                return null;
            }
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            total =
                    total.plus(
                            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                                case "ms" -> Duration.ofMillis(n);
                                case "s" -> Duration.ofSeconds(n);
                                case "m", "min" -> Duration.ofMinutes(n);
                                case "h" -> Duration.ofHours(n);
                                case "d" -> Duration.ofDays(n);
                                default -> Duration.ofDays(7 * n);
                            });
            pos = m.end();
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }
        return total;
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
