package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.Rule;
import io.rightsizer.testing.Cli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code rightsizer demo} in process: an embedded broker, the live job on a local MiniCluster, a
 * simulated fleet, and the checks against the ground truth, the dead letters and exactly-once.
 */
class DemoCommandITCase {
    private static final Pattern SUMMARY =
            Pattern.compile(
                    "Summary: ([\\d,]+) samples judged in \\d+ s \\([\\d,]+ samples/s end to"
                            + " end\\), (\\d+) recommendations");

    private static final String HEADER =
            String.format(
                    "%-16s  %-30s  %-10s  %-8s  %-9s  %-8s  %-7s  %s",
                    "FIRED AT",
                    "RULE",
                    "ACTION",
                    "RESOURCE",
                    "SUBJECT",
                    "SYSTEM",
                    "UNIT",
                    "REASON");

    private static final Pattern ROW =
            Pattern.compile(
                    "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  ("
                            + Arrays.stream(Rule.values())
                                    .map(r -> Pattern.quote(r.id()))
                                    .collect(Collectors.joining("|"))
                            + ") +(SCALE_UP|SCALE_DOWN|RECLAIM) +(MEMORY|STORAGE|VM|SYSTEM) +\\S+"
                            + " +\\S+ +\\S+  .+");

    @Test
    void smallFleetPassesTheGroundTruthDeadLetterAndExactlyOnceChecksWellUnderAMinute(
            @org.junit.jupiter.api.io.TempDir Path reports) throws Exception {
        io.rightsizer.testing.InfluxServer.requireBinary();
        Cli.Run run = smallDemo("--no-table", "--report-dir", reports.toString());

        System.err.println("demo --no-table took " + run.took().toMillis() + " ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines())
                .anySatisfy(l -> assertThat(l).startsWith("Ground truth: PASSED: "))
                .anySatisfy(l -> assertThat(l).startsWith("Dead letters: PASSED: "))
                .anySatisfy(l -> assertThat(l).startsWith("Exactly once: PASSED: "));
        int recs = recommendationsInSummary(run);
        assertThat(run.errLines())
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith(
                                                "Exactly once: PASSED: "
                                                        + recs
                                                        + " recommendations (")
                                        .endsWith(" reminders, each once), no duplicate"));
        // Where to look, the history complete, and the last full month's report on disk.
        assertThat(run.errLines())
                .anySatisfy(l -> assertThat(l).startsWith("  Flink web UI "))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "  Prometheus metrics "
                                                        + " http://127.0.0.1:\\d+/metrics .*"))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "  InfluxDB history    http://127.0.0.1:\\d+"
                                                        + " database rightsizer .*"))
                .anySatisfy(l -> assertThat(l).startsWith("History: PASSED: "))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "  \\("
                                                        + (recs - reminders(run))
                                                        + " recommendations"
                                                        + " and \\d+ dead letters expected there, 0"
                                                        + " points dropped by the writer\\)"));
        String month =
                java.time.YearMonth.now(java.time.ZoneId.of("Asia/Shanghai"))
                        .minusMonths(1)
                        .toString();
        assertThat(run.errLines())
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith(
                                                "Monthly utilization report (Article 27) for "
                                                        + month
                                                        + ": open file:"));
        try (var files = Files.list(reports)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "utilization-" + month + ".html",
                            "utilization-" + month + "-units.csv",
                            "utilization-" + month + "-systems.csv",
                            "utilization-" + month + "-vms.csv",
                            "utilization-" + month + "-recommendations.csv");
        }
        assertThat(run.outLines())
                .as("--no-table prints no table, only the report's files")
                .allSatisfy(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "wrote "
                                                        + Pattern.quote(reports.toString())
                                                        + "/.*|"
                                                        + month
                                                        + ": \\d+ units, \\d+ systems, 20 VMs,"
                                                        + " .*"));
        // Measured 18-24 s on 2 shared cores without the history; the history adds the wait
        // for the last dead-letter interval (5 s) and the report.
        assertThat(run.took()).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void tablePrintsOneRowPerRecommendationUnderItsHeader() {
        Cli.Run run = smallDemo("--no-history");

        System.err.println("demo with table took " + run.took().toMillis() + " ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> out = run.outLines();
        assertThat(out.get(0)).isEqualTo(HEADER);
        List<String> rows = out.subList(1, out.size());
        int recs = recommendationsInSummary(run);
        assertThat(rows).hasSize(recs);
        assertThat(rows).allSatisfy(r -> assertThat(r).matches(ROW));

        // The rows per rule are the summary's "sent" and "reminders" columns.
        Map<String, Integer> rowsPerRule = new TreeMap<>();
        Map<String, Integer> reminderRowsPerRule = new TreeMap<>();
        for (Rule r : Rule.values()) {
            rowsPerRule.put(r.id(), 0);
            reminderRowsPerRule.put(r.id(), 0);
        }
        for (String row : rows) {
            Matcher m = ROW.matcher(row);
            assertThat(m.matches()).isTrue();
            (row.contains("  " + DemoTable.REMINDER) ? reminderRowsPerRule : rowsPerRule)
                    .merge(m.group(1), 1, Integer::sum);
        }
        List<String> expectedSummaryLines = new ArrayList<>();
        rowsPerRule.forEach(
                (rule, n) ->
                        expectedSummaryLines.add(
                                String.format(
                                        "  %-34s %8d %9d ",
                                        rule, n, reminderRowsPerRule.get(rule))));
        for (String prefix : expectedSummaryLines) {
            assertThat(run.errLines()).anySatisfy(l -> assertThat(l).startsWith(prefix));
        }
    }

    @Test
    void staysLiveAfterTheSummarySoADecisionTakenInTheConsoleTakesEffect() throws Exception {
        Cli.Background demo =
                Cli.start(smallDemoArgs("--no-history", "--no-table", "--stay", "3m"));
        String err = awaitErr(demo, Pattern.compile("  Decide in the console: "));
        Matcher console =
                Pattern.compile(
                                "  Approval console    (http://127\\.0\\.0\\.1:\\d+/)   \\(sign in"
                                        + " as demo with password (\\S+);")
                        .matcher(err);
        assertThat(console.find()).as(err).isTrue();
        assertThat(err)
                .contains("Ground truth: PASSED: ")
                .contains(
                        "Live for 3m (Enter or Ctrl-C end it): the fleet reports every 2s in"
                                + " wall-clock time (stamped 5m ahead, the watermark bound, so the"
                                + " job's event time is now)");
        URI base = URI.create(console.group(1));
        HttpClient http =
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> signIn =
                post(
                        http,
                        base.resolve("/signin"),
                        null,
                        "username=demo&password=" + console.group(2));
        assertThat(signIn.statusCode()).isEqualTo(303);
        String session =
                signIn.headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("rightsizer_session="))
                        .map(c -> c.substring(0, c.indexOf(';')))
                        .findFirst()
                        .orElseThrow();
        Matcher row =
                Pattern.compile("href=\"/recommendations/([0-9a-f]{32})\"")
                        .matcher(get(http, base.resolve("/"), session).body());
        assertThat(row.find()).as("a recommendation in the inbox").isTrue();
        String id = row.group(1);
        URI page = base.resolve("/recommendations/" + id);
        Matcher csrf =
                Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"")
                        .matcher(get(http, page, session).body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> decided =
                post(
                        http,
                        base.resolve("/recommendations/" + id + "/decide"),
                        session,
                        "decision=approve&csrf=" + csrf.group(1));
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(303);

        // The job applies it at the fleet's next report (every 2 s), once its transaction commits.
        awaitErr(demo, Pattern.compile("live: .* TRANSITION OPEN → APPROVED by demo: "));
        assertThat(get(http, page, session).body()).contains("APPROVED");
        demo.interrupt();
        Cli.Run run = demo.await(Duration.ofSeconds(60));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines()).contains("Stopping the demo.");
        assertThat(run.errLines())
                .filteredOn(l -> l.startsWith("live: ") && l.contains("APPROVED"))
                .hasSize(1);
    }

    private static String awaitErr(Cli.Background demo, Pattern line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String err = demo.err();
            if (line.matcher(err).find()) {
                return err;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no line matching " + line + " within 120 s in:\n" + demo.err());
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String cookie)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String cookie, String form)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The reminders in the "Exactly once" line. */
    private static int reminders(Cli.Run run) {
        Pattern p =
                Pattern.compile("Exactly once: PASSED: \\d+ recommendations \\((\\d+) of them.*");
        return run.errLines().stream()
                .map(p::matcher)
                .filter(Matcher::matches)
                .map(m -> Integer.parseInt(m.group(1)))
                .findFirst()
                .orElseThrow();
    }

    private static int recommendationsInSummary(Cli.Run run) {
        List<Matcher> found =
                run.errLines().stream().map(SUMMARY::matcher).filter(Matcher::matches).toList();
        assertThat(found).as(run.err()).hasSize(1);
        return Integer.parseInt(found.get(0).group(2));
    }

    /**
     * The repository's rules/article26.yaml. The demo's default {@code --rules} is relative to the
     * working directory (the repository root for scripts/rightsizer); tests run in {@code jobs/}.
     */
    private static Path defaultRuleFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path p = dir.resolve("rules").resolve("article26.yaml");
            if (Files.isRegularFile(p)) {
                return p;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("rules/article26.yaml not found above the working dir");
    }

    /** The demo on 20 VMs over 100 days of hourly samples, with the shipped rule file. */
    private static Cli.Run smallDemo(String... extra) {
        return Cli.run(smallDemoArgs(extra));
    }

    private static String[] smallDemoArgs(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "demo",
                                "--vms",
                                "20",
                                "--days",
                                "100",
                                "--interval",
                                "1h",
                                "--rules",
                                defaultRuleFile().toString(),
                                "--catalog",
                                defaultRuleFile()
                                        .getParent()
                                        .resolveSibling("config")
                                        .resolve("catalog.yaml")
                                        .toString(),
                                "--calendar",
                                defaultRuleFile()
                                        .getParent()
                                        .resolveSibling("config")
                                        .resolve("calendar.yaml")
                                        .toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }
}
