package io.rightsizer.report;

import static io.rightsizer.report.ReportFixtures.DEFAULT_RULES;
import static io.rightsizer.report.ReportFixtures.OCTOBER;
import static io.rightsizer.report.ReportFixtures.OCTOBER_START;
import static io.rightsizer.report.ReportFixtures.rec;
import static io.rightsizer.report.ReportFixtures.running;
import static io.rightsizer.report.ReportFixtures.stopped;
import static io.rightsizer.report.ReportFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MonthlyHtmlTest {
    /** A fleet of 80 VMs in 4 units with a month of daily figures, 2 VMs stopped all month. */
    static MonthlyReport fleetOf80() {
        Map<Subject, Figures> hourly = new HashMap<>();
        Map<Subject, MonthlyReport.Days> daily = new HashMap<>();
        List<RecommendationRow> recs = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            Subject s =
                    vm(
                            "unit-" + (i % 4),
                            "sys-" + (i % 4) + "-" + (i % 3),
                            String.format("vm-%03d", i));
            if (i >= 78) {
                hourly.put(s, stopped(744));
                MonthlyReport.Days stoppedDays = MonthlyReport.Days.none(31);
                for (int d = 0; d < 31; d++) {
                    stoppedDays.stoppedOnly().set(d, true);
                }
                daily.put(s, stoppedDays);
                continue;
            }
            double base = 5 + (i * 37 % 90);
            List<Double> days = new ArrayList<>();
            for (int d = 0; d < 31; d++) {
                days.add(
                        d == 12 && i % 5 == 0
                                ? null
                                : Math.min(100, base + ((d * 7 + i) % 11) - 5));
            }
            daily.put(
                    s,
                    new MonthlyReport.Days(
                            days, ReportFixtures.days(31, null).stream().map(x -> false).toList()));
            hourly.put(s, running(744, base, Math.min(100, base + 15), 20.0 + i % 60));
            if (base > 70) {
                recs.add(
                        rec(
                                "up-" + i,
                                OCTOBER_START.plusSeconds(3600L * (i * 7 % 740)),
                                "scale-up.memory.weekly-average",
                                "SCALE_UP",
                                s));
            } else if (base <= 30 && base + 15 <= 50) {
                recs.add(
                        rec(
                                "down-" + i,
                                OCTOBER_START.plusSeconds(3600L * (i * 11 % 740)),
                                "reduce.memory.weekly-underuse",
                                "SCALE_DOWN",
                                s));
            }
        }
        recs.add(
                rec(
                        "inactive-78",
                        Instant.parse("2026-10-20T03:00:00Z"),
                        "reduce.vm.inactive",
                        "RECLAIM",
                        vm("unit-2", "sys-2-0", "vm-078")));
        return MonthlyReport.build(
                OCTOBER,
                null,
                DEFAULT_RULES,
                hourly,
                recs,
                List.of(
                        new SilenceRow(
                                "q1",
                                Instant.parse("2026-10-13T00:00:00Z"),
                                "vm-000",
                                "sys-0-0",
                                "unit-0",
                                Instant.parse("2026-10-12T23:00:00Z"),
                                3_600_000L)),
                daily);
    }

    @Test
    void aLargeFleetsHeatMapShowsSixtyVmsAndSaysHowManyAreNot() throws Exception {
        MonthlyReport r = fleetOf80();

        String html = MonthlyHtml.render(r, "InfluxDB database test");

        assertThat(html)
                .contains(
                        "The 60 VMs with the highest monthly peak are shown; 20 more are not"
                                + " shown");
        Matcher vmLabels = Pattern.compile("<text [^>]*>vm-\\d{3} \\(sys-").matcher(html);
        int rows = 0;
        while (vmLabels.find()) {
            rows++;
        }
        assertThat(rows).isEqualTo(60);
        Path kept = Path.of("target", "report-screenshots");
        Files.createDirectories(kept);
        Files.writeString(kept.resolve("fleet-of-80.html"), html);
    }

    @Test
    void idsAndReasonsAreEscaped() {
        Subject odd = vm("u<1>", "s&1", "vm\"1'");
        MonthlyReport r =
                MonthlyReport.build(
                        OCTOBER,
                        "u<1>",
                        DEFAULT_RULES,
                        Map.of(odd, running(1, 50, 60, null)),
                        List.of(
                                rec(
                                        "r<script>",
                                        OCTOBER_START,
                                        "scale-up.storage.usage",
                                        "SCALE_UP",
                                        odd)),
                        List.of(),
                        Map.of());

        String html = MonthlyHtml.render(r, "db");

        assertThat(html).doesNotContain("<script", "u<1>", "s&1", "vm\"1'");
        assertThat(html).contains("u&lt;1&gt;", "s&amp;1", "vm&quot;1&#39;");
    }

    @Test
    void aMonthWithoutDataSaysSoAndDrawsNoCharts() {
        MonthlyReport r =
                MonthlyReport.build(
                        OCTOBER, "unit-x", DEFAULT_RULES, Map.of(), List.of(), List.of(), Map.of());

        String html = MonthlyHtml.render(r, "db");

        assertThat(html).contains("<h2>No data for this month</h2>", "for unit unit-x in 2026-10");
        assertThat(html).doesNotContain("<svg");
    }
}
