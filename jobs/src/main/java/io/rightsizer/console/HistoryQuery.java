package io.rightsizer.console;

import io.rightsizer.console.ConsoleModel.History;
import io.rightsizer.console.ConsoleModel.HourPoint;
import io.rightsizer.console.ConsoleModel.Threshold;
import io.rightsizer.report.InfluxReportSource;
import io.rightsizer.report.InfluxReportSource.VmHour;
import io.rightsizer.report.ReportException;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A recommendation's chart: the VM's hours from the history ({@link InfluxReportSource#vmHours})
 * and the thresholds of the rule that fired, from the rule set version named by the recommendation.
 */
final class HistoryQuery implements AutoCloseable {
    /** The window of a rule that judged no week: the seven days up to the firing's hour. */
    static final Duration WINDOW_WITHOUT_WEEK = Duration.ofDays(7);

    private final ConsoleSettings.Influx influx;
    private final RuleSet configuredRules;

    /** The documents of the rules topic by version (the topic is compacted, key = version). */
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    private final Map<String, Optional<RuleSet>> parsed = new ConcurrentHashMap<>();
    private InfluxReportSource source;

    HistoryQuery(ConsoleSettings.Influx influx, RuleSet configuredRules) {
        this.influx = influx;
        this.configuredRules = configuredRules;
    }

    /** A rule set published on the rules topic (the reader thread). */
    void ruleSet(String version, String document) {
        if (!document.equals(documents.put(version, document))) {
            parsed.remove(version);
        }
    }

    /** [from, to) of the chart: the evidence's week, else the days before the firing. */
    static Instant[] window(Recommendation r) {
        Evidence e = r.getEvidence();
        if (e != null && e.getWeekStart() != null && e.getWeekEnd() != null) {
            return new Instant[] {e.getWeekStart(), e.getWeekEnd()};
        }
        Instant to = r.getFiredAt().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        return new Instant[] {to.minus(WINDOW_WITHOUT_WEEK), to};
    }

    /** Empty when no history is configured or the recommendation is about a system, not a VM. */
    synchronized Optional<History> history(Recommendation r) throws ConsoleException {
        if (influx == null || r.getVmId() == null) {
            return Optional.empty();
        }
        Instant[] w = window(r);
        List<VmHour> hours;
        try {
            if (source == null) {
                source =
                        InfluxReportSource.connect(
                                influx.url(),
                                influx.database(),
                                influx.retentionPolicy(),
                                influx.username(),
                                influx.password());
            }
            hours = source.vmHours(r.getVmId(), w[0], w[1]);
        } catch (ReportException e) {
            // Connect again next time: the server may be back.
            closeSource();
            throw new ConsoleException("history of " + r.getVmId() + ": " + e.getMessage(), e);
        }
        Map<Instant, VmHour> byHour = new HashMap<>();
        hours.forEach(h -> byHour.put(h.hour(), h));
        List<HourPoint> memory = new ArrayList<>();
        List<HourPoint> storage = new ArrayList<>();
        for (Instant h = w[0]; h.isBefore(w[1]); h = h.plus(Duration.ofHours(1))) {
            VmHour v = byHour.get(h);
            memory.add(
                    new HourPoint(
                            h,
                            v == null ? null : v.memoryMean(),
                            v == null ? null : v.memoryMax()));
            // The history keeps each hour's storage maximum only (vm_hourly has no storage mean).
            storage.add(new HourPoint(h, null, v == null ? null : v.storageMax()));
        }
        return Optional.of(new History(r.getVmId(), w[0], w[1], memory, storage, thresholds(r)));
    }

    /**
     * The percentages of the fired rule's parameters ({@code *-pct}), as they applied to this VM
     * (its overrides), labelled with the rule file's parameter key; series {@code memory} or {@code
     * storage} after the rule's resource. None when the rule set version is neither on the rules
     * topic nor the configuration's rule file, or the rule judges CPU or a system.
     */
    List<Threshold> thresholds(Recommendation r) {
        Optional<Rule> rule = Rule.byId(r.getRuleId());
        Optional<RuleSet> rules = ruleSet(r.getRuleSetVersion());
        if (rule.isEmpty() || rules.isEmpty()) {
            return List.of();
        }
        String series =
                rule.get().resource() == Resource.MEMORY
                        ? "memory"
                        : rule.get().resource() == Resource.STORAGE ? "storage" : null;
        if (series == null) {
            return List.of();
        }
        RuleSet forVm = rules.get().forVm(r.getVmId(), r.getSystemId(), r.getUnitId());
        List<Threshold> out = new ArrayList<>();
        for (String key : rule.get().params()) {
            if (key.endsWith("-pct") && forVm.param(rule.get(), key) instanceof Number n) {
                out.add(new Threshold(key, series, n.doubleValue()));
            }
        }
        return out;
    }

    /** The rule set of {@code version}: the rules topic's, else the configuration's. */
    Optional<RuleSet> ruleSet(String version) {
        String document = documents.get(version);
        if (document == null) {
            return configuredRules != null && configuredRules.version().equals(version)
                    ? Optional.of(configuredRules)
                    : Optional.empty();
        }
        return parsed.computeIfAbsent(
                version,
                v -> {
                    try {
                        return Optional.of(
                                RuleSetParser.parse(document, "rules topic, version " + v));
                    } catch (RuleSetException e) {
                        // The job refused it too, so no recommendation names it; be safe anyway.
                        return Optional.empty();
                    }
                });
    }

    private void closeSource() {
        if (source != null) {
            source.close();
            source = null;
        }
    }

    @Override
    public synchronized void close() {
        closeSource();
    }
}
