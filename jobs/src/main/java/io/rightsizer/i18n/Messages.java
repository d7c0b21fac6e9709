package io.rightsizer.i18n;

import java.io.Serializable;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * The words of what rightsizer writes for people (recommendation reasons, the monthly and yearly
 * reports, {@code tail}'s table) in one of its languages, from the bundle {@code
 * io/rightsizer/i18n/messages*.properties} (UTF-8), with the numbers, dates and sizes in that
 * language's conventions. English is the bundle without a suffix and formats numbers exactly as
 * rightsizer always has ({@code %.1f} without grouping, ISO dates), so English output stays byte
 * for byte what it was. Serializable (the job's functions carry it): the bundle is looked up again
 * after deserialization.
 */
public final class Messages implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String EN = "en";
    public static final String ZH_CN = "zh-CN";

    /** The values of the {@code locale} setting and of {@code --locale}, the default first. */
    public static final List<String> SUPPORTED = List.of(EN, ZH_CN);

    static final String BUNDLE = "io.rightsizer.i18n.messages";

    /** English, the default of every output. */
    public static final Messages ENGLISH = new Messages(EN);

    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final DateTimeFormatter ISO_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final DateTimeFormatter ZH_DATE =
            DateTimeFormatter.ofPattern("uuuu年M月d日", Locale.SIMPLIFIED_CHINESE);
    private static final DateTimeFormatter ZH_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu年M月d日 HH:mm", Locale.SIMPLIFIED_CHINESE);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final String tag;
    private transient ResourceBundle bundle;

    private Messages(String tag) {
        this.tag = tag;
    }

    /**
     * The messages of {@code tag}, one of {@link #SUPPORTED}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Messages of(String tag) {
        problem(tag)
                .ifPresent(
                        p -> {
                            throw new IllegalArgumentException(p);
                        });
        return EN.equals(tag) ? ENGLISH : new Messages(tag);
    }

    /** Why {@code tag} is not a locale rightsizer writes in, or empty when it is one. */
    public static Optional<String> problem(String tag) {
        if (tag != null && SUPPORTED.contains(tag)) {
            return Optional.empty();
        }
        return Optional.of(
                "locale '"
                        + tag
                        + "' is not one rightsizer writes in; allowed: "
                        + String.join(", ", SUPPORTED));
    }

    /** The BCP 47 tag: {@code en} or {@code zh-CN}. */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return Locale.forLanguageTag(tag);
    }

    public boolean english() {
        return EN.equals(tag);
    }

    /** The message of {@code key} with {@code args} put in ({@link MessageFormat}). */
    public String get(String key, Object... args) {
        String pattern = bundle().getString(key);
        return args.length == 0 && pattern.indexOf('\'') < 0
                ? pattern
                : new MessageFormat(pattern, locale()).format(args);
    }

    /** The keys of this locale's bundle, the keys of its parent included. */
    public java.util.Set<String> keys() {
        return bundle().keySet();
    }

    private ResourceBundle bundle() {
        ResourceBundle b = bundle;
        if (b == null) {
            // No fallback to the JVM's default locale: "en" on a machine set to Chinese is the
            // base bundle, not messages_zh_CN.
            b =
                    ResourceBundle.getBundle(
                            BUNDLE,
                            locale(),
                            ResourceBundle.Control.getNoFallbackControl(
                                    ResourceBundle.Control.FORMAT_PROPERTIES));
            bundle = b;
        }
        return b;
    }

    /** One decimal: {@code 87.5}; in Chinese with grouping ({@code 1,234.5}). */
    public String decimal(double v) {
        if (english()) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        DecimalFormat f = new DecimalFormat("#,##0.0", DecimalFormatSymbols.getInstance(locale()));
        return f.format(v);
    }

    /** A whole number: as it is in English ({@code 1234}), grouped in Chinese ({@code 1,234}). */
    public String whole(long n) {
        if (english()) {
            return Long.toString(n);
        }
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(locale())).format(n);
    }

    /** A count, grouped in every locale ({@code 1,234}). */
    public String count(long n) {
        return String.format(locale(), "%,d", n);
    }

    /**
     * Bytes in the largest binary unit in which they are at least 1, one decimal ({@code 16.0
     * GiB}); below 1 KiB in bytes ({@code 512 B}). The IEC unit symbols are the same in Chinese.
     */
    public String size(long bytes) {
        if (Math.abs(bytes) < 1024) {
            return bytes + " B";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return decimal(v) + " " + units[u];
    }

    /** A calendar day: {@code 2026-03-02}, {@code 2026年3月2日}. */
    public String date(TemporalAccessor t) {
        return (english() ? ISO_DATE : ZH_DATE).format(t);
    }

    /** A day and minute: {@code 2026-03-02 14:05}, {@code 2026年3月2日 14:05}. */
    public String dateTime(TemporalAccessor t) {
        return (english() ? ISO_DATE_TIME : ZH_DATE_TIME).format(t);
    }

    /** A time of day: {@code 14:05} in both. */
    public String time(TemporalAccessor t) {
        return TIME.format(t);
    }

    public String date(long epochMillis, ZoneId zone) {
        return date(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    public String dateTime(long epochMillis, ZoneId zone) {
        return dateTime(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    public String time(long epochMillis, ZoneId zone) {
        return time(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Messages m && m.tag.equals(tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag);
    }

    @Override
    public String toString() {
        return tag;
    }

    private Object readResolve() {
        return EN.equals(tag) ? ENGLISH : this;
    }
}
