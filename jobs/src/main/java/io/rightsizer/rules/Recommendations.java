package io.rightsizer.rules;

import io.rightsizer.i18n.Messages;
import io.rightsizer.rules.calendar.EventCalendar;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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
            Rule rule,
            RuleSet rules,
            Messages m,
            String vmId,
            String systemId,
            String unitId,
            long firedAt) {
        return Recommendation.newBuilder()
                .setRecommendationId(id(rule, vmId != null ? vmId : systemId, firedAt))
                .setRuleId(rule.id())
                .setRuleSetVersion(rules.version())
                .setRegulation(regulation(rule, m))
                .setAction(rule.action())
                .setResource(rule.resource())
                .setVmId(vmId)
                .setSystemId(systemId)
                .setUnitId(unitId)
                .setFiredAt(Instant.ofEpochMilli(firedAt))
                .setEmergency(rule.emergency())
                .setPriority(priority(rule.action(), rule.emergency()));
    }

    /**
     * The rule's article as the regulation writes it in {@code m}'s language: {@code Article
     * 26(1)1}, {@code 第二十六条第一款第一项}.
     */
    public static String regulation(Rule rule, Messages m) {
        return m.get("regulation." + rule.id());
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
        Messages m = sizing.messages();
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
                m.get(
                        "reason.week-span",
                        m.date(s.weekStart, cal.zone()),
                        m.date(s.weekEnd, cal.zone()),
                        m.whole(s.weekCoveredHours));
        Recommendation.Builder b =
                base(rule, rules, m, vmId, s.systemId, s.unitId, s.weekEnd)
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
        Messages m = sizing.messages();
        RuleSet.HourlyPeaks p = rules.hourlyPeaks();
        List<Instant> startList = new ArrayList<>(starts.length);
        StringBuilder times = new StringBuilder();
        for (long t : starts) {
            startList.add(Instant.ofEpochMilli(t));
            if (times.length() > 0) {
                times.append(m.get("reason.list-separator"));
            }
            times.append(m.time(t, cal.zone()));
        }
        String reason =
                m.get(
                        "reason.hourly-peaks",
                        RuleSetParser.fmt(p.peakAbovePct()),
                        m.whole(starts.length),
                        duration(m, p.span()),
                        times.toString(),
                        m.date(firedAt, cal.zone()),
                        m.decimal(pct));
        Recommendation.Builder b =
                base(Rule.HOURLY_PEAKS, rules, m, vmId, s.systemId, s.unitId, firedAt)
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
        Messages m = sizing.messages();
        RuleSet.MemoryEmergency p = rules.memoryEmergency();
        String reason =
                m.get(
                        "reason.memory-emergency",
                        RuleSetParser.fmt(p.usageAtLeastPct()),
                        duration(m, Duration.ofMillis(firedAt - s.emergencyRunStart)),
                        m.time(s.emergencyRunStart, cal.zone()),
                        m.date(s.emergencyRunStart, cal.zone()),
                        m.decimal(pct));
        Recommendation.Builder b =
                base(Rule.MEMORY_EMERGENCY, rules, m, vmId, s.systemId, s.unitId, firedAt)
                        .setEvidence(
                                evidence(Rule.MEMORY_EMERGENCY, rules).setMemoryPct(pct).build())
                        .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                        .setStorageTotalBytes(allocation(s.storageTotalBytes));
        return weekToDateProposal(b, reason + m.get("reason.consent"), rules, sizing, s).build();
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
        String reason =
                sizing.messages()
                        .get(
                                "reason.storage-usage",
                                sizing.messages().decimal(pct),
                                RuleSetParser.fmt(rules.storageUsage().usageAbovePct()),
                                sizing.messages().size(used),
                                sizing.messages().size(total));
        return storageFiring(
                Rule.STORAGE_USAGE, reason, rules, sizing, vmId, s, firedAt, pct, used, total);
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
        Messages m = sizing.messages();
        String reason =
                m.get(
                                "reason.storage-emergency",
                                m.decimal(pct),
                                RuleSetParser.fmt(rules.storageEmergency().usageAtLeastPct()),
                                m.size(used),
                                m.size(total))
                        + m.get("reason.consent");
        return storageFiring(
                Rule.STORAGE_EMERGENCY, reason, rules, sizing, vmId, s, firedAt, pct, used, total);
    }

    /** The storage rules' evidence and proposal after their {@code reason}. */
    private static Recommendation storageFiring(
            Rule rule,
            String reason,
            RuleSet rules,
            Sizing sizing,
            String vmId,
            VmState s,
            long firedAt,
            double pct,
            long used,
            long total) {
        Recommendation.Builder b =
                base(rule, rules, sizing.messages(), vmId, s.systemId, s.unitId, firedAt)
                        .setEvidence(evidence(rule, rules).setStoragePct(pct).build())
                        .setMemoryTotalBytes(allocation(s.memoryTotalBytes))
                        .setStorageTotalBytes(allocation(s.storageTotalBytes));
        return storageProposal(b, reason, sizing, s, pct).build();
    }

    /** A duration as rule files write it ({@code 3h}), with the units in words in Chinese. */
    private static String duration(Messages m, Duration d) {
        String text = DurationText.format(d);
        if (m.english() || text.equals("0")) {
            return text;
        }
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        return m.get(
                "duration." + text.substring(digits), m.whole(Long.parseLong(text, 0, digits, 10)));
    }

    /**
     * The sample-triggered memory rules size on the week to date: the counted samples of the
     * current calendar week up to and including the firing sample (so never an empty week).
     */
    private static Recommendation.Builder weekToDateProposal(
            Recommendation.Builder b, String reason, RuleSet rules, Sizing sizing, VmState s) {
        double average = VmEvaluator.weeklyAverage(s);
        Messages m = sizing.messages();
        String basis =
                m.get(
                        "reason.week-to-date",
                        m.date(s.weekStart, rules.calendar().zone()),
                        m.decimal(average),
                        m.decimal(s.weekPeak));
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
            return b.setReason(reason + unknown(sizing.messages(), "resource.memory", current));
        }
        Sizing.Proposal p =
                kind == Sizing.Kind.MEMORY_DOWN
                        ? sizing.memoryDown(current, average, peak)
                        : sizing.memoryUp(current, average, peak);
        return proposal(b, reason, p, sizing.messages())
                .setProposedMemoryBytes(p.proposedBytes())
                .setProjectedAveragePct(p.projectedAveragePct())
                .setProjectedPeakPct(p.projectedPeakPct());
    }

    private static Recommendation.Builder storageProposal(
            Recommendation.Builder b, String reason, Sizing sizing, VmState s, double pct) {
        long current = s.currentStorageBytes();
        if (current <= 0) {
            return b.setReason(reason + unknown(sizing.messages(), "resource.storage", current));
        }
        Sizing.Proposal p = sizing.storageUp(current, pct);
        return proposal(b, reason, p, sizing.messages())
                .setProposedStorageBytes(p.proposedBytes())
                .setProjectedStoragePct(p.projectedUsagePct());
    }

    private static Recommendation.Builder proposal(
            Recommendation.Builder b, String reason, Sizing.Proposal p, Messages m) {
        return b.setReason(
                        reason
                                + m.get(
                                        p.proposed() ? "reason.proposed" : "reason.no-size",
                                        p.reason()))
                .setChangePct(p.changePct())
                .setMajorChange(p.majorChange());
    }

    /** Why no size can be proposed without a positive current allocation. */
    private static String unknown(Messages m, String resourceKey, long current) {
        String resource = m.get(resourceKey);
        return m.get(
                "reason.no-size",
                current < 0
                        ? m.get("reason.allocation-unknown", resource)
                        : m.get("reason.allocation-recorded", resource, Long.toString(current)));
    }

    /** {@code 1 month}, {@code 3 months}. */
    private static String months(Messages m, int n) {
        return m.get(n == 1 ? "reason.month" : "reason.months", m.whole(n));
    }

    static Recommendation inactive(
            RuleSet rules, Messages m, String vmId, VmState s, long firedAt) {
        EventCalendar cal = rules.calendar();
        RuleSet.VmInactive p = rules.vmInactive();
        String reason =
                m.get(
                        "reason.vm-inactive",
                        RuleSetParser.fmt(p.idleCpuAtMostPct()),
                        m.dateTime(s.spellStart, cal.zone()),
                        months(m, p.months()));
        return base(Rule.VM_INACTIVE, rules, m, vmId, s.systemId, s.unitId, firedAt)
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
            RuleSet rules, Messages m, String systemId, SystemState s, long firedAt) {
        EventCalendar cal = rules.calendar();
        String at = m.dateTime(s.referenceAt, cal.zone());
        String reason =
                m.get(
                        s.referencePositive
                                ? "reason.no-business-data.since-last"
                                : "reason.no-business-data.none-yet",
                        months(m, rules.noBusinessData().months()),
                        at);
        return base(Rule.NO_BUSINESS_DATA, rules, m, null, systemId, s.referenceUnitId, firedAt)
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

    /** Binary units, one decimal: 1.5 TiB (as {@link Messages#size} writes them in English). */
    public static String bytes(long b) {
        return Messages.ENGLISH.size(b);
    }
}
