package io.rightsizer.report;

import static io.rightsizer.report.Html.count;
import static io.rightsizer.report.Html.esc;
import static io.rightsizer.report.Html.num;
import static io.rightsizer.report.Html.pct;

import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The monthly report as one self-contained HTML page: inline CSS and SVG, no script and no link to
 * any other resource, so it can be mailed, archived and opened offline.
 */
public final class MonthlyHtml {
    /** The most VM, recommendation and silence rows the page lists (the CSVs have them all). */
    public static final int TABLE_ROWS = 300;

    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter TITLE =
            DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);

    private MonthlyHtml() {}

    public static String render(MonthlyReport r, String source) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String scope = r.unit() == null ? "all units" : "unit " + r.unit();
        String title =
                "Utilization report " + r.month() + (r.unit() == null ? "" : " — " + r.unit());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.append("<title>").append(esc(title)).append("</title><style>").append(CSS);
        h.append("</style></head><body><main>");

        h.append("<header><h1>Cloud resource utilization — ")
                .append(esc(r.month().month().format(TITLE)))
                .append("</h1><p class=\"sub\">Monthly utilization report (Article 27) for ")
                .append(esc(scope))
                .append(" · ")
                .append(esc(LOCAL.format(r.month().start().atZone(r.month().zone()))))
                .append(" to ")
                .append(esc(LOCAL.format(r.month().end().atZone(r.month().zone()))))
                .append(" ")
                .append(esc(r.month().zone().getId()))
                .append(" · rule set ")
                .append(esc(r.ruleSetVersion()))
                .append(" · source ")
                .append(esc(source))
                .append("</p></header>");

        if (!r.hasData()) {
            h.append("<section class=\"empty\"><h2>No data for this month</h2><p>")
                    .append("The utilization history has no hourly figures, recommendations")
                    .append(" or data-quality events for ")
                    .append(esc(scope))
                    .append(" in ")
                    .append(esc(r.month().toString()))
                    .append(". Either the job did not run with InfluxDB output in that month,")
                    .append(" or the unit has no VMs.</p></section>");
        }
        summary(h, r);
        if (r.hasData()) {
            h.append("<section><h2>Fleet heat map</h2><p class=\"note\">Each row is a VM, each")
                    .append(" column a day; the colour is the day's mean memory (the mean of its")
                    .append(" hourly means). ");
            if (r.heatMapHidden() > 0) {
                h.append("The ")
                        .append(r.heatMap().size())
                        .append(" VMs with the highest monthly peak are shown; ")
                        .append(count(r.heatMapHidden()))
                        .append(" more are not shown (all are in the tables and the CSV).");
            } else {
                h.append("All ").append(r.heatMap().size()).append(" VMs, highest peak first.");
            }
            h.append("</p>").append(Charts.heatMap(r)).append("</section>");
            h.append("<section><h2>Monthly average memory per VM</h2><p class=\"note\">")
                    .append("How many VMs averaged how much over the month. At most ")
                    .append(num(r.thresholds().underuseAverageAtMost()))
                    .append(" % average with a peak of at most ")
                    .append(num(r.thresholds().underusePeakAtMost()))
                    .append(" % is over-provisioned; above ")
                    .append(num(r.thresholds().scaleUpAverageAbove()))
                    .append(" % is the scale-up line of Article 26(1)1.</p>")
                    .append(Charts.distributionChart(r))
                    .append("</section>");
            h.append("<section><h2>Recommendations per day</h2>")
                    .append(Charts.perDayChart(r))
                    .append("</section>");
            tables(h, r);
        }
        h.append("<footer>Written by rightsizer report monthly. Figures: hourly points of")
                .append(" vm_hourly; averages are hour-weighted means of the hourly means of")
                .append(" RUNNING samples; peaks are maxima of the hourly maxima. Full tables:")
                .append(" the CSV files next to this page.</footer>");
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, MonthlyReport r) {
        Row f = r.fleet();
        h.append("<section class=\"summary\"><h2>Summary</h2><div class=\"cards\">");
        card(
                h,
                count(f.vms()),
                "VMs",
                count(f.systems()) + " systems · " + r.units().size() + " units");
        String whose = r.unit() == null ? "fleet" : "unit";
        card(h, pct(f.figures().averageMemory()), whose + " average memory", "hour-weighted");
        card(h, pct(f.figures().peakMemory()), whose + " peak memory", "highest hourly maximum");
        card(h, pct(f.figures().peakStorage()), "peak storage", "highest hourly maximum");
        card(
                h,
                count(f.overProvisionedVms()),
                "over-provisioned VMs",
                "average ≤ "
                        + num(r.thresholds().underuseAverageAtMost())
                        + " %, peak ≤ "
                        + num(r.thresholds().underusePeakAtMost())
                        + " %");
        card(h, count(f.idleVms()), "idle VMs", "all samples stopped, or reclaim recommended");
        card(h, count(r.recommendations().size()), "recommendations", "issued this month");
        long silentVms =
                r.silences().stream()
                        .map(s -> s.unitId() + "/" + s.systemId() + "/" + s.vmId())
                        .distinct()
                        .count();
        card(
                h,
                count(r.silences().size()),
                "telemetry silences",
                count(silentVms) + (silentVms == 1 ? " VM affected" : " VMs affected"));
        h.append("</div>");

        h.append("<div class=\"cols\"><div><h3>Recommendations by rule and action</h3>");
        Map<String, Map<String, Integer>> byRule = new TreeMap<>();
        for (RecommendationRow rec : r.recommendations()) {
            byRule.computeIfAbsent(rec.rule(), k -> new TreeMap<>())
                    .merge(rec.action(), 1, Integer::sum);
        }
        if (byRule.isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table><thead><tr><th>rule</th><th>action</th><th class=\"n\">count</th>")
                    .append("</tr></thead><tbody>");
            byRule.forEach(
                    (rule, actions) ->
                            actions.forEach(
                                    (action, n) ->
                                            h.append("<tr><td>")
                                                    .append(esc(rule))
                                                    .append("</td><td><span class=\"tag\" style=")
                                                    .append("\"background:")
                                                    .append(Charts.actionColour(action))
                                                    .append("\">")
                                                    .append(esc(action))
                                                    .append("</span></td><td class=\"n\">")
                                                    .append(n)
                                                    .append("</td></tr>")));
            h.append("</tbody></table>");
        }
        h.append("</div><div><h3>Units</h3>");
        if (r.units().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table><thead><tr><th>unit</th><th class=\"n\">systems</th>")
                    .append("<th class=\"n\">VMs</th><th class=\"n\">average</th>")
                    .append("<th class=\"n\">peak</th><th class=\"n\">over-prov.</th>")
                    .append("<th class=\"n\">idle</th></tr></thead><tbody>");
            for (Row u : r.units()) {
                h.append("<tr><td>")
                        .append(esc(u.subject().unitId()))
                        .append("</td><td class=\"n\">")
                        .append(u.systems())
                        .append("</td><td class=\"n\">")
                        .append(u.vms())
                        .append("</td><td class=\"n\">")
                        .append(pct(u.figures().averageMemory()))
                        .append("</td><td class=\"n\">")
                        .append(pct(u.figures().peakMemory()))
                        .append("</td><td class=\"n\">")
                        .append(u.overProvisionedVms())
                        .append("</td><td class=\"n\">")
                        .append(u.idleVms())
                        .append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</div></div></section>");
    }

    private static void card(StringBuilder h, String value, String label, String detail) {
        h.append("<div class=\"card\"><div class=\"v\">")
                .append(esc(value))
                .append("</div><div class=\"l\">")
                .append(esc(label))
                .append("</div><div class=\"d\">")
                .append(esc(detail))
                .append("</div></div>");
    }

    private static void tables(StringBuilder h, MonthlyReport r) {
        h.append("<section><h2>Systems</h2>");
        figureTable(h, r, r.systems(), false);
        h.append("</section><section><h2>VMs</h2>");
        List<Row> vms = r.vms();
        if (vms.size() > TABLE_ROWS) {
            h.append("<p class=\"note\">The ")
                    .append(TABLE_ROWS)
                    .append(" VMs with the highest peak memory of ")
                    .append(count(vms.size()))
                    .append("; every VM is in the VMs CSV.</p>");
            vms =
                    vms.stream()
                            .sorted(
                                    Comparator.comparing(
                                                    (Row x) -> x.figures().peakMemory(),
                                                    Comparator.nullsLast(Comparator.reverseOrder()))
                                            .thenComparing(Row::subject, Subject.ORDER))
                            .limit(TABLE_ROWS)
                            .toList();
        }
        figureTable(h, r, vms, true);
        h.append("</section><section><h2>Recommendations</h2>");
        if (r.recommendations().isEmpty()) {
            h.append("<p>None this month.</p>");
        } else {
            if (r.recommendations().size() > TABLE_ROWS) {
                h.append("<p class=\"note\">The first ")
                        .append(TABLE_ROWS)
                        .append(" of ")
                        .append(count(r.recommendations().size()))
                        .append("; all are in the recommendations CSV.</p>");
            }
            h.append("<table><thead><tr><th>time</th><th>rule</th><th>action</th><th>VM</th>")
                    .append("<th>system</th><th>unit</th><th>reason</th></tr></thead><tbody>");
            r.recommendations().stream()
                    .limit(TABLE_ROWS)
                    .forEach(
                            rec ->
                                    h.append("<tr><td class=\"t\">")
                                            .append(
                                                    LOCAL.format(
                                                            rec.firedAt().atZone(r.month().zone())))
                                            .append("</td><td>")
                                            .append(esc(rec.rule()))
                                            .append("</td><td>")
                                            .append(esc(rec.action()))
                                            .append("</td><td>")
                                            .append(esc(rec.vmId()))
                                            .append("</td><td>")
                                            .append(esc(rec.systemId()))
                                            .append("</td><td>")
                                            .append(esc(rec.unitId()))
                                            .append("</td><td class=\"reason\">")
                                            .append(esc(rec.reason()))
                                            .append("</td></tr>"));
            h.append("</tbody></table>");
        }
        h.append("</section><section><h2>Telemetry silences</h2>");
        if (r.silences().isEmpty()) {
            h.append("<p>None this month.</p>");
        } else {
            h.append("<table><thead><tr><th>detected</th><th>VM</th><th>system</th>")
                    .append("<th>unit</th><th>last sample</th><th class=\"n\">silent for</th>")
                    .append("</tr></thead><tbody>");
            r.silences().stream()
                    .limit(TABLE_ROWS)
                    .forEach(
                            s ->
                                    h.append("<tr><td class=\"t\">")
                                            .append(
                                                    LOCAL.format(
                                                            s.detectedAt()
                                                                    .atZone(r.month().zone())))
                                            .append("</td><td>")
                                            .append(esc(s.vmId()))
                                            .append("</td><td>")
                                            .append(esc(s.systemId()))
                                            .append("</td><td>")
                                            .append(esc(s.unitId()))
                                            .append("</td><td class=\"t\">")
                                            .append(
                                                    s.lastSampleAt() == null
                                                            ? "–"
                                                            : LOCAL.format(
                                                                    s.lastSampleAt()
                                                                            .atZone(
                                                                                    r.month()
                                                                                            .zone())))
                                            .append("</td><td class=\"n\">")
                                            .append(
                                                    s.silentForMs() == null
                                                            ? "–"
                                                            : num(s.silentForMs() / 60000.0)
                                                                    + " min")
                                            .append("</td></tr>"));
            h.append("</tbody></table>");
        }
        h.append("</section>");
    }

    private static void figureTable(StringBuilder h, MonthlyReport r, List<Row> rows, boolean vm) {
        if (rows.isEmpty()) {
            h.append("<p>None.</p>");
            return;
        }
        h.append("<table><thead><tr><th>unit</th><th>system</th>");
        if (vm) {
            h.append("<th>VM</th>");
        } else {
            h.append("<th class=\"n\">VMs</th>");
        }
        String hours = vm ? " h" : " VM-h";
        h.append("<th class=\"n\">average memory</th><th class=\"n\">peak memory</th>")
                .append("<th class=\"n\">peak storage</th><th class=\"n\">covered")
                .append(hours)
                .append("</th><th class=\"n\">running")
                .append(hours)
                .append("</th><th>flags</th>")
                .append("<th class=\"n\">recommendations</th></tr></thead><tbody>");
        for (Row row : rows) {
            Figures f = row.figures();
            h.append("<tr><td>")
                    .append(esc(row.subject().unitId()))
                    .append("</td><td>")
                    .append(esc(row.subject().systemId()))
                    .append("</td>");
            if (vm) {
                h.append("<td>").append(esc(row.subject().vmId())).append("</td>");
            } else {
                h.append("<td class=\"n\">").append(row.vms()).append("</td>");
            }
            h.append("<td class=\"n\"><span class=\"sw\" style=\"background:")
                    .append(Charts.heatColour(f.averageMemory(), r.thresholds()))
                    .append("\"></span>")
                    .append(pct(f.averageMemory()))
                    .append("</td><td class=\"n\">")
                    .append(pct(f.peakMemory()))
                    .append("</td><td class=\"n\">")
                    .append(pct(f.peakStorage()))
                    .append("</td><td class=\"n\">")
                    .append(f.coveredHours())
                    .append("</td><td class=\"n\">")
                    .append(f.runningHours())
                    .append("</td><td class=\"flags\">");
            if (vm) {
                if (row.overProvisionedVms() > 0) {
                    h.append("<span class=\"tag under\">over-provisioned</span> ");
                }
                if (row.idleVms() > 0) {
                    h.append("<span class=\"tag idle\">idle</span>");
                }
            } else {
                if (row.overProvisionedVms() > 0) {
                    h.append("<span class=\"tag under\">")
                            .append(row.overProvisionedVms())
                            .append(" over-provisioned</span> ");
                }
                if (row.idleVms() > 0) {
                    h.append("<span class=\"tag idle\">")
                            .append(row.idleVms())
                            .append(" idle</span>");
                }
            }
            // The count's tooltip lists it by rule; the CSV has one column per rule.
            StringBuilder byRule = new StringBuilder();
            row.recommendationsByRule()
                    .forEach((rule, n) -> byRule.append(rule).append(": ").append(n).append("\n"));
            h.append("</td><td class=\"n\"");
            if (byRule.length() > 0) {
                h.append(" title=\"").append(esc(byRule.toString().strip())).append("\"");
            }
            h.append(">").append(row.recommendations()).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static final String CSS =
            """
            :root { color-scheme: light; }
            body { margin: 0; background: #f4f6f8; color: #212529;
              font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
                "DejaVu Sans", sans-serif; }
            main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 40px; }
            header h1 { font-size: 28px; margin: 0 0 4px; }
            .sub { color: #495057; margin: 0 0 16px; }
            section { background: #fff; border-radius: 8px; padding: 16px 20px; margin: 16px 0;
              box-shadow: 0 1px 3px rgba(0,0,0,.08); overflow-x: auto; }
            h2 { font-size: 20px; margin: 0 0 10px; }
            h3 { font-size: 16px; margin: 14px 0 6px; }
            .cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
            .card { border: 1px solid #dee2e6; border-radius: 6px; padding: 10px 14px; }
            .card .v { font-size: 26px; font-weight: 650; }
            .card .l { font-weight: 600; }
            .card .d { color: #6c757d; font-size: 13px; }
            .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
            table { border-collapse: collapse; width: 100%; font-size: 14px; }
            th, td { padding: 4px 8px; border-bottom: 1px solid #e9ecef; text-align: left;
              vertical-align: top; white-space: nowrap; }
            th { background: #f1f3f5; font-weight: 600; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums;
              white-space: nowrap; }
            td.flags { white-space: normal; min-width: 130px; }
            .flags .tag { margin: 1px 0; }
            td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
            td.reason { font-size: 13px; color: #343a40; white-space: normal; min-width: 280px; }
            .tag { display: inline-block; color: #fff; border-radius: 4px; padding: 0 6px;
              font-size: 12px; font-weight: 600; }
            .tag.under { background: #3b7dd8; }
            .tag.idle { background: #7b4fb8; }
            .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
              margin-right: 6px; }
            .note { color: #495057; margin: 0 0 8px; }
            .empty { border-left: 6px solid #e0542e; }
            footer { color: #6c757d; font-size: 13px; margin-top: 20px; }
            svg { display: block; max-width: 100%; height: auto; }
            """;
}
