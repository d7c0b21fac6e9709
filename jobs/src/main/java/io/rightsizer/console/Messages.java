package io.rightsizer.console;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's own text in one locale (the bundles io/rightsizer/console/messages*.properties,
 * UTF-8), with dates in Asia/Shanghai, numbers and sizes formatted for it, and the regulation cited
 * as it is written in that language.
 */
final class Messages {
    static final String BUNDLE = "io.rightsizer.console.messages";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Locale EN = Locale.ENGLISH;
    static final Locale ZH_CN = Locale.SIMPLIFIED_CHINESE;
    static final List<Locale> SUPPORTED = List.of(EN, ZH_CN);

    private static final Pattern ARTICLE =
            Pattern.compile("Article (\\d{1,2})(?:\\((\\d{1,2})\\))?(\\d{1,2})?(?: \\((.+)\\))?");

    final Locale locale;
    private final ResourceBundle bundle;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;

    private Messages(Locale locale) {
        this.locale = locale;
        this.bundle =
                ResourceBundle.getBundle(
                        BUNDLE,
                        locale,
                        ResourceBundle.Control.getNoFallbackControl(
                                ResourceBundle.Control.FORMAT_PROPERTIES));
        // A 24-hour clock in both languages, as the data center writes times (CLDR's short
        // Chinese time would be 上午10:00).
        this.dateTime =
                DateTimeFormatter.ofPattern(
                                locale.equals(ZH_CN) ? "yyyy年M月d日 HH:mm" : "d MMM yyyy, HH:mm",
                                locale)
                        .withZone(ZONE);
        this.date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
    }

    private static final Messages ENGLISH = new Messages(EN);
    private static final Messages CHINESE = new Messages(ZH_CN);

    static Messages of(Locale locale) {
        return ZH_CN.equals(locale) ? CHINESE : ENGLISH;
    }

    /** {@code zh-CN} or {@code en}, the ?lang= value and the html lang attribute. */
    String tag() {
        return locale.toLanguageTag();
    }

    /**
     * The message, its {0}… filled in for the locale; a missing key shows as {@code ??key??} so
     * that the page test finds it rather than a page failing.
     */
    String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return "??" + key + "??";
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    String dateTime(Instant t) {
        return t == null ? "–" : dateTime.format(t);
    }

    String date(Instant t) {
        return t == null ? "–" : date.format(t.atZone(ZONE).toLocalDate());
    }

    String pct(Double v) {
        if (v == null) {
            return "–";
        }
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(1);
        f.setMaximumFractionDigits(1);
        return f.format(v) + " %";
    }

    String number(long n) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** Binary units with one decimal, as the reports and tail write them: 1.5 GiB. */
    String bytes(Long b) {
        if (b == null || b < 0) {
            return "–";
        }
        return io.rightsizer.i18n.Messages.of(
                        Locale.SIMPLIFIED_CHINESE.equals(locale)
                                ? io.rightsizer.i18n.Messages.ZH_CN
                                : io.rightsizer.i18n.Messages.EN)
                .size(b);
    }

    /** A duration in days and hours (minutes when under an hour). */
    String age(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long days = d.toDays();
        long hours = d.toHoursPart();
        if (days > 0) {
            return get("age.days", days, hours);
        }
        if (hours > 0) {
            return get("age.hours", hours);
        }
        return get("age.minutes", d.toMinutesPart());
    }

    /**
     * The regulation as cited in this language: "Article 26(1)1" is 第二十六条第一款第（一）项 in Chinese; a
     * citation of another form is shown as the rule file wrote it.
     */
    String regulation(String cited) {
        if (cited == null) {
            return "–";
        }
        Matcher m = ARTICLE.matcher(cited.strip());
        if (!m.matches()) {
            return cited;
        }
        boolean zh = locale.equals(ZH_CN);
        StringBuilder s = new StringBuilder();
        s.append(zh ? "第" + chinese(m.group(1)) + "条" : "Article " + m.group(1));
        if (m.group(2) != null) {
            s.append(zh ? "第" + chinese(m.group(2)) + "款" : "(" + m.group(2) + ")");
        }
        if (m.group(3) != null) {
            s.append(zh ? "第（" + chinese(m.group(3)) + "）项" : m.group(3));
        }
        if (m.group(4) != null) {
            String note = m.group(4);
            String key = "regulation.note." + note.replace(' ', '-');
            String translated = bundle.containsKey(key) ? bundle.getString(key) : note;
            s.append(zh ? "（" + translated + "）" : " (" + translated + ")");
        }
        return s.toString();
    }

    /** 1–99 in Chinese numerals, as articles are numbered: 二十六. */
    static String chinese(String digits) {
        String[] d = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
        int n = Integer.parseInt(digits);
        if (n < 10) {
            return d[n];
        }
        int tens = n / 10;
        int ones = n % 10;
        return (tens == 1 ? "" : d[tens]) + "十" + (ones == 0 ? "" : d[ones]);
    }
}
