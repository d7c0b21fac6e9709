package io.rightsizer.console;

import static io.rightsizer.console.ConsoleHarness.ALICE_PASSWORD;
import static io.rightsizer.console.ConsoleHarness.VICTOR_PASSWORD;
import static io.rightsizer.console.ConsoleHarness.csrf;
import static io.rightsizer.console.ConsoleHarness.form;
import static io.rightsizer.console.PageRecords.EMERGENCY;
import static io.rightsizer.console.PageRecords.SCALE_DOWN;
import static io.rightsizer.console.PageRecords.SCALE_UP;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.RecommendationEventKind;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's HTTP layer over an in-memory model: sign-in, sessions, roles, CSRF, decisions. */
class ConsoleServerTest {
    private static final String PAGE = "/recommendations/" + SCALE_UP;
    private static final String DECIDE = PAGE + "/decide";
    private ConsoleHarness console;

    @BeforeEach
    void start() throws Exception {
        console = new ConsoleHarness(PageRecords.fleet());
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void afterFiveWrongPasswordsForANameEvenTheRightOneIsRefusedUntilTheWindowEnds() {
        for (int i = 0; i < SignInThrottle.PER_NAME; i++) {
            assertThat(
                            console.post(
                                            "/signin",
                                            null,
                                            form("username", "alice", "password", "guess" + i))
                                    .statusCode())
                    .isEqualTo(401);
            console.clock.advance(java.time.Duration.ofMinutes(1));
        }

        HttpResponse<String> refused =
                console.post(
                        "/signin", null, form("username", "alice", "password", ALICE_PASSWORD));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("601");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(refused.body())
                .contains(
                        "<p id=\"signin-error\" role=\"alert\">Too many failed sign-ins for"
                                + " this name or from this address: try again in 10 min.</p>");
        // Another name is not held back by alice's failures.
        assertThat(console.signIn("victor", VICTOR_PASSWORD)).isNotNull();

        // The oldest failure ages out 15 minutes after it: one more try is allowed, and the right
        // password then opens a session.
        console.clock.advance(java.time.Duration.ofMinutes(10));
        assertThat(console.signIn("alice", ALICE_PASSWORD)).matches("[0-9a-f]{64}");
    }

    @Test
    void signInWithTheRightPasswordSetsAStrictHttpOnlyCookieAndOpensTheInbox() {
        HttpResponse<String> r =
                console.post(
                        "/signin", null, form("username", "alice", "password", ALICE_PASSWORD));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .matches("rightsizer_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict");
        HttpResponse<String> inbox = console.get("/", ConsoleHarness.sessionCookie(r));
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(rowIds(inbox.body())).containsExactly(EMERGENCY, SCALE_UP, SCALE_DOWN);
        assertThat(inbox.body())
                .contains(
                        "<tr data-recommendation-id=\""
                                + EMERGENCY
                                + "\" data-state=\"DEFERRED\" data-emergency=\"true\"")
                .contains(
                        "<a class=\"open\" href=\"/recommendations/" + SCALE_UP + "\">vm-0042</a>")
                .contains("memory 16.0 GiB → 24.0 GiB")
                .contains("data-flag=\"major-change\"")
                .contains("Article 26(1)1");
    }

    @Test
    void aWrongPasswordOrAnUnknownNameReRendersTheFormWithAnErrorAndNoSession() {
        for (String[] attempt :
                List.of(
                        new String[] {"alice", "wrong"},
                        new String[] {"mallory", ALICE_PASSWORD},
                        new String[] {"proxied", ""})) {
            HttpResponse<String> r =
                    console.post(
                            "/signin", null, form("username", attempt[0], "password", attempt[1]));

            assertThat(r.statusCode()).as(attempt[0]).isEqualTo(401);
            assertThat(r.body()).contains("<p id=\"signin-error\"").contains("<form id=\"signin\"");
            assertThat(ConsoleHarness.sessionCookie(r)).isNull();
        }
    }

    @Test
    void withoutASessionPagesSendToSignInAndADecisionIsForbidden() {
        assertThat(console.get("/", null).headers().firstValue("Location")).contains("/signin");
        assertThat(console.get(PAGE, "0".repeat(64)).statusCode()).isEqualTo(303);

        HttpResponse<String> r = console.post(DECIDE, null, form("decision", "approve"));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(console.model.decisions).isEmpty();
    }

    @Test
    void anApproverDecidesUnderTheSignedInNameAndSeesTheJobsTransitionArrive() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        String page = console.get(PAGE, session).body();
        assertThat(page)
                .contains("<form id=\"decide-approve\"")
                .contains("<form id=\"decide-reject\"")
                .contains("<form id=\"decide-defer\"")
                .doesNotContain("decide-implemented");

        HttpResponse<String> r =
                console.post(DECIDE, session, form("decision", "approve", "csrf", csrf(page)));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(PAGE + "?published=101");
        assertThat(console.model.decisions)
                .containsExactly(
                        new ConsoleModel.DecisionRequest(
                                SCALE_UP, DecisionState.APPROVED, "alice", null, null));
        String pending = console.get(PAGE + "?published=101", session).body();
        assertThat(pending)
                .contains("<p id=\"decision-pending\"")
                .contains("<script src=\"/static/trail.js\" defer></script>");

        Instant at = console.model.decidedAt;
        console.model.event(
                PageRecords.event(
                                SCALE_UP,
                                RecommendationEventKind.TRANSITION,
                                LifecycleState.OPEN,
                                LifecycleState.APPROVED,
                                at)
                        .setBy("alice")
                        .setReason("approved")
                        .build());
        String trail = console.get(PAGE + "/trail", session).body();
        assertThat(trail)
                .startsWith("<table id=\"trail\">")
                .contains(
                        "<tr data-kind=\"TRANSITION\" data-to-state=\"APPROVED\" data-at=\""
                                + at.toEpochMilli()
                                + "\">");
        String done = console.get(PAGE + "?published=101", session).body();
        assertThat(done)
                .doesNotContain("decision-pending")
                .contains("<p id=\"decision-result\" role=\"status\" data-kind=\"TRANSITION\">");
    }

