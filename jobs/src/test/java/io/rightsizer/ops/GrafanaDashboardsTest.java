package io.rightsizer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rightsizer.testing.InfluxServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboards: valid and importable JSON, only the provisioned data sources,
 * every InfluxQL query executed against a real influxd holding a small dataset in the contract's
 * schema (Grafana's macros and variables substituted as Grafana does), and every PromQL metric one
 * of the names the job and Flink export.
 */
public class GrafanaDashboardsTest {
    static final String INFLUX_UID = "rightsizer-influxdb";
    static final String PROMETHEUS_UID = "rightsizer-prometheus";

    /**
     * The metric names of the #5 contract as Prometheus sees them (Flink's reporter: scope prefix,
     * user groups, key/value groups' keys in the name). The lead cross-checks it against a real
     * scrape.
     */
    public static final Set<String> CONTRACT_METRICS =
            Set.of(
                    "flink_taskmanager_job_task_operator_rightsizer_power_state_samples_in",
                    "flink_taskmanager_job_task_operator_rightsizer_reason_dead_letters",
                    "flink_taskmanager_job_task_operator_rightsizer_rule_action_recommendations",
                    "flink_taskmanager_job_task_operator_rightsizer_rule_action_suppressed_by_repeat_rule",
                    "flink_taskmanager_job_task_operator_rightsizer_version_rule_set_in_force",
                    "flink_taskmanager_job_task_operator_rightsizer_vms_tracked",
                    "flink_taskmanager_job_task_operator_rightsizer_systems_tracked",
                    "flink_taskmanager_job_task_operator_rightsizer_event_time_lag_seconds",
                    "flink_taskmanager_job_task_operator_rightsizer_kind_data_quality_events",
                    "flink_taskmanager_job_task_operator_rightsizer_influxdb_points_written",
                    "flink_taskmanager_job_task_operator_rightsizer_influxdb_points_dropped",
                    "flink_taskmanager_job_task_operator_rightsizer_influxdb_write_failures",
                    "flink_taskmanager_job_task_operator_rightsizer_influxdb_buffered_points",
                    "flink_taskmanager_job_task_operator_rightsizer_operator_records_failed",
                    "flink_jobmanager_numRunningJobs",
                    "flink_jobmanager_job_uptime",
                    "flink_jobmanager_job_numRestarts",
                    "flink_jobmanager_job_numberOfFailedCheckpoints",
                    "flink_jobmanager_job_lastCheckpointDuration",
                    "flink_taskmanager_job_task_operator_currentOutputWatermark",
                    "flink_taskmanager_job_task_numRecordsInPerSecond",
                    "up");

    // The dataset: October 2026; weeks start on Monday 00:00 Asia/Shanghai (Sunday 16:00 UTC).
    static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant HOUR_0 = Instant.parse("2026-10-05T00:00:00Z");
    static final Instant HOUR_1 = Instant.parse("2026-10-05T01:00:00Z");
    static final Instant WEEK_1 = Instant.parse("2026-10-04T16:00:00Z");
    static final Instant WEEK_2 = Instant.parse("2026-10-11T16:00:00Z");
    static final Instant FIRED = Instant.parse("2026-10-11T16:00:00.001Z");
    static final Instant SILENT_AT = Instant.parse("2026-10-05T03:00:00Z");
    static final Instant RESUMED_AT = Instant.parse("2026-10-05T05:00:00Z");
    static final Instant DEAD_LETTER_WINDOW_END = Instant.parse("2026-10-05T00:01:00Z");

    /** vm-1 and vm-2 in system sys-1 of unit u-a, vm-3 (stopped) in sys-2 of u-b. */
    static final List<String> DATASET =
            List.of(
                    hourly(
                            "vm-1",
                            "sys-1",
                            "u-a",
                            HOUR_0,
                            "samples=4i,stopped_samples=0i,memory_mean=72.5,memory_max=81,storage_max=40,peak_starts=1i,memory_total_bytes=17179869184i,storage_total_bytes=107374182400i"),
                    hourly(
                            "vm-1",
                            "sys-1",
                            "u-a",
                            HOUR_1,
                            "samples=4i,stopped_samples=0i,memory_mean=77.5,memory_max=85,storage_max=41,peak_starts=1i"),
                    hourly(
                            "vm-2",
                            "sys-1",
                            "u-a",
                            HOUR_0,
                            "samples=4i,stopped_samples=0i,memory_mean=20,memory_max=30,storage_max=92.5,peak_starts=0i"),
                    hourly(
                            "vm-2",
                            "sys-1",
                            "u-a",
                            HOUR_1,
                            "samples=4i,stopped_samples=0i,memory_mean=22,memory_max=35,storage_max=93,peak_starts=0i"),
                    hourly(
                            "vm-3",
                            "sys-2",
                            "u-b",
                            HOUR_0,
                            "samples=4i,stopped_samples=4i,storage_max=75,peak_starts=0i"),
                    // Week 1: vm-1 above 70 %, vm-2 under 30 % with its peak under 50 %; vm-3 not
                    // judged (too few covered hours), so no panel of judged weeks may count it.
                    weekly(
                            "vm-1",
                            "sys-1",
                            "u-a",
                            WEEK_1,
                            "average=75.5,peak=88,covered_hours=168i,samples=672i,judged=true"),
                    weekly(
                            "vm-2",
                            "sys-1",
                            "u-a",
                            WEEK_1,
                            "average=20.25,peak=45,covered_hours=168i,samples=672i,judged=true"),
                    weekly(
                            "vm-3",
                            "sys-2",
                            "u-b",
                            WEEK_1,
                            "average=50,peak=50,covered_hours=10i,samples=40i,judged=false"),
                    // Week 2 at the edges: 70 % is not above 70 %; 30 % with a 50 % peak is
                    // underuse.
                    weekly(
                            "vm-1",
                            "sys-1",
                            "u-a",
                            WEEK_2,
                            "average=70,peak=90,covered_hours=168i,samples=672i,judged=true"),
                    weekly(
                            "vm-2",
                            "sys-1",
                            "u-a",
                            WEEK_2,
                            "average=30,peak=50,covered_hours=168i,samples=672i,judged=true"),
                    "recommendations,rule=scale-up.memory.weekly-average,action=SCALE_UP,vmId=vm-1,systemId=sys-1,unitId=u-a"
                        + " id=\"r-1\",reason=\"weekly average 75.5 % > 70"
                        + " %\",priority=2i,emergency=false,major_change=false,weekly_average=75.5 "
                            + FIRED.toEpochMilli(),
                    // A system-level recommendation has no vmId tag.
                    "recommendations,rule=reduce.system.no-business-data,action=RECLAIM,systemId=sys-2,unitId=u-b"
                        + " id=\"r-2\",reason=\"no business data for a calendar"
                        + " month\",priority=3i,emergency=false,major_change=false "
                            + FIRED.toEpochMilli(),
                    "data_quality,kind=TELEMETRY_SILENT,vmId=vm-2,systemId=sys-1,unitId=u-a"
                            + " id=\"dq-1\",last_sample_at="
                            + HOUR_1.toEpochMilli()
                            + "i,silent_for_ms=7200000i "
                            + SILENT_AT.toEpochMilli(),
                    "data_quality,kind=TELEMETRY_RESUMED,vmId=vm-2,systemId=sys-1,unitId=u-a"
                            + " id=\"dq-2\",last_sample_at="
                            + HOUR_1.toEpochMilli()
                            + "i,silent_for_ms=14400000i "
                            + RESUMED_AT.toEpochMilli(),
                    "dead_letters,reason=INVALID count=3i " + DEAD_LETTER_WINDOW_END.toEpochMilli(),
                    "dead_letters,reason=LATE count=2i " + DEAD_LETTER_WINDOW_END.toEpochMilli());

    /** Grafana's "All" of a variable with allValue ".*". */
    static final String ALL = ".*";

    private static String database;

    // ---- files ----------------------------------------------------------------------------

    @Test
    void everyDashboardParsesHasAUniqueUidAndPanelsThatDoNotOverlap() throws Exception {
        List<String> uids = new ArrayList<>();
        for (Path file : OpsFiles.dashboardFiles()) {
            JsonNode d = OpsFiles.json(file);
            uids.add(d.path("uid").asText());
            assertThat(d.path("schemaVersion").asInt()).as(file.toString()).isEqualTo(39);
            assertThat(d.path("title").asText()).as(file.toString()).startsWith("rightsizer: ");
            assertThat(d.has("id")).as("%s: no instance-specific id", file).isFalse();

            List<Integer> ids = new ArrayList<>();
            Map<String, String> cells = new HashMap<>();
            for (JsonNode p : d.path("panels")) {
                ids.add(p.path("id").asInt());
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt();
                int w = g.path("w").asInt();
                assertThat(x + w)
                        .as("%s: %s fits 24 columns", file, p.path("title"))
                        .isLessThanOrEqualTo(24);
                for (int col = x; col < x + w; col++) {
                    for (int row = g.path("y").asInt();
                            row < g.path("y").asInt() + g.path("h").asInt();
                            row++) {
                        String before = cells.put(col + "," + row, p.path("title").asText());
                        assertThat(before)
                                .as("%s: %s overlaps %s", file, p.path("title"), before)
                                .isNull();
                    }
                }
            }
            assertThat(ids).as(file.toString()).doesNotHaveDuplicates();
        }
        assertThat(uids).containsExactly("rightsizer-fleet", "rightsizer-job");
    }

    @Test
    void theProvisionedDataSourcesAreTheInfluxDbDatabaseAndPrometheusOnLoopback() throws Exception {
        JsonNode sources =
                OpsFiles.yaml(OpsFiles.GRAFANA.resolve("provisioning/datasources/rightsizer.yaml"))
                        .path("datasources");

        List<String> described = new ArrayList<>();
        for (JsonNode s : sources) {
            described.add(
                    String.join(
                            " ",
                            s.path("uid").asText(),
                            s.path("type").asText(),
                            s.path("url").asText(),
                            s.path("jsonData").path("dbName").asText("-"),
                            s.path("jsonData").path("version").asText("-")));
        }
        assertThat(described)
                .containsExactly(
                        INFLUX_UID + " influxdb http://127.0.0.1:8086 rightsizer InfluxQL",
                        PROMETHEUS_UID + " prometheus http://127.0.0.1:9090 - -");
    }

    @Test
    void theDashboardProviderLoadsTheDashboardsDirectory() throws Exception {
        JsonNode providers =
                OpsFiles.yaml(OpsFiles.GRAFANA.resolve("provisioning/dashboards/rightsizer.yaml"))
                        .path("providers");

        assertThat(providers.size()).isEqualTo(1);
        assertThat(providers.get(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.get(0).path("options").path("path").asText())
                .isEqualTo("${RIGHTSIZER_HOME}/config/grafana/dashboards");
    }

    @Test
    void everyPanelAndVariableQueriesOneOfTheProvisionedDataSources() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (Path file : OpsFiles.dashboardFiles()) {
            JsonNode d = OpsFiles.json(file);
            for (JsonNode p : OpsFiles.panels(d)) {
                String where = file.getFileName() + ": " + p.path("title").asText();
                String uid = p.path("datasource").path("uid").asText();
                soft.assertThat(uid).as(where).isIn(INFLUX_UID, PROMETHEUS_UID);
                soft.assertThat(p.path("targets").size()).as(where + " has queries").isPositive();
                for (JsonNode t : p.path("targets")) {
                    soft.assertThat(t.path("datasource").path("uid").asText())
                            .as(where)
                            .isEqualTo(uid);
                    if (uid.equals(INFLUX_UID)) {
                        soft.assertThat(t.path("rawQuery").asBoolean()).as(where).isTrue();
                        soft.assertThat(t.path("query").asText()).as(where).startsWith("SELECT ");
                    } else {
                        soft.assertThat(t.path("expr").asText()).as(where).isNotBlank();
                    }
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                soft.assertThat(v.path("datasource").path("uid").asText())
                        .as(file.getFileName() + ": variable " + v.path("name").asText())
                        .isIn(INFLUX_UID, PROMETHEUS_UID);
            }
        }
        soft.assertAll();
    }

    // ---- InfluxQL against a real influxd ---------------------------------------------------

    @Test
    void everyInfluxQlQueryRunsOnTheContractsSchemaAndReturnsData() throws Exception {
        String db = database();
        int queries = 0;
        SoftAssertions soft = new SoftAssertions();
        try (InfluxDB client = InfluxDBFactory.connect(InfluxServer.url())) {
            for (Path file : OpsFiles.dashboardFiles()) {
                for (JsonNode p : OpsFiles.panels(OpsFiles.json(file))) {
                    for (JsonNode t : p.path("targets")) {
                        if (!t.has("query")) {
                            continue;
                        }
                        String sql = interpolate(t.path("query").asText(), Map.of());
                        QueryResult r = client.query(new Query(sql, db), TimeUnit.MILLISECONDS);
                        String where =
                                p.path("title").asText()
                                        + " "
                                        + t.path("refId").asText()
                                        + ": "
                                        + sql;
                        soft.assertThat(r.getError()).as(where).isNull();
                        soft.assertThat(r.getResults().get(0).getError()).as(where).isNull();
                        soft.assertThat(r.getResults().get(0).getSeries())
                                .as(where + " returns data")
                                .isNotNull()
                                .isNotEmpty();
                        queries++;
                    }
                }
            }
        }
        soft.assertAll();
        assertThat(queries).as("InfluxQL queries in the dashboards").isEqualTo(20);
    }

    @Test
    void theWeeklyAveragePanelShowsEachJudgedWeeksFleetMeanLowestAndHighest() throws Exception {
        JsonNode panel =
                panel("rightsizer-fleet.json", "Weekly average memory against the thresholds");

        assertThat(rows(panel, "A", Map.of()))
                .containsExactly(List.of(WEEK_1, 47.875), List.of(WEEK_2, 50.0));
        assertThat(rows(panel, "B", Map.of()))
                .containsExactly(List.of(WEEK_1, 20.25), List.of(WEEK_2, 30.0));
        assertThat(rows(panel, "C", Map.of()))
                .containsExactly(List.of(WEEK_1, 75.5), List.of(WEEK_2, 70.0));
        assertThat(rows(panel, "A", Map.of("unitId", "u-b")))
                .as("vm-3's week is not judged")
                .isEmpty();
    }

    @Test
    void theThresholdPanelCountsAverageAboveSeventyAndUnderuseAtMostThirtyWithPeakAtMostFifty()
            throws Exception {
        JsonNode panel = panel("rightsizer-fleet.json", "VMs over and under the weekly thresholds");

        assertThat(rows(panel, "A", Map.of()))
                .as("above 70 %")
                .containsExactly(List.of(WEEK_1, 1.0));
        assertThat(rows(panel, "B", Map.of()))
                .as("at most 30 % with a peak at most 50 %")
                .containsExactly(List.of(WEEK_1, 1.0), List.of(WEEK_2, 1.0));
    }

    @Test
    void theRecommendationsStatCountsSystemLevelOnesUnderAllVmsButNotUnderOneVm() throws Exception {
        JsonNode panel = panel("rightsizer-fleet.json", "Recommendations");

        assertThat(rows(panel, "A", Map.of())).containsExactly(List.of(FROM, 2.0));
        assertThat(rows(panel, "A", Map.of("vmId", "vm-1"))).containsExactly(List.of(FROM, 1.0));
        assertThat(rows(panel, "A", Map.of("unitId", "u-b"))).containsExactly(List.of(FROM, 1.0));
    }

    @Test
    void thePeakStorageTableListsEachVmsHighestReadingHighestFirstInGrafana() throws Exception {
        JsonNode panel = panel("rightsizer-fleet.json", "Peak storage: top 20 VMs");

        // InfluxDB returns top() in time order; the panel sorts by "peak storage" descending.
        assertThat(rows(panel, "A", Map.of()))
                .containsExactlyInAnyOrder(
                        List.of(HOUR_0, 75.0, "vm-3", "sys-2", "u-b"),
                        List.of(HOUR_1, 93.0, "vm-2", "sys-1", "u-a"),
                        List.of(HOUR_1, 41.0, "vm-1", "sys-1", "u-a"));
    }

    @Test
    void theTemplateVariablesListTagValuesNarrowedByTheSelectionAbove() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode v :
                OpsFiles.json(OpsFiles.DASHBOARDS.resolve("rightsizer-fleet.json"))
                        .path("templating")
                        .path("list")) {
            queries.put(v.path("name").asText(), v.path("query").asText());
        }
        assertThat(queries.keySet()).containsExactly("unitId", "systemId", "vmId");

        assertThat(tagValues(queries.get("unitId"), Map.of())).containsExactly("u-a", "u-b");
        assertThat(tagValues(queries.get("systemId"), Map.of())).containsExactly("sys-1", "sys-2");
        assertThat(tagValues(queries.get("systemId"), Map.of("unitId", "u-a")))
                .containsExactly("sys-1");
        assertThat(tagValues(queries.get("vmId"), Map.of("unitId", "u-a", "systemId", "sys-1")))
                .containsExactly("vm-1", "vm-2");
        assertThat(tagValues(queries.get("vmId"), Map.of("unitId", "u-b"))).containsExactly("vm-3");
    }

    // ---- PromQL --------------------------------------------------------------------------

    @Test
    void everyPromQlMetricInTheDashboardsAndAlertsIsOneOfTheContractsNames() throws Exception {
        Set<String> inDashboards = new TreeSet<>();
        for (Path file : OpsFiles.dashboardFiles()) {
            for (JsonNode p : OpsFiles.panels(OpsFiles.json(file))) {
                for (JsonNode t : p.path("targets")) {
                    if (t.has("expr")) {
                        inDashboards.addAll(PromQl.metricNames(t.path("expr").asText()));
                    }
                }
            }
        }
        Set<String> inAlerts = new TreeSet<>();
        for (JsonNode rule : OpsFiles.alertRules()) {
            inAlerts.addAll(PromQl.metricNames(rule.path("expr").asText()));
        }

        assertThat(inDashboards).isSubsetOf(CONTRACT_METRICS);
        assertThat(inAlerts).isSubsetOf(CONTRACT_METRICS);
        Set<String> shownSomewhere = new TreeSet<>(CONTRACT_METRICS);
        shownSomewhere.removeAll(inDashboards);
        assertThat(shownSomewhere)
                .as("contract metrics the job dashboard does not show")
                .containsExactly("flink_taskmanager_job_task_operator_currentOutputWatermark");
    }

    @Test
    void everyPromQlExpressionInTheDashboardsParses(@TempDir Path dir) throws Exception {
        Promtool.require();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int n = 0;
        for (Path file : OpsFiles.dashboardFiles()) {
            for (JsonNode p : OpsFiles.panels(OpsFiles.json(file))) {
                for (JsonNode t : p.path("targets")) {
                    if (t.has("expr")) {
                        // $__rate_interval is Grafana's: at least four scrape intervals.
                        String expr = t.path("expr").asText().replace("$__rate_interval", "1m");
                        rules.append("      - record: dashboard:expr:")
                                .append(++n)
                                .append("\n        expr: '")
                                .append(expr.replace("'", "''"))
                                .append("'\n");
                    }
                }
            }
        }
        Files.writeString(dir.resolve("dashboards.yml"), rules, StandardCharsets.UTF_8);

        Promtool.Run run = Promtool.run(dir, "check", "rules", "dashboards.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines())
                .containsExactly("Checking dashboards.yml", "  SUCCESS: " + n + " rules found", "");
        assertThat(n).isEqualTo(23);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** The query text as Grafana sends it for the dashboard's time range FROM..TO. */
    static String interpolate(String query, Map<String, String> selected) {
        String q =
                query.replace(
                                "$timeFilter",
                                "time >= "
                                        + FROM.toEpochMilli()
                                        + "ms and time <= "
                                        + TO.toEpochMilli()
                                        + "ms")
                        .replace("$__interval", "1h");
        for (String var : List.of("unitId", "systemId", "vmId")) {
            String value = selected.containsKey(var) ? escapeRegex(selected.get(var)) : ALL;
            q = q.replace("$" + var, value);
        }
        Matcher left = Pattern.compile("\\$[A-Za-z_]\\w*").matcher(q);
        assertThat(left.find()).as("a variable the test does not substitute in: " + q).isFalse();
        return q;
    }

    /** Grafana escapes a multi-value variable's values for InfluxQL regular expressions. */
    static String escapeRegex(String value) {
        return value.replaceAll("[\\\\^$*+?.()|\\[\\]{}/]", "\\\\$0");
    }

    private static JsonNode panel(String dashboard, String title) throws Exception {
        for (JsonNode p : OpsFiles.panels(OpsFiles.json(OpsFiles.DASHBOARDS.resolve(dashboard)))) {
            if (p.path("title").asText().equals(title)) {
                return p;
            }
        }
        throw new AssertionError("no panel '" + title + "' in " + dashboard);
    }

    /** The rows a panel's query returns, the time column as an Instant, numbers as doubles. */
    private static List<List<Object>> rows(
            JsonNode panel, String refId, Map<String, String> selected) throws Exception {
        String sql = null;
        for (JsonNode t : panel.path("targets")) {
            if (t.path("refId").asText().equals(refId)) {
                sql = interpolate(t.path("query").asText(), selected);
            }
        }
        assertThat(sql).as("query " + refId).isNotNull();
        List<List<Object>> rows = new ArrayList<>();
        List<QueryResult.Series> series = query(sql).getSeries();
        for (QueryResult.Series s : series == null ? List.<QueryResult.Series>of() : series) {
            for (List<Object> values : s.getValues()) {
                List<Object> row = new ArrayList<>(values);
                row.set(0, Instant.ofEpochMilli(((Number) values.get(0)).longValue()));
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> tagValues(String query, Map<String, String> selected)
            throws Exception {
        QueryResult.Result r = query(interpolate(query, selected));
        List<String> values = new ArrayList<>();
        if (r.getSeries() != null) {
            for (QueryResult.Series s : r.getSeries()) {
                s.getValues().forEach(v -> values.add((String) v.get(1)));
            }
        }
        return values;
    }

    private static QueryResult.Result query(String sql) throws Exception {
        try (InfluxDB client = InfluxDBFactory.connect(InfluxServer.url())) {
            QueryResult r = client.query(new Query(sql, database()), TimeUnit.MILLISECONDS);
            assertThat(r.getError()).as(sql).isNull();
            QueryResult.Result result = r.getResults().get(0);
            assertThat(result.getError()).as(sql).isNull();
            return result;
        }
    }

    /** One database with the dataset for the whole class (the queries only read). */
    private static synchronized String database() {
        if (database == null) {
            String db = InfluxServer.freshDatabase("grafana");
            try (InfluxDB client = InfluxDBFactory.connect(InfluxServer.url())) {
                client.query(new Query("CREATE DATABASE " + db));
                client.write(
                        db,
                        "autogen",
                        InfluxDB.ConsistencyLevel.ONE,
                        TimeUnit.MILLISECONDS,
                        DATASET);
            }
            database = db;
        }
        return database;
    }

    private static String hourly(
            String vm, String system, String unit, Instant hour, String fields) {
        return line("vm_hourly", vm, system, unit, hour, fields);
    }

    private static String weekly(
            String vm, String system, String unit, Instant week, String fields) {
        return line("vm_weekly", vm, system, unit, week, fields);
    }

    private static String line(
            String m, String vm, String system, String unit, Instant t, String fields) {
        return m
                + ",vmId="
                + vm
                + ",systemId="
                + system
                + ",unitId="
                + unit
                + " "
                + fields
                + " "
                + t.toEpochMilli();
    }
}
