package io.rightsizer.report;

import static io.rightsizer.report.Html.esc;
import static io.rightsizer.report.Html.num;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The monthly report's charts as inline SVG (no script, no external resource): the fleet heat map,
 * the distribution of monthly averages against the thresholds, and recommendations per day.
 */
public final class Charts {
    static final int WIDTH = 1100;
    public static final String UNDER = "#3b7dd8";
    static final String NORMAL = "#41a36b";
    public static final String OVER = "#e0542e";
    static final String NO_DATA = "#e9ecef";
    static final String STOPPED = "#868e96";
    public static final String AXIS = "#495057";
    public static final String GRID = "#dee2e6";

    private Charts() {}

    /**
     * The colour of a memory %: blues up to the underuse average (over-provisioned range), greens
     * up to the scale-up average, oranges to reds above it; a step at each threshold so that the
     * thresholds are visible in the map.
     */
    public static String heatColour(Double pct, Thresholds t) {
        if (pct == null) {
            return NO_DATA;
        }
        double v = Math.max(0, Math.min(100, pct));
        double low = t.underuseAverageAtMost();
        double high = t.scaleUpAverageAbove();
        if (v <= low) {
            return mix("#0b3c8c", "#a9cdf2", low == 0 ? 1 : v / low);
        }
        if (v <= high) {
            return mix("#cdebc4", "#2f8f4e", (v - low) / (high - low));
        }
        return mix("#fdb27a", "#a50f15", high >= 100 ? 1 : (v - high) / (100 - high));
    }

    static String mix(String from, String to, double f) {
        int a = Integer.parseInt(from.substring(1), 16);
        int b = Integer.parseInt(to.substring(1), 16);
        int r = channel(a >> 16, b >> 16, f);
        int g = channel(a >> 8, b >> 8, f);
        int bl = channel(a, b, f);
        return String.format("#%02x%02x%02x", r, g, bl);
    }

    private static int channel(int a, int b, double f) {
        int x = a & 0xff;
        int y = b & 0xff;
        return (int) Math.round(x + (y - x) * Math.max(0, Math.min(1, f)));
    }

    /** VM rows × days, coloured by the daily mean memory %. */
    public static String heatMap(MonthlyReport r) {
        List<MonthlyReport.HeatRow> rows = r.heatMap();
        int days = r.month().days();
        int label = 250;
        int peakCol = 60;
        int cellW = (WIDTH - label - peakCol - 10) / days;
        // Few rows get taller cells; at the 60-row limit the map stays about a screen high.
        int cellH = rows.size() <= 20 ? 22 : 16;
        int top = 34;
        int legendH = 70;
        int height = top + rows.size() * cellH + 12 + legendH;
        StringBuilder s = svgOpen(height, "Daily mean memory per VM");
        s.append(text(label - 8, top - 8, "end", 12, "VM (system)", true));
        s.append(text(label + days * cellW + 8, top - 8, "start", 12, "peak", true));
        for (int d = 0; d < days; d++) {
            LocalDate day = r.month().day(d);
            boolean weekend =
                    day.getDayOfWeek() == DayOfWeek.SATURDAY
                            || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            s.append(
                    text(
                            label + d * cellW + cellW / 2.0,
                            top - 8,
                            "middle",
                            11,
                            Integer.toString(d + 1),
                            weekend));
        }
        for (int i = 0; i < rows.size(); i++) {
            MonthlyReport.HeatRow row = rows.get(i);
            double y = top + i * cellH;
            String name = row.vm().vmId();
            if (!row.vm().systemId().isEmpty()) {
                name += " (" + row.vm().systemId() + ")";
            }
            s.append(text(label - 8, y + cellH / 2.0 + 4, "end", 11, shorten(name, 36), false));
            for (int d = 0; d < days; d++) {
                Double v = row.days().memory().get(d);
                boolean stoppedDay = v == null && row.days().stoppedOnly().get(d);
                s.append(
                        String.format(
                                java.util.Locale.ROOT,
                                "<rect x=\"%d\" y=\"%s\" width=\"%d\" height=\"%d\" fill=\"%s\""
                                        + " stroke=\"#ffffff\" stroke-width=\"1\"><title>%s %s:"
                                        + " %s</title></rect>",
                                label + d * cellW,
                                num(y),
                                cellW,
                                cellH,
                                stoppedDay ? STOPPED : heatColour(v, r.thresholds()),
                                esc(row.vm().vmId()),
                                r.month().day(d),
                                stoppedDay ? "stopped all day" : esc(Html.pct(v))));
            }
            s.append(
                    text(
                            label + days * cellW + 8,
                            y + cellH / 2.0 + 4,
                            "start",
                            11,
                            Html.pct(row.peak()),
                            false));
        }
        double ly = top + rows.size() * cellH + 24;
        s.append(heatLegend(label, ly, r.thresholds()));
        s.append("</svg>");
        return s.toString();
    }

