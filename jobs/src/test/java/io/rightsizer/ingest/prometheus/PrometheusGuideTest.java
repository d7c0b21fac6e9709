package io.rightsizer.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.InfluxServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The prometheus.yml of docs/providers/prometheus.md is valid and sends what the mapping uses. */
class PrometheusGuideTest {
    static final Path GUIDE = Path.of("..", "docs", "providers", "prometheus.md");

    static String firstYamlBlock() throws Exception {
        Matcher m =
                Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL)
                        .matcher(Files.readString(GUIDE));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void theKeepRuleSendsExactlyTheMappedMetrics() throws Exception {
        Matcher m = Pattern.compile("regex: '([^']+)'\n\\s+action: keep").matcher(firstYamlBlock());
        assertThat(m.find()).isTrue();
        // Prometheus anchors relabel regexes; its RE2 syntax here is also Java's.
        Pattern keep = Pattern.compile("^(?:" + m.group(1) + ")$");
        for (String metric : PromMapping.METRICS) {
            String mode = metric.equals("node_cpu_seconds_total") ? "idle" : "";
            assertThat(keep.matcher(metric + ";" + mode).matches()).as(metric).isTrue();
        }
        assertThat(keep.matcher("node_cpu_seconds_total;user").matches()).isFalse();
        assertThat(keep.matcher("node_load1;").matches()).isFalse();
        assertThat(keep.matcher("libvirt_domain_info_memory_usage_bytes;").matches()).isFalse();
    }

    @Test
    void theConfigurationPassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        InfluxServer.requireTool(
                Files.isExecutable(promtool),
                "promtool is not installed: on Debian or Ubuntu run `sudo apt-get install -y"
                        + " prometheus` (or ./scripts/install-tools promtool)");
        Path yml = Files.createTempFile("prometheus", ".yml");
        try {
            Files.writeString(yml, firstYamlBlock());
            Process p =
                    new ProcessBuilder(promtool.toString(), "check", "config", yml.toString())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("SUCCESS");
        } finally {
            Files.delete(yml);
        }
    }
}