    @Test
    void aDecisionTheJobRefusesShowsWithItsReason() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        String page = console.get(PAGE, session).body();
        console.post(
                DECIDE,
                session,
                form("decision", "reject", "comment", "too soon", "csrf", csrf(page)));
        console.model.event(
                PageRecords.event(
                                SCALE_UP,
                                RecommendationEventKind.DECISION_REJECTED,
                                LifecycleState.APPROVED,
                                null,
                                console.model.decidedAt)
                        .setBy("alice")
                        .setReason("the recommendation is APPROVED already")
                        .build());

        String done = console.get(PAGE + "?published=101", session).body();

        assertThat(done)
                .contains(
                        "data-kind=\"DECISION_REJECTED\">The job refused your decision: the"
                                + " recommendation is APPROVED already</p>")
                .contains("<tr data-kind=\"DECISION_REJECTED\" data-to-state=\"\"");
    }

    @Test
    void aViewerSeesNoFormsAndADecisionByThemIsForbiddenAndNotPublished() {
        String session = console.signIn("victor", VICTOR_PASSWORD);
        String page = console.get(PAGE, session).body();
        assertThat(page).doesNotContain("decide-approve").contains("data-role=\"viewer\"");

        HttpResponse<String> r =
                console.post(DECIDE, session, form("decision", "approve", "csrf", csrf(page)));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<p id=\"decision-error\"");
        assertThat(console.model.decisions).isEmpty();
    }

    @Test
    void aMissingOrWrongCsrfTokenIsForbiddenAndNothingIsPublished() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        String other = csrf(console.get("/", console.signIn("alice", ALICE_PASSWORD)).body());

        HttpResponse<String> missing = console.post(DECIDE, session, form("decision", "approve"));
        HttpResponse<String> wrong =
                console.post(DECIDE, session, form("decision", "approve", "csrf", other));

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("<p id=\"decision-error\" role=\"alert\">");
        assertThat(console.model.decisions).isEmpty();
    }

    @Test
    void aRejectionWithoutAReasonIsRefusedByTheConsoleAndNothingIsPublished() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        String token = csrf(console.get(PAGE, session).body());

        HttpResponse<String> none =
                console.post(DECIDE, session, form("decision", "reject", "csrf", token));
        HttpResponse<String> blank =
                console.post(
                        DECIDE,
                        session,
                        form("decision", "reject", "comment", "  \n", "csrf", token));

        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(none.body())
                .contains(
                        "<p id=\"decision-error\" role=\"alert\">A rejection needs a reason: write"
                                + " why in the box.</p>");
        assertThat(console.model.decisions).isEmpty();
    }

    @Test
    void aDeferralNeedsAFutureDateAndDefersToTheStartOfThatDayInShanghai() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        String token = csrf(console.get(PAGE, session).body());

        HttpResponse<String> none =
                console.post(DECIDE, session, form("decision", "defer", "csrf", token));
        HttpResponse<String> garbage =
                console.post(
                        DECIDE, session, form("decision", "defer", "until", "soon", "csrf", token));
        HttpResponse<String> today =
                console.post(
                        DECIDE,
                        session,
                        form("decision", "defer", "until", "2026-03-10", "csrf", token));
        assertThat(List.of(none.statusCode(), garbage.statusCode(), today.statusCode()))
                .containsExactly(400, 400, 400);
        assertThat(console.model.decisions).isEmpty();

        HttpResponse<String> ok =
                console.post(
                        DECIDE,
                        session,
                        form("decision", "defer", "until", "2026-03-20", "csrf", token));

        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(console.model.decisions)
                .containsExactly(
                        new ConsoleModel.DecisionRequest(
                                SCALE_UP,
                                DecisionState.DEFERRED,
                                "alice",
                                null,
                                Instant.parse("2026-03-19T16:00:00Z")));
    }

    @Test
    void anApprovedRecommendationOffersOnlyImplemented() {
        String session = console.signIn("alice", ALICE_PASSWORD);

        String page = console.get("/recommendations/" + SCALE_DOWN, session).body();

        assertThat(page)
                .contains("<form id=\"decide-implemented\"")
                .doesNotContain("decide-approve")
                .doesNotContain("decide-defer");
    }

    @Test
    void aDecisionTheModelCannotPublishIsShownWithItsReason() {
        console.model.refuseDecisions = new ConsoleException("cannot reach Kafka at 127.0.0.1:1");
        String session = console.signIn("alice", ALICE_PASSWORD);
        String token = csrf(console.get(PAGE, session).body());

        HttpResponse<String> r =
                console.post(DECIDE, session, form("decision", "approve", "csrf", token));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body())
                .contains("The decision was not published: cannot reach Kafka at 127.0.0.1:1</p>");
    }

    @Test
    void aSessionExpiresAfterItsIdleTime() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        console.clock.advance(ConsoleHarness.IDLE.minusMinutes(1));
        assertThat(console.get("/", session).statusCode()).isEqualTo(200);
        console.clock.advance(ConsoleHarness.IDLE.minusMinutes(1));
        assertThat(console.get("/", session).statusCode())
                .as("the last request renewed it")
                .isEqualTo(200);

        console.clock.advance(ConsoleHarness.IDLE);

        HttpResponse<String> r = console.get("/", session);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/signin");
    }

    @Test
    void signOutEndsTheSessionAndNeedsTheToken() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        String token = csrf(console.get("/", session).body());
        assertThat(console.post("/signout", session, form()).statusCode()).isEqualTo(403);

        HttpResponse<String> r = console.post("/signout", session, form("csrf", token));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("rightsizer_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        assertThat(console.get("/", session).statusCode()).isEqualTo(303);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        String session = console.signIn("alice", ALICE_PASSWORD);
        for (HttpResponse<String> r :
                List.of(
                        console.get("/signin", null),
                        console.get("/", session),
                        console.get(PAGE, session),
                        console.get("/static/console.css", null),
                        console.get("/static/../messages.properties", null),
                        console.get("/nowhere", session))) {
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(r.uri().toString())
                    .contains(Exchanges.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        }
        assertThat(Exchanges.CSP).startsWith("default-src 'self';").doesNotContain("unsafe");
    }

    @Test
    void theAssetsComeFromTheJarAndNothingElseUnderStatic() {
        HttpResponse<String> css = console.get("/static/console.css", null);
        HttpResponse<String> js = console.get("/static/trail.js", null);

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        assertThat(css.body()).contains("#filters").doesNotContain("http");
        assertThat(js.body()).contains("decision-pending").doesNotContain("http");
        assertThat(console.get("/static/Users.class", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aTrustedHeaderIsHonouredOnlyWhenConfigured() throws Exception {
        assertThat(console.get("/", null, "X-Remote-User", "alice").statusCode()).isEqualTo(303);

        try (ConsoleHarness proxied =
                new ConsoleHarness(
                        PageRecords.fleet(), "X-Remote-User", java.util.Locale.ENGLISH)) {
            HttpResponse<String> r = proxied.get("/", null, "X-Remote-User", "proxied");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("data-role=\"approver\">proxied (approver)</span>");
            assertThat(proxied.get("/", null, "X-Remote-User", "mallory").statusCode())
                    .isEqualTo(303);
            String session = ConsoleHarness.sessionCookie(r);
            HttpResponse<String> decided =
                    proxied.post(
                            DECIDE, session, form("decision", "approve", "csrf", csrf(r.body())));
            assertThat(decided.statusCode()).isEqualTo(303);
            assertThat(proxied.model.decisions.get(0).decidedBy()).isEqualTo("proxied");
        }
    }

    @Test
    void theInboxShowsItsFiltersLoadingAndEmptyStates() {
        String session = console.signIn("alice", ALICE_PASSWORD);

        String filtered = console.get("/?action=SCALE_DOWN&unit=", session).body();
        assertThat(rowIds(filtered)).containsExactly(SCALE_DOWN);
        assertThat(console.model.filters)
                .contains(new ConsoleModel.InboxFilter(null, null, null, Action.SCALE_DOWN, null));
        assertThat(filtered)
                .contains("<form id=\"filters\" method=\"get\" action=\"/\">")
                .contains("<option value=\"SCALE_DOWN\" selected>");
        assertThat(console.get("/?unit=nobody", session).body())
                .contains("<p id=\"inbox-empty\">")
                .doesNotContain("<table id=\"inbox\">");

        console.model.loading = new ConsoleModel.Loading(false, 1234, "reading the audit trail");
        String loading = console.get("/", session).body();
        assertThat(loading)
                .contains("<p id=\"loading\" role=\"status\">")
                .contains("<meta http-equiv=\"refresh\" content=\"2\">")
                .contains("1,234");
    }

    @Test
    void aBodyOverTheCapIsRefusedUnread() {
        HttpResponse<String> r =
                console.post(
                        "/signin",
                        null,
                        form("username", "alice", "password", "x".repeat(ConsoleServer.MAX_BODY)));

        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void theListenLineAddressIsTheBoundPort() {
        assertThat(console.server.address().toString())
                .matches("http://127\\.0\\.0\\.1:\\d+/")
                .doesNotEndWith(":0/");
    }

    private static List<String> rowIds(String page) {
        Matcher m = Pattern.compile("<tr data-recommendation-id=\"([0-9a-f]{32})\"").matcher(page);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
