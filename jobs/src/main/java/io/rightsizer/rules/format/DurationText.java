package io.rightsizer.rules.format;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's duration grammar, in two sizes. {@link #parse}: the configuration's and the command
 * line's (docs/configuration.md, "Durations"), one grammar for both. {@link #parseInRuleFile}: the
 * rule files' (rules/README.md), the same but for Flink's long spellings and a bare number, so that
 * a rule's duration always names its unit.
 */
public final class DurationText {
    /** A term of a rule file: 60m, 1h, 7d, 2w, 500ms, 90s. */
    private static final Pattern RULE_TERM =
            Pattern.compile("(\\d+)\\s*(ms|min|s|m|h|d|w)", Pattern.CASE_INSENSITIVE);

    /**
     * A term of the configuration and the command line: a rule file's, or one of Flink's spellings
     * (its TimeUtils), so that whatever Flink's own configuration reads is read alike here.
     */
    private static final Pattern SETTING_TERM =
            Pattern.compile(
                    "(\\d+)\\s*(milliseconds|millisecond|millis|milli|ms"
                            + "|microseconds|microsecond|micros|micro|µs"
                            + "|nanoseconds|nanosecond|nanos|nano|ns"
                            + "|minutes|minute|min|seconds|second|secs|sec"
                            + "|hours|hour|days|day|weeks|week|s|m|h|d|w)",
                    Pattern.CASE_INSENSITIVE);

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private DurationText() {}

    /**
     * The configuration's and the command line's grammar: 60m, 1h, 7d, 2w, 500ms, 90s, sums such as
     * 1h30m, Flink's spellings (5 min, 10 sec, 2 hours, 1 day, 250 µs, 3 ns), ISO-8601 (PT1H, P7D),
     * or a number alone, in milliseconds (0). Null when {@code text} is none of these.
     */
    public static Duration parse(String text) {
        String s = text.trim();
        if (DIGITS.matcher(s).matches()) {
            try {
                return Duration.ofMillis(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return parse(s, SETTING_TERM);
    }

    /**
     * A rule file's grammar: 60m, 1h, 7d, 2w, 500ms, 90s (and sums such as 1h30m) or ISO-8601
     * (PT1H, P7D). Null when {@code text} is none of these.
     */
    public static Duration parseInRuleFile(String text) {
        return parse(text.trim(), RULE_TERM);
    }

    private static Duration parse(String s, Pattern term) {
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
        Matcher m = term.matcher(s);
        Duration total = Duration.ZERO;
        int pos = 0;
        try {
            while (pos < s.length()) {
                if (!m.find(pos) || m.start() != pos) {
                    return null;
                }
                total = total.plus(term(Long.parseLong(m.group(1)), m.group(2)));
                pos = m.end();
                while (pos < s.length() && s.charAt(pos) == ' ') {
                    pos++;
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // More digits than a long holds, or more time than a Duration does.
            return null;
        }
        return total;
    }

    private static Duration term(long n, String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.startsWith("mil") || u.equals("ms")) {
            return Duration.ofMillis(n);
        }
        if (u.startsWith("mic") || u.equals("µs")) {
            return Duration.ofNanos(Math.multiplyExact(n, 1000L));
        }
        if (u.startsWith("n")) {
            return Duration.ofNanos(n);
        }
        if (u.equals("m") || u.startsWith("min")) {
            return Duration.ofMinutes(n);
        }
        return switch (u.charAt(0)) {
            case 's' -> Duration.ofSeconds(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofDays(Math.multiplyExact(n, 7L));
        };
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
