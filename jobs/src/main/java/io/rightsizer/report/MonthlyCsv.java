package io.rightsizer.report;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The monthly report's tables as CSV: units, systems, VMs and recommendations. */
public final class MonthlyCsv {
    private MonthlyCsv() {}

    public static String units(MonthlyReport r) {
        StringBuilder b = new StringBuilder();
        List<String> header =
                new ArrayList<>(
                        List.of(
                                "month",
                                "unit",
                                "systems",
                                "vms",
                                "average_memory_pct",
                                "peak_memory_pct",
                                "peak_storage_pct",
                                "covered_vm_hours",
                                "running_vm_hours",
                                "over_provisioned_vms",
                                "idle_vms",
                                "recommendations"));
        header.addAll(r.ruleIds());
        b.append(Csv.line(header));
        for (Row row : r.units()) {
            List<String> f = new ArrayList<>();
            f.add(r.month().toString());
            f.add(row.subject().unitId());
            f.add(Integer.toString(row.systems()));
            f.add(Integer.toString(row.vms()));
            figures(f, row);
            f.add(Integer.toString(row.overProvisionedVms()));
            f.add(Integer.toString(row.idleVms()));
            recommendations(f, row, r);
            b.append(Csv.line(f));
        }
        return b.toString();
    }

    public static String systems(MonthlyReport r) {
        StringBuilder b = new StringBuilder();
        List<String> header =
                new ArrayList<>(
                        List.of(
                                "month",
                                "unit",
                                "system",
                                "vms",
                                "average_memory_pct",
                                "peak_memory_pct",
                                "peak_storage_pct",
                                "covered_vm_hours",
                                "running_vm_hours",
                                "over_provisioned_vms",
                                "idle_vms",
                                "recommendations"));
        header.addAll(r.ruleIds());
        b.append(Csv.line(header));
        for (Row row : r.systems()) {
            List<String> f = new ArrayList<>();
            f.add(r.month().toString());
            f.add(row.subject().unitId());
            f.add(row.subject().systemId());
            f.add(Integer.toString(row.vms()));
            figures(f, row);
            f.add(Integer.toString(row.overProvisionedVms()));
            f.add(Integer.toString(row.idleVms()));
            recommendations(f, row, r);
            b.append(Csv.line(f));
        }
        return b.toString();
    }

    public static String vms(MonthlyReport r) {
        StringBuilder b = new StringBuilder();
        List<String> header =
                new ArrayList<>(
                        List.of(
                                "month",
                                "unit",
                                "system",
                                "vm",
                                "average_memory_pct",
                                "peak_memory_pct",
                                "peak_storage_pct",
                                "covered_hours",
                                "running_hours",
                                "over_provisioned",
                                "idle",
                                "recommendations"));
        header.addAll(r.ruleIds());
        b.append(Csv.line(header));
        for (Row row : r.vms()) {
            List<String> f = new ArrayList<>();
            f.add(r.month().toString());
            f.add(row.subject().unitId());
            f.add(row.subject().systemId());
            f.add(row.subject().vmId());
            figures(f, row);
            f.add(row.overProvisionedVms() > 0 ? "yes" : "no");
            f.add(row.idleVms() > 0 ? "yes" : "no");
            recommendations(f, row, r);
            b.append(Csv.line(f));
        }
        return b.toString();
    }

    public static String recommendations(MonthlyReport r) {
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        StringBuilder b = new StringBuilder();
        b.append(
                Csv.line(
                        List.of("id", "time", "rule", "action", "vm", "system", "unit", "reason")));
        for (RecommendationRow rec : r.recommendations()) {
            b.append(
                    Csv.line(
                            List.of(
                                    rec.id(),
                                    iso.format(rec.firedAt().atZone(r.month().zone())),
                                    rec.rule(),
                                    rec.action(),
                                    rec.vmId(),
                                    rec.systemId(),
                                    rec.unitId(),
                                    rec.reason())));
        }
        return b.toString();
    }

    private static void figures(List<String> f, Row row) {
        Figures x = row.figures();
        f.add(Csv.pct(x.averageMemory()));
        f.add(Csv.pct(x.peakMemory()));
        f.add(Csv.pct(x.peakStorage()));
        f.add(Long.toString(x.coveredHours()));
        f.add(Long.toString(x.runningHours()));
    }

    private static void recommendations(List<String> f, Row row, MonthlyReport r) {
        f.add(Integer.toString(row.recommendations()));
        for (String rule : r.ruleIds()) {
            f.add(Integer.toString(row.recommendations(rule)));
        }
    }
}
