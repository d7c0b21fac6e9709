package io.rightsizer.report;

import io.rightsizer.i18n.Messages;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The monthly report's tables as CSV: units, systems, VMs and recommendations. */
public final class MonthlyCsv {
    private MonthlyCsv() {}

    public static String units(MonthlyReport r) {
        return units(r, Messages.ENGLISH);
    }

    public static String units(MonthlyReport r, Messages m) {
        return table(
                r,
                m,
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
                        "recommendations"),
                r.units(),
                row ->
                        List.of(
                                row.subject().unitId(),
                                Integer.toString(row.systems()),
                                Integer.toString(row.vms())),
                MonthlyCsv::counts);
    }

    public static String systems(MonthlyReport r) {
        return systems(r, Messages.ENGLISH);
    }

    public static String systems(MonthlyReport r, Messages m) {
        return table(
                r,
                m,
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
                        "recommendations"),
                r.systems(),
                row ->
                        List.of(
                                row.subject().unitId(),
                                row.subject().systemId(),
                                Integer.toString(row.vms())),
                MonthlyCsv::counts);
    }

    public static String vms(MonthlyReport r) {
        return vms(r, Messages.ENGLISH);
    }

    public static String vms(MonthlyReport r, Messages m) {
        return table(
                r,
                m,
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
                        "recommendations"),
                r.vms(),
                row ->
                        List.of(
                                row.subject().unitId(),
                                row.subject().systemId(),
                                row.subject().vmId()),
                row ->
                        List.of(
                                m.get(row.overProvisionedVms() > 0 ? "csv.yes" : "csv.no"),
                                m.get(row.idleVms() > 0 ? "csv.yes" : "csv.no")));
    }

    /**
     * One of the subject tables: the month, the subject's ids, its figures, its flags, then its
     * recommendations in all and per rule (one column per rule id of the report).
     */
    private static String table(
            MonthlyReport r,
            Messages m,
            List<String> columns,
            List<Row> rows,
            Function<Row, List<String>> ids,
            Function<Row, List<String>> flags) {
        List<String> header = new ArrayList<>(header(m, columns));
        header.addAll(r.ruleIds());
        StringBuilder b = new StringBuilder(Csv.line(header));
        for (Row row : rows) {
            List<String> f = new ArrayList<>();
            f.add(r.month().toString());
            f.addAll(ids.apply(row));
            figures(f, row);
            f.addAll(flags.apply(row));
            recommendations(f, row, r);
            b.append(Csv.line(f));
        }
        return b.toString();
    }

    private static List<String> counts(Row row) {
        return List.of(Integer.toString(row.overProvisionedVms()), Integer.toString(row.idleVms()));
    }

    /**
     * The column names in {@code m}'s language; the per-rule columns keep the rule ids, which name
     * the rules in every language.
     */
    static List<String> header(Messages m, List<String> columns) {
        return columns.stream().map(c -> m.get("csv." + c)).toList();
    }

    public static String recommendations(MonthlyReport r) {
        return recommendations(r, Messages.ENGLISH);
    }

    /** The recommendations with their reason as the job wrote it (in the job's locale). */
    public static String recommendations(MonthlyReport r, Messages m) {
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        StringBuilder b = new StringBuilder();
        b.append(
                Csv.line(
                        header(
                                m,
                                List.of(
                                        "id", "time", "rule", "action", "vm", "system", "unit",
                                        "reason"))));
        for (RecommendationRow rec : r.recommendations()) {
            b.append(
                    Csv.line(
                            List.of(
                                    rec.id(),
                                    iso.format(rec.firedAt().atZone(r.month().zone())),
                                    rec.rule(),
                                    action(m, rec.action()),
                                    rec.vmId(),
                                    rec.systemId(),
                                    rec.unitId(),
                                    rec.reason())));
        }
        return b.toString();
    }

    /** An action ({@code SCALE_UP}) in {@code m}'s words; one it does not know, as it is. */
    static String action(Messages m, String action) {
        String key = "enum.action." + action;
        return m.keys().contains(key) ? m.get(key) : action;
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
