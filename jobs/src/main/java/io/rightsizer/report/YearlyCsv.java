package io.rightsizer.report;

import io.rightsizer.i18n.Messages;
import java.time.Year;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A unit's yearly self-assessment table (Article 37) from the year's twelve monthly reports: per
 * system, each month's system row followed by its VMs' rows, then the system's total for the year.
 */
public final class YearlyCsv {
    static final List<String> HEADER =
            List.of(
                    "year",
                    "month",
                    "level",
                    "unit",
                    "system",
                    "vm",
                    "vms",
                    "average_memory_pct",
                    "peak_memory_pct",
                    "peak_storage_pct",
                    "covered_hours",
                    "running_hours",
                    "over_provisioned_vms",
                    "idle_vms",
                    "recommendations");

    private YearlyCsv() {}

    /**
     * @param months the year's monthly reports of the unit, January first (months without data add
     *     no rows)
     */
    public static String render(Year year, List<MonthlyReport> months) {
        return render(year, months, Messages.ENGLISH);
    }

    /** In {@code msg}'s language: the header and the level column; the figures as numbers. */
    public static String render(Year year, List<MonthlyReport> months, Messages msg) {
        Map<Subject, List<MonthlyReport>> systems = new TreeMap<>(Subject.ORDER);
        for (MonthlyReport m : months) {
            for (Row s : m.systems()) {
                systems.computeIfAbsent(s.subject(), k -> new ArrayList<>()).add(m);
            }
        }
        StringBuilder b = new StringBuilder(Csv.line(MonthlyCsv.header(msg, HEADER)));
        systems.forEach(
                (system, reports) -> {
                    Figures total = Figures.NONE;
                    int recs = 0;
                    Set<Subject> vms = new HashSet<>();
                    Set<Subject> over = new HashSet<>();
                    Set<Subject> idle = new HashSet<>();
                    for (MonthlyReport m : reports) {
                        Row s =
                                m.systems().stream()
                                        .filter(x -> x.subject().equals(system))
                                        .findFirst()
                                        .orElseThrow();
                        b.append(line(year, m.month().toString(), level(msg, "system"), s));
                        total = total.plus(s.figures());
                        recs += s.recommendations();
                        for (Row vm : m.vms()) {
                            if (!vm.subject().system().equals(system)) {
                                continue;
                            }
                            b.append(line(year, m.month().toString(), level(msg, "vm"), vm));
                            vms.add(vm.subject());
                            if (vm.overProvisionedVms() > 0) {
                                over.add(vm.subject());
                            }
                            if (vm.idleVms() > 0) {
                                idle.add(vm.subject());
                            }
                        }
                    }
                    Row year1 =
                            new Row(
                                    system,
                                    vms.size(),
                                    1,
                                    total,
                                    Map.of("all", recs),
                                    over.size(),
                                    idle.size());
                    b.append(line(year, year.toString(), level(msg, "system-year"), year1));
                });
        return b.toString();
    }

    private static String level(Messages m, String level) {
        return m.get("csv.level." + level);
    }

    private static String line(Year year, String month, String level, Row row) {
        Figures f = row.figures();
        return Csv.line(
                List.of(
                        year.toString(),
                        month,
                        level,
                        row.subject().unitId(),
                        row.subject().systemId(),
                        row.subject().vmId(),
                        Integer.toString(row.vms()),
                        Csv.pct(f.averageMemory()),
                        Csv.pct(f.peakMemory()),
                        Csv.pct(f.peakStorage()),
                        Long.toString(f.coveredHours()),
                        Long.toString(f.runningHours()),
                        Integer.toString(row.overProvisionedVms()),
                        Integer.toString(row.idleVms()),
                        Integer.toString(row.recommendations())));
    }
}
