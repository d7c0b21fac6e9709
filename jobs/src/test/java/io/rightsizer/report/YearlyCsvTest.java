package io.rightsizer.report;

import static io.rightsizer.report.ReportFixtures.DEFAULT_RULES;
import static io.rightsizer.report.ReportFixtures.SHANGHAI;
import static io.rightsizer.report.ReportFixtures.running;
import static io.rightsizer.report.ReportFixtures.stopped;
import static io.rightsizer.report.ReportFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YearlyCsvTest {
    private static final Year YEAR = Year.of(2026);
    private static final Subject LEAN = vm("u", "s", "vm-lean");
    private static final Subject PARKED = vm("u", "s", "vm-parked");

    private static MonthlyReport month(int m, Map<Subject, Figures> hourly) {
        return MonthlyReport.build(
                new ReportMonth(YEAR.atMonth(m), SHANGHAI),
                "u",
                DEFAULT_RULES,
                hourly,
                List.of(),
                List.of(),
                Map.of());
    }

    @Test
    void aSystemsYearTotalsItsMonthsAndCountsEachFlaggedVmOnce() {
        List<MonthlyReport> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            months.add(
                    switch (m) {
                        case 1 ->
                                month(
                                        m,
                                        Map.of(
                                                LEAN,
                                                running(10, 20, 40, null),
                                                PARKED,
                                                stopped(5)));
                        case 3 -> month(m, Map.of(LEAN, running(30, 24, 45, 10.0)));
                        default -> month(m, Map.of());
                    });
        }

        assertThat(YearlyCsv.render(YEAR, months).split("\r\n"))
                .containsExactly(
                        String.join(",", YearlyCsv.HEADER),
                        "2026,2026-01,system,u,s,,2,20.0,40.0,,15,10,1,1,0",
                        "2026,2026-01,vm,u,s,vm-lean,1,20.0,40.0,,10,10,1,0,0",
                        "2026,2026-01,vm,u,s,vm-parked,1,,,,5,0,0,1,0",
                        "2026,2026-03,system,u,s,,1,24.0,45.0,10.0,30,30,1,0,0",
                        "2026,2026-03,vm,u,s,vm-lean,1,24.0,45.0,10.0,30,30,1,0,0",
                        "2026,2026,system-year,u,s,,2,23.0,45.0,10.0,45,40,1,1,0");
    }

    @Test
    void aYearWithoutDataIsTheHeaderOnly() {
        List<MonthlyReport> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            months.add(month(m, Map.of()));
        }

        assertThat(YearlyCsv.render(YEAR, months))
                .isEqualTo(String.join(",", YearlyCsv.HEADER) + "\r\n");
    }
}
