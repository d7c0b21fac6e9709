package io.rightsizer.report;

import static io.rightsizer.report.Html.esc;

import io.rightsizer.i18n.Messages;
import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The monthly report as one self-contained HTML page: inline CSS and SVG, no script and no link to
 * any other resource, so it can be mailed, archived and opened offline. Its words are in the
 * language of its {@link Messages} (docs/localization.md); the recommendations' reasons as the job
 * wrote them.
 */
public final class MonthlyHtml {
    /** The most VM, recommendation and silence rows the page lists (the CSVs have them all). */
    public static final int TABLE_ROWS = 300;

    private MonthlyHtml() {}

    public static String render(MonthlyReport r, String source) {
        return render(r, source, Messages.ENGLISH);
    }

    public static String render(MonthlyReport r, String source, Messages m) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String scope =
                r.unit() == null ? m.get("report.scope.all") : m.get("report.scope.unit", r.unit());
        String title =
                r.unit() == null
                        ? m.get("report.title", r.month().toString())
                        : m.get("report.title-unit", r.month().toString(), r.unit());
        h.append("<!DOCTYPE html>\n<html lang=\"")
                .append(m.tag())
                .append("\"><head><meta charset=\"utf-8\">");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.append("<title>").append(esc(title)).append("</title><style>").append(MonthlyCss.CSS);
        h.append("</style></head><body><main>");

        DateTimeFormatter heading =
                DateTimeFormatter.ofPattern(m.get("report.month-pattern"), m.locale());
        h.append("<header><h1>")
                .append(html(m, "report.heading", r.month().month().format(heading)))
                .append("</h1><p class=\"sub\">")
                .append(
                        html(
                                m,
                                "report.sub",
                                m.get("article.27"),
                                scope,
                                local(m, r, r.month().start()),
                                local(m, r, r.month().end()),
                                r.month().zone().getId(),
                                r.ruleSetVersion(),
                                source))
                .append("</p></header>");

