package io.rightsizer.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rightsizer.ingest.TelegrafMetric.Malformed;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.JsonLimits;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Telegraf's Kafka output with {@code data_format = "json"}: one metric per record, {@code
 * {"fields":{...},"name":"mem","tags":{...},"timestamp":1458229140}} (plugins/serializers/json), or
 * the batch form {@code {"metrics":[...]}} that other outputs write with {@code use_batch_format}.
 * Several such objects one after another (JSON lines) are read as well.
 *
 * <p>The timestamp is a whole number in units of Telegraf's {@code json_timestamp_units} (1s by
 * default), which the record does not name: {@code ingest.telegraf.json-timestamp-units} says it. A
 * timestamp written with {@code json_timestamp_format} as an RFC 3339 time is read too. Field
 * values: numbers, strings, booleans; an object or array ({@code json_nested_fields_include}) is
 * taken as such and refused only in a field the job maps. Read with {@link JsonLimits}; the whole
 * record is decoded or refused.
 */
public final class TelegrafJson {
    /** {@link Reading#format} of what this decoder reads. */
    public static final String FORMAT = "telegraf-json";

    static final String NAME = "Telegraf JSON";

    /** Most metrics in one record, as in {@link TelegrafLine#MAX_METRICS}. */
    public static final int MAX_METRICS = TelegrafLine.MAX_METRICS;

    private static final JsonFactory JSON = JsonLimits.factory();

    private final JsonParser p;
    private final long unitNanos;
    private final List<TelegrafMetric> metrics = new ArrayList<>();

    private TelegrafJson(JsonParser p, long unitNanos) {
        this.p = p;
        this.unitNanos = unitNanos;
    }

