package io.rightsizer.console;

import static io.rightsizer.report.Html.esc;
import static io.rightsizer.report.Html.num;

import io.rightsizer.report.Charts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A VM's hourly memory and storage over a recommendation's evidence window as inline SVG, one panel
 * each: the hourly average (solid) and maximum (dashed), the rule's thresholds across; an hour
 * without a reading leaves a gap. Drawn with the monthly report's SVG primitives ({@link Charts}).
 */
final class HistoryChart {
    private static final int WIDTH = 1100;
    private static final int LEFT = 60;
    private static final int RIGHT = 24;
    private static final int PANEL = 170;
    private static final int GAP = 70;
    private static final int TOP = 46;
    private static final String AVERAGE = "#1c6dd0";
    private static final String MAXIMUM = "#7b4fb8";

    private HistoryChart() {}

    static String svg(ConsoleModel.History h, Messages m) {
        int height = TOP + 2 * PANEL + GAP + 50;
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        Locale.ROOT,
                        "<svg role=\"img\" aria-labelledby=\"chart-title\" width=\"%d\""
                                + " height=\"%d\" viewBox=\"0 0 %d %d\"><title"
                                + " id=\"chart-title\">%s</title>",
                        WIDTH,
                        height,
                        WIDTH,
                        height,
                        esc(m.get("chart.title", h.vmId()))));
        legend(s, m);
        panel(s, h, h.memory(), "memory", m.get("chart.memory"), TOP, m);
        panel(s, h, h.storage(), "storage", m.get("chart.storage"), TOP + PANEL + GAP, m);
        s.append("</svg>");
        return s.toString();
    }

    private static void legend(StringBuilder s, Messages m) {
        s.append(Charts.line(LEFT, 14, LEFT + 30, 14, AVERAGE, 2, null));
        s.append(Charts.text(LEFT + 36, 18, "start", 12, m.get("chart.average"), false, "#212529"));
        s.append(Charts.line(LEFT + 200, 14, LEFT + 230, 14, MAXIMUM, 2, "4 3"));
        s.append(
                Charts.text(LEFT + 236, 18, "start", 12, m.get("chart.maximum"), false, "#212529"));
        s.append(Charts.line(LEFT + 400, 14, LEFT + 430, 14, Charts.OVER, 2, "6 4"));
        s.append(
                Charts.text(
                        LEFT + 436, 18, "start", 12, m.get("chart.threshold"), false, "#212529"));
    }

    private static void panel(
            StringBuilder s,
            ConsoleModel.History h,
            List<ConsoleModel.HourPoint> points,
            String series,
            String title,
            int top,
            Messages m) {
        double plotW = WIDTH - LEFT - RIGHT;
        s.append(Charts.text(LEFT, top - 10, "start", 13, title, true, "#212529"));
        for (int v = 0; v <= 100; v += 25) {
            double y = y(top, v);
            s.append(Charts.line(LEFT, y, LEFT + plotW, y, Charts.GRID, 1, null));
            s.append(Charts.text(LEFT - 8, y + 4, "end", 11, v + " %", false, Charts.AXIS));
        }
        long span = Math.max(1, Duration.between(h.from(), h.to()).toMillis());
        int ticks = 6;
        for (int i = 0; i <= ticks; i++) {
            Instant t = h.from().plusMillis(span * i / ticks);
            double x = LEFT + plotW * i / ticks;
            s.append(Charts.line(x, top + PANEL, x, top + PANEL + 5, Charts.AXIS, 1, null));
            s.append(
                    Charts.text(
                            x,
                            top + PANEL + 18,
                            i == 0 ? "start" : i == ticks ? "end" : "middle",
                            11,
                            m.dateTime(t),
                            false,
                            Charts.AXIS));
        }
        s.append(Charts.line(LEFT, top + PANEL, LEFT + plotW, top + PANEL, Charts.AXIS, 1, null));
        polyline(s, h, points, true, top, plotW, span);
        polyline(s, h, points, false, top, plotW, span);
        for (ConsoleModel.Threshold t : h.thresholds()) {
            if (!series.equals(seriesOf(t))) {
                continue;
            }
            double y = y(top, t.pct());
            s.append(Charts.line(LEFT, y, LEFT + plotW, y, Charts.OVER, 2, "6 4"));
            s.append(
                    Charts.text(
                            LEFT + plotW - 4,
                            y - 5,
                            "end",
                            11,
                            t.label() + " " + m.pct(t.pct()),
                            true,
                            Charts.OVER));
        }
        if (points.stream().allMatch(p -> p.averagePct() == null && p.maxPct() == null)) {
            s.append(
                    Charts.text(
                            LEFT + plotW / 2,
                            top + PANEL / 2.0,
                            "middle",
                            14,
                            m.get("chart.no-readings"),
                            false,
                            Charts.AXIS));
        }
    }

    /** A threshold of the storage series goes on the storage panel, any other on memory's. */
    private static String seriesOf(ConsoleModel.Threshold t) {
        String s = t.series() == null ? "" : t.series().toLowerCase(Locale.ROOT);
        return s.startsWith("stor") || s.startsWith("disk") ? "storage" : "memory";
    }

    private static void polyline(
            StringBuilder s,
            ConsoleModel.History h,
            List<ConsoleModel.HourPoint> points,
            boolean average,
            int top,
            double plotW,
            long span) {
        StringBuilder run = new StringBuilder();
        int n = 0;
        for (ConsoleModel.HourPoint p : points) {
            Double v = average ? p.averagePct() : p.maxPct();
            if (v == null) {
                n = flush(s, run, n, average);
                continue;
            }
            double x = LEFT + plotW * Duration.between(h.from(), p.hour()).toMillis() / span;
            double clamped = Math.max(0, Math.min(100, v));
            run.append(num(x)).append(',').append(num(y(top, clamped))).append(' ');
            n++;
        }
        flush(s, run, n, average);
    }

    private static int flush(StringBuilder s, StringBuilder run, int n, boolean average) {
        if (n == 1) {
            // A single hour between gaps is a dot, not an invisible line.
            String[] xy = run.toString().trim().split(",");
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<circle cx=\"%s\" cy=\"%s\" r=\"2\" fill=\"%s\"/>",
                            xy[0],
                            xy[1],
                            average ? AVERAGE : MAXIMUM));
        } else if (n > 1) {
            s.append("<polyline fill=\"none\" stroke=\"")
                    .append(average ? AVERAGE : MAXIMUM)
                    .append("\" stroke-width=\"")
                    .append(average ? "2" : "1.5")
                    .append(average ? "\"" : "\" stroke-dasharray=\"4 3\"")
                    .append(" points=\"")
                    .append(run.toString().trim())
                    .append("\"/>");
        }
        run.setLength(0);
        return 0;
    }

    private static double y(int top, double pct) {
        return top + PANEL - pct / 100 * PANEL;
    }
}
