package io.rightsizer.ingest;

import java.util.Objects;

/**
 * One value a collector reported for one VM, decoded and mapped to a {@link Quantity}, before the
 * values of one collection interval are assembled into a sample. A Flink POJO (public fields,
 * no-arg constructor), so it crosses the shuffle to the assembly without Kryo.
 */
public class Reading {
    /** The VM, as the collector names it (collectd's host or libvirt domain, a Telegraf tag). */
    public String vmId;

    /** The collector's time of the value, epoch milliseconds UTC. */
    public long timestamp;

    /**
     * The collection interval the value belongs to, milliseconds (collectd's {@code interval},
     * Telegraf's configured interval).
     */
    public long intervalMillis;

    /** The format it came in, for messages: "collectd", "telegraf-json", "telegraf-line". */
    public String format;

    public Quantity quantity;

    /** A file system, disk, memory state or CPU; "" when the quantity has only one value. */
    public String instance = "";

    public double value;

    public Reading() {}

    public static Reading of(
            String vmId,
            long timestamp,
            long intervalMillis,
            String format,
            Quantity quantity,
            String instance,
            double value) {
        Reading r = new Reading();
        r.vmId = vmId;
        r.timestamp = timestamp;
        r.intervalMillis = intervalMillis;
        r.format = format;
        r.quantity = quantity;
        r.instance = instance == null ? "" : instance;
        r.value = value;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Reading r)) {
            return false;
        }
        return timestamp == r.timestamp
                && intervalMillis == r.intervalMillis
                && Double.compare(value, r.value) == 0
                && quantity == r.quantity
                && Objects.equals(vmId, r.vmId)
                && Objects.equals(format, r.format)
                && Objects.equals(instance, r.instance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vmId, timestamp, intervalMillis, format, quantity, instance, value);
    }

    @Override
    public String toString() {
        return format
                + " "
                + vmId
                + "@"
                + timestamp
                + "/"
                + intervalMillis
                + " "
                + quantity
                + (instance.isEmpty() ? "" : "[" + instance + "]")
                + "="
                + value;
    }
}
