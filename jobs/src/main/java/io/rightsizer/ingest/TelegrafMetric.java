package io.rightsizer.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Telegraf metric as both of its Kafka formats carry it (name, tags, typed fields, time), so
 * that a single {@link TelegrafMapping} turns either into the same readings.
 */
final class TelegrafMetric {
    /** A JSON field whose value is an object or array (json_nested_fields_include). */
    static final Object NESTED =
            new Object() {
                @Override
                public String toString() {
                    return "NESTED";
                }
            };

    /** A record that is not in the format it was read as; the message names where. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Where in the record: the line (line protocol) or the 1-based index (JSON). */
    int position;

    String name;

    final Map<String, String> tags = new LinkedHashMap<>();

    /** Values: a Double (float, integer, unsigned), a String, a Boolean or {@link #NESTED}. */
    final Map<String, Object> fields = new LinkedHashMap<>();

    /** Whether the metric has a field set, though maybe an empty one (JSON). */
    boolean hasFields;

    /** The time as written, in units of {@link #unitNanos}; null when the metric has none. */
    Long timestamp;

    /** The unit of {@link #timestamp} in nanoseconds, a power of ten from 1 ns to 1 s. */
    long unitNanos;

    /** Why the tag cannot be added (it is already there), or null. */
    String addTag(String key, String value) {
        return tags.putIfAbsent(key, value) == null ? null : "tag '" + key + "' appears twice";
    }

    /** Why the field cannot be added (it is already there), or null. */
    String addField(String key, Object value) {
        return fields.putIfAbsent(key, value) == null ? null : "field '" + key + "' appears twice";
    }

    static String typeName(Object v) {
        if (v instanceof Double) {
            return "a number";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "a JSON object or array";
    }
}
