package io.rightsizer.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;

/**
 * The values an option allows, declared beside the option ({@link #declare}): the job's
 * configuration is checked against it, whatever else builds settings from the same values checks
 * against it too, and the configuration reference shows its {@link #range()}. One declaration per
 * option, so the range, the check and the documentation cannot drift apart.
 *
 * @param <T> the option's type
 */
public final class Allowed<T> {
    /** What is wrong with a value, as the text after the option's name, or null when allowed. */
    @FunctionalInterface
    public interface Check<T> {
        String problem(T value);
    }

    private static final Map<String, Allowed<?>> DECLARED = new ConcurrentHashMap<>();

    private final String range;
    private final Check<T> check;

    private Allowed(String range, Check<T> check) {
        this.range = range;
        this.check = check;
    }

    /** Values passing {@code check}, shown as {@code range} in the reference. */
    public static <T> Allowed<T> where(String range, Check<T> check) {
        return new Allowed<>(range, check);
    }

    /**
     * Returns {@code option}, its allowed values recorded: the way an option declares them, in the
     * field's initializer.
     */
    public static <T> ConfigOption<T> declare(ConfigOption<T> option, Allowed<T> allowed) {
        if (DECLARED.putIfAbsent(option.key(), allowed) != null) {
            throw new IllegalStateException(option.key() + " declares its allowed values twice");
        }
        return option;
    }

    /** What {@code option} declared, or null: any value of its type is allowed. */
    @SuppressWarnings("unchecked")
    public static <T> Allowed<T> of(ConfigOption<T> option) {
        return (Allowed<T>) DECLARED.get(option.key());
    }

    /**
     * The problem of {@code value} for {@code option} ({@code key is value: allowed from ...}), or
     * null when it is allowed or the option declares nothing.
     */
    public static <T> String problem(ConfigOption<T> option, T value) {
        Allowed<T> a = of(option);
        return a == null ? null : a.problem(option.key(), value);
    }

    /** As {@link #problem(ConfigOption, Object)}, thrown as an {@link IllegalArgumentException}. */
    public static <T> T require(ConfigOption<T> option, T value) {
        String p = problem(option, value);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return value;
    }

    /** The allowed values as the reference shows them, e.g. {@code 0 ms – 1 d}. */
    public String range() {
        return range;
    }

    /** {@code subject} followed by what is wrong with {@code value}, or null when allowed. */
    public String problem(String subject, T value) {
        String p = check.problem(value);
        return p == null ? null : subject + p;
    }

    /** Both checks, the first problem reported; ranges shown together. */
    public Allowed<T> and(Allowed<T> more) {
        return new Allowed<>(
                range + "; " + more.range,
                v -> {
                    String p = check.problem(v);
                    return p != null ? p : more.check.problem(v);
                });
    }

    /** The same values with the problem said otherwise (a message users already know). */
    public Allowed<T> saying(Check<T> problem) {
        return new Allowed<>(range, v -> check.problem(v) == null ? null : problem.problem(v));
    }

    /** From {@code min} to {@code max}, both included: {@code key is PT48H: allowed from ...}. */
    public static Allowed<Duration> between(Duration min, Duration max) {
        return new Allowed<>(
                text(min) + " – " + text(max),
                d ->
                        d.compareTo(min) < 0 || d.compareTo(max) > 0
                                ? " is " + d + ": allowed from " + min + " to " + max
                                : null);
    }

    /** From {@code min} to {@code max}, both included. */
    public static Allowed<Integer> between(int min, int max) {
        return new Allowed<>(
                min + " – " + max,
                v ->
                        v < min || v > max
                                ? " is " + v + ": allowed from " + min + " to " + max
                                : null);
    }

    /** {@code min} or more. */
    public static Allowed<Integer> atLeast(int min) {
        return new Allowed<>(
                "≥ " + min, v -> v < min ? " is " + v + ": must be at least " + min : null);
    }

    /** A TCP port, 0 for a free one. */
    public static Allowed<Integer> port() {
        return new Allowed<>(
                "0 – 65535",
                v -> v < 0 || v > 65535 ? " " + v + " is not a port (0 to 65535)" : null);
    }

    /** One of {@code values}, exactly. */
    public static Allowed<String> oneOf(String... values) {
        List<String> all = List.of(values);
        String list = String.join(", ", all);
        return new Allowed<>(
                list, v -> all.contains(v) ? null : ": '" + v + "' is not one of " + list);
    }

    /** Any text but an empty one. */
    public static Allowed<String> notBlank() {
        return new Allowed<>("not empty", v -> v.isBlank() ? " must not be empty" : null);
    }

    /** An http:// or https:// URL with a host. */
    public static Allowed<String> httpUrl() {
        return new Allowed<>(
                "http(s)://HOST[:PORT]",
                v -> isHttpUrl(v) ? null : " '" + v + "' is not an http:// or https:// URL");
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            return scheme != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String text(Duration d) {
        return d.isZero() ? "0" : TimeUtils.formatWithHighestUnit(d);
    }
}
