package io.rightsizer.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shipped monitoring files (tests run in jobs/, the files are under the repository root). */
final class OpsFiles {
    static final Path PROMETHEUS =
            Path.of("..", "config", "prometheus").toAbsolutePath().normalize();
    static final Path GRAFANA = Path.of("..", "config", "grafana").toAbsolutePath().normalize();
    static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
    static final Path ALERT_RULES = PROMETHEUS.resolve("rightsizer-alerts.yml");
    static final Path ALERT_TESTS = PROMETHEUS.resolve("rightsizer-alerts.test.yml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsFiles() {}

    static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Every dashboard file, sorted by name. */
    static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The alerting rules of every group of the shipped rule file. */
    static List<JsonNode> alertRules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : yaml(ALERT_RULES).path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    /** The panels of a dashboard, including those nested in collapsed rows; rows themselves not. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(panels::add);
            } else {
                panels.add(p);
            }
        }
        return panels;
    }
}
