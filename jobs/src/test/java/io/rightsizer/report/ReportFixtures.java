package io.rightsizer.report;

import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.RuleSetParser;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Named months, subjects and figures for the report's unit tests. */
final class ReportFixtures {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ReportMonth OCTOBER = new ReportMonth(YearMonth.of(2026, 10), SHANGHAI);

    /** Oct 1 00:00 in Shanghai. */
    static final Instant OCTOBER_START = Instant.parse("2026-09-30T16:00:00Z");

    /** Nov 1 00:00 in Shanghai. */
    static final Instant NOVEMBER_START = Instant.parse("2026-10-31T16:00:00Z");

    static final RuleSet DEFAULT_RULES = RuleSet.defaults("2026.11.0");

    private ReportFixtures() {}

    static Subject vm(String unit, String system, String vm) {
        return new Subject(unit, system, vm);
    }

    /** {@code hours} running hours, all with the same mean, and the given peaks. */
    static Figures running(int hours, double mean, double peak, Double storage) {
        return new Figures(mean * hours, hours, peak, storage, hours, 12L * hours, 0);
    }

    /** {@code hours} hours with STOPPED samples only. */
    static Figures stopped(int hours) {
        return new Figures(0, 0, null, null, hours, 12L * hours, 12L * hours);
    }

    static RecommendationRow rec(String id, Instant at, String rule, String action, Subject s) {
        return new RecommendationRow(
                id, at, rule, action, s.vmId(), s.systemId(), s.unitId(), "reason of " + id);
    }

    static MonthlyReport october(Map<Subject, Figures> hourly, List<RecommendationRow> recs) {
        return MonthlyReport.build(OCTOBER, null, DEFAULT_RULES, hourly, recs, List.of(), Map.of());
    }

    static RuleSet rules(String yaml) throws Exception {
        return RuleSetParser.parse(yaml, "test.yaml");
    }

    static List<Double> days(int n, Double value) {
        List<Double> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(value);
        }
        return l;
    }
}