    /**
     * The readings of one record.
     *
     * @param recordTimestamp the Kafka record's timestamp (epoch ms) for a metric without one;
     *     negative: none
     * @throws IllegalArgumentException when {@code settings} were not checked ({@link
     *     TelegrafOptions.Settings#problems})
     */
    public static Decoded decode(
            byte[] value, long recordTimestamp, TelegrafOptions.Settings settings) {
        long unit = TelegrafOptions.unitNanos(settings.jsonTimestampUnits());
        if (unit < 0) {
            throw new IllegalArgumentException(
                    "json timestamp units " + settings.jsonTimestampUnits() + " were not checked");
        }
        if (value == null || value.length == 0) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": the record is empty",
                    null,
                    Long.MIN_VALUE);
        }
        List<TelegrafMetric> metrics;
        try {
            metrics = parse(value, unit);
        } catch (Malformed e) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": " + e.getMessage(),
                    null,
                    Long.MIN_VALUE);
        } catch (IOException e) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": not valid JSON: " + brief(e),
                    null,
                    Long.MIN_VALUE);
        }
        if (metrics.isEmpty()) {
            return Decoded.rejected(
                    DeadLetterReason.UNDECODABLE,
                    NAME + ": the record holds no metric",
                    null,
                    Long.MIN_VALUE);
        }
        TelegrafMapping mapping =
                new TelegrafMapping(
                        settings,
                        FORMAT,
                        recordTimestamp,
                        "ingest.telegraf.json-timestamp-units ("
                                + TelegrafMapping.unitName(unit)
                                + ") must be Telegraf's json_timestamp_units");
        for (TelegrafMetric m : metrics) {
            String problem = mapping.add(m);
            if (problem != null) {
                return Decoded.rejected(
                        DeadLetterReason.INVALID,
                        NAME + ": metric " + m.position + ": " + problem,
                        mapping.vmId,
                        mapping.timestamp);
            }
        }
        return Decoded.of(mapping.readings, mapping.ignored);
    }

    /**
     * The metrics of a record, their timestamps in {@code unitNanos}; {@link Malformed} when it is
     * JSON but not Telegraf's.
     */
    static List<TelegrafMetric> parse(byte[] value, long unitNanos) throws IOException {
        try (JsonParser p = JSON.createParser(value)) {
            TelegrafJson d = new TelegrafJson(p, unitNanos);
            d.values();
            return d.metrics;
        }
    }

    /** Every top-level value: a metric or a batch of them. */
    private void values() throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            if (t != JsonToken.START_OBJECT) {
                throw new Malformed("expected a JSON object, found " + describe(t));
            }
            TelegrafMetric m = new TelegrafMetric();
            boolean metricKeys = false;
            boolean batch = false;
            int first = metrics.size() + 1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.equals("metrics")) {
                    if (v != JsonToken.START_ARRAY) {
                        throw new Malformed("metrics is " + describe(v) + ", not an array");
                    }
                    batch = true;
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e != JsonToken.START_OBJECT) {
                            throw new Malformed(
                                    "metric "
                                            + (metrics.size() + 1)
                                            + " is "
                                            + describe(e)
                                            + ", not an object");
                        }
                        TelegrafMetric b = new TelegrafMetric();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            member(b, k, p.nextToken());
                        }
                        add(b);
                    }
                } else {
                    metricKeys |= member(m, key, v);
                }
            }
            if (batch && metricKeys) {
                throw new Malformed(
                        "the object at metric "
                                + first
                                + " has both metrics and name, tags, fields or timestamp");
            }
            if (!batch) {
                add(m);
            }
        }
    }

    /** Reads one member of a metric object; whether it is one of a metric's keys. */
    private boolean member(TelegrafMetric m, String key, JsonToken v) throws IOException {
        int index = metrics.size() + 1;
        switch (key) {
            case "name" -> {
                if (v != JsonToken.VALUE_STRING) {
                    throw new Malformed("metric " + index + ": name is " + describe(v));
                }
                m.name = p.getText();
            }
            case "tags" -> {
                if (v != JsonToken.START_OBJECT) {
                    throw new Malformed("metric " + index + ": tags is " + describe(v));
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String tag = p.currentName();
                    JsonToken tv = p.nextToken();
                    if (tv != JsonToken.VALUE_STRING) {
                        throw new Malformed(
                                "metric " + index + ": tag '" + tag + "' is " + describe(tv));
                    }
                    shape(index, m.addTag(tag, p.getText()));
                }
            }
            case "fields" -> {
                if (v != JsonToken.START_OBJECT) {
                    throw new Malformed("metric " + index + ": fields is " + describe(v));
                }
                m.hasFields = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    Object value = fieldValue(index, field, p.nextToken());
                    if (value != null) {
                        shape(index, m.addField(field, value));
                    }
                }
            }
            case "timestamp" -> m.timestamp = timestamp(m, index, v);
            default -> {
                p.skipChildren();
                return false;
            }
        }
        return true;
    }

    private Object fieldValue(int index, String field, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_NUMBER_INT ->
                    p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getBigIntegerValue().doubleValue()
                            : (double) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                if (Double.isInfinite(d)) {
                    throw new Malformed(
                            "metric "
                                    + index
                                    + ": the value of field '"
                                    + field
                                    + "' is out of range");
                }
                yield d;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> {
                p.skipChildren();
                yield TelegrafMetric.NESTED;
            }
        };
    }

    private Long timestamp(TelegrafMetric m, int index, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT
                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            m.unitNanos = unitNanos;
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                m.unitNanos = 1_000_000;
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new Malformed(
                        "metric "
                                + index
                                + ": timestamp '"
                                + brief(s)
                                + "' is not an RFC 3339 time (json_timestamp_format"
                                + " \"2006-01-02T15:04:05Z07:00\"); leave json_timestamp_format"
                                + " unset for epoch numbers");
            }
        }
        throw new Malformed(
                "metric "
                        + index
                        + ": timestamp is "
                        + describe(v)
                        + ", not a whole number of json_timestamp_units");
    }

    private void add(TelegrafMetric m) {
        int index = metrics.size() + 1;
        if (index > MAX_METRICS) {
            throw new Malformed("the record holds more than " + MAX_METRICS + " metrics");
        }
        if (m.name == null) {
            throw new Malformed("metric " + index + " has no name");
        }
        if (!m.hasFields) {
            throw new Malformed("metric " + index + " (" + m.name + ") has no fields");
        }
        m.position = index;
        metrics.add(m);
    }

    private static void shape(int index, String problem) {
        if (problem != null) {
            throw new Malformed("metric " + index + ": " + problem);
        }
    }

    private String describe(JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT ->
                    p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? "the number " + brief(p.getText()) + ", out of range"
                            : "a whole number";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String brief(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static String brief(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
