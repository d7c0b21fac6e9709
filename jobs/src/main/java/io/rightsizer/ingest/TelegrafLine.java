package io.rightsizer.ingest;

import io.rightsizer.ingest.TelegrafMetric.Malformed;
import io.rightsizer.schema.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Telegraf's Kafka output with {@code data_format = "influx"} (its default): InfluxDB line
 * protocol, one or more lines per record, {@code measurement[,tag=value...] field=value[,...]
 * [timestamp]}, the timestamp in nanoseconds (Telegraf's influx serializer always writes them so).
 *
 * <p>Read as Telegraf's own parser reads it (plugins/parsers/influx/machine.go.rl): a line ends at
 * {@code \n} or {@code \r\n}; blank lines and lines starting with {@code #} are skipped; white
 * space is space, tab, form feed or vertical tab. In a measurement {@code \,} and {@code \ } stand
 * for a comma and a space; in tag keys, tag values and field keys also {@code \=}; any other
 * backslash pair is kept as written. Field values: a float ({@code 1}, {@code -1.5}, {@code 2e-3}),
 * an integer ({@code 1i}), an unsigned integer ({@code 1u}), a boolean ({@code t T true True TRUE f
 * F false False FALSE}) or a string in double quotes where {@code \"} and {@code \\} are a quote
 * and a backslash. The timestamp may be left out: the metric then takes the Kafka record's
 * timestamp. The whole record is decoded or refused, so a dead letter holds every line.
 */
public final class TelegrafLine {
    /** {@link Reading#format} of what this decoder reads. */
    public static final String FORMAT = "telegraf-line";

    static final String NAME = "InfluxDB line protocol";

    /** Longest line, in characters: a Telegraf mem line, the longest it writes here, has ~1000. */
    public static final int MAX_LINE_LENGTH = 64 * 1024;

    /** Most metrics (lines) in one record: Telegraf's Kafka output writes one per record. */
    public static final int MAX_METRICS = 1000;

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern UNSIGNED = Pattern.compile("[0-9]+");
    private static final Pattern FLOAT =
            Pattern.compile("-?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]{1,19}");
    private static final Set<String> TRUE = Set.of("t", "T", "true", "True", "TRUE");
    private static final Set<String> FALSE = Set.of("f", "F", "false", "False", "FALSE");

    private static final String MEASUREMENT_ESCAPES = ", ";
    private static final String KEY_ESCAPES = ",= ";

    private final String text;
    private final int n;
    private int pos;
    private int line = 1;
    private int lineStart;

    private TelegrafLine(String text) {
        this.text = text;
        this.n = text.length();
    }

    /**
     * The readings of one record.
     *
     * @param recordTimestamp the Kafka record's timestamp (epoch ms) for lines without one;
     *     negative: none
     */
    public static Decoded decode(
            byte[] value, long recordTimestamp, TelegrafOptions.Settings settings) {
        if (value == null || value.length == 0) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": the record is empty",
                    null,
                    Long.MIN_VALUE);
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(value))
                            .toString();
        } catch (CharacterCodingException e) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": the record is not UTF-8 text",
                    null,
                    Long.MIN_VALUE);
        }
        return decode(text, recordTimestamp, settings);
    }

    private static Decoded decode(
            String text, long recordTimestamp, TelegrafOptions.Settings settings) {
        List<TelegrafMetric> metrics;
        try {
            metrics = parse(text);
        } catch (Malformed e) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": " + e.getMessage(),
                    null,
                    Long.MIN_VALUE);
        }
        if (metrics.isEmpty()) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": the record holds no metric, only blank or comment lines",
                    null,
                    Long.MIN_VALUE);
        }
        TelegrafMapping mapping =
                new TelegrafMapping(
                        settings,
                        FORMAT,
                        recordTimestamp,
                        "Telegraf writes line protocol timestamps in nanoseconds");
        for (TelegrafMetric m : metrics) {
            String problem = mapping.add(m);
            if (problem != null) {
                return Decoded.rejected(
                        DeadLetterReason.INVALID,
                        NAME + ": line " + m.position + ": " + problem,
                        mapping.vmId,
                        mapping.timestamp);
            }
        }
        return Decoded.of(mapping.readings, mapping.ignored);
    }

    /** The metrics of a record's text; {@link Malformed} names the line and what is wrong. */
    static List<TelegrafMetric> parse(String text) {
        TelegrafLine r = new TelegrafLine(text);
        try {
            return r.metrics();
        } catch (Malformed e) {
            throw new Malformed("line " + r.line + ": " + e.getMessage());
        }
    }

    private List<TelegrafMetric> metrics() {
        List<TelegrafMetric> metrics = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos == n) {
                return metrics;
            }
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < n && text.charAt(pos) != '\n') {
                    pos++;
                }
                endOfLine();
            } else if (c == '\n' || c == '\r') {
                endOfLine();
            } else {
                if (metrics.size() == MAX_METRICS) {
                    throw new Malformed("the record holds more than " + MAX_METRICS + " metrics");
                }
                metrics.add(metric());
            }
        }
    }

    private TelegrafMetric metric() {
        TelegrafMetric m = new TelegrafMetric();
        m.position = line;
        m.unitNanos = 1;
        m.hasFields = true;
        m.name = text(MEASUREMENT_ESCAPES, false);
        if (m.name.isEmpty()) {
            throw new Malformed("the measurement name is missing" + at());
        }
        while (pos < n && text.charAt(pos) == ',') {
            pos++;
            String key = text(KEY_ESCAPES, true);
            if (key.isEmpty()) {
                throw new Malformed("a tag key is missing" + at());
            }
            expect('=', "'=' after tag key '" + key + "'");
            String value = text(KEY_ESCAPES, true);
            if (value.isEmpty()) {
                throw new Malformed("tag '" + key + "' has no value" + at());
            }
            if (pos < n && text.charAt(pos) == '=') {
                throw new Malformed("the value of tag '" + key + "' has an unescaped '='" + at());
            }
            check(m.addTag(key, value));
        }
        if (atLineEnd()) {
            throw new Malformed(m.name + " has no fields");
        }
        if (!isSpace(text.charAt(pos))) {
            throw new Malformed("unexpected '" + text.charAt(pos) + "'" + at());
        }
        skipSpace();
        if (atLineEnd()) {
            throw new Malformed(m.name + " has no fields");
        }
        while (true) {
            String key = text(KEY_ESCAPES, true);
            if (key.isEmpty()) {
                throw new Malformed("a field key is missing" + at());
            }
            expect('=', "'=' after field key '" + key + "'");
            check(m.addField(key, fieldValue(key)));
            if (pos < n && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            break;
        }
        if (pos < n && isSpace(text.charAt(pos))) {
            skipSpace();
            if (!atLineEnd()) {
                String t = token();
                if (!TIMESTAMP.matcher(t).matches()) {
                    throw new Malformed(
                            "the timestamp '"
                                    + brief(t)
                                    + "' is not a whole number of at most 19 digits");
                }
                m.timestamp = Long.parseLong(t);
                skipSpace();
            }
        }
        if (!atLineEnd()) {
            throw new Malformed("unexpected '" + text.charAt(pos) + "'" + at());
        }
        endOfLine();
        return m;
    }

    /**
     * A name up to the first unescaped comma, white space or line end (and '=' when {@code
     * stopAtEquals}); a backslash before one of {@code escapes} stands for it.
     */
    private String text(String escapes, boolean stopAtEquals) {
        StringBuilder b = null;
        int start = pos;
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == ',' || isSpace(c) || c == '\n' || c == '\r' || (stopAtEquals && c == '=')) {
                break;
            }
            if (c == '\\') {
                if (pos + 1 == n || "\n\r\t\f".indexOf(text.charAt(pos + 1)) >= 0) {
                    throw new Malformed("a backslash escapes nothing" + at());
                }
                char e = text.charAt(pos + 1);
                if (b == null) {
                    b = new StringBuilder(text.substring(start, pos));
                }
                if (escapes.indexOf(e) < 0) {
                    b.append('\\');
                }
                b.append(e);
                pos += 2;
                continue;
            }
            if (b != null) {
                b.append(c);
            }
            pos++;
        }
        return b == null ? text.substring(start, pos) : b.toString();
    }

    private Object fieldValue(String key) {
        if (pos < n && text.charAt(pos) == '"') {
            pos++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos == n) {
                    throw new Malformed("the string value of field '" + key + "' is not closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return b.toString();
                }
                if (c == '\\' && pos + 1 < n && "\"\\".indexOf(text.charAt(pos + 1)) >= 0) {
                    b.append(text.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                if (c == '\n') {
                    // Telegraf's parser takes a line break inside a string as part of it.
                    pos++;
                    line++;
                    lineStart = pos;
                } else {
                    pos++;
                }
                b.append(c);
            }
        }
        String t = token();
        if (t.isEmpty()) {
            throw new Malformed("field '" + key + "' has no value" + at());
        }
        if (TRUE.contains(t)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(t)) {
            return Boolean.FALSE;
        }
        char last = t.charAt(t.length() - 1);
        String body = t.substring(0, t.length() - 1);
        try {
            if (last == 'i' && INTEGER.matcher(body).matches()) {
                Long.parseLong(body);
                return Double.parseDouble(body);
            }
            if (last == 'u' && UNSIGNED.matcher(body).matches()) {
                Long.parseUnsignedLong(body);
                return Double.parseDouble(body);
            }
        } catch (NumberFormatException e) {
            throw new Malformed(
                    "the value "
                            + brief(t)
                            + " of field '"
                            + key
                            + "' is out of the range of a 64-bit "
                            + (last == 'i' ? "integer" : "unsigned integer"));
        }
        if (FLOAT.matcher(t).matches()) {
            double d = Double.parseDouble(t);
            if (Double.isInfinite(d)) {
                throw new Malformed(
                        "the value " + brief(t) + " of field '" + key + "' is out of range");
            }
            return d;
        }
        throw new Malformed(
                "the value '"
                        + brief(t)
                        + "' of field '"
                        + key
                        + "' is no float, integer (1i), unsigned (1u), boolean or quoted"
                        + " string");
    }

    /** Everything up to the next comma, white space or line end. */
    private String token() {
        int start = pos;
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == ',' || isSpace(c) || c == '\n' || c == '\r') {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c, String what) {
        if (pos == n || text.charAt(pos) != c) {
            throw new Malformed("expected " + what + at());
        }
        pos++;
    }

    private void check(String problem) {
        if (problem != null) {
            throw new Malformed(problem);
        }
    }

    private boolean atLineEnd() {
        return pos == n || text.charAt(pos) == '\n' || text.charAt(pos) == '\r';
    }

    /** Consumes the line break at {@code pos} (or the end), after checking the line's length. */
    private void endOfLine() {
        if (pos - lineStart > MAX_LINE_LENGTH) {
            throw new Malformed("the line is longer than " + MAX_LINE_LENGTH + " characters");
        }
        if (pos == n) {
            return;
        }
        if (text.charAt(pos) == '\r') {
            if (pos + 1 == n || text.charAt(pos + 1) != '\n') {
                throw new Malformed("a carriage return not followed by a line feed" + at());
            }
            pos++;
        }
        pos++;
        line++;
        lineStart = pos;
    }

    private void skipSpace() {
        while (pos < n && isSpace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000B';
    }

    private String at() {
        return " at column " + (pos - lineStart + 1);
    }

    private static String brief(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
