package io.rightsizer.report;

import static io.rightsizer.report.ReportFixtures.DEFAULT_RULES;
import static io.rightsizer.report.ReportFixtures.OCTOBER_START;
import static io.rightsizer.report.ReportFixtures.october;
import static io.rightsizer.report.ReportFixtures.rec;
import static io.rightsizer.report.ReportFixtures.running;
import static io.rightsizer.report.ReportFixtures.stopped;
import static io.rightsizer.report.ReportFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChartsTest {
    private static final Thresholds DEFAULTS = Thresholds.of(DEFAULT_RULES);

    @Test
    void theDistributionsBinsIncludeTheirUpperEdgeSoThirtyCountsWithTheUnderused() {
        Map<Subject, Figures> hourly = new TreeMap<>(Subject.ORDER);
        hourly.put(vm("u", "s", "zero"), running(1, 0.0, 0.0, null));
        hourly.put(vm("u", "s", "thirty"), running(1, 30.0, 30.0, null));
        hourly.put(vm("u", "s", "just-above-thirty"), running(1, 30.01, 31.0, null));
        hourly.put(vm("u", "s", "hundred"), running(1, 100.0, 100.0, null));
        hourly.put(vm("u", "s", "no-reading"), stopped(2));

        int[] bins = Charts.distribution(october(hourly, List.of()).vms());

        int[] expected = new int[20];
        expected[0] = 1;
        expected[5] = 1;
        expected[6] = 1;
        expected[19] = 1;
        assertThat(bins).containsExactly(expected);
    }

    @Test
    void theHeatColourStepsAtEachThreshold() {
        assertThat(Charts.heatColour(null, DEFAULTS)).isEqualTo(Charts.NO_DATA);
        assertThat(Charts.heatColour(0.0, DEFAULTS)).isEqualTo("#0b3c8c");
        assertThat(Charts.heatColour(30.0, DEFAULTS)).isEqualTo("#a9cdf2");
        assertThat(Charts.heatColour(30.0001, DEFAULTS)).isEqualTo("#cdebc4");
        assertThat(Charts.heatColour(70.0, DEFAULTS)).isEqualTo("#2f8f4e");
        assertThat(Charts.heatColour(70.0001, DEFAULTS)).isEqualTo("#fdb27a");
        assertThat(Charts.heatColour(100.0, DEFAULTS)).isEqualTo("#a50f15");
        assertThat(Charts.heatColour(130.0, DEFAULTS)).isEqualTo("#a50f15");
    }

    @Test
    void recommendationsAreCountedOnTheirLocalDay() {
        Subject s = vm("u", "s", "v");
        MonthlyReport r =
                october(
                        Map.of(),
                        List.of(
                                rec("a", OCTOBER_START, "r", "SCALE_UP", s),
                                rec(
                                        "b",
                                        OCTOBER_START.minusMillis(1).plusSeconds(86_400),
                                        "r",
                                        "SCALE_UP",
                                        s),
                                rec("c", OCTOBER_START.plusSeconds(86_400), "r", "RECLAIM", s)));

        Map<String, int[]> perDay = Charts.perDay(r);

        assertThat(perDay).containsOnlyKeys("RECLAIM", "SCALE_UP");
        assertThat(perDay.get("SCALE_UP")[0]).isEqualTo(2);
        assertThat(perDay.get("RECLAIM")[1]).isEqualTo(1);
        assertThat(perDay.get("SCALE_UP")).hasSize(31);
    }

    @Test
    void axesGetARoundStepAndRoomAboveTheTallestBar() {
        assertThat(
                        List.of(
                                Charts.niceStep(1),
                                Charts.niceStep(5),
                                Charts.niceStep(7),
                                Charts.niceStep(23),
                                Charts.niceStep(480)))
                .containsExactly(1, 1, 2, 5, 100);
        assertThat(Charts.headroom(2, 1)).isEqualTo(3);
        assertThat(Charts.headroom(23, 5)).isEqualTo(25);
    }
}
