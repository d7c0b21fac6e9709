package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.report.InfluxReportSource;
import io.rightsizer.report.MonthlyReport;
import io.rightsizer.report.ReportMonth;
import io.rightsizer.report.Subject;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.InfluxServer;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rightsizer report} against a real influxd: a known history of two units, three systems and
 * five VMs around October 2026 in Asia/Shanghai (UTC+8), whose month edges fall at 16:00 UTC.
 */
class ReportCommandITCase {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** Sept 30 23:00 local: the last hour of September. */
    private static final Instant LAST_SEPTEMBER_HOUR = Instant.parse("2026-09-30T15:00:00Z");

    /** Oct 1 00:00 local: the first millisecond of October. */
    private static final Instant OCTOBER_START = Instant.parse("2026-09-30T16:00:00Z");

    private static final Instant MID_OCTOBER = Instant.parse("2026-10-15T04:00:00Z");

    /** Oct 31 23:00 local: the last hour of October. */
    private static final Instant LAST_OCTOBER_HOUR = Instant.parse("2026-10-31T15:00:00Z");

    /** Nov 1 00:00 local: the first millisecond after October. */
    private static final Instant NOVEMBER_START = Instant.parse("2026-10-31T16:00:00Z");

    private static final String RULE_COLUMNS =
            "scale-up.memory.weekly-average,scale-up.memory.hourly-peaks,scale-up.storage.usage,"
                    + "reduce.memory.weekly-underuse,reduce.vm.inactive,"
                    + "reduce.system.no-business-data,scale-up.memory.emergency,"
                    + "scale-up.storage.emergency";

    private static final String RULES = Path.of("..", "rules", "article26.yaml").toString();

    private static String url;
    private static String database;

