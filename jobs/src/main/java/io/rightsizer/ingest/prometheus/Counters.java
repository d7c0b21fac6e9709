package io.rightsizer.ingest.prometheus;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * What the receiver did, as counters on its {@code /metrics} endpoint (Prometheus text format, so
 * the Prometheus that writes to it can scrape it too) and in its periodic summary line.
 */
public final class Counters {
    final Map<Integer, AtomicLong> requests = new ConcurrentHashMap<>();
    final AtomicLong received = new AtomicLong();
    final AtomicLong mapped = new AtomicLong();
    final Map<PromMapping.Ignored, AtomicLong> ignored = new EnumMap<>(PromMapping.Ignored.class);
    final AtomicLong late = new AtomicLong();
    final AtomicLong produced = new AtomicLong();
    final Map<Assembly.Problem, AtomicLong> notProduced = new EnumMap<>(Assembly.Problem.class);
    final AtomicLong failed = new AtomicLong();
    private final IntSupplier openGroups;

    public Counters(IntSupplier openGroups) {
        this.openGroups = openGroups;
        for (PromMapping.Ignored i : PromMapping.Ignored.values()) {
            ignored.put(i, new AtomicLong());
        }
        for (Assembly.Problem p : Assembly.Problem.values()) {
            notProduced.put(p, new AtomicLong());
        }
    }

    /** Counts a response; returns how many there were with this status. */
    long request(int status) {
        return requests.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    void ignored(PromMapping.Ignored why, long n) {
        ignored.get(why).addAndGet(n);
    }

    public long produced() {
        return produced.get();
    }

    public long late() {
        return late.get();
    }

    public long mapped() {
        return mapped.get();
    }

    public long ignored(PromMapping.Ignored why) {
        return ignored.get(why).get();
    }

    public long notProduced(Assembly.Problem why) {
        return notProduced.get(why).get();
    }

    public long requests(int status) {
        AtomicLong n = requests.get(status);
        return n == null ? 0 : n.get();
    }

    /** One line for the log. */
    public String summary() {
        long ign = 0;
        for (AtomicLong n : ignored.values()) {
            ign += n.get();
        }
        long none = 0;
        for (AtomicLong n : notProduced.values()) {
            none += n.get();
        }
        return String.format(
                Locale.ROOT,
                "requests %s, samples received %d, mapped %d, ignored %d, late %d; VM samples"
                        + " produced %d, not produced %d, failed %d",
                new TreeMap<>(requests),
                received.get(),
                mapped.get(),
                ign,
                late.get(),
                produced.get(),
                none,
                failed.get());
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String exposition() {
        StringBuilder b = new StringBuilder();
        String p = "rightsizer_remote_write_";
        header(b, p + "requests_total", "counter", "Remote write requests, by response status.");
        new TreeMap<>(requests)
                .forEach(
                        (code, n) ->
                                b.append(p)
                                        .append("requests_total{code=\"")
                                        .append(code)
                                        .append("\"} ")
                                        .append(n.get())
                                        .append('\n'));
        counter(b, p + "samples_received_total", "Samples in decoded requests.", received.get());
        counter(b, p + "samples_mapped_total", "Samples mapped to a VM's reading.", mapped.get());
        header(b, p + "samples_ignored_total", "counter", "Samples not used, by reason.");
        ignored.forEach(
                (why, n) ->
                        b.append(p)
                                .append("samples_ignored_total{reason=\"")
                                .append(why.label())
                                .append("\"} ")
                                .append(n.get())
                                .append('\n'));
        counter(
                b,
                p + "samples_late_total",
                "Mapped samples for a VM sample already sent: dropped.",
                late.get());
        counter(
                b,
                p + "vm_samples_produced_total",
                "MetricSamples acknowledged by Kafka.",
                produced.get());
        header(
                b,
                p + "vm_samples_not_produced_total",
                "counter",
                "Assembled VM samples not produced, by reason.");
        notProduced.forEach(
                (why, n) ->
                        b.append(p)
                                .append("vm_samples_not_produced_total{reason=\"")
                                .append(why.label())
                                .append("\"} ")
                                .append(n.get())
                                .append('\n'));
        counter(
                b,
                p + "vm_samples_failed_total",
                "MetricSamples Kafka did not acknowledge (their requests were answered 503).",
                failed.get());
        header(b, p + "open_groups", "gauge", "VM samples being assembled or sent.");
        b.append(p).append("open_groups ").append(openGroups.getAsInt()).append('\n');
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        header(b, name, "counter", help);
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