        if (!r.hasData()) {
            h.append("<section class=\"empty\"><h2>")
                    .append(html(m, "report.no-data.title"))
                    .append("</h2><p>")
                    .append(html(m, "report.no-data.text", scope, r.month().toString()))
                    .append("</p></section>");
        }
        summary(h, r, m);
        if (r.hasData()) {
            h.append("<section><h2>")
                    .append(html(m, "report.heat.title"))
                    .append("</h2><p class=\"note\">")
                    .append(html(m, "report.heat.note"));
            if (r.heatMapHidden() > 0) {
                h.append(
                        html(
                                m,
                                "report.heat.hidden",
                                m.whole(r.heatMap().size()),
                                m.count(r.heatMapHidden())));
            } else {
                h.append(html(m, "report.heat.all", m.whole(r.heatMap().size())));
            }
            h.append("</p>").append(Charts.heatMap(r, m)).append("</section>");
            Thresholds t = r.thresholds();
            h.append("<section><h2>")
                    .append(html(m, "report.dist.title"))
                    .append("</h2><p class=\"note\">")
                    .append(
                            html(
                                    m,
                                    "report.dist.note",
                                    m.decimal(t.underuseAverageAtMost()),
                                    m.decimal(t.underusePeakAtMost()),
                                    m.decimal(t.scaleUpAverageAbove()),
                                    Recommendations.regulation(Rule.WEEKLY_AVERAGE, m)))
                    .append("</p>")
                    .append(Charts.distributionChart(r, m))
                    .append("</section>");
            h.append("<section><h2>")
                    .append(html(m, "report.per-day.title"))
                    .append("</h2>")
                    .append(Charts.perDayChart(r, m))
                    .append("</section>");
            tables(h, r, m);
        }
        h.append("<footer>").append(html(m, "report.footer")).append("</footer>");
        h.append("</main></body></html>\n");
        return h.toString();
    }

    /** A time of the report in its zone: {@code 2026-03-01 00:00}, {@code 2026年3月1日 00:00}. */
    private static String local(Messages m, MonthlyReport r, Instant t) {
        return m.dateTime(t.atZone(r.month().zone()));
    }

    /** One decimal and a percent sign, or an en dash when there is no figure. */
    private static String pct(Messages m, Double v) {
        return v == null ? "–" : m.decimal(v) + " %";
    }

    private static void summary(StringBuilder h, MonthlyReport r, Messages m) {
        Row f = r.fleet();
        Thresholds t = r.thresholds();
        h.append("<section class=\"summary\"><h2>")
                .append(html(m, "report.summary"))
                .append("</h2><div class=\"cards\">");
        card(
                h,
                m.count(f.vms()),
                m.get("report.card.vms"),
                m.get("report.card.vms.detail", m.count(f.systems()), m.whole(r.units().size())));
        String whose = r.unit() == null ? "fleet" : "unit";
        card(
                h,
                pct(m, f.figures().averageMemory()),
                m.get("report.card.average." + whose),
                m.get("report.card.hour-weighted"));
        card(
                h,
                pct(m, f.figures().peakMemory()),
                m.get("report.card.peak." + whose),
                m.get("report.card.highest-hourly"));
        card(
                h,
                pct(m, f.figures().peakStorage()),
                m.get("report.card.peak-storage"),
                m.get("report.card.highest-hourly"));
        card(
                h,
                m.count(f.overProvisionedVms()),
                m.get("report.card.over"),
                m.get(
                        "report.card.over.detail",
                        m.decimal(t.underuseAverageAtMost()),
                        m.decimal(t.underusePeakAtMost())));
        card(h, m.count(f.idleVms()), m.get("report.card.idle"), m.get("report.card.idle.detail"));
        card(
                h,
                m.count(r.recommendations().size()),
                m.get("report.card.recommendations"),
                m.get("report.card.recommendations.detail"));
        long silentVms =
                r.silences().stream()
                        .map(s -> s.unitId() + "/" + s.systemId() + "/" + s.vmId())
                        .distinct()
                        .count();
        card(
                h,
                m.count(r.silences().size()),
                m.get("report.card.silences"),
                m.get(
                        silentVms == 1 ? "report.card.silences.one" : "report.card.silences.other",
                        m.count(silentVms)));
        h.append("</div>");

        h.append("<div class=\"cols\"><div><h3>").append(html(m, "report.by-rule")).append("</h3>");
        Map<String, Map<String, Integer>> byRule = new TreeMap<>();
        for (RecommendationRow rec : r.recommendations()) {
            byRule.computeIfAbsent(rec.rule(), k -> new TreeMap<>())
                    .merge(rec.action(), 1, Integer::sum);
        }
        if (byRule.isEmpty()) {
            h.append("<p>").append(html(m, "report.none")).append("</p>");
        } else {
            h.append("<table><thead><tr>")
                    .append(th(m, "", "report.col.rule"))
                    .append(th(m, "", "report.col.action"))
                    .append(th(m, "n", "report.col.count"))
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
                                                    .append(esc(MonthlyCsv.action(m, action)))
                                                    .append("</span></td><td class=\"n\">")
                                                    .append(n)
                                                    .append("</td></tr>")));
            h.append("</tbody></table>");
        }
        h.append("</div><div><h3>").append(html(m, "report.units")).append("</h3>");
        if (r.units().isEmpty()) {
            h.append("<p>").append(html(m, "report.none")).append("</p>");
        } else {
            h.append("<table><thead><tr>")
                    .append(th(m, "", "report.col.unit"))
                    .append(th(m, "n", "report.col.systems"))
                    .append(th(m, "n", "report.col.vms"))
                    .append(th(m, "n", "report.col.average"))
                    .append(th(m, "n", "report.col.peak"))
                    .append(th(m, "n", "report.col.over-short"))
                    .append(th(m, "n", "report.col.idle"))
                    .append("</tr></thead><tbody>");
            for (Row u : r.units()) {
                h.append("<tr><td>")
                        .append(esc(u.subject().unitId()))
                        .append("</td><td class=\"n\">")
                        .append(u.systems())
                        .append("</td><td class=\"n\">")
                        .append(u.vms())
                        .append("</td><td class=\"n\">")
                        .append(pct(m, u.figures().averageMemory()))
                        .append("</td><td class=\"n\">")
                        .append(pct(m, u.figures().peakMemory()))
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

    /**
     * The message of {@code key} as HTML: the arguments escaped, the bundle's text as it is (it is
     * ours, and has no markup).
     */
    private static String html(Messages m, String key, Object... args) {
        Object[] escaped = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            escaped[i] = esc(String.valueOf(args[i]));
        }
        return m.get(key, escaped);
    }

    /** A column heading, right-aligned for figures ({@code cls} "n"). */
    private static String th(Messages m, String cls, String key, Object... args) {
        return (cls.isEmpty() ? "<th>" : "<th class=\"" + cls + "\">")
                + html(m, key, args)
                + "</th>";
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

    private static void section(StringBuilder h, Messages m, String key) {
        h.append("</section><section><h2>").append(html(m, key)).append("</h2>");
    }

    private static void tables(StringBuilder h, MonthlyReport r, Messages m) {
        h.append("<section><h2>").append(html(m, "report.systems")).append("</h2>");
        figureTable(h, r, m, r.systems(), false);
        section(h, m, "report.vms");
        List<Row> vms = r.vms();
        if (vms.size() > TABLE_ROWS) {
            h.append("<p class=\"note\">")
                    .append(html(m, "report.vms.limited", m.whole(TABLE_ROWS), m.count(vms.size())))
                    .append("</p>");
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
        figureTable(h, r, m, vms, true);
        section(h, m, "report.recommendations");
        if (r.recommendations().isEmpty()) {
            h.append("<p>").append(html(m, "report.none-this-month")).append("</p>");
        } else {
            if (r.recommendations().size() > TABLE_ROWS) {
                h.append("<p class=\"note\">")
                        .append(
                                html(
                                        m,
                                        "report.recommendations.limited",
                                        m.whole(TABLE_ROWS),
                                        m.count(r.recommendations().size())))
                        .append("</p>");
            }
            h.append("<table><thead><tr>");
            for (String c : List.of("time", "rule", "action", "vm", "system", "unit", "reason")) {
                h.append(th(m, "", "report.col." + c));
            }
            h.append("</tr></thead><tbody>");
            r.recommendations().stream()
                    .limit(TABLE_ROWS)
                    .forEach(
                            rec ->
                                    h.append("<tr><td class=\"t\">")
                                            .append(esc(local(m, r, rec.firedAt())))
                                            .append("</td><td>")
                                            .append(esc(rec.rule()))
                                            .append("</td><td>")
                                            .append(esc(MonthlyCsv.action(m, rec.action())))
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
        section(h, m, "report.silences");
        if (r.silences().isEmpty()) {
            h.append("<p>").append(html(m, "report.none-this-month")).append("</p>");
        } else {
            h.append("<table><thead><tr>")
                    .append(th(m, "", "report.col.detected"))
                    .append(th(m, "", "report.col.vm"))
                    .append(th(m, "", "report.col.system"))
                    .append(th(m, "", "report.col.unit"))
                    .append(th(m, "", "report.col.last-sample"))
                    .append(th(m, "n", "report.col.silent-for"))
                    .append("</tr></thead><tbody>");
            r.silences().stream()
                    .limit(TABLE_ROWS)
                    .forEach(
                            s ->
                                    h.append("<tr><td class=\"t\">")
                                            .append(esc(local(m, r, s.detectedAt())))
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
                                                            : esc(local(m, r, s.lastSampleAt())))
                                            .append("</td><td class=\"n\">")
                                            .append(
                                                    s.silentForMs() == null
                                                            ? "–"
                                                            : html(
                                                                    m,
                                                                    "report.minutes",
                                                                    m.decimal(
                                                                            s.silentForMs()
                                                                                    / 60000.0)))
                                            .append("</td></tr>"));
            h.append("</tbody></table>");
        }
        h.append("</section>");
    }

    private static void figureTable(
            StringBuilder h, MonthlyReport r, Messages m, List<Row> rows, boolean vm) {
        if (rows.isEmpty()) {
            h.append("<p>").append(html(m, "report.none")).append("</p>");
            return;
        }
        h.append("<table><thead><tr>")
                .append(th(m, "", "report.col.unit"))
                .append(th(m, "", "report.col.system"))
                .append(vm ? th(m, "", "report.col.vm") : th(m, "n", "report.col.vms"));
        String hours = vm ? "" : "-vm";
        h.append(th(m, "n", "report.col.average-memory"))
                .append(th(m, "n", "report.col.peak-memory"))
                .append(th(m, "n", "report.col.peak-storage"))
                .append(th(m, "n", "report.col.covered" + hours))
                .append(th(m, "n", "report.col.running" + hours))
                .append(th(m, "", "report.col.flags"))
                .append(th(m, "n", "report.col.recommendations"))
                .append("</tr></thead><tbody>");
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
                    .append(pct(m, f.averageMemory()))
                    .append("</td><td class=\"n\">")
                    .append(pct(m, f.peakMemory()))
                    .append("</td><td class=\"n\">")
                    .append(pct(m, f.peakStorage()))
                    .append("</td><td class=\"n\">")
                    .append(f.coveredHours())
                    .append("</td><td class=\"n\">")
                    .append(f.runningHours())
                    .append("</td><td class=\"flags\">");
            if (row.overProvisionedVms() > 0) {
                h.append("<span class=\"tag under\">")
                        .append(esc(flag(m, vm, "over", row.overProvisionedVms())))
                        .append("</span> ");
            }
            if (row.idleVms() > 0) {
                h.append("<span class=\"tag idle\">")
                        .append(esc(flag(m, vm, "idle", row.idleVms())))
                        .append("</span>");
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

    /** A VM's flag ({@code idle}), or how many of a system's VMs have it ({@code 2 idle}). */
    private static String flag(Messages m, boolean vm, String flag, int n) {
        return vm
                ? m.get("report.flag." + flag)
                : m.get("report.flag." + flag + "-n", Integer.toString(n));
    }
}