    @BeforeAll
    static void writeHistory() {
        url = InfluxServer.url();
        database = InfluxServer.freshDatabase("report");
        List<String> lines = new ArrayList<>();
        // vm-1, busy: a September hour, the month's edges on both sides, and November's first.
        lines.add(
                hour(
                        "vm-1",
                        "sys-a1",
                        "u-a",
                        Instant.parse("2026-09-10T00:00:00Z"),
                        61,
                        70.0,
                        null,
                        12,
                        0));
        lines.add(hour("vm-1", "sys-a1", "u-a", LAST_SEPTEMBER_HOUR, 99, 99.0, 50.0, 12, 0));
        lines.add(hour("vm-1", "sys-a1", "u-a", OCTOBER_START, 80, 90.0, 60.0, 12, 0));
        lines.add(hour("vm-1", "sys-a1", "u-a", MID_OCTOBER, 70, 85.0, 65.0, 12, 0));
        lines.add(hour("vm-1", "sys-a1", "u-a", LAST_OCTOBER_HOUR, 75, 95.0, 72.0, 12, 0));
        lines.add(hour("vm-1", "sys-a1", "u-a", NOVEMBER_START, 10, 100.0, null, 12, 0));
        // vm-2, under-used (peak exactly 50), with an hour of STOPPED samples only.
        lines.add(
                hour(
                        "vm-2",
                        "sys-a1",
                        "u-a",
                        Instant.parse("2026-10-02T02:00:00Z"),
                        20,
                        40.0,
                        null,
                        12,
                        0));
        lines.add(
                hour(
                        "vm-2",
                        "sys-a1",
                        "u-a",
                        Instant.parse("2026-10-03T02:00:00Z"),
                        25,
                        50.0,
                        null,
                        12,
                        0));
        lines.add(
                hour(
                        "vm-2",
                        "sys-a1",
                        "u-a",
                        Instant.parse("2026-10-04T02:00:00Z"),
                        null,
                        null,
                        null,
                        12,
                        12));
        // vm-3: stopped all month.
        lines.add(
                hour(
                        "vm-3",
                        "sys-a2",
                        "u-a",
                        Instant.parse("2026-10-06T02:00:00Z"),
                        null,
                        null,
                        null,
                        12,
                        12));
        lines.add(
                hour(
                        "vm-3",
                        "sys-a2",
                        "u-a",
                        Instant.parse("2026-10-07T02:00:00Z"),
                        null,
                        null,
                        null,
                        4,
                        4));
        // vm-4: average 30 but peak just over 50: not over-provisioned.
        lines.add(
                hour(
                        "vm-4",
                        "sys-b1",
                        "u-b",
                        Instant.parse("2026-10-08T02:00:00Z"),
                        30,
                        50.1,
                        10.0,
                        12,
                        0));
        // vm-5: average exactly 30, peak 45: over-provisioned; and reclaimed as inactive.
        lines.add(
                hour(
                        "vm-5",
                        "sys-b1",
                        "u-b",
                        Instant.parse("2026-10-08T02:00:00Z"),
                        30,
                        45.0,
                        null,
                        12,
                        0));

        lines.add(
                rec(
                        "r0",
                        Instant.parse("2026-09-30T15:59:59.999Z"),
                        "scale-up.memory.weekly-average",
                        "SCALE_UP",
                        "vm-1",
                        "sys-a1",
                        "u-a",
                        "september"));
        lines.add(
                rec(
                        "r3",
                        OCTOBER_START,
                        "reduce.memory.weekly-underuse",
                        "SCALE_DOWN",
                        "vm-2",
                        "sys-a1",
                        "u-a",
                        "weekly average 22.5 % ≤ 30 %"));
        lines.add(
                rec(
                        "r5",
                        Instant.parse("2026-10-05T00:00:00Z"),
                        "reduce.vm.inactive",
                        "RECLAIM",
                        "vm-5",
                        "sys-b1",
                        "u-b",
                        "stopped for 3 months"));
        lines.add(
                rec(
                        "r1",
                        Instant.parse("2026-10-12T02:00:00Z"),
                        "scale-up.memory.weekly-average",
                        "SCALE_UP",
                        "vm-1",
                        "sys-a1",
                        "u-a",
                        "weekly average 75.0 % > 70 %, 168 covered hours; \"busy\""));
        lines.add(
                rec(
                        "r4",
                        Instant.parse("2026-10-20T00:00:00Z"),
                        "reduce.system.no-business-data",
                        "RECLAIM",
                        null,
                        "sys-a2",
                        "u-a",
                        "no business data for 1 month"));
        lines.add(
                rec(
                        "r2",
                        Instant.parse("2026-10-31T15:30:00Z"),
                        "scale-up.storage.usage",
                        "SCALE_UP",
                        "vm-1",
                        "sys-a1",
                        "u-a",
                        "storage 72.0 % > 70 %"));
        lines.add(
                rec(
                        "r6",
                        NOVEMBER_START,
                        "scale-up.memory.hourly-peaks",
                        "SCALE_UP",
                        "vm-1",
                        "sys-a1",
                        "u-a",
                        "november"));

        lines.add(
                quality(
                        "q1",
                        "TELEMETRY_SILENT",
                        "vm-3",
                        "sys-a2",
                        "u-a",
                        Instant.parse("2026-10-10T00:00:00Z")));
        lines.add(
                quality(
                        "q2",
                        "TELEMETRY_RESUMED",
                        "vm-3",
                        "sys-a2",
                        "u-a",
                        Instant.parse("2026-10-11T00:00:00Z")));
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            client.query(new Query("CREATE DATABASE " + database));
            client.write(
                    database,
                    "autogen",
                    InfluxDB.ConsistencyLevel.ONE,
                    TimeUnit.MILLISECONDS,
                    lines);
        }
    }

    @Test
    void theMonthlyCsvsHoldEachVmSystemAndUnitsFiguresWithinTheMonthsLocalEdges(@TempDir Path out)
            throws Exception {
        Cli.Run run = monthly(out, "--month", "2026-10");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.outLines())
                .contains(
                        "2026-10: 2 units, 3 systems, 5 VMs, 5 recommendations, 2 over-provisioned,"
                                + " 2 idle");
        assertThat(csv(out, "utilization-2026-10-vms.csv"))
                .containsExactly(
                        "month,unit,system,vm,average_memory_pct,peak_memory_pct,peak_storage_pct,covered_hours,running_hours,over_provisioned,idle,recommendations,"
                                + RULE_COLUMNS,
                        "2026-10,u-a,sys-a1,vm-1,75.0,95.0,72.0,3,3,no,no,2,1,0,1,0,0,0,0,0",
                        "2026-10,u-a,sys-a1,vm-2,22.5,50.0,,3,2,yes,no,1,0,0,0,1,0,0,0,0",
                        "2026-10,u-a,sys-a2,vm-3,,,,2,0,no,yes,0,0,0,0,0,0,0,0,0",
                        "2026-10,u-b,sys-b1,vm-4,30.0,50.1,10.0,1,1,no,no,0,0,0,0,0,0,0,0,0",
                        "2026-10,u-b,sys-b1,vm-5,30.0,45.0,,1,1,yes,yes,1,0,0,0,0,1,0,0,0");
        assertThat(csv(out, "utilization-2026-10-systems.csv"))
                .containsExactly(
                        "month,unit,system,vms,average_memory_pct,peak_memory_pct,peak_storage_pct,covered_vm_hours,running_vm_hours,over_provisioned_vms,idle_vms,recommendations,"
                                + RULE_COLUMNS,
                        "2026-10,u-a,sys-a1,2,54.0,95.0,72.0,6,5,1,0,3,1,0,1,1,0,0,0,0",
                        "2026-10,u-a,sys-a2,1,,,,2,0,0,1,1,0,0,0,0,0,1,0,0",
                        "2026-10,u-b,sys-b1,2,30.0,50.1,10.0,2,2,1,1,1,0,0,0,0,1,0,0,0");
        assertThat(csv(out, "utilization-2026-10-units.csv"))
                .containsExactly(
                        "month,unit,systems,vms,average_memory_pct,peak_memory_pct,peak_storage_pct,covered_vm_hours,running_vm_hours,over_provisioned_vms,idle_vms,recommendations,"
                                + RULE_COLUMNS,
                        "2026-10,u-a,2,3,54.0,95.0,72.0,8,5,1,1,4,1,0,1,1,0,1,0,0",
                        "2026-10,u-b,1,2,30.0,50.1,10.0,2,2,1,1,1,0,0,0,0,1,0,0,0");
        assertThat(csv(out, "utilization-2026-10-recommendations.csv"))
                .containsExactly(
                        "id,time,rule,action,vm,system,unit,reason",
                        "r3,2026-10-01T00:00:00+08:00,reduce.memory.weekly-underuse,SCALE_DOWN,vm-2,sys-a1,u-a,weekly"
                            + " average 22.5 % ≤ 30 %",
                        "r5,2026-10-05T08:00:00+08:00,reduce.vm.inactive,RECLAIM,vm-5,sys-b1,u-b,stopped"
                            + " for 3 months",
                        "r1,2026-10-12T10:00:00+08:00,scale-up.memory.weekly-average,SCALE_UP,vm-1,sys-a1,u-a,\"weekly"
                            + " average 75.0 % > 70 %, 168 covered hours; \"\"busy\"\"\"",
                        "r4,2026-10-20T08:00:00+08:00,reduce.system.no-business-data,RECLAIM,,sys-a2,u-a,no"
                            + " business data for 1 month",
                        "r2,2026-10-31T23:30:00+08:00,scale-up.storage.usage,SCALE_UP,vm-1,sys-a1,u-a,storage"
                            + " 72.0 % > 70 %");
        assertThat(Files.readString(out.resolve("utilization-2026-10-units.csv")))
                .as("RFC 4180 line ends")
                .contains("\r\n");
    }

    @Test
    void aUnitsMonthlyReportHasOnlyThatUnitAndItsNameInTheFiles(@TempDir Path out)
            throws Exception {
        Cli.Run run = monthly(out, "--month", "2026-10", "--unit", "u-b");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(
                            "utilization-2026-10-u-b-recommendations.csv",
                            "utilization-2026-10-u-b-systems.csv",
                            "utilization-2026-10-u-b-units.csv",
                            "utilization-2026-10-u-b-vms.csv",
                            "utilization-2026-10-u-b.html");
        }
        assertThat(csv(out, "utilization-2026-10-u-b-units.csv"))
                .containsExactly(
                        "month,unit,systems,vms,average_memory_pct,peak_memory_pct,peak_storage_pct,covered_vm_hours,running_vm_hours,over_provisioned_vms,idle_vms,recommendations,"
                                + RULE_COLUMNS,
                        "2026-10,u-b,1,2,30.0,50.1,10.0,2,2,1,1,1,0,0,0,0,1,0,0,0");
        assertThat(csv(out, "utilization-2026-10-u-b-recommendations.csv"))
                .containsExactly(
                        "id,time,rule,action,vm,system,unit,reason",
                        "r5,2026-10-05T08:00:00+08:00,reduce.vm.inactive,RECLAIM,vm-5,sys-b1,u-b,stopped"
                            + " for 3 months");
    }

    @Test
    void theHeatMapsDaysAreTheZonesLocalDaysWithTheirMeanOrStoppedAllDay() throws Exception {
        ReportMonth october = new ReportMonth(YearMonth.of(2026, 10), SHANGHAI);
        Subject vm1 = new Subject("u-a", "sys-a1", "vm-1");
        Subject vm3 = new Subject("u-a", "sys-a2", "vm-3");
        Map<Subject, MonthlyReport.Days> daily;
        try (InfluxReportSource source = InfluxReportSource.connect(url, database)) {
            daily = source.dailyMemory(october, List.of(vm1, vm3));
        }
        MonthlyReport.Days busy = MonthlyReport.Days.none(31);
        busy.memory().set(0, 80.0);
        busy.memory().set(14, 70.0);
        busy.memory().set(30, 75.0);
        MonthlyReport.Days parked = MonthlyReport.Days.none(31);
        parked.stoppedOnly().set(5, true);
        parked.stoppedOnly().set(6, true);
        assertThat(daily).containsOnlyKeys(vm1, vm3);
        assertThat(daily.get(vm1)).isEqualTo(busy);
        assertThat(daily.get(vm3)).isEqualTo(parked);
    }

    @Test
    void theYearlySelfAssessmentHasEachSystemsMonthsItsVmsAndTheYearsTotal(@TempDir Path out)
            throws Exception {
        Cli.Run run =
                Cli.run(
                        "report",
                        "yearly",
                        "--year",
                        "2026",
                        "--unit",
                        "u-a",
                        "--out",
                        out.toString(),
                        "--influx-url",
                        url,
                        "--database",
                        database,
                        "--rules",
                        RULES);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(csv(out, "self-assessment-2026-u-a.csv"))
                .containsExactly(
                        "year,month,level,unit,system,vm,vms,average_memory_pct,peak_memory_pct,peak_storage_pct,covered_hours,running_hours,over_provisioned_vms,idle_vms,recommendations",
                        "2026,2026-09,system,u-a,sys-a1,,1,80.0,99.0,50.0,2,2,0,0,1",
                        "2026,2026-09,vm,u-a,sys-a1,vm-1,1,80.0,99.0,50.0,2,2,0,0,1",
                        "2026,2026-10,system,u-a,sys-a1,,2,54.0,95.0,72.0,6,5,1,0,3",
                        "2026,2026-10,vm,u-a,sys-a1,vm-1,1,75.0,95.0,72.0,3,3,0,0,2",
                        "2026,2026-10,vm,u-a,sys-a1,vm-2,1,22.5,50.0,,3,2,1,0,1",
                        "2026,2026-11,system,u-a,sys-a1,,1,10.0,100.0,,1,1,0,0,1",
                        "2026,2026-11,vm,u-a,sys-a1,vm-1,1,10.0,100.0,,1,1,0,0,1",
                        "2026,2026,system-year,u-a,sys-a1,,2,55.0,100.0,72.0,9,8,1,0,5",
                        "2026,2026-10,system,u-a,sys-a2,,1,,,,2,0,0,1,1",
                        "2026,2026-10,vm,u-a,sys-a2,vm-3,1,,,,2,0,0,1,0",
                        "2026,2026,system-year,u-a,sys-a2,,1,,,,2,0,0,1,1");
    }

    @Test
    void aMonthWithoutDataStillGetsAReportThatSaysSo(@TempDir Path out) throws Exception {
        Cli.Run run = monthly(out, "--month", "2026-12");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.errLines())
                .containsExactly(
                        "report monthly: warning: no data for 2026-12 in database "
                                + database
                                + "; the report says so");
        assertThat(Files.readString(out.resolve("utilization-2026-12.html")))
                .contains("<h2>No data for this month</h2>");
        assertThat(csv(out, "utilization-2026-12-vms.csv")).hasSize(1);
    }

    @Test
    void aBadMonthIsAUsageError(@TempDir Path out) {
        Cli.Run run = monthly(out, "--month", "2026-13");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "report monthly: --month: '2026-13' is not a month such as 2026-10"
                                + " (year-month, ISO 8601)");
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamed(@TempDir Path out) {
        Cli.Run run =
                Cli.run(
                        "report",
                        "monthly",
                        "--month",
                        "2026-10",
                        "--out",
                        out.toString(),
                        "--influx-url",
                        url,
                        "--database",
                        "nosuchdb",
                        "--rules",
                        RULES);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith(
                        "report monthly: database 'nosuchdb' does not exist at "
                                + url
                                + " (it has: ")
                .contains(database);
    }

    @Test
    void anUnreachableInfluxDbIsNamed(@TempDir Path out) {
        Cli.Run run =
                Cli.run(
                        "report",
                        "monthly",
                        "--month",
                        "2026-10",
                        "--out",
                        out.toString(),
                        "--influx-url",
                        "http://127.0.0.1:1",
                        "--database",
                        database,
                        "--rules",
                        RULES);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("report monthly: cannot reach InfluxDB at http://127.0.0.1:1: ")
                .contains("ConnectException");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void aUserWithoutThePasswordInTheEnvironmentIsAUsageError(@TempDir Path out) {
        Assumptions.assumeTrue(
                System.getenv(ReportCommand.PASSWORD_ENV) == null,
                ReportCommand.PASSWORD_ENV + " is set in this environment");

        Cli.Run run = monthly(out, "--month", "2026-10", "--influx-user", "reporter");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "report monthly: --influx-user reporter needs the password in the"
                                + " environment variable RIGHTSIZER_INFLUX_PASSWORD");
    }

    @Test
    void theHtmlIsSelfContainedAndRendersInHeadlessChromium(@TempDir Path out) throws Exception {
        InfluxServer.requireTool(
                Files.isExecutable(Path.of("/usr/bin/chromium")),
                "chromium is not installed: apt-get install -y chromium");
        Cli.Run run = monthly(out, "--month", "2026-10");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        Path html = out.resolve("utilization-2026-10.html");
        String page = Files.readString(html);
        assertThat(page)
                .as("nothing is fetched: no script, link, image source, CSS url or import")
                .doesNotContain("<script", "<link", "src=", "href=", "url(", "@import");
        assertThat(page).contains("<svg", "reduce ≤ 30.0 %", "scale up &gt; 70.0 %");

        Path png = out.resolve("utilization-2026-10.png");
        Process chromium =
                new ProcessBuilder(
                                "/usr/bin/chromium",
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--hide-scrollbars",
                                "--user-data-dir=" + out.resolve("chromium-profile"),
                                "--window-size=1280,2000",
                                "--screenshot=" + png,
                                html.toUri().toString())
                        .redirectErrorStream(true)
                        .redirectOutput(out.resolve("chromium.log").toFile())
                        .start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s");
        }
        assertThat(Files.exists(png))
                .as(Files.readString(out.resolve("chromium.log"), StandardCharsets.UTF_8))
                .isTrue();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(2000);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        assertThat(colours.size()).as("distinct colours of a rendered page").isGreaterThan(200);
        Path kept = Path.of("target", "report-screenshots");
        Files.createDirectories(kept);
        Files.copy(
                png,
                kept.resolve(png.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                html,
                kept.resolve(html.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Cli.Run monthly(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("report", "monthly"));
        all.addAll(List.of(args));
        all.addAll(
                List.of(
                        "--out",
                        out.toString(),
                        "--influx-url",
                        url,
                        "--database",
                        database,
                        "--rules",
                        RULES));
        return Cli.run(all.toArray(String[]::new));
    }

    private static List<String> csv(Path dir, String name) throws Exception {
        return List.of(Files.readString(dir.resolve(name), StandardCharsets.UTF_8).split("\r\n"));
    }

    private static String hour(
            String vm,
            String system,
            String unit,
            Instant hour,
            Integer mean,
            Double max,
            Double storage,
            int samples,
            int stopped) {
        StringBuilder fields = new StringBuilder();
        fields.append("samples=")
                .append(samples)
                .append("i,stopped_samples=")
                .append(stopped)
                .append("i,peak_starts=0i");
        if (mean != null) {
            fields.append(",memory_mean=").append(mean.doubleValue());
        }
        if (max != null) {
            fields.append(",memory_max=").append(max);
        }
        if (storage != null) {
            fields.append(",storage_max=").append(storage);
        }
        return "vm_hourly,vmId="
                + vm
                + ",systemId="
                + system
                + ",unitId="
                + unit
                + " "
                + fields
                + " "
                + hour.toEpochMilli();
    }

    private static String rec(
            String id,
            Instant at,
            String rule,
            String action,
            String vm,
            String system,
            String unit,
            String reason) {
        String tags =
                "recommendations,action="
                        + action
                        + ",rule="
                        + rule
                        + ",systemId="
                        + system
                        + ",unitId="
                        + unit;
        if (vm != null) {
            tags += ",vmId=" + vm;
        }
        return tags
                + " id="
                + str(id)
                + ",reason="
                + str(reason)
                + ",priority=2i,emergency=false,major_change=false "
                + at.toEpochMilli();
    }

    private static String quality(
            String id, String kind, String vm, String system, String unit, Instant at) {
        return "data_quality,kind="
                + kind
                + ",systemId="
                + system
                + ",unitId="
                + unit
                + ",vmId="
                + vm
                + " id="
                + str(id)
                + ",last_sample_at="
                + (at.toEpochMilli() - 3_600_000)
                + "i,silent_for_ms=3600000i "
                + at.toEpochMilli();
    }

    private static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
