package io.rightsizer.rules;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.calendar.EventCalendar;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.rules.sizing.Catalog;
import io.rightsizer.rules.sizing.Sizing;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The per-VM rules of Article 26 over one VM's {@link VmState}: the five of 26(1)/(2) and the two
 * emergency expansions. Every resize recommendation carries its target size from the {@link Sizing}
 * (the service catalog).
 *
 * <p>Samples are offered with {@link #admit} as they arrive, in any order, and evaluated by {@link
 * #advance} in timestamp order once the watermark has passed them, interleaved with the VM's
 * event-time deadlines (the end of a week, the end of an inactive spell). A sample whose timestamp
 * equals a deadline is evaluated before the deadline. So samples that arrive out of order within
 * the bound give exactly the result of in-order arrival, and the outcome never depends on when a
 * watermark happened to be emitted. The exact semantics are in rules/README.md.
 *
 * <p>Besides its firings it reports the VM's utilization history to the {@link RuleListener}: one
 * {@link HourSummary} per UTC clock hour and one {@link WeekSummary} per week the weekly rules
 * accumulated, each once, when it is complete (rules/README.md, "Utilization history").
 *
 * <p>Pure Java: the Flink operator, the replay and the tests all drive this same class.
 */
public final class VmEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How many peak starts within one span are remembered (and listed as evidence) at most. */
    public static final int MAX_PEAK_STARTS = 64;

    private static final Sample[] NO_SAMPLES = new Sample[0];

    /**
     * The system-level rule only needs each VM's first report with businessRecords and its positive
     * reports; of consecutive positive reports it is passed at most one per hour. One held back is
     * passed on when the VM next reports no records, or when the watermark reaches an hour after
     * the last one passed on: long before any month-long deadline it could affect. The rule's
     * outcome is exactly that of passing every report; only the traffic shrinks.
     */
    public static final long BUSINESS_HOLD_MILLIS = HourSummaries.HOUR;

    private final RuleSet rules;
    private final Sizing sizing;
    private final EventCalendar calendar;

    /** With the shipped service catalog ({@link Catalog#defaults}, = config/catalog.yaml). */
    public VmEvaluator(RuleSet rules) {
        this(rules, new Sizing(Catalog.defaults()));
    }

    public VmEvaluator(RuleSet rules, Sizing sizing) {
        this.rules = rules;
        this.sizing = java.util.Objects.requireNonNull(sizing, "sizing");
        this.calendar = rules.calendar();
    }

    public RuleSet rules() {
        return rules;
    }

    public Sizing sizing() {
        return sizing;
    }

    /**
     * Offers a sample. A sample at or behind the watermark is LATE; one with the timestamp of a
     * sample already accepted (pending, or the latest evaluated) is a DUPLICATE; neither changes
     * the state.
     */
    public Admission admit(VmState s, Sample x, long watermark) {
        return admitTo(s, x, watermark);
    }

    /** {@link #admit}, which depends on the state only (not on the rules). */
    public static Admission admitTo(VmState s, Sample x, long watermark) {
        long ts = x.timestamp;
        if (ts == s.lastEvaluatedAt) {
            return Admission.DUPLICATE;
        }
        Sample[] p = s.pending;
        int n = s.pendingCount;
        int i = n;
        while (i > 0 && p[i - 1].timestamp > ts) {
            i--;
        }
        if (i > 0 && p[i - 1].timestamp == ts) {
            return Admission.DUPLICATE;
        }
        if (ts <= watermark) {
            return Admission.LATE;
        }
        if (n == p.length) {
            p = Arrays.copyOf(p, Math.max(4, 2 * n));
            s.pending = p;
        }
        System.arraycopy(p, i, p, i + 1, n - i);
        p[i] = x;
        s.pendingCount = n + 1;
        return Admission.ACCEPTED;
    }

    /**
     * Evaluates, in timestamp order, every pending sample and every deadline at or before the
     * watermark. At the end of a bounded input every pending sample is evaluated but no deadline is
     * reached: time only moves with data.
     */
    public void advance(
            VmState s, String vmId, long watermark, boolean endOfInput, RuleListener out) {
        Sample[] p = s.pending;
        int n = s.pendingCount;
        int head = 0;
        while (true) {
            Sample next = head < n ? p[head] : null;
            boolean sampleDue = next != null && (endOfInput || next.timestamp <= watermark);
            long deadline = endOfInput ? Long.MAX_VALUE : nextDeadline(s);
            boolean deadlineDue = deadline != Long.MAX_VALUE && deadline <= watermark;
            if (sampleDue && (!deadlineDue || next.timestamp <= deadline)) {
                head++;
                evaluate(s, vmId, next, out);
            } else if (deadlineDue) {
                reach(s, vmId, deadline, out);
            } else {
                break;
            }
        }
        if (endOfInput) {
            // Every sample is in: the open hour is complete, though no deadline is reached.
            closeOpenHour(s, vmId, out);
        }
        if (head == n && n > 0) {
            s.pending = NO_SAMPLES;
            s.pendingCount = 0;
        } else if (head > 0) {
            System.arraycopy(p, head, p, 0, n - head);
            Arrays.fill(p, n - head, n, null);
            s.pendingCount = n - head;
        }
    }

    /** The earliest event-time deadline of the VM, or Long.MAX_VALUE when it has none. */
    public long nextDeadline(VmState s) {
        return deadlineOf(s);
    }

    /**
     * {@link #nextDeadline}, which depends on the state only (not on the rules): for the operator's
     * wake-up, computed where no rule set needs to be looked up.
     */
    public static long deadlineOf(VmState s) {
        long d = Long.MAX_VALUE;
        if (s.weekStart != VmState.NONE) {
            d = s.weekEnd - 1;
        }
        if (s.inSpell && !s.spellFired && s.spellDeadline < d) {
            d = s.spellDeadline;
        }
        if (s.businessHeldAt != VmState.NONE && s.businessPassedAt + BUSINESS_HOLD_MILLIS < d) {
            d = s.businessPassedAt + BUSINESS_HOLD_MILLIS;
        }
        return d;
    }

    /**
     * The VM's allocation changed at {@code at}: the week in progress then is not judged by the
     * weekly rules, which judge the VM at its new size from the first week starting at or after
     * {@code at} (rules/README.md, "Inventory").
     */
    public void resized(VmState s, long at) {
        long start = calendar.weekStart(at);
        s.judgeWeeksFrom = Math.max(s.judgeWeeksFrom, start == at ? at : calendar.weekEnd(start));
    }

    /** The earliest pending sample's timestamp, or Long.MAX_VALUE. */
    public long nextPending(VmState s) {
        return s.pendingCount > 0 ? s.pending[0].timestamp : Long.MAX_VALUE;
    }

    private void reach(VmState s, String vmId, long deadline, RuleListener out) {
        RuleSet r = rules.forVm(vmId, s.systemId, s.unitId);
        // Every sample up to the deadline has been evaluated, so an hour that ended by then is
        // complete; closing it here writes a silent VM's last hour without a timer of its own.
        if (HourSummaries.endedBy(s, deadline)) {
            closeOpenHour(s, vmId, out);
        }
        if (s.weekStart != VmState.NONE && deadline == s.weekEnd - 1) {
            if (s.weekStart >= s.judgeWeeksFrom) {
                closeWeek(r, s, vmId, out);
            } else {
                out.weekClosed(WeekSummaries.summary(s, vmId, false));
                WeekSummaries.reset(s);
            }
        }
        if (s.inSpell && !s.spellFired && deadline == s.spellDeadline) {
            s.spellFired = true;
            if (r.vmInactive().enabled()) {
                out.fired(Recommendations.inactive(r, sizing.messages(), vmId, s, deadline));
            }
        }
        if (s.businessHeldAt != VmState.NONE
                && deadline == s.businessPassedAt + BUSINESS_HOLD_MILLIS) {
            BusinessHold.passHeld(s, out);
        }
    }

    private void evaluate(VmState s, String vmId, Sample x, RuleListener out) {
        long ts = x.timestamp;
        long hour = HourSummaries.hourOf(ts);
        // Before this sample changes the VM's ids and allocation, which the summaries report.
        if (s.hourStart != VmState.NONE && hour != s.hourStart) {
            closeOpenHour(s, vmId, out);
        }
        if (s.weekStart != VmState.NONE && ts >= s.weekEnd) {
            // Only at the end of a bounded input can a later week's sample be evaluated before
            // the earlier week was closed by the watermark; that week is never judged.
            out.weekClosed(WeekSummaries.summary(s, vmId, false));
            WeekSummaries.reset(s);
        }
        HourSummaries.count(s, hour, x.stopped);
        s.lastEvaluatedAt = ts;
        s.systemId = x.systemId;
        s.unitId = x.unitId;
        RuleSet r = rules.forVm(vmId, x.systemId, x.unitId);
        if (x.memoryTotalBytes != Sample.ABSENT) {
            if (s.memoryTotalBytes >= 0 && x.memoryTotalBytes != s.memoryTotalBytes) {
                resized(s, ts);
            }
            s.memoryTotalBytes = x.memoryTotalBytes;
        }
        if (x.storageTotalBytes != Sample.ABSENT) {
            if (s.storageTotalBytes >= 0 && x.storageTotalBytes != s.storageTotalBytes) {
                resized(s, ts);
            }
            s.storageTotalBytes = x.storageTotalBytes;
        }
        out.evaluated(x);
        if (x.hasBusinessRecords()) {
            BusinessHold.offer(s, x, out);
        }

        boolean idle =
                x.stopped
                        || (x.hasCpu() && x.cpuUtilizationPct <= r.vmInactive().idleCpuAtMostPct());
        if (idle) {
            if (!s.inSpell) {
                s.inSpell = true;
                s.spellStart = ts;
                s.spellFired = false;
                s.spellDeadline = calendar.plusMonths(ts, r.vmInactive().months());
            }
        } else if (s.inSpell) {
            s.inSpell = false;
            s.spellStart = VmState.NONE;
            s.spellDeadline = VmState.NONE;
            s.spellFired = false;
        }

        if (x.stopped) {
            s.inPeak = false;
            endEmergencyRun(s);
        } else if (x.hasMemory()) {
            double pct = Percent.of(x.memoryUsedBytes, x.memoryTotalBytes);
            HourSummaries.addMemory(s, pct);
            WeekSummaries.add(s, calendar, ts, pct);
            trackPeaks(r, s, vmId, ts, pct, out);
            trackEmergency(r, s, vmId, ts, pct, out);
        }

        if (x.hasStorage()) {
            double pct = Percent.of(x.storageUsedBytes, x.storageTotalBytes);
            HourSummaries.addStorage(s, pct);
            RuleSet.StorageUsage p = r.storageUsage();
            if (p.enabled() && pct > p.usageAbovePct()) {
                if (cooledDown(s.storageLastFiredAt, ts, p.cooldown().toMillis())) {
                    s.storageLastFiredAt = ts;
                    out.fired(
                            Recommendations.storage(
                                    r,
                                    sizing,
                                    vmId,
                                    s,
                                    ts,
                                    pct,
                                    x.storageUsedBytes,
                                    x.storageTotalBytes));
                } else {
                    out.suppressed(Rule.STORAGE_USAGE, ts);
                }
            }
            // Independent of the ordinary rule above: both fire on the same reading when both
            // thresholds are met (rules/README.md, Emergency expansion).
            RuleSet.StorageEmergency e = r.storageEmergency();
            if (e.enabled() && pct >= e.usageAtLeastPct()) {
                if (cooledDown(s.storageEmergencyLastFiredAt, ts, e.cooldown().toMillis())) {
                    s.storageEmergencyLastFiredAt = ts;
                    out.fired(
                            Recommendations.storageEmergency(
                                    r,
                                    sizing,
                                    vmId,
                                    s,
                                    ts,
                                    pct,
                                    x.storageUsedBytes,
                                    x.storageTotalBytes));
                } else {
                    out.suppressed(Rule.STORAGE_EMERGENCY, ts);
                }
            }
        }
    }

    /**
     * The memory emergency run: counted samples at or above the threshold, each at most {@code
     * max-gap} after the previous one. A counted sample below the threshold, a STOPPED sample or a
     * longer gap breaks it; RUNNING samples without memory readings neither break nor extend it. It
     * fires at every counted sample of the run at least {@code for} after the run's first one,
     * subject to the cooldown.
     */
    private void trackEmergency(
            RuleSet rules, VmState s, String vmId, long ts, double pct, RuleListener out) {
        RuleSet.MemoryEmergency p = rules.memoryEmergency();
        if (!(pct >= p.usageAtLeastPct())) {
            endEmergencyRun(s);
            return;
        }
        if (s.emergencyRunStart == VmState.NONE
                || ts - s.emergencyRunLast > p.maxGap().toMillis()) {
            s.emergencyRunStart = ts;
        }
        s.emergencyRunLast = ts;
        if (p.enabled() && ts - s.emergencyRunStart >= p.duration().toMillis()) {
            if (cooledDown(s.memoryEmergencyLastFiredAt, ts, p.cooldown().toMillis())) {
                s.memoryEmergencyLastFiredAt = ts;
                out.fired(Recommendations.memoryEmergency(rules, sizing, vmId, s, ts, pct));
            } else {
                out.suppressed(Rule.MEMORY_EMERGENCY, ts);
            }
        }
    }

    private static void endEmergencyRun(VmState s) {
        s.emergencyRunStart = VmState.NONE;
        s.emergencyRunLast = VmState.NONE;
    }

    /** The week's arithmetic mean of memory%. */
    public static double weeklyAverage(VmState s) {
        return WeekSummaries.average(s);
    }

    private void closeWeek(RuleSet rules, VmState s, String vmId, RuleListener out) {
        double avg = weeklyAverage(s);
        RuleSet.WeeklyAverage up = rules.weeklyAverage();
        RuleSet.WeeklyUnderuse down = rules.weeklyUnderuse();
        boolean judged =
                (up.enabled() && s.weekCoveredHours >= up.minCoveredHours())
                        || (down.enabled() && s.weekCoveredHours >= down.minCoveredHours());
        if (up.enabled()
                && s.weekCoveredHours >= up.minCoveredHours()
                && avg > up.averageAbovePct()) {
            out.fired(
                    Recommendations.weekly(
                            Rule.WEEKLY_AVERAGE,
                            rules,
                            sizing,
                            vmId,
                            s,
                            avg,
                            sizing.messages()
                                    .get(
                                            "reason.weekly-average",
                                            sizing.messages().decimal(avg),
                                            RuleSetParser.fmt(up.averageAbovePct()))));
        }
        if (down.enabled()
                && s.weekCoveredHours >= down.minCoveredHours()
                && avg <= down.averageAtMostPct()
                && s.weekPeak <= down.peakAtMostPct()) {
            out.fired(
                    Recommendations.weekly(
                            Rule.WEEKLY_UNDERUSE,
                            rules,
                            sizing,
                            vmId,
                            s,
                            avg,
                            sizing.messages()
                                    .get(
                                            "reason.weekly-underuse",
                                            sizing.messages().decimal(avg),
                                            RuleSetParser.fmt(down.averageAtMostPct()),
                                            sizing.messages().decimal(s.weekPeak),
                                            RuleSetParser.fmt(down.peakAtMostPct()))));
        }
        out.weekClosed(WeekSummaries.summary(s, vmId, judged));
        WeekSummaries.reset(s);
    }

    /**
     * Closes the VM's open clock hour now, if it has one, and reports it to {@code out}. The
     * evaluator does so itself when a later hour's sample is evaluated, when a deadline at or after
     * the hour's last millisecond is reached and at the end of a bounded input; the operator calls
     * it before it forgets a silent VM, whose last hour would otherwise be lost.
     */
    public void closeOpenHour(VmState s, String vmId, RuleListener out) {
        if (s.hourStart == VmState.NONE) {
            return;
        }
        out.hourClosed(HourSummaries.close(s, vmId));
    }

    private void trackPeaks(
            RuleSet rules, VmState s, String vmId, long ts, double pct, RuleListener out) {
        RuleSet.HourlyPeaks p = rules.hourlyPeaks();
        if (!(pct > p.peakAbovePct())) {
            s.inPeak = false;
            return;
        }
        if (s.inPeak) {
            return;
        }
        s.inPeak = true;
        s.hourPeakStarts++;
        long windowStart = ts - p.span().toMillis();
        long[] starts = s.peakStarts;
        int keepFrom = 0;
        while (keepFrom < starts.length && starts[keepFrom] <= windowStart) {
            keepFrom++;
        }
        int kept = starts.length - keepFrom;
        int drop = Math.max(0, kept + 1 - MAX_PEAK_STARTS);
        long[] next = new long[kept - drop + 1];
        System.arraycopy(starts, keepFrom + drop, next, 0, kept - drop);
        next[next.length - 1] = ts;
        s.peakStarts = next;
        if (p.enabled() && next.length >= p.minPeaks()) {
            if (cooledDown(s.peaksLastFiredAt, ts, p.cooldown().toMillis())) {
                s.peaksLastFiredAt = ts;
                out.fired(Recommendations.peaks(rules, sizing, vmId, s, ts, pct, next));
            } else {
                out.suppressed(Rule.HOURLY_PEAKS, ts);
            }
        }
    }

    private static boolean cooledDown(long lastFiredAt, long now, long cooldownMillis) {
        return lastFiredAt == VmState.NONE || now - lastFiredAt >= cooldownMillis;
    }
}
