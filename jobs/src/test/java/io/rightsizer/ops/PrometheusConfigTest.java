package io.rightsizer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped Prometheus configuration and alerting rules, checked and unit-tested by promtool. */
class PrometheusConfigTest {
    private static final List<String> ALERTS =
            List.of(
                    "RightsizerJobDown critical",
                    "RightsizerRestarting warning",
                    "RightsizerRestarting critical",
                    "RightsizerEventTimeLagHigh warning",
                    "RightsizerEventTimeLagHigh critical",
                    "RightsizerDeadLetterRateHigh warning",
                    "RightsizerRecordsFailed warning",
                    "RightsizerCheckpointsFailing warning",
                    "RightsizerInfluxPointsDropped warning",
                    "RightsizerTelemetrySilent warning");

    @BeforeEach
    void promtoolInstalled() {
        Promtool.require();
    }

    @Test
    void theShippedAlertingRulesPassPromtoolCheckRules() throws Exception {
        Promtool.Run run =
                Promtool.run(OpsFiles.PROMETHEUS, "check", "rules", "rightsizer-alerts.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines())
                .containsExactly("Checking rightsizer-alerts.yml", "  SUCCESS: 10 rules found", "");
    }

    @Test
    void theShippedAlertingRulesPassTheirPromtoolUnitTests() throws Exception {
        Promtool.Run run =
                Promtool.run(OpsFiles.PROMETHEUS, "test", "rules", "rightsizer-alerts.test.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines())
                .containsExactly("Unit Testing:  rightsizer-alerts.test.yml", "  SUCCESS", "");
    }

    @Test
    void theShippedPrometheusConfigIsValidAndLoadsTheAlertingRules() throws Exception {
        Promtool.Run run = Promtool.run(OpsFiles.PROMETHEUS, "check", "config", "prometheus.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines())
                .containsExactly(
                        "Checking prometheus.yml",
                        "  SUCCESS: 1 rule files found",
                        " SUCCESS: prometheus.yml is valid prometheus config file syntax",
                        "",
                        "Checking rightsizer-alerts.yml",
                        "  SUCCESS: 10 rules found",
                        "");
    }

    @Test
    void aRuleFileWithABrokenExpressionFailsTheCheck(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("broken.yml"),
                String.join(
                        "\n",
                        "groups:",
                        "  - name: broken",
                        "    rules:",
                        "      - alert: Broken",
                        "        expr: sum(rate(up{job=\"rightsizer\"}[5m]) > 0",
                        ""),
                StandardCharsets.UTF_8);

        Promtool.Run run = Promtool.run(dir, "check", "rules", "broken.yml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).contains("Checking broken.yml", "  FAILED:");
    }

    @Test
    void anAlertTestExpectingTheAlertOneEvaluationEarlyFails(@TempDir Path dir) throws Exception {
        Files.copy(OpsFiles.ALERT_RULES, dir.resolve("rightsizer-alerts.yml"));
        String tests = Files.readString(OpsFiles.ALERT_TESTS, StandardCharsets.UTF_8);
        // The first JobDown case fires at 3m, not at 2m45s: moving the firing expectation earlier
        // must make promtool fail, or the shipped tests prove nothing.
        String earlier = tests.replaceFirst("eval_time: 3m\n", "eval_time: 2m30s\n");
        assertThat(earlier).isNotEqualTo(tests);
        Files.writeString(dir.resolve("t.test.yml"), earlier, StandardCharsets.UTF_8);

        Promtool.Run run = Promtool.run(dir, "test", "rules", "t.test.yml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("FAILED:", "alertname: RightsizerJobDown, time: 2m30s");
    }

    @Test
    void everyAlertHasASeverityASummaryADescriptionAndARunbook() throws Exception {
        List<String> alerts = new ArrayList<>();
        for (JsonNode rule : OpsFiles.alertRules()) {
            String name = rule.path("alert").asText();
            alerts.add(name + " " + rule.path("labels").path("severity").asText());
            JsonNode annotations = rule.path("annotations");
            assertThat(fieldNames(annotations))
                    .as(name)
                    .containsExactlyInAnyOrder("summary", "description", "runbook");
            annotations.forEach(a -> assertThat(a.asText()).as(name).isNotBlank());
        }
        assertThat(alerts).containsExactlyElementsOf(ALERTS);
    }

    @Test
    void theUnitTestsMakeEveryAlertAndSeverityFire() throws Exception {
        Set<String> fired = new TreeSet<>();
        for (JsonNode test : OpsFiles.yaml(OpsFiles.ALERT_TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                for (JsonNode expected : check.path("exp_alerts")) {
                    fired.add(
                            check.path("alertname").asText()
                                    + " "
                                    + expected.path("exp_labels").path("severity").asText());
                }
            }
        }
        assertThat(fired).containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void prometheusScrapesTheLocalReporterEvery15SecondsAsJobRightsizer() throws Exception {
        JsonNode config = OpsFiles.yaml(OpsFiles.PROMETHEUS.resolve("prometheus.yml"));
        JsonNode scrape = config.path("scrape_configs").get(0);

        assertThat(config.path("scrape_configs").size()).isEqualTo(1);
        assertThat(scrape.path("job_name").asText()).isEqualTo("rightsizer");
        assertThat(scrape.path("scrape_interval").asText()).isEqualTo("15s");
        assertThat(scrape.path("static_configs").get(0).path("targets").toString())
                .isEqualTo("[\"127.0.0.1:9249\"]");
        assertThat(config.path("rule_files").toString()).isEqualTo("[\"rightsizer-alerts.yml\"]");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
