package io.rightsizer.console;

import static io.rightsizer.console.ConsoleHarness.ALICE_PASSWORD;
import static io.rightsizer.console.ConsoleHarness.csrf;
import static io.rightsizer.console.ConsoleHarness.form;
import static io.rightsizer.console.PageRecords.EMERGENCY;
import static io.rightsizer.console.PageRecords.SCALE_DOWN;
import static io.rightsizer.console.PageRecords.SCALE_UP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every page of the console in English and in Chinese: no message key missing or shown raw, the
 * html lang attribute, dates in Asia/Shanghai, the regulation cited as written, the chart.
 */
class ConsolePagesTest {

    /** Every page and state a person can see, rendered in {@code lang}. */
    private static Map<String, String> everyPage(String lang) throws IOException {
        Map<String, String> pages = new LinkedHashMap<>();
        InMemoryConsoleModel model = PageRecords.fleet();
        try (ConsoleHarness c = new ConsoleHarness(model)) {
            String q = "?lang=" + lang;
            pages.put("signin", c.get("/signin" + q, null).body());
            pages.put(
                    "signin-failed",
                    c.post("/signin" + q, null, form("username", "alice", "password", "no"))
                            .body());
            String s = c.signIn("alice", ALICE_PASSWORD);
            pages.put("inbox", c.get("/" + q, s).body());
            pages.put("inbox-filtered-empty", c.get("/?unit=none&lang=" + lang, s).body());
            pages.put("open", c.get("/recommendations/" + SCALE_UP + q, s).body());
            pages.put("approved", c.get("/recommendations/" + SCALE_DOWN + q, s).body());
            pages.put("deferred-no-history", c.get("/recommendations/" + EMERGENCY + q, s).body());
            pages.put("notices", c.get("/notices" + q, s).body());
            pages.put("silent", c.get("/silent" + q, s).body());
            pages.put("not-found", c.get("/nowhere" + q, s).body());
            String token = csrf(pages.get("open"));
            String page = "/recommendations/" + SCALE_UP;
            pages.put(
                    "reject-without-reason",
                    c.post(page + "/decide" + q, s, form("decision", "reject", "csrf", token))
                            .body());
            pages.put(
                    "bad-csrf",
                    c.post(page + "/decide" + q, s, form("decision", "approve", "csrf", "x"))
                            .body());
            c.post(page + "/decide", s, form("decision", "approve", "csrf", token));
            pages.put("pending", c.get(page + "?published=101&lang=" + lang, s).body());
            model.items.clear();
            pages.put("inbox-empty", c.get("/" + q, s).body());
            model.notices.clear();
            model.silent.clear();
            pages.put("notices-empty", c.get("/notices" + q, s).body());
            pages.put("silent-empty", c.get("/silent" + q, s).body());
            model.loading = new ConsoleModel.Loading(false, 12, null);
            pages.put("loading", c.get("/" + q, s).body());
        }
        return pages;
    }

    @Test
    void everyPageInBothLocalesHasEveryMessageAndNoRawKey() throws IOException {
        List<String> keys = new ArrayList<>(bundle("").stringPropertyNames());
        for (String lang : List.of("en", "zh-CN")) {
            Map<String, String> pages = everyPage(lang);
            assertThat(pages).hasSize(17);
            for (Map.Entry<String, String> p : pages.entrySet()) {
                String page = p.getValue();
                String text = page.replaceAll("<[^>]*>", " ");
                assertThat(page)
                        .as(lang + " " + p.getKey())
                        .startsWith("<!DOCTYPE html>\n<html lang=\"" + lang + "\">")
                        .doesNotContain("??");
                for (String key : keys) {
                    assertThat(text).as(lang + " " + p.getKey()).doesNotContain(key);
                }
            }
        }
    }

    @Test
    void theChineseBundleHasExactlyTheKeysOfTheEnglishOne() throws IOException {
        Properties en = bundle("");
        Properties zh = bundle("_zh_CN");

        assertThat(zh.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
        for (String k : zh.stringPropertyNames()) {
            assertThat(zh.getProperty(k)).as(k).isNotBlank();
        }
    }

    @Test
    void theChineseInboxCitesTheRegulationAsWrittenWithShanghaiDates() throws IOException {
        Map<String, String> zh = everyPage("zh-CN");

        assertThat(zh.get("inbox"))
                .contains("第二十六条第一款第（一）项")
                .contains("第二十六条（紧急扩容）")
                .contains("<td>扩容</td>")
                .contains("内存 16.0 GiB → 24.0 GiB")
                .contains("1天8小时");
        assertThat(zh.get("notices")).contains("第二十二条");
        assertThat(zh.get("open")).contains("2026年3月9日 00:05");
        assertThat(everyPage("en").get("open")).contains("9 Mar 2026, 00:05");
    }

    @Test
    void theRecommendationPageDrawsTheHistoryWithItsThresholdOrSaysThereIsNone()
            throws IOException {
        Map<String, String> en = everyPage("en");
        String open = en.get("open");
        String chart = open.substring(open.indexOf("<div id=\"history-chart\">"));
        chart = chart.substring(0, chart.indexOf("</div>"));

        assertThat(count(chart, "<svg ")).isEqualTo(1);
        // Memory: two runs around the three-hour gap, for the average and for the maximum;
        // storage: one each.
        assertThat(count(chart, "<polyline ")).isEqualTo(6);
        assertThat(chart).contains("scale up above 80.0 %");
        assertThat(en.get("deferred-no-history"))
                .contains("<div id=\"history-chart\"><p id=\"history-none\">");
        assertThat(open)
                .contains("<dd>article26-v3</dd>")
                .contains("<table id=\"trail\">")
                .contains("<tr data-kind=\"OPENED\" data-to-state=\"OPEN\"");
    }

    @Test
    void theLanguageChosenOnceStaysInACookieAndTheDefaultIsTheConfiguredOne() throws IOException {
        try (ConsoleHarness c =
                new ConsoleHarness(PageRecords.fleet(), null, Locale.SIMPLIFIED_CHINESE)) {
            assertThat(c.get("/signin", null).body()).contains("<html lang=\"zh-CN\">");
            var r = c.get("/signin?lang=en", null);
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith("lang=en; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000");
            assertThat(c.get("/signin", null, "Cookie", "lang=en").body())
                    .contains("<html lang=\"en\">");
            assertThat(c.get("/signin?lang=fr", null).body()).contains("<html lang=\"zh-CN\">");
        }
    }

    private static int count(String s, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Properties bundle(String suffix) throws IOException {
        Properties p = new Properties();
        try (InputStream in =
                ConsolePagesTest.class.getResourceAsStream("messages" + suffix + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
