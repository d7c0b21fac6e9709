package io.rightsizer.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.LocalDateTime;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bundles of both languages: the same keys, the same placeholders, every pattern valid. */
class MessagesTest {
    static final Messages EN = Messages.ENGLISH;
    static final Messages ZH = Messages.of(Messages.ZH_CN);

    /** A bundle file's own entries, without its parent's. */
    static Properties file(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    static Set<String> keys(Properties p) {
        return new TreeSet<>(p.stringPropertyNames());
    }

    /** The argument indices a pattern uses: {0}, {1} ... */
    static Set<Integer> placeholders(String pattern) {
        Set<Integer> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)").matcher(pattern);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void bothLanguagesHaveExactlyTheSameKeys() throws IOException {
        Set<String> en = keys(file("messages.properties"));
        Set<String> zh = keys(file("messages_zh_CN.properties"));

        assertThat(en).hasSizeGreaterThan(150);
        assertThat(zh).as("keys only in English: add them to messages_zh_CN").containsAll(en);
        assertThat(en).as("keys only in Chinese: add them to messages").containsAll(zh);
    }

    @Test
    void everyPatternHasTheSamePlaceholdersInBothLanguagesAndFillsThemAll() throws IOException {
        Properties en = file("messages.properties");
        Properties zh = file("messages_zh_CN.properties");
        for (String key : keys(en)) {
            assertThat(placeholders(zh.getProperty(key)))
                    .as(key)
                    .isEqualTo(placeholders(en.getProperty(key)));
            Object[] args = {"A0", "A1", "A2", "A3", "A4", "A5", "A6"};
            for (Messages m : new Messages[] {EN, ZH}) {
                String text = m.get(key, args);
                assertThat(text).as(m + " " + key).doesNotContain("{", "}").isNotBlank();
                for (int i : placeholders(en.getProperty(key))) {
                    assertThat(text).as(m + " " + key).contains("A" + i);
                }
            }
        }
    }

    @Test
    void chineseTextIsTranslatedSaveForTheFewSymbolsBothLanguagesWrite() throws IOException {
        Properties en = file("messages.properties");
        Properties zh = file("messages_zh_CN.properties");
        Set<String> same = new TreeSet<>();
        for (String key : keys(en)) {
            if (en.getProperty(key).equals(zh.getProperty(key))) {
                same.add(key);
            }
        }
        assertThat(same).containsExactly("tail.flag.priority");
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void englishRegulationIsTheRulesOwnAndChineseCitesTheArticleAsWritten(Rule rule) {
        assertThat(Recommendations.regulation(rule, EN)).isEqualTo(rule.regulation());
        assertThat(Recommendations.regulation(rule, ZH)).startsWith("第二十六条");
    }

    @Test
    void chineseRegulationsOfTheSixRulesAndTheEmergencies() {
        assertThat(Recommendations.regulation(Rule.WEEKLY_AVERAGE, ZH)).isEqualTo("第二十六条第一款第一项");
        assertThat(Recommendations.regulation(Rule.NO_BUSINESS_DATA, ZH)).isEqualTo("第二十六条第二款第三项");
        assertThat(Recommendations.regulation(Rule.STORAGE_EMERGENCY, ZH)).isEqualTo("第二十六条（紧急扩容）");
        assertThat(ZH.get("article.22")).isEqualTo("第二十二条");
        assertThat(ZH.get("article.24")).isEqualTo("第二十四条");
        assertThat(ZH.get("article.27")).isEqualTo("第二十七条");
        assertThat(ZH.get("article.37")).isEqualTo("第三十七条");
    }

    @Test
    void numbersDatesAndSizesFollowTheLanguage() {
        LocalDateTime t = LocalDateTime.of(2026, 3, 2, 14, 5);

        assertThat(EN.date(t)).isEqualTo("2026-03-02");
        assertThat(ZH.date(t)).isEqualTo("2026年3月2日");
        assertThat(EN.dateTime(t)).isEqualTo("2026-03-02 14:05");
        assertThat(ZH.dateTime(t)).isEqualTo("2026年3月2日 14:05");
        assertThat(EN.decimal(1234.56)).isEqualTo("1234.6");
        assertThat(ZH.decimal(1234.56)).isEqualTo("1,234.6");
        assertThat(EN.whole(12345)).isEqualTo("12345");
        assertThat(ZH.whole(12345)).isEqualTo("12,345");
        assertThat(EN.size(16L << 30)).isEqualTo("16.0 GiB");
        assertThat(ZH.size(1536L << 30)).isEqualTo("1.5 TiB");
        assertThat(EN.size(512)).isEqualTo("512 B");
    }

    @Test
    void anApostropheInAnEnglishPatternIsWrittenOnce() {
        assertThat(EN.get("reason.allocation-unknown", "memory"))
                .isEqualTo(
                        "the VM's memory allocation is not known (no inventory record and no"
                                + " memory total in its samples)");
        assertThat(new MessageFormat("{0}").format(new Object[] {"x"})).isEqualTo("x");
    }

    @Test
    void anUnknownLocaleIsRefusedNamingTheAllowedOnes() {
        assertThat(Messages.problem("zh-CN")).isEmpty();
        assertThat(Messages.problem("en")).isEmpty();
        assertThat(Messages.problem("fr"))
                .contains("locale 'fr' is not one rightsizer writes in; allowed: en, zh-CN");
        assertThatThrownBy(() -> Messages.of("zh_CN"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("locale 'zh_CN' is not one rightsizer writes in; allowed: en, zh-CN");
    }
}
