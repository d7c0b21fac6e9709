package io.rightsizer.report;

import static io.rightsizer.report.ReportFixtures.NOVEMBER_START;
import static io.rightsizer.report.ReportFixtures.OCTOBER;
import static io.rightsizer.report.ReportFixtures.OCTOBER_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReportMonthTest {
    @Test
    void aMonthRunsFromItsFirstLocalMidnightToTheNextMonthsExclusive() {
        assertThat(OCTOBER.start()).isEqualTo(OCTOBER_START);
        assertThat(OCTOBER.end()).isEqualTo(NOVEMBER_START);
        assertThat(OCTOBER.days()).isEqualTo(31);
        assertThat(OCTOBER.dayIndex(OCTOBER_START)).isEqualTo(0);
        assertThat(OCTOBER.dayIndex(NOVEMBER_START.minusMillis(1))).isEqualTo(30);
    }

    @Test
    void aMonthWithADaylightSavingChangeFollowsTheZonesMidnights() {
        ReportMonth march = new ReportMonth(YearMonth.of(2026, 3), ZoneId.of("Europe/Berlin"));

        assertThat(march.start()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(march.end()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
    }

    @Test
    void parsesYearDashMonthOnly() {
        assertThat(ReportMonth.parse("2026-10")).isEqualTo(YearMonth.of(2026, 10));
        for (String bad : new String[] {"2026-13", "2026-1", "2026/10", "October", "2026-10-01"}) {
            assertThatThrownBy(() -> ReportMonth.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "'" + bad + "' is not a month such as 2026-10 (year-month, ISO 8601)");
        }
    }

    @Test
    void printsAsYearDashMonth() {
        assertThat(OCTOBER).hasToString("2026-10");
    }
}
