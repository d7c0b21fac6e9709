package io.rightsizer.report;

import static io.rightsizer.report.Html.num;

import io.rightsizer.i18n.Messages;

/** The heat map's legend: the colour scale with the thresholds, and what each colour means. */
final class HeatLegend {
    private HeatLegend() {}

    static String render(int x, double y, Thresholds t, Messages m) {
        StringBuilder s = new StringBuilder();
        int w = 400;
        int steps = 100;
        s.append(Charts.text(x - 8, y + 13, "end", 12, m.get("chart.heat.legend"), true));
        for (int i = 0; i < steps; i++) {
            double v = (i + 0.5) * 100.0 / steps;
            s.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"16\" fill=\"%s\"/>",
                            num(x + i * (double) w / steps),
                            num(y),
                            num((double) w / steps + 0.3),
                            Charts.heatColour(v, t)));
        }
        for (double tick :
                new double[] {0, t.underuseAverageAtMost(), t.scaleUpAverageAbove(), 100}) {
            double tx = x + tick * w / 100;
            s.append(Charts.line(tx, y - 2, tx, y + 20, Charts.AXIS, 1, null));
            s.append(Charts.text(tx, y + 32, "middle", 11, num(tick) + " %", false));
        }
        double nx = x + w + 30;
        s.append(
                String.format(
                        java.util.Locale.ROOT,
                        "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"16\" fill=\"%s\""
                                + " stroke=\"%s\"/>",
                        num(nx),
                        num(y),
                        Charts.NO_DATA,
                        Charts.GRID));
        s.append(Charts.text(nx + 22, y + 13, "start", 11, m.get("chart.no-reading"), false));
        double sx = nx + 160;
        s.append(
                String.format(
                        java.util.Locale.ROOT,
                        "<rect x=\"%s\" y=\"%s\" width=\"16\" height=\"16\" fill=\"%s\"/>",
                        num(sx),
                        num(y),
                        Charts.STOPPED));
        s.append(Charts.text(sx + 22, y + 13, "start", 11, m.get("chart.stopped-all-day"), false));
        s.append(
                Charts.text(
                        x,
                        y + 48,
                        "start",
                        11,
                        m.get(
                                "chart.heat.key",
                                num(t.underuseAverageAtMost()),
                                m.get("regulation.reduce.memory.weekly-underuse"),
                                num(t.scaleUpAverageAbove()),
                                m.get("regulation.scale-up.memory.weekly-average")),
                        false));
        return s.toString();
    }
}
