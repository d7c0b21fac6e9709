package io.rightsizer.console;

import static io.rightsizer.console.PageRecords.SCALE_UP;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.report.Html;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEventKind;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A hostile string in every field a page shows (the records', the user's name) comes out as text,
 * through the one escaping function; no page has an inline handler, inline script or style.
 */
class ConsoleEscapingTest {
    private static final String HOSTILE =
            "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>{0}";
    private static final String ESCAPED =
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x"
                    + " onerror=alert(2)&gt;{0}";

    @Test
    void theEscapingFunctionEscapesEveryCharacterThatOpensMarkupOrAnAttribute() {
        assertThat(Html.esc(HOSTILE)).isEqualTo(ESCAPED);
        assertThat(Html.esc(null)).isEqualTo("");
    }

    @Test
    void hostileTextInEveryFieldOfEveryPageIsShownAsText() throws Exception {
        InMemoryConsoleModel model = new InMemoryConsoleModel();
        Recommendation r =
                Recommendation.newBuilder(
                                PageRecords.recommendation(
                                        SCALE_UP, HOSTILE, Action.SCALE_UP, HOSTILE, true))
                        .setRuleId(HOSTILE)
                        .setRuleSetVersion(HOSTILE)
                        .setSystemId(HOSTILE)
                        .setUnitId(HOSTILE)
                        .setReason(HOSTILE)
                        .setEvidence(
                                Evidence.newBuilder(
                                                PageRecords.recommendation(
                                                                SCALE_UP,
                                                                "vm",
                                                                Action.SCALE_UP,
                                                                "x",
                                                                false)
                                                        .getEvidence())
                                        .setOverrides(List.of(HOSTILE))
                                        .build())
                        .build();
        model.add(r, LifecycleState.OPEN, PageRecords.OLD_OPENED, null);
        model.event(
                PageRecords.event(
                                SCALE_UP,
                                RecommendationEventKind.DECISION_REJECTED,
                                LifecycleState.OPEN,
                                null,
                                PageRecords.NEW_OPENED)
                        .setBy(HOSTILE)
                        .setComment(HOSTILE)
                        .setReason(HOSTILE)
                        .build());
        ConsoleModel.History h = PageRecords.history(HOSTILE);
        model.histories.put(
                SCALE_UP,
                new ConsoleModel.History(
                        HOSTILE,
                        h.from(),
                        h.to(),
                        h.memory(),
                        h.storage(),
                        List.of(new ConsoleModel.Threshold(HOSTILE, "memory", 80))));
        model.notices.add(PageRecords.notice(HOSTILE, HOSTILE, HOSTILE));
        model.silent.add(PageRecords.silent(HOSTILE, HOSTILE, HOSTILE));
        Users users =
                Users.parse(
                        "users:\n  - name: '"
                                + HOSTILE.replace("'", "''")
                                + "'\n    role: approver\n    password: \""
                                + Users.hash("pw")
                                + "\"\n",
                        "hostile users");
        try (ConsoleHarness client = new ConsoleHarness(model, null, Locale.ENGLISH, users)) {
            String s = client.signIn(HOSTILE, "pw");
            for (String lang : List.of("en", "zh-CN")) {
                for (String path :
                        List.of(
                                "/",
                                "/recommendations/" + SCALE_UP,
                                "/recommendations/" + SCALE_UP + "/trail",
                                "/notices",
                                "/silent")) {
                    String page = client.get(path + "?lang=" + lang, s).body();
                    assertThat(page)
                            .as(path)
                            .doesNotContain("<script>alert")
                            .doesNotContain("<img")
                            .doesNotContain("\"'&<")
                            .contains(ESCAPED);
                    // Attribute values are escaped text: what is left is the markup itself.
                    String markup =
                            page.replace("<script src=\"/static/trail.js\" defer></script>", "")
                                    .replaceAll("\"[^\"]*\"", "\"\"");
                    assertThat(markup)
                            .as(path)
                            .doesNotContainPattern("(?i)<script")
                            .doesNotContainPattern("(?i)<[^>]+\\son[a-z]+\\s*=")
                            .doesNotContainPattern("(?i)\\sstyle\\s*=")
                            .doesNotContainPattern("(?i)<style");
                }
            }
        }
    }
}
