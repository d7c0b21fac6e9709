package io.rightsizer.rules;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Builds the recommendation records the rules emit, with their deterministic ids and reasons. */
public final class Recommendations {
    private Recommendations() {}

    /**
     * The recommendation id: the first 16 bytes of SHA-256 over the UTF-8 string {@code
     * ruleId|subject|firedAt} (subject is the vmId, or the systemId for system-level rules; firedAt
     * in epoch milliseconds), as 32 lowercase hex digits. The same firing always gets the same id,
     * whichever run, replay or parallelism produced it.
     */
    public static String id(Rule rule, String subject, long firedAt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest =
                    sha.digest(
                            (rule.id() + "|" + subject + "|" + firedAt)
                                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static Recommendation.Builder base(
            Rule rule, RuleSet rules, String vmId, String systemId, String unitId, long firedAt) {
        return Recommendation.newBuilder()
                .setRecommendationId(id(rule, vmId != null ? vmId : systemId, firedAt))
                .setRuleId(rule.id())
                .setRuleSetVersion(rules.version())
                .setRegulation(rule.regulation())
                .setAction(rule.action())
                .setResource(rule.resource())
                .setVmId(vmId)
                .setSystemId(systemId)
                .setUnitId(unitId)
                .setFiredAt(Instant.ofEpochMilli(firedAt))
                .setEmergency(rule.emergency())
                .setPriority(priority(rule.action(), rule.emergency()));
    }

    /** Emergency expansions first, then scale-ups, then reductions (rules/README.md). */
    public static final int PRIORITY_EMERGENCY = 1;

    public static final int PRIORITY_SCALE_UP = 2;
    public static final int PRIORITY_REDUCTION = 3;

    public static int priority(Action action, boolean emergency) {
        if (emergency) {
            return PRIORITY_EMERGENCY;
        }
        return action == Action.SCALE_UP ? PRIORITY_SCALE_UP : PRIORITY_REDUCTION;
    }

    /** Evidence, naming the overrides that set the rule's parameters for this subject. */
    static Evidence.Builder evidence(Rule rule, RuleSet rules) {
        List<String> applied = rules.applied(rule);
        return Evidence.newBuilder().setOverrides(applied.isEmpty() ? null : applied);
    }

    static Recommendation weekly(
            Rule rule,
            RuleSet rules,
            Sizing sizing,
            String vmId,
            VmState s,
            double average,
            String reason) {
        EventCalendar cal = rules.calendar();
        Evidence ev =
                evidence(rule, rules)
                        .setWeekStart(Instant.ofEpochMilli(s.weekStart))
                        .setWeekEnd(Instant.ofEpochMilli(s.weekEnd))
                        .setWeeklyAveragePct(average)
                        .setWeeklyPeakPct(s.weekPeak)
                        .setCoveredHours(s.weekCoveredHours)
                        .setSampleCount(s.weekSamples)
                        .build();
        String span =
                " ("
                        + cal.date(s.weekStart)
                        + " to "
                        + cal.date(s.weekEnd)
                        + ", "
                        + s.weekCoveredHours
                        + " h covered)";
        Recommendation.Builder b =
                base(rule, rules, vmId, s.systemId, s.unitId, s.weekEnd)
                        .setEvidence(ev)
                        .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                        .setStorageTotalBytes(allocation(s.storageTotalBytes));
        Sizing.Kind kind =
                rule.action() == Action.SCALE_DOWN
                        ? Sizing.Kind.MEMORY_DOWN
                        : Sizing.Kind.MEMORY_UP;
        return memoryProposal(b, reason + span, sizing, kind, s, average, s.weekPeak).build();
    }

    static Recommendation peaks(
            RuleSet rules,
            Sizing sizing,
            String vmId,
            VmState s,
            long firedAt,
            double pct,
            long[] starts) {
        EventCalendar cal = rules.calendar();
        RuleSet.HourlyPeaks p = rules.hourlyPeaks();
        List<Instant> startList = new ArrayList<>(starts.length);
        StringBuilder times = new StringBuilder();
        for (long t : starts) {
            startList.add(Instant.ofEpochMilli(t));
            if (times.length() > 0) {
                times.append(", ");
            }
            times.append(cal.time(t));
        }
        String reason =
                String.format(
                        Locale.ROOT,
                        "memory rose above %s%% %d times within %s (%s on %s); now %.1f%%",
                        RuleSetParser.fmt(p.peakAbovePct()),
                        starts.length,
                        DurationText.format(p.span()),
                        times,
                        cal.date(firedAt),
                        pct);
        Recommendation.Builder b =
                base(Rule.HOURLY_PEAKS, rules, vmId, s.systemId, s.unitId, firedAt)
                        .setEvidence(
                                evidence(Rule.HOURLY_PEAKS, rules)
                                        .setPeakStarts(startList)
                                        .setMemoryPct(pct)
                                        .build())
                        .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                        .setStorageTotalBytes(allocation(s.storageTotalBytes));
        return weekToDateProposal(b, reason, rules, sizing, s).build();
    }

    static Recommendation memoryEmergency(
            RuleSet rules, Sizing sizing, String vmId, VmState s, long firedAt, double pct) {
        EventCalendar cal = rules.calendar();
        RuleSet.MemoryEmergency p = rules.memoryEmergency();
        String reason =
                String.format(
                        Locale.ROOT,
                        "memory at or above %s%% for %s without a break (since %s on %s); now"
                                + " %.1f%%",
                        RuleSetParser.fmt(p.usageAtLeastPct()),
                        DurationText.format(
                                java.time.Duration.ofMillis(firedAt - s.emergencyRunStart)),
                        cal.time(s.emergencyRunStart),
                        cal.date(s.emergencyRunStart),
                        pct);
        Recommendation.Builder b =
                base(Rule.MEMORY_EMERGENCY, rules, vmId, s.systemId, s.unitId, firedAt)
                        .setEvidence(
                                evidence(Rule.MEMORY_EMERGENCY, rules).setMemoryPct(pct).build())
                        .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                        .setStorageTotalBytes(allocation(s.storageTotalBytes));
        return weekToDateProposal(b, reason + CONSENT, rules, sizing, s).build();
    }

    static Recommendation storage(
            RuleSet rules,
            Sizing sizing,
            String vmId,
            VmState s,
            long firedAt,
            double pct,
            long used,
            long total) {
        String condition = "> " + RuleSetParser.fmt(rules.storageUsage().usageAbovePct());
        return storageFiring(
                Rule.STORAGE_USAGE,
                condition,
                "",
                rules,
                sizing,
                vmId,
                s,
                firedAt,
                pct,
                used,
                total);
    }

    static Recommendation storageEmergency(
            RuleSet rules,
            Sizing sizing,
            String vmId,
            VmState s,
            long firedAt,
            double pct,
            long used,
            long total) {
        String condition =
                "at or above " + RuleSetParser.fmt(rules.storageEmergency().usageAtLeastPct());
        return storageFiring(
                Rule.STORAGE_EMERGENCY,
                condition,
                CONSENT,
                rules,
                sizing,
                vmId,
                s,
                firedAt,
                pct,
                used,
                total);
    }

    /** "storage usage P% CONDITION% (USED of TOTAL used)", the evidence and the proposal. */
    private static Recommendation storageFiring(
            Rule rule,
            String condition,
            String suffix,
            RuleSet rules,
            Sizing sizing,
            String vmId,
            VmState s,
            long firedAt,
            double pct,
            long used,
            long total) {
        String reason =
                String.format(
                        Locale.ROOT,
                        "storage usage %.1f%% %s%% (%s of %s used)",
                        pct,
                        condition,
                        bytes(used),
                        bytes(total));
        Recommendation.Builder b =
                base(rule, rules, vmId, s.systemId, s.unitId, firedAt)
                        .setEvidence(evidence(rule, rules).setStoragePct(pct).build())
                        .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                        .setStorageTotalBytes(allocation(s.storageTotalBytes));
        return storageProposal(b, reason + suffix, sizing, s, pct).build();
    }

    /** What every emergency expansion's reason says (Article 26). */
    static final String CONSENT =
            "; an emergency expansion needs the consent of the agency and of the using unit"
                    + " (Article 26)";

    /**
     * The sample-triggered memory rules size on the week to date: the counted samples of the
     * current calendar week up to and including the firing sample (so never an empty week).
     */
    private static Recommendation.Builder weekToDateProposal(
            Recommendation.Builder b, String reason, RuleSet rules, Sizing sizing, VmState s) {
        double average = VmEvaluator.weeklyAverage(s);
        String basis =
                String.format(
                        Locale.ROOT,
                        "; week to date since %s: average %.1f%%, peak %.1f%%",
                        rules.calendar().date(s.weekStart),
                        average,
                        s.weekPeak);
        return memoryProposal(
                b, reason + basis, sizing, Sizing.Kind.MEMORY_UP, s, average, s.weekPeak);
    }

    private static Recommendation.Builder memoryProposal(
            Recommendation.Builder b,
            String reason,
            Sizing sizing,
            Sizing.Kind kind,
            VmState s,
            double average,
            double peak) {
        long current = s.currentMemoryBytes();
        if (current <= 0) {
            return b.setReason(reason + "; no size proposed: " + unknown("memory", s, current));
        }
        Sizing.Proposal p =
                kind == Sizing.Kind.MEMORY_DOWN
                        ? sizing.memoryDown(current, average, peak)
                        : sizing.memoryUp(current, average, peak);
        return proposal(b, reason, p)
                .setProposedMemoryBytes(p.proposedBytes())
                .setProjectedAveragePct(p.projectedAveragePct())
                .setProjectedPeakPct(p.projectedPeakPct());
    }

    private static Recommendation.Builder storageProposal(
            Recommendation.Builder b, String reason, Sizing sizing, VmState s, double pct) {
        long current = s.currentStorageBytes();
        if (current <= 0) {
            return b.setReason(reason + "; no size proposed: " + unknown("storage", s, current));
        }
        Sizing.Proposal p = sizing.storageUp(current, pct);
        return proposal(b, reason, p)
                .setProposedStorageBytes(p.proposedBytes())
                .setProjectedStoragePct(p.projectedUsagePct());
    }

    private static Recommendation.Builder proposal(
            Recommendation.Builder b, String reason, Sizing.Proposal p) {
        return b.setReason(
                        reason
                                + (p.proposed() ? "; proposed " : "; no size proposed: ")
                                + p.reason())
                .setChangePct(p.changePct())
                .setMajorChange(p.majorChange());
    }

    /** Why no size can be proposed without a positive current allocation. */
    private static String unknown(String resource, VmState s, long current) {
        if (current < 0) {
            return "the VM's "
                    + resource
                    + " allocation is not known (no inventory record and no "
                    + resource
                    + " total in its samples)";
        }
        return "the inventory records a " + resource + " allocation of " + current + " B";
    }

    static Recommendation inactive(RuleSet rules, String vmId, VmState s, long firedAt) {
        EventCalendar cal = rules.calendar();
        RuleSet.VmInactive p = rules.vmInactive();
        String reason =
                String.format(
                        Locale.ROOT,
                        "stopped or idle (CPU at most %s%%) without a break since %s: %d month%s",
                        RuleSetParser.fmt(p.idleCpuAtMostPct()),
                        cal.dateTime(s.spellStart),
                        p.months(),
                        p.months() == 1 ? "" : "s");
        return base(Rule.VM_INACTIVE, rules, vmId, s.systemId, s.unitId, firedAt)
                .setEvidence(
                        evidence(Rule.VM_INACTIVE, rules)
                                .setInactiveSince(Instant.ofEpochMilli(s.spellStart))
                                .build())
                .setReason(reason)
                .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                .setStorageTotalBytes(allocation(s.storageTotalBytes))
                .build();
    }

    static Recommendation noBusinessData(
            RuleSet rules, String systemId, SystemState s, long firedAt) {
        EventCalendar cal = rules.calendar();
        int months = rules.noBusinessData().months();
        String since =
                s.referencePositive
                        ? "since its last business data at " + cal.dateTime(s.referenceAt)
                        : "since it started reporting business data at "
                                + cal.dateTime(s.referenceAt)
                                + " (with none so far)";
        String reason =
                "the information system produced no business data for "
                        + months
                        + " month"
                        + (months == 1 ? "" : "s")
                        + " "
                        + since;
        return base(Rule.NO_BUSINESS_DATA, rules, null, systemId, s.referenceUnitId, firedAt)
                .setEvidence(
                        evidence(Rule.NO_BUSINESS_DATA, rules)
                                .setLastBusinessDataAt(Instant.ofEpochMilli(s.referenceAt))
                                .build())
                .setReason(reason)
                .build();
    }

    private static Long allocation(long bytes) {
        return bytes < 0 ? null : bytes;
    }

    /** Binary units, one decimal: 1.5 TiB. */
    public static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
