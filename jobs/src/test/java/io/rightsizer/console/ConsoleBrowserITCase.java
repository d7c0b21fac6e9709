package io.rightsizer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.testing.Browser;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RunningConsole;
import io.rightsizer.testing.WallClockFleet;
import io.rightsizer.testing.WallClockFleet.Vm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The approval console in headless Chromium, end to end: the live job judges a simulated fleet (in
 * wall-clock time: the job applies a decision once the telemetry has reached the instant it was
 * taken), {@code rightsizer console} runs on the same topics and InfluxDB history, and a person
 * signs in, finds the job's recommendations, opens one with its chart, approves it and sees the
 * job's APPROVED transition arrive; a rejection without a reason is refused and publishes nothing;
 * a viewer cannot decide; the console speaks Chinese when asked.
 *
 * <p>The tests select on the ids and data attributes of CONSOLE.md, never on visible text. With
 * {@code -Drightsizer.screenshots=DIR} the inbox and a recommendation are saved there as
 * console-inbox.png and console-recommendation.png (scripts/console-screenshots: docs/images).
 */
class ConsoleBrowserITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    @RegisterExtension final Browser browser = new Browser();

    static final String PASSWORD = "console-it-password";
    static final String APPROVER = "alice";
    static final String VIEWER = "victor";

    /** 85 % of 16 GiB all last week: the weekly average asks for 32 GiB. */
    static final Vm BUSY = new Vm("vm-busy", "sys-busy", 16, 85);

    /** 15 % of 16 GiB all last week: the weekly underuse proposes 4 GiB. */
    static final Vm SPARE = new Vm("vm-spare", "sys-spare", 16, 15);

    static final Duration JOB_ANSWERS = Duration.ofSeconds(60);

    @TempDir static Path tmp;

    static String decisions;
    static WallClockFleet fleet;
    static JobClient job;
    static RunningConsole console;

    /** The recommendation the approver approves, and the one nobody may decide here. */
    static String approved;

    static String undecided;

    @BeforeAll
    static void jobAndConsoleOnASimulatedFleet() throws Exception {
        Browser.requireBinaries();
        String influx = InfluxServer.url();
        String database = InfluxServer.freshDatabase("console_browser_it");
        Topics t = Topics.fresh(KAFKA, 1, 1);
        decisions = KAFKA.freshTopic("rightsizing-decisions", 1);
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("kafka.topics.inventory", KAFKA.freshTopic("vm-inventory", 1));
        topics.put("kafka.topics.decisions", decisions);
        topics.put(
                "kafka.topics.recommendation-events",
                KAFKA.freshTopic("rightsizing-recommendation-events", 1));
        topics.put("kafka.topics.notices", KAFKA.freshTopic("rightsizing-notices", 1));
        topics.put("kafka.topics.data-quality", KAFKA.freshTopic("rightsizing-data-quality", 1));
        Map<String, String> settings = new LinkedHashMap<>(topics);
        settings.put("lifecycle.enabled", "true");
        settings.put("checkpoint.interval", "300 ms");
        settings.put("watermark.out-of-orderness", "0 s");
        settings.put("parallelism", "1");
        settings.put("influxdb.enabled", "true");
        settings.put("influxdb.url", influx);
        settings.put("influxdb.database", database);
        settings.put("influxdb.flush-interval", "100 ms");
        JobConfig cfg = LiveJobs.config(KAFKA, t, settings);
        Path rules = Path.of("..", "rules", "article26.yaml").toAbsolutePath().normalize();
        job = LiveJobs.start(KAFKA, cfg, RuleSetParser.parse(rules), "console-browser-it", null);
        fleet = WallClockFleet.start(KAFKA, t.metrics(), BUSY, SPARE);

        List<Recommendation> recs =
                KAFKA.readCommitted(
                        t.recommendations(),
                        r -> RecommendationSerializer.decode(r.value()),
                        2,
                        JOB_ANSWERS,
                        Duration.ofMillis(500));
        approved = Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY.vmId(), fleet.thisWeek);
        undecided = Recommendations.id(Rule.WEEKLY_UNDERUSE, SPARE.vmId(), fleet.thisWeek);
        assertThat(recs)
                .extracting(Recommendation::getRecommendationId, Recommendation::getVmId)
                .containsExactlyInAnyOrder(
                        tuple(approved, BUSY.vmId()), tuple(undecided, SPARE.vmId()));

        StringBuilder yaml = new StringBuilder();
        yaml.append("kafka:\n  bootstrap-servers: ").append(KAFKA.bootstrapServers());
        yaml.append("\n  topics:\n    recommendations: ").append(t.recommendations());
        for (Map.Entry<String, String> e : topics.entrySet()) {
            yaml.append("\n    ")
                    .append(e.getKey().substring("kafka.topics.".length()))
                    .append(": ")
                    .append(e.getValue());
        }
        yaml.append("\nrules:\n  file: ").append(rules);
        yaml.append("\ninfluxdb:\n  enabled: true\n  url: ").append(influx);
        yaml.append("\n  database: ").append(database).append("\n");
        Path config = Files.writeString(tmp.resolve("console.yaml"), yaml, StandardCharsets.UTF_8);
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(APPROVER, "approver");
        roles.put(VIEWER, "viewer");
        Path users = RunningConsole.usersFile(tmp.resolve("users.yaml"), roles, PASSWORD);
        console =
                RunningConsole.start(
                        Duration.ofSeconds(60),
                        "--config",
                        config.toString(),
                        "--listen",
                        "127.0.0.1:0",
                        "--users",
                        users.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneShowsTheJobsRecommendations() {
        signIn(APPROVER, "not-" + PASSWORD);
        browser.await(By.id("signin-error"));

        signIn(APPROVER, PASSWORD);
        browser.await(rowOf(approved));
        browser.await(rowOf(undecided));

        assertThat(
                        browser.driver()
                                .findElements(By.cssSelector("#inbox tr[data-recommendation-id]")))
                .extracting(r -> r.getDomAttribute("data-recommendation-id"))
                .containsExactlyInAnyOrder(approved, undecided);
        WebElement row = browser.driver().findElement(rowOf(undecided));
        assertThat(row.getDomAttribute("data-state")).isEqualTo("OPEN");
        assertThat(row.findElement(By.cssSelector("a.open")).getDomAttribute("href"))
                .isEqualTo("/recommendations/" + undecided);
        screenshotForTheDocs("console-inbox.png", false);
    }

    @Test
    void anApproverOpensARecommendationSeesItsChartApprovesItAndTheJobsTransitionArrives()
            throws Exception {
        signIn(APPROVER, PASSWORD);
        browser.await(rowOf(approved)).findElement(By.cssSelector("a.open")).click();

        WebElement section = browser.await(recommendation(approved));
        assertThat(section.getDomAttribute("data-state")).isEqualTo("OPEN");
        browser.await(By.cssSelector("#history-chart svg"));
        assertThat(browser.driver().findElements(By.cssSelector("#history-chart > *")))
                .extracting(WebElement::getTagName)
                .containsExactly("svg");
        browser.await(By.cssSelector("#trail tr[data-kind=OPENED][data-to-state=OPEN]"));
        screenshotForTheDocs("console-recommendation.png", true);

        submit("decide-approve");

        browser.await(
                "the page after publishing (?published=OFFSET)",
                Browser.WAIT,
                d -> d.getCurrentUrl().contains("published="));
        browser.await(
                By.cssSelector("#trail tr[data-kind=TRANSITION][data-to-state=APPROVED]"),
                JOB_ANSWERS);
        assertThat(decisionsFor(approved))
                .extracting(Decision::getState, Decision::getDecidedBy)
                .containsExactly(tuple(DecisionState.APPROVED, APPROVER));
        browser.open(console.url() + "/recommendations/" + approved);
        assertThat(browser.await(recommendation(approved)).getDomAttribute("data-state"))
                .isEqualTo("APPROVED");
        assertThat(browser.driver().findElements(By.id("decide-approve"))).isEmpty();
    }

    @Test
    void aRejectionWithoutAReasonIsRefusedAndPublishesNothing() {
        signIn(APPROVER, PASSWORD);
        browser.open(console.url() + "/recommendations/" + undecided);
        browser.await(By.cssSelector("#decide-reject textarea[name=comment]"));

        // What is tested is the console's own refusal: a browser that checks a `required`
        // field itself would stop the form before it is sent.
        browser.driver()
                .executeScript("document.getElementById('decide-reject').noValidate = true");
        submit("decide-reject");

        browser.await(By.id("decision-error"));
        assertThat(browser.await(recommendation(undecided)).getDomAttribute("data-state"))
                .isEqualTo("OPEN");
        assertThat(decisionsFor(undecided)).isEmpty();
    }

    @Test
    void aViewerSeesNoDecisionFormAndAForgedDecisionIsForbidden() {
        signIn(VIEWER, PASSWORD);
        browser.open(console.url() + "/recommendations/" + undecided);
        browser.await(recommendation(undecided));

        assertThat(browser.driver().findElements(By.cssSelector("form[id^=decide-]"))).isEmpty();
        // The viewer's own session and CSRF token (the sign-out form carries one): what is
        // refused is the role, not a stale token.
        Object status =
                browser.driver()
                        .executeAsyncScript(
                                "const done = arguments[arguments.length - 1]; const csrf ="
                                    + " document.querySelector('input[name=csrf]');"
                                    + " fetch(arguments[0], {method: 'POST', headers:"
                                    + " {'Content-Type': 'application/x-www-form-urlencoded'},"
                                    + " body: new URLSearchParams({decision: 'approve', csrf: csrf"
                                    + " ? csrf.value : ''})}) .then(r => done(r.status), e =>"
                                    + " done(String(e)));",
                                "/recommendations/" + undecided + "/decide");
        assertThat(status).isEqualTo(403L);
        assertThat(decisionsFor(undecided)).isEmpty();
    }

    @Test
    void theConsoleSpeaksChineseWhenAskedAndKeepsToIt() {
        browser.open(console.url() + "/signin?lang=zh-CN");
        assertThat(lang()).isEqualTo("zh-CN");

        signIn(APPROVER, PASSWORD);
        browser.await(rowOf(undecided));
        assertThat(lang()).isEqualTo("zh-CN");

        browser.open(console.url() + "/?lang=en");
        assertThat(lang()).isEqualTo("en");
    }

    private void signIn(String user, String password) {
        browser.open(console.url() + "/signin");
        WebElement form = browser.await(By.id("signin"));
        form.findElement(By.name("username")).sendKeys(user);
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await(
                "the inbox or the sign-in refusal",
                Browser.WAIT,
                d ->
                        !d.findElements(
                                        By.cssSelector(
                                                "#inbox, #inbox-empty, #loading, #signin-error"))
                                .isEmpty());
    }

    /** Clicks the form's submit button, as a person does (Enter or a click). */
    private void submit(String formId) {
        browser.driver()
                .findElement(
                        By.cssSelector("#" + formId + " [type=submit], #" + formId + " button"))
                .click();
    }

    private String lang() {
        return browser.await(By.tagName("html")).getDomAttribute("lang");
    }

    private static By rowOf(String id) {
        return By.cssSelector("#inbox tr[data-recommendation-id='" + id + "']");
    }

    private static By recommendation(String id) {
        return By.cssSelector("section#recommendation[data-recommendation-id='" + id + "']");
    }

    /**
     * Every decision on the decisions topic for {@code id}. The console answers only once the
     * broker has acknowledged what it publishes, so whatever it published is there by now.
     */
    private static List<Decision> decisionsFor(String id) {
        return KAFKA
                .readCommitted(decisions, rs -> true, Duration.ofSeconds(10), Duration.ofSeconds(1))
                .stream()
                .filter(r -> id.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(ConsumerRecord::value)
                .map(DecisionSerializer::decode)
                .toList();
    }

    /** Saves the page for the docs when -Drightsizer.screenshots names a folder. */
    private void screenshotForTheDocs(String file, boolean wholePage) {
        String dir = System.getProperty("rightsizer.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path folder = Path.of(dir);
        // Relative to the repository (the tests run in jobs/).
        if (!folder.isAbsolute()) {
            folder = Path.of("..").resolve(folder);
        }
        Path png = folder.resolve(file).normalize();
        if (wholePage) {
            browser.screenshotOfThePage(png);
        } else {
            browser.screenshot(png);
        }
    }
}
