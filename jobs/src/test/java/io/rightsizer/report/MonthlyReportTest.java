package io.rightsizer.report;

import static io.rightsizer.report.ReportFixtures.DEFAULT_RULES;
import static io.rightsizer.report.ReportFixtures.OCTOBER;
import static io.rightsizer.report.ReportFixtures.OCTOBER_START;
import static io.rightsizer.report.ReportFixtures.october;
import static io.rightsizer.report.ReportFixtures.rec;
import static io.rightsizer.report.ReportFixtures.running;
import static io.rightsizer.report.ReportFixtures.stopped;
import static io.rightsizer.report.ReportFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MonthlyReportTest {
    private static final Subject BUSY = vm("u-a", "sys-a", "vm-busy");
    private static final Subject QUIET = vm("u-a", "sys-a", "vm-quiet");

    @Test
    void overProvisionedIsAnAverageAndAPeakAtMostTheUnderuseThresholdsInclusive() {
        Map<Subject, Figures> hourly = new TreeMap<>(Subject.ORDER);
        hourly.put(vm("u", "s", "at-both-edges"), running(2, 30.0, 50.0, null));
        hourly.put(vm("u", "s", "average-just-above"), running(2, 30.05, 40.0, null));
        hourly.put(vm("u", "s", "peak-just-above"), running(2, 20.0, 50.05, null));
        hourly.put(vm("u", "s", "stopped-only"), stopped(3));

        MonthlyReport r = october(hourly, List.of());

        assertThat(r.vms())
                .extracting(row -> row.subject().vmId() + "=" + row.overProvisionedVms())
                .containsExactly(
                        "at-both-edges=1",
                        "average-just-above=0",
                        "peak-just-above=0",
                        "stopped-only=0");
        assertThat(r.fleet().overProvisionedVms()).isEqualTo(1);
    }

    @Test
    void aUnitsOverriddenUnderuseThresholdJudgesItsVms() throws Exception {
        var rules =
                ReportFixtures.rules(
                        """
                        version: "1"
                        calendar: {zone: Asia/Shanghai}
                        rules: {}
                        overrides:
                          - match: {unitId: lean}
                            set:
                              reduce.memory.weekly-underuse: {average-at-most-pct: 20}
                        """);
        Map<Subject, Figures> hourly = new TreeMap<>(Subject.ORDER);
        hourly.put(vm("lean", "s", "vm-25"), running(1, 25.0, 40.0, null));
        hourly.put(vm("other", "s", "vm-25"), running(1, 25.0, 40.0, null));

        MonthlyReport r =
                MonthlyReport.build(OCTOBER, null, rules, hourly, List.of(), List.of(), Map.of());

        assertThat(r.vms())
                .extracting(row -> row.subject().unitId() + "=" + row.overProvisionedVms())
                .containsExactly("lean=0", "other=1");
    }

    @Test
    void idleIsEverySampleStoppedOrAnInactivityRecommendationInTheMonth() {
        Subject partlyStopped = vm("u", "s", "partly-stopped");
        Subject reclaimed = vm("u", "s", "reclaimed");
        Subject stoppedAll = vm("u", "s", "stopped-all");
        Map<Subject, Figures> hourly = new TreeMap<>(Subject.ORDER);
        hourly.put(partlyStopped, running(1, 50, 60, null).plus(stopped(5)));
        hourly.put(reclaimed, running(3, 50, 60, null));
        hourly.put(stoppedAll, stopped(5));

        MonthlyReport r =
                october(
                        hourly,
                        List.of(
                                rec(
                                        "r1",
                                        OCTOBER_START,
                                        "reduce.vm.inactive",
                                        "RECLAIM",
                                        reclaimed)));

        assertThat(r.vms())
                .extracting(row -> row.subject().vmId() + "=" + row.idleVms())
                .containsExactly("partly-stopped=0", "reclaimed=1", "stopped-all=1");
    }

    @Test
    void aSystemsAverageIsHourWeightedNotAMeanOfItsVmsAverages() {
        Map<Subject, Figures> hourly = new TreeMap<>(Subject.ORDER);
        hourly.put(BUSY, running(1, 90.0, 95.0, 70.0));
        hourly.put(QUIET, running(10, 10.0, 20.0, 30.0));

        Row system = october(hourly, List.of()).systems().get(0);

        assertThat(system.figures().averageMemory()).isEqualTo(190.0 / 11);
        assertThat(system.figures().peakMemory()).isEqualTo(95.0);
        assertThat(system.figures().peakStorage()).isEqualTo(70.0);
        assertThat(system.figures().coveredHours()).isEqualTo(11);
        assertThat(system.vms()).isEqualTo(2);
    }

    @Test
    void aSystemLevelRecommendationCountsForItsSystemAndUnitButNoVm() {
        Map<Subject, Figures> hourly = new TreeMap<>(Subject.ORDER);
        hourly.put(BUSY, running(1, 90.0, 95.0, null));
        Subject silentSystem = new Subject("u-a", "sys-silent", "");

        MonthlyReport r =
                october(
                        hourly,
                        List.of(
                                rec(
                                        "r1",
                                        OCTOBER_START,
                                        "reduce.system.no-business-data",
                                        "RECLAIM",
                                        silentSystem),
                                rec(
                                        "r2",
                                        OCTOBER_START,
                                        "scale-up.memory.weekly-average",
                                        "SCALE_UP",
                                        BUSY)));

        assertThat(r.vms()).extracting(Row::subject).containsExactly(BUSY);
        assertThat(r.systems())
                .extracting(
                        row ->
                                row.subject().systemId()
                                        + ":"
                                        + row.vms()
                                        + ":"
                                        + row.recommendationsByRule())
                .containsExactly(
                        "sys-a:1:{scale-up.memory.weekly-average=1}",
                        "sys-silent:0:{reduce.system.no-business-data=1}");
        assertThat(r.units()).hasSize(1);
        assertThat(r.units().get(0).systems()).isEqualTo(2);
        assertThat(r.units().get(0).recommendations()).isEqualTo(2);
    }

    @Test
    void aRuleIdNotInThisVersionGetsItsOwnColumnAfterTheKnownOnes() {
        MonthlyReport r =
                october(
                        Map.of(),
                        List.of(rec("r1", OCTOBER_START, "future.rule", "SCALE_UP", BUSY)));

        assertThat(r.ruleIds()).hasSize(9);
        assertThat(r.ruleIds().get(0)).isEqualTo("scale-up.memory.weekly-average");
        assertThat(r.ruleIds().get(8)).isEqualTo("future.rule");
    }

    @Test
    void theHeatMapShowsTheHighestPeaksAndCountsTheOthers() {
        Map<Subject, Figures> hourly = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            hourly.put(vm("u", "s", String.format("vm-%02d", i)), running(1, 10, i, null));
        }
        hourly.put(vm("u", "s", "vm-stopped"), stopped(1));

        List<Subject> shown = MonthlyReport.heatMapVms(hourly, MonthlyReport.HEAT_MAP_ROWS);
        MonthlyReport r =
                MonthlyReport.build(
                        OCTOBER, null, DEFAULT_RULES, hourly, List.of(), List.of(), Map.of());

        assertThat(shown).hasSize(60);
        assertThat(shown.get(0).vmId()).isEqualTo("vm-64");
        assertThat(shown.get(59).vmId()).isEqualTo("vm-05");
        assertThat(r.heatMapHidden()).isEqualTo(6);
        assertThat(r.heatMap().get(0).days()).isEqualTo(MonthlyReport.Days.none(31));
    }

    @Test
    void aMonthWithNothingHasNoData() {
        MonthlyReport r = october(Map.of(), List.of());

        assertThat(r.hasData()).isFalse();
        assertThat(r.fleet().figures()).isEqualTo(Figures.NONE);
        assertThat(r.fleet().figures().averageMemory()).isNull();
    }
}