    private static String heatLegend(int x, double y, Thresholds t) {
        StringBuilder s = new StringBuilder();
        int w = 400;
        int steps = 100;
        s.append(text(x - 8, y + 13, "end", 12, "daily mean memory", true));
        for (int i = 0; i < steps; i++) {
            double v = (i + 0.5) * 100.0 / steps;
            s.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"16\" fill=\"%s\"/>",
                            num(x + i * (double) w / steps),
                            num(y),
                            num((double) w / steps + 0.3),
                            heatColour(v, t)));
        }
        for (double tick :
                new double[] {0, t.underuseAverageAtMost(), t.scaleUpAverageAbove(), 100}) {
            double tx = x + tick * w / 100;
            s.append(line(tx, y - 2, tx, y + 20, AXIS, 1, null));
            s.append(text(tx, y + 32, "middle", 11, num(tick) + " %", false));
        }
        double nx = x + w + 30;
        s.append(
                String.format(
                        java.util.Locale.ROOT,
                        "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"16\" fill=\"%s\""
                                + " stroke=\"%s\"/>",
                        num(nx),
                        num(y),
                        NO_DATA,
                        GRID));
        s.append(text(nx + 22, y + 13, "start", 11, "no reading that day", false));
        double sx = nx + 160;
        s.append(
                String.format(
                        java.util.Locale.ROOT,
                        "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"16\" fill=\"%s\"/>",
                        num(sx),
                        num(y),
                        STOPPED));
        s.append(text(sx + 22, y + 13, "start", 11, "stopped all day", false));
        s.append(
                text(
                        x,
                        y + 48,
                        "start",
                        11,
                        "blue: at most "
                                + num(t.underuseAverageAtMost())
                                + " % (reduce, Article 26(2)1) · green: normal · orange to red:"
                                + " above "
                                + num(t.scaleUpAverageAbove())
                                + " % (scale up, Article 26(1)1); weekend days in bold",
                        false));
        return s.toString();
    }

    /** Bins of width 5 %, each (lo, hi] (0 % in the first), of the VMs' monthly averages. */
    public static int[] distribution(List<Row> vms) {
        int[] bins = new int[20];
        for (Row vm : vms) {
            Double avg = vm.figures().averageMemory();
            if (avg == null) {
                continue;
            }
            int i = (int) Math.ceil(Math.max(0, Math.min(100, avg)) / 5.0) - 1;
            bins[Math.max(0, Math.min(19, i))]++;
        }
        return bins;
    }

    /** A histogram of the VMs' monthly average memory, with the thresholds drawn. */
    public static String distributionChart(MonthlyReport r) {
        int[] bins = distribution(r.vms());
        int max = 1;
        for (int b : bins) {
            max = Math.max(max, b);
        }
        int step = niceStep(max);
        int yMax = headroom(max, step);
        int left = 70;
        int right = 20;
        int top = 30;
        int plotH = 240;
        int height = top + plotH + 60;
        double plotW = WIDTH - left - right;
        StringBuilder s = svgOpen(height, "Distribution of the VMs' monthly average memory");
        for (int v = 0; v <= yMax; v += step) {
            double y = top + plotH - (double) v / yMax * plotH;
            s.append(line(left, y, left + plotW, y, GRID, 1, null));
            s.append(text(left - 8, y + 4, "end", 11, Integer.toString(v), false));
        }
        Thresholds t = r.thresholds();
        for (int i = 0; i < 20; i++) {
            double lo = i * 5;
            double hi = lo + 5;
            String colour =
                    hi <= t.underuseAverageAtMost()
                            ? UNDER
                            : lo >= t.scaleUpAverageAbove() ? OVER : NORMAL;
            double x = left + lo / 100 * plotW;
            double h = (double) bins[i] / yMax * plotH;
            s.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>"
                                    + "%s–%s %%: %d VMs</title></rect>",
                            num(x + 2),
                            num(top + plotH - h),
                            num(plotW / 20 - 4),
                            num(h),
                            colour,
                            num(lo),
                            num(hi),
                            bins[i]));
            if (bins[i] > 0) {
                s.append(
                        text(
                                x + plotW / 40,
                                top + plotH - h - 4,
                                "middle",
                                11,
                                Integer.toString(bins[i]),
                                true));
            }
        }
        for (int p = 0; p <= 100; p += 10) {
            double x = left + p / 100.0 * plotW;
            s.append(line(x, top + plotH, x, top + plotH + 5, AXIS, 1, null));
            s.append(text(x, top + plotH + 18, "middle", 11, p + " %", false));
        }
        s.append(line(left, top + plotH, left + plotW, top + plotH, AXIS, 1, null));
        threshold(s, left, plotW, top, plotH, t.underuseAverageAtMost(), "reduce ≤ ", UNDER);
        threshold(s, left, plotW, top, plotH, t.scaleUpAverageAbove(), "scale up > ", OVER);
        s.append(
                text(
                        left + plotW / 2,
                        top + plotH + 40,
                        "middle",
                        12,
                        "monthly average memory (hour-weighted), bins of 5 %",
                        false));
        s.append(
                String.format(
                        java.util.Locale.ROOT,
                        "<text x=\"16\" y=\"%s\" font-size=\"12\" fill=\"%s\""
                                + " transform=\"rotate(-90 16 %s)\" text-anchor=\"middle\">"
                                + "VMs</text>",
                        num(top + plotH / 2.0),
                        AXIS,
                        num(top + plotH / 2.0)));
        s.append("</svg>");
        return s.toString();
    }

    private static void threshold(
            StringBuilder s,
            int left,
            double plotW,
            int top,
            int plotH,
            double pct,
            String label,
            String colour) {
        double x = left + pct / 100 * plotW;
        s.append(line(x, top - 6, x, top + plotH, colour, 2, "6 4"));
        s.append(text(x, top - 10, "middle", 12, label + num(pct) + " %", true, colour));
    }

    /** Recommendations per day of the month and action. */
    public static Map<String, int[]> perDay(MonthlyReport r) {
        Map<String, int[]> out = new TreeMap<>();
        for (RecommendationRow rec : r.recommendations()) {
            out.computeIfAbsent(rec.action(), a -> new int[r.month().days()])[
                    r.month().dayIndex(rec.firedAt())]++;
        }
        return out;
    }

    /** Stacked bars: recommendations per day, by action. */
    public static String perDayChart(MonthlyReport r) {
        Map<String, int[]> perDay = perDay(r);
        int days = r.month().days();
        int[] totals = new int[days];
        for (int[] v : perDay.values()) {
            for (int d = 0; d < days; d++) {
                totals[d] += v[d];
            }
        }
        int max = 1;
        for (int t : totals) {
            max = Math.max(max, t);
        }
        int step = niceStep(max);
        int yMax = headroom(max, step);
        int left = 70;
        int top = 40;
        int plotH = 200;
        double plotW = WIDTH - left - 20;
        double barW = plotW / days;
        int height = top + plotH + 50;
        StringBuilder s = svgOpen(height, "Recommendations per day by action");
        for (int v = 0; v <= yMax; v += step) {
            double y = top + plotH - (double) v / yMax * plotH;
            s.append(line(left, y, left + plotW, y, GRID, 1, null));
            s.append(text(left - 8, y + 4, "end", 11, Integer.toString(v), false));
        }
        List<String> actions = new ArrayList<>(perDay.keySet());
        for (int d = 0; d < days; d++) {
            double base = top + plotH;
            for (String a : actions) {
                int n = perDay.get(a)[d];
                if (n == 0) {
                    continue;
                }
                double h = (double) n / yMax * plotH;
                s.append(
                        String.format(
                                java.util.Locale.ROOT,
                                "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\">"
                                        + "<title>%s %s: %d</title></rect>",
                                num(left + d * barW + 2),
                                num(base - h),
                                num(barW - 4),
                                num(h),
                                actionColour(a),
                                r.month().day(d),
                                esc(a),
                                n));
                base -= h;
            }
            s.append(
                    text(
                            left + d * barW + barW / 2,
                            top + plotH + 16,
                            "middle",
                            11,
                            Integer.toString(d + 1),
                            false));
        }
        s.append(line(left, top + plotH, left + plotW, top + plotH, AXIS, 1, null));
        double lx = left;
        for (String a : actions) {
            s.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "<rect x=\"%s\" y=\"10\" width=\"14\" height=\"14\" fill=\"%s\"/>",
                            num(lx),
                            actionColour(a)));
            s.append(text(lx + 20, 22, "start", 12, a, false));
            lx += 40 + a.length() * 8;
        }
        if (actions.isEmpty()) {
            s.append(
                    text(
                            left + plotW / 2,
                            top + plotH / 2.0,
                            "middle",
                            14,
                            "no recommendations",
                            false));
        }
        s.append(
                text(
                        left + plotW / 2,
                        top + plotH + 40,
                        "middle",
                        12,
                        "day of " + r.month() + " (" + r.month().zone().getId() + ")",
                        false));
        s.append("</svg>");
        return s.toString();
    }

    static String actionColour(String action) {
        return switch (action) {
            case "SCALE_UP" -> OVER;
            case "SCALE_DOWN" -> UNDER;
            case "RECLAIM" -> "#7b4fb8";
            default -> "#868e96";
        };
    }

    /**
     * The axis maximum: a multiple of {@code step} above {@code max}, so the tallest bar's label
     * stays clear of the threshold labels above the plot.
     */
    static int headroom(int max, int step) {
        return (max / step + 1) * step;
    }

    /** A step of 1, 2 or 5 × 10^n giving at most about five grid lines up to {@code max}. */
    public static int niceStep(int max) {
        int step = 1;
        while (true) {
            for (int m : new int[] {1, 2, 5}) {
                if (max / (step * m) <= 5) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    private static StringBuilder svgOpen(int height, String title) {
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        java.util.Locale.ROOT,
                        "<svg role=\"img\" width=\"%d\""
                                + " height=\"%d\" viewBox=\"0 0 %d %d\""
                                + " font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto,"
                                + " 'Noto Sans', 'DejaVu Sans', sans-serif\"><title>%s</title>",
                        WIDTH,
                        height,
                        WIDTH,
                        height,
                        esc(title)));
        return s;
    }

    private static String text(
            double x, double y, String anchor, int size, String t, boolean bold) {
        return text(x, y, anchor, size, t, bold, "#212529");
    }

    public static String text(
            double x, double y, String anchor, int size, String t, boolean bold, String colour) {
        return String.format(
                java.util.Locale.ROOT,
                "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" font-size=\"%d\""
                        + " fill=\"%s\"%s>%s</text>",
                num(x),
                num(y),
                anchor,
                size,
                colour,
                bold ? " font-weight=\"600\"" : "",
                esc(t));
    }

    public static String line(
            double x1, double y1, double x2, double y2, String colour, int width, String dash) {
        return String.format(
                java.util.Locale.ROOT,
                "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\""
                        + " stroke-width=\"%d\"%s/>",
                num(x1),
                num(y1),
                num(x2),
                num(y2),
                colour,
                width,
                dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
