package io.rightsizer.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.JsonLimits;
import io.rightsizer.telemetry.SampleValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * collectd's {@code write_kafka} messages in {@code Format JSON}: a JSON array of value lists, each
 * {@code {"values":[..],"dstypes":[..],"dsnames":[..],"time":s.mmm,"interval":s,"host":..,
 * "plugin":..,"plugin_instance":..,"type":..,"type_instance":..}}, decoded into {@link Reading}s.
 *
 * <p>The mapping (docs/providers/collectd.md has it as a table, with the collectd sources it was
 * checked against): the {@code memory}, {@code df} and {@code cpu} plugins of an agent inside the
 * VM ({@code host} is the vmId) and the {@code virt} plugin on the hypervisor ({@code
 * plugin_instance}, the libvirt domain, is the vmId). Every other value is ignored and counted
 * ({@link Decoded#ignored}), as is a value collectd could not measure ({@code null}, its NaN).
 *
 * <p>A message that is not such an array, or a value list without what the mapping needs, is
 * rejected whole, with a message naming the format and the problem; nothing of it is used.
 */
public final class CollectdJson {
    /** The {@link Reading#format} of what this decoder produces. */
    public static final String FORMAT = "collectd";

    /** The format's name in dead letters' messages. */
    public static final String NAME = "collectd JSON";

    /** Longest collection interval accepted: a day; collectd's are seconds. */
    public static final long MAX_INTERVAL_MILLIS = 24L * 3600 * 1000;

    /** Latest time accepted, 9999-12-31T23:59:59Z in seconds, so milliseconds never overflow. */
    static final double MAX_TIME_SECONDS = 253402300799.0;

    private static final JsonFactory JSON = JsonLimits.factory();

    private CollectdJson() {}

    private static Decoded bad(DeadLetterReason reason, String problem, ValueList first) {
        return Decoded.rejected(
                reason,
                NAME + ": " + problem,
                first == null ? null : first.vmId(),
                first == null || first.time == null || !Double.isFinite(first.time)
                        ? Long.MIN_VALUE
                        : Math.round(first.time * 1000));
    }

    /** One element of the array as collectd wrote it. */
    private static final class ValueList {
        String host;
        String plugin;
        String pluginInstance = "";
        String type;
        String typeInstance = "";
        Double time;
        Double interval;
        List<Double> values;
        List<String> dsnames;
        String typeError;

        String vmId() {
            return "virt".equals(plugin) ? pluginInstance : host;
        }

        /** collectd's identifier, host/plugin-instance/type-instance, for messages. */
        String identifier() {
            return host
                    + "/"
                    + plugin
                    + (pluginInstance.isEmpty() ? "" : "-" + pluginInstance)
                    + "/"
                    + type
                    + (typeInstance.isEmpty() ? "" : "-" + typeInstance);
        }
    }

    public static Decoded decode(byte[] buf) {
        return decode(buf, 0, buf.length);
    }

    public static Decoded decode(byte[] buf, int off, int len) {
        List<ValueList> lists = new ArrayList<>();
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return bad(DeadLetterReason.UNDECODABLE, "not a JSON array of value lists", null);
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    return bad(
                            DeadLetterReason.UNDECODABLE,
                            "value list " + (lists.size() + 1) + " is not a JSON object",
                            lists.isEmpty() ? null : lists.get(0));
                }
                lists.add(valueList(p));
            }
            if (p.nextToken() != null) {
                return bad(
                        DeadLetterReason.UNDECODABLE,
                        "more than one JSON value in the message",
                        lists.isEmpty() ? null : lists.get(0));
            }
        } catch (IOException e) {
            return bad(
                    DeadLetterReason.UNDECODABLE,
                    "not valid JSON: " + brief(e),
                    lists.isEmpty() ? null : lists.get(0));
        }
        if (lists.isEmpty()) {
            return bad(DeadLetterReason.INVALID, "the array holds no value list", null);
        }
        List<Reading> readings = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < lists.size(); i++) {
            ValueList vl = lists.get(i);
            String problem = check(vl);
            if (problem != null) {
                return bad(
                        DeadLetterReason.INVALID,
                        "value list " + (i + 1) + describe(vl) + ": " + problem,
                        lists.get(0));
            }
            long ts = Math.round(vl.time * 1000);
            long interval = Math.round(vl.interval * 1000);
            for (int k = 0; k < vl.values.size(); k++) {
                Double v = vl.values.get(k);
                Reading r = v == null ? null : map(vl, vl.dsnames.get(k), v, ts, interval);
                if (r == null) {
                    ignored++;
                } else {
                    readings.add(r);
                }
            }
        }
        return Decoded.of(readings, ignored);
    }

    private static String describe(ValueList vl) {
        return vl.plugin == null || vl.type == null ? "" : " (" + vl.identifier() + ")";
    }

    /** What makes the value list unusable, or null. */
    private static String check(ValueList vl) {
        if (vl.typeError != null) {
            return vl.typeError;
        }
        for (String[] f :
                new String[][] {
                    {"host", vl.host},
                    {"plugin", vl.plugin},
                    {"plugin_instance", vl.pluginInstance},
                    {"type", vl.type},
                    {"type_instance", vl.typeInstance}
                }) {
            String tooLong = SampleValidator.checkIdLength(f[0], f[1]);
            if (tooLong != null) {
                return tooLong;
            }
        }
        if (vl.plugin == null || vl.plugin.isEmpty()) {
            return "plugin is missing";
        }
        if (vl.type == null || vl.type.isEmpty()) {
            return "type is missing";
        }
        if (vl.host == null || vl.host.isBlank()) {
            return "host is missing";
        }
        if ("virt".equals(vl.plugin) && vl.pluginInstance.isBlank()) {
            return "plugin_instance is empty: the virt plugin names the domain, the vmId, there"
                    + " (PluginInstanceFormat name)";
        }
        if (vl.time == null) {
            return "time is missing";
        }
        if (vl.time < 0 || vl.time > MAX_TIME_SECONDS) {
            return "time " + vl.time + " is not from 0 to " + (long) MAX_TIME_SECONDS + " seconds";
        }
        if (vl.interval == null) {
            return "interval is missing";
        }
        long interval = Math.round(vl.interval * 1000);
        if (interval <= 0 || interval > MAX_INTERVAL_MILLIS) {
            return "interval " + vl.interval + " is not from 0.001 to 86400 seconds";
        }
        if (vl.values == null) {
            return "values is missing";
        }
        if (vl.dsnames == null) {
            return "dsnames is missing";
        }
        if (vl.values.size() != vl.dsnames.size()) {
            return "values has " + vl.values.size() + " elements but dsnames " + vl.dsnames.size();
        }
        return null;
    }

    private static ValueList valueList(JsonParser p) throws IOException {
        ValueList vl = new ValueList();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "host" -> vl.host = string(p, v, vl, name, vl.host);
                case "plugin" -> vl.plugin = string(p, v, vl, name, vl.plugin);
                case "plugin_instance" ->
                        vl.pluginInstance = string(p, v, vl, name, vl.pluginInstance);
                case "type" -> vl.type = string(p, v, vl, name, vl.type);
                case "type_instance" -> vl.typeInstance = string(p, v, vl, name, vl.typeInstance);
                case "time" -> vl.time = number(p, v, vl, name);
                case "interval" -> vl.interval = number(p, v, vl, name);
                case "values" -> vl.values = values(p, v, vl);
                case "dsnames" -> vl.dsnames = names(p, v, vl);
                default -> p.skipChildren();
            }
        }
        return vl;
    }

    private static String string(JsonParser p, JsonToken v, ValueList vl, String name, String was)
            throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        typeError(vl, name + " must be a string");
        p.skipChildren();
        return was;
    }

    private static Double number(JsonParser p, JsonToken v, ValueList vl, String name)
            throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        typeError(vl, name + " must be a number of seconds");
        p.skipChildren();
        return null;
    }

    private static List<Double> values(JsonParser p, JsonToken v, ValueList vl) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            typeError(vl, "values must be an array of numbers");
            p.skipChildren();
            return null;
        }
        List<Double> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                out.add(p.getDoubleValue());
            } else if (t == JsonToken.VALUE_NULL) {
                // collectd writes null for a value it could not measure (NaN).
                out.add(null);
            } else {
                typeError(vl, "values must be an array of numbers (or null)");
                p.skipChildren();
                out.add(null);
            }
        }
        return out;
    }

    private static List<String> names(JsonParser p, JsonToken v, ValueList vl) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            typeError(vl, "dsnames must be an array of strings");
            p.skipChildren();
            return null;
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            } else {
                typeError(vl, "dsnames must be an array of strings");
                p.skipChildren();
                out.add("");
            }
        }
        return out;
    }

    private static void typeError(ValueList vl, String message) {
        if (vl.typeError == null) {
            vl.typeError = message;
        }
    }

    /** The reading of one value, or null when the mapping ignores it. */
    private static Reading map(ValueList vl, String dsname, double v, long ts, long interval) {
        Quantity q = null;
        String instance = "";
        String ti = vl.typeInstance;
        switch (vl.plugin) {
            case "memory" -> {
                if (vl.type.equals("memory")) {
                    switch (ti) {
                        case "used" -> q = Quantity.MEMORY_USED_BYTES;
                        case "free", "buffered", "cached", "slab", "slab_recl", "slab_unrecl" -> {
                            q = Quantity.MEMORY_PART_BYTES;
                            instance = ti;
                        }
                        default -> {}
                    }
                } else if (vl.type.equals("percent") && ti.equals("used")) {
                    q = Quantity.MEMORY_USED_PCT;
                }
            }
            case "df" -> {
                instance = vl.pluginInstance;
                if (vl.type.equals("df_complex")) {
                    q =
                            switch (ti) {
                                case "used" -> Quantity.STORAGE_USED_BYTES;
                                case "free" -> Quantity.STORAGE_FREE_BYTES;
                                case "reserved" -> Quantity.STORAGE_RESERVED_BYTES;
                                default -> null;
                            };
                } else if (vl.type.equals("percent_bytes") && ti.equals("used")) {
                    q = Quantity.STORAGE_USED_PCT;
                }
            }
            case "cpu" -> {
                if (vl.type.equals("percent") && ti.equals("idle")) {
                    q = Quantity.CPU_IDLE_PCT;
                    instance = vl.pluginInstance;
                }
            }
            case "virt" -> {
                switch (vl.type) {
                    case "memory" -> {
                        switch (ti) {
                            case "total", "available" -> {
                                q = Quantity.MEMORY_TOTAL_BYTES;
                                instance = ti;
                            }
                            case "unused" -> q = Quantity.MEMORY_UNUSED_BYTES;
                            default -> {}
                        }
                    }
                    case "disk_capacity" -> {
                        q = Quantity.STORAGE_TOTAL_BYTES;
                        instance = ti;
                    }
                    case "disk_allocation" -> {
                        q = Quantity.STORAGE_USED_BYTES;
                        instance = ti;
                    }
                    case "domain_state" -> {
                        if (dsname.equals("state")) {
                            q = Quantity.POWER_STATE;
                            v = powerState(v);
                            if (Double.isNaN(v)) {
                                q = null;
                            }
                        }
                    }
                    default -> {}
                }
            }
            default -> {}
        }
        if (q == null || (q != Quantity.POWER_STATE && !dsname.equals("value"))) {
            return null;
        }
        return Reading.of(vl.vmId(), ts, interval, FORMAT, q, instance, v);
    }

    /**
     * libvirt's virDomainState as 1 running, 0 stopped, NaN for "no state" (0) and states libvirt
     * may add later: RUNNING (1) and BLOCKED (2, waiting on a resource) run; PAUSED (3), SHUTDOWN
     * (4, shutting down), SHUTOFF (5), CRASHED (6) and PMSUSPENDED (7) do not.
     */
    static double powerState(double state) {
        if (state == 1 || state == 2) {
            return 1;
        }
        if (state >= 3 && state <= 7 && state == Math.rint(state)) {
            return 0;
        }
        return Double.NaN;
    }

    private static String brief(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
