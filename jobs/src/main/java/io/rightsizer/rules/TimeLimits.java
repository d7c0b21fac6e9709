package io.rightsizer.rules;

import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.rules.sizing.ByteSize;
import io.rightsizer.schema.NoticeKind;
import io.rightsizer.schema.TemporaryExpansion;
import io.rightsizer.schema.TemporaryResource;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.schema.VmAllocation;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The regulation's time limits on temporary allocations: a temporary expansion lasts at most 3
 * calendar months (Article 22), a temporary resource at most 6 (Article 24), and a reminder goes
 * out 7 working days before either ends. From the periods an allocation lists, decides which
 * notices are due and when; the caller issues them once event time reaches that instant. Exact
 * semantics: rules/README.md, "Time limits".
 *
 * <p>Pure Java: the Flink operator and the tests drive this same class.
 */
public final class TimeLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int EXPANSION_MONTHS = 3;
    public static final int RESOURCE_MONTHS = 6;
    public static final int REMINDER_WORKING_DAYS = 7;

    public static final String ARTICLE_22 = "Article 22";
    public static final String ARTICLE_24 = "Article 24";

    /** Bits of {@link TimeLimitPeriod#issued}. */
    public static final int TOO_LONG = 1;

    public static final int ENDING = 2;
    public static final int OVER = 4;

    private static final TimeLimitPeriod[] NO_PERIODS = new TimeLimitPeriod[0];
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final WorkingCalendar calendar;
    private final int expansionMonths;
    private final int resourceMonths;
    private final int reminderWorkingDays;

    /**
     * @throws IllegalArgumentException when a limit or the reminder's working days is below 1
     */
    public TimeLimits(
            WorkingCalendar calendar,
            int expansionMonths,
            int resourceMonths,
            int reminderWorkingDays) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        if (expansionMonths < 1 || resourceMonths < 1 || reminderWorkingDays < 1) {
            throw new IllegalArgumentException(
                    "time limits and reminder days must be at least 1, were "
                            + expansionMonths
                            + ", "
                            + resourceMonths
                            + ", "
                            + reminderWorkingDays);
        }
        this.expansionMonths = expansionMonths;
        this.resourceMonths = resourceMonths;
        this.reminderWorkingDays = reminderWorkingDays;
    }

    /** The regulation's limits (3 and 6 months, a reminder 7 working days before) on a calendar. */
    public static TimeLimits regulation(WorkingCalendar calendar) {
        return new TimeLimits(calendar, EXPANSION_MONTHS, RESOURCE_MONTHS, REMINDER_WORKING_DAYS);
    }

    public WorkingCalendar calendar() {
        return calendar;
    }

    /**
     * The periods of allocation {@code a}, received at {@code receivedAt}, each with its notices
     * scheduled. A period already in {@code previous} (same kind, from and until) keeps its
     * schedule and what was issued, so a re-sent record issues nothing twice; its sizes and reason
     * are taken from {@code a}. A period {@code a} no longer lists is dropped with its schedule.
     * The same period listed twice is tracked once.
     */
    public TimeLimitPeriod[] track(TimeLimitPeriod[] previous, VmAllocation a, long receivedAt) {
        List<TimeLimitPeriod> out = new ArrayList<>();
        for (TemporaryExpansion e : a.getTemporaryExpansions()) {
            TimeLimitPeriod p = new TimeLimitPeriod();
            p.from = e.getFrom().toEpochMilli();
            p.until = e.getUntil().toEpochMilli();
            p.memoryBytes = e.getMemoryBytes();
            p.storageBytes = e.getStorageBytes();
            p.reason = e.getReason();
            add(out, previous, p, receivedAt);
        }
        TemporaryResource r = a.getTemporaryResource();
        if (r != null) {
            TimeLimitPeriod p = new TimeLimitPeriod();
            p.temporaryResource = true;
            p.from = r.getFrom().toEpochMilli();
            p.until = r.getUntil().toEpochMilli();
            p.reason = r.getReason();
            add(out, previous, p, receivedAt);
        }
        return out.isEmpty() ? NO_PERIODS : out.toArray(NO_PERIODS);
    }

    private void add(
            List<TimeLimitPeriod> out,
            TimeLimitPeriod[] previous,
            TimeLimitPeriod p,
            long receivedAt) {
        for (TimeLimitPeriod listed : out) {
            if (listed.sameAs(p)) {
                return;
            }
        }
        TimeLimitPeriod known = null;
        for (TimeLimitPeriod old : previous) {
            if (old.sameAs(p)) {
                known = old;
            }
        }
        if (known != null) {
            p.receivedAt = known.receivedAt;
            p.limitEnd = known.limitEnd;
            p.tooLongAt = known.tooLongAt;
            p.endingAt = known.endingAt;
            p.overAt = known.overAt;
            p.issued = known.issued;
        } else {
            schedule(p, receivedAt);
        }
        out.add(p);
    }

    private void schedule(TimeLimitPeriod p, long receivedAt) {
        p.receivedAt = receivedAt;
        p.limitEnd = plusMonths(p.from, p.temporaryResource ? resourceMonths : expansionMonths);
        p.tooLongAt = p.until > p.limitEnd ? receivedAt : TimeLimitPeriod.NONE;
        if (receivedAt < p.until) {
            long reminder =
                    calendar.reminderAt(Instant.ofEpochMilli(p.until), reminderWorkingDays)
                            .toEpochMilli();
            p.endingAt = Math.max(reminder, receivedAt);
        } else {
            p.endingAt = TimeLimitPeriod.NONE;
        }
        p.overAt = Math.max(p.until, receivedAt);
    }

    private long plusMonths(long t, int months) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(t), calendar.zone())
                .plusMonths(months)
                .toInstant()
                .toEpochMilli();
    }

    /** The earliest instant a notice not yet issued is due, Long.MAX_VALUE when none is left. */
    public long nextDue(TimeLimitPeriod[] periods) {
        long next = Long.MAX_VALUE;
        for (TimeLimitPeriod p : periods) {
            next = Math.min(next, pending(p, TOO_LONG, p.tooLongAt));
            next = Math.min(next, pending(p, ENDING, p.endingAt));
            next = Math.min(next, pending(p, OVER, p.overAt));
        }
        return next;
    }

    private static long pending(TimeLimitPeriod p, int kind, long at) {
        return at == TimeLimitPeriod.NONE || (p.issued & kind) != 0 ? Long.MAX_VALUE : at;
    }

    /**
     * The notices due at or before {@code now} and not yet issued, marked issued: ordered by issue
     * instant, then as the allocation lists the periods (expansions, then the temporary resource),
     * then too long, ending, over.
     */
    public List<TimeLimitNotice> issue(
            TimeLimitPeriod[] periods, String vmId, String systemId, String unitId, long now) {
        List<TimeLimitNotice> out = new ArrayList<>();
        while (true) {
            TimeLimitPeriod first = null;
            int firstKind = 0;
            long firstAt = Long.MAX_VALUE;
            for (TimeLimitPeriod p : periods) {
                for (int kind : new int[] {TOO_LONG, ENDING, OVER}) {
                    long at = pending(p, kind, dueAt(p, kind));
                    if (at <= now && at < firstAt) {
                        first = p;
                        firstKind = kind;
                        firstAt = at;
                    }
                }
            }
            if (first == null) {
                return out;
            }
            first.issued |= firstKind;
            out.add(notice(first, firstKind, vmId, systemId, unitId));
        }
    }

    private static long dueAt(TimeLimitPeriod p, int kind) {
        return switch (kind) {
            case TOO_LONG -> p.tooLongAt;
            case ENDING -> p.endingAt;
            default -> p.overAt;
        };
    }

    private TimeLimitNotice notice(
            TimeLimitPeriod p, int kind, String vmId, String systemId, String unitId) {
        NoticeKind k = kind(p, kind);
        return TimeLimitNotice.newBuilder()
                .setNoticeId(id(k, vmId, p.from, p.until))
                .setKind(k)
                .setRegulation(p.temporaryResource ? ARTICLE_24 : ARTICLE_22)
                .setVmId(vmId)
                .setSystemId(systemId == null ? "" : systemId)
                .setUnitId(unitId == null ? "" : unitId)
                .setIssuedAt(Instant.ofEpochMilli(dueAt(p, kind)))
                .setFrom(Instant.ofEpochMilli(p.from))
                .setUntil(Instant.ofEpochMilli(p.until))
                .setLimitEnd(Instant.ofEpochMilli(p.limitEnd))
                .setMemoryBytes(p.temporaryResource ? null : p.memoryBytes)
                .setStorageBytes(p.temporaryResource ? null : p.storageBytes)
                .setReason(reason(p, k))
                .build();
    }

    private static NoticeKind kind(TimeLimitPeriod p, int kind) {
        if (p.temporaryResource) {
            return switch (kind) {
                case TOO_LONG -> NoticeKind.TEMPORARY_RESOURCE_TOO_LONG;
                case ENDING -> NoticeKind.TEMPORARY_RESOURCE_ENDING;
                default -> NoticeKind.TEMPORARY_RESOURCE_EXCEEDED;
            };
        }
        return switch (kind) {
            case TOO_LONG -> NoticeKind.EXPANSION_TOO_LONG;
            case ENDING -> NoticeKind.EXPANSION_ENDING;
            default -> NoticeKind.EXPANSION_OVERRUN;
        };
    }

    /**
     * The notice id: the first 16 bytes of SHA-256 over the UTF-8 string {@code
     * kind|vmId|from|until} (from and until in epoch milliseconds), as 32 lowercase hex digits.
     */
    public static String id(NoticeKind kind, String vmId, long from, long until) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (kind + "|" + vmId + "|" + from + "|" + until)
                                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private String reason(TimeLimitPeriod p, NoticeKind k) {
        String what =
                p.temporaryResource
                        ? "temporary resource"
                        : "temporary expansion" + added(p.memoryBytes, p.storageBytes);
        String span = what + " from " + at(p.from) + " until " + at(p.until);
        int months = p.temporaryResource ? resourceMonths : expansionMonths;
        String article = p.temporaryResource ? ARTICLE_24 : ARTICLE_22;
        String tail = " (times in " + calendar.zone() + ", " + article + ")";
        return switch (k) {
            case EXPANSION_TOO_LONG, TEMPORARY_RESOURCE_TOO_LONG ->
                    span
                            + " lasts longer than the "
                            + months
                            + " months allowed: it must end by "
                            + at(p.limitEnd)
                            + tail;
            case EXPANSION_ENDING, TEMPORARY_RESOURCE_ENDING ->
                    span
                            + " ends in "
                            + reminderWorkingDays
                            + " working days or less (reminder day "
                            + at(p.endingAt).substring(0, 10)
                            + "): ask for an extension in time if it is still needed"
                            + tail;
            case EXPANSION_OVERRUN ->
                    span + " has ended but is still in the VM's allocation" + tail;
            case TEMPORARY_RESOURCE_EXCEEDED ->
                    span + " has ended but the VM is still allocated" + tail;
        };
    }

    private static String added(long memoryBytes, long storageBytes) {
        List<String> parts = new ArrayList<>();
        if (memoryBytes != 0) {
            parts.add("+" + ByteSize.format(memoryBytes) + " memory");
        }
        if (storageBytes != 0) {
            parts.add("+" + ByteSize.format(storageBytes) + " storage");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private String at(long t) {
        return AT.format(Instant.ofEpochMilli(t).atZone(calendar.zone()));
    }
}
