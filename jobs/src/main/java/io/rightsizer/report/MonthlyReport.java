package io.rightsizer.report;

import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A month's utilization report (Article 27), computed from the month's hourly figures per VM, its
 * recommendations and its data-quality silences. Pure: {@link #build} reads nothing.
 *
 * @param unit the unit the report is restricted to, or null for the whole fleet
 * @param ruleIds the recommendation columns: every rule of {@link Rule} in its order, then any
 *     other rule id found in the month, sorted
 * @param vms one row per VM, by unit, system, VM
 * @param systems one row per system, by unit, system
 * @param units one row per unit
 * @param fleet the whole report's totals
 * @param recommendations every recommendation of the month, by time then id
 * @param silences every TELEMETRY_SILENT event of the month, by time then id
 * @param heatMap the VMs of the heat map (the highest peaks first) and their daily means
 * @param heatMapHidden VMs not shown in the heat map
 */
public record MonthlyReport(
        ReportMonth month,
        String unit,
        String ruleSetVersion,
        Thresholds thresholds,
        List<String> ruleIds,
        List<Row> vms,
        List<Row> systems,
        List<Row> units,
        Row fleet,
        List<RecommendationRow> recommendations,
        List<SilenceRow> silences,
        List<HeatRow> heatMap,
        int heatMapHidden) {

    /** The most VM rows a heat map shows. */
    public static final int HEAT_MAP_ROWS = 60;

    public static final String INACTIVE_RULE = Rule.VM_INACTIVE.id();

    /** A heat map line: a VM, its monthly peak and its days. */
    public record HeatRow(Subject vm, Double peak, Days days) {}

    /**
     * A VM's days of the month (index 0 = the 1st, in the rule set's zone).
     *
     * @param memory the day's mean memory % (mean of its hourly means), null without a reading
     * @param stoppedOnly the day had samples and every one was STOPPED
     */
    public record Days(List<Double> memory, List<Boolean> stoppedOnly) {
        public static Days none(int days) {
            List<Double> m = new ArrayList<>();
            List<Boolean> s = new ArrayList<>();
            for (int i = 0; i < days; i++) {
                m.add(null);
                s.add(false);
            }
            return new Days(m, s);
        }
    }

    public boolean hasData() {
        return !vms.isEmpty() || !systems.isEmpty() || !recommendations.isEmpty();
    }

    /**
     * The VMs a heat map shows: the {@code limit} highest monthly memory peaks (ties by unit,
     * system, VM; VMs without a memory reading last).
     */
    public static List<Subject> heatMapVms(Map<Subject, Figures> hourly, int limit) {
        return hourly.entrySet().stream()
                .sorted(
                        Comparator.<Map.Entry<Subject, Figures>, Double>comparing(
                                        e -> e.getValue().peakMemory(),
                                        Comparator.nullsLast(Comparator.reverseOrder()))
                                .thenComparing(Map.Entry::getKey, Subject.ORDER))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * The report.
     *
     * @param hourly the month's figures per VM (from {@code vm_hourly})
     * @param daily the days of the heat map's VMs ({@link #heatMapVms})
     */
    public static MonthlyReport build(
            ReportMonth month,
            String unit,
            RuleSet rules,
            Map<Subject, Figures> hourly,
            List<RecommendationRow> recommendations,
            List<SilenceRow> silences,
            Map<Subject, Days> daily) {
        List<RecommendationRow> recs =
                recommendations.stream()
                        .sorted(
                                Comparator.comparing(RecommendationRow::firedAt)
                                        .thenComparing(RecommendationRow::id))
                        .toList();
        Map<Subject, Map<String, Integer>> recsByVm = new TreeMap<>(Subject.ORDER);
        Map<Subject, Map<String, Integer>> recsBySystem = new TreeMap<>(Subject.ORDER);
        Map<Subject, Map<String, Integer>> recsByUnit = new TreeMap<>(Subject.ORDER);
        Map<String, Integer> recsFleet = new TreeMap<>();
        Set<Subject> inactive = new HashSet<>();
        for (RecommendationRow r : recs) {
            Subject s = r.subject();
            if (!s.vmId().isEmpty()) {
                recsByVm.computeIfAbsent(s, k -> new TreeMap<>()).merge(r.rule(), 1, Integer::sum);
                if (INACTIVE_RULE.equals(r.rule())) {
                    inactive.add(s);
                }
            }
            recsBySystem
                    .computeIfAbsent(s.system(), k -> new TreeMap<>())
                    .merge(r.rule(), 1, Integer::sum);
            recsByUnit
                    .computeIfAbsent(s.unit(), k -> new TreeMap<>())
                    .merge(r.rule(), 1, Integer::sum);
            recsFleet.merge(r.rule(), 1, Integer::sum);
        }

        Set<Subject> vmSubjects = new java.util.TreeSet<>(Subject.ORDER);
        vmSubjects.addAll(hourly.keySet());
        vmSubjects.addAll(recsByVm.keySet());
        List<Row> vmRows = new ArrayList<>();
        for (Subject vm : vmSubjects) {
            Figures f = hourly.getOrDefault(vm, Figures.NONE);
            Thresholds t = Thresholds.of(rules.forVm(vm.vmId(), vm.systemId(), vm.unitId()));
            boolean over = t.overProvisioned(f);
            boolean idle = inactive.contains(vm) || f.allStopped();
            vmRows.add(
                    new Row(
                            vm,
                            1,
                            1,
                            f,
                            recsByVm.getOrDefault(vm, Map.of()),
                            over ? 1 : 0,
                            idle ? 1 : 0));
        }
        List<Row> systemRows = rollUp(vmRows, Subject::system, recsBySystem, true);
        List<Row> unitRows = rollUp(systemRows, Subject::unit, recsByUnit, false);
        Row fleet = total(new Subject("", "", ""), unitRows, recsFleet, false);

        Set<String> ruleIds = new LinkedHashSet<>();
        for (Rule r : Rule.values()) {
            ruleIds.add(r.id());
        }
        recs.stream().map(RecommendationRow::rule).sorted().forEach(ruleIds::add);

        List<Subject> shown = heatMapVms(hourly, HEAT_MAP_ROWS);
        List<HeatRow> heat =
                shown.stream()
                        .map(
                                vm ->
                                        new HeatRow(
                                                vm,
                                                hourly.get(vm).peakMemory(),
                                                daily.getOrDefault(vm, Days.none(month.days()))))
                        .toList();

        return new MonthlyReport(
                month,
                unit,
                rules.version(),
                Thresholds.of(rules),
                List.copyOf(ruleIds),
                vmRows,
                systemRows,
                unitRows,
                fleet,
                recs,
                silences.stream()
                        .sorted(
                                Comparator.comparing(SilenceRow::detectedAt)
                                        .thenComparing(SilenceRow::id))
                        .toList(),
                heat,
                hourly.size() - shown.size());
    }

    /**
     * Groups rows by {@code key}; the groups' recommendations are those of the group itself (so a
     * system-level recommendation counts for its system, and a system with only such a
     * recommendation still has a row).
     */
    static List<Row> rollUp(
            List<Row> rows,
            Function<Subject, Subject> key,
            Map<Subject, Map<String, Integer>> recsByGroup,
            boolean systemLevel) {
        Map<Subject, List<Row>> groups =
                rows.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> key.apply(r.subject()),
                                        () -> new TreeMap<>(Subject.ORDER),
                                        Collectors.toList()));
        for (Subject s : recsByGroup.keySet()) {
            groups.computeIfAbsent(s, k -> new ArrayList<>());
        }
        List<Row> out = new ArrayList<>();
        groups.forEach(
                (s, members) ->
                        out.add(
                                total(
                                        s,
                                        members,
                                        recsByGroup.getOrDefault(s, Map.of()),
                                        systemLevel)));
        return out;
    }

    private static Row total(
            Subject s, List<Row> members, Map<String, Integer> recs, boolean systemLevel) {
        Figures f = Figures.NONE;
        int vms = 0;
        int systems = 0;
        int over = 0;
        int idle = 0;
        for (Row m : members) {
            f = f.plus(m.figures());
            vms += m.vms();
            systems += m.systems();
            over += m.overProvisionedVms();
            idle += m.idleVms();
        }
        // A system row counts itself, even without VMs (it may have only system-level
        // recommendations); a unit or the fleet counts its system rows.
        if (systemLevel) {
            systems = 1;
        }
        return new Row(s, vms, systems, f, Map.copyOf(recs), over, idle);
    }
}
