package io.rightsizer.job.operators;

import org.apache.flink.streaming.api.TimerService;

/**
 * The timer bookkeeping both rule operators share: one timer per key for its earliest deadline, and
 * one retention check that forgets a key silent for longer than the retention period.
 */
final class KeyTimers {
    static final long NONE = Long.MIN_VALUE;

    private KeyTimers() {}

    /**
     * Keeps the key's deadline timer at or before {@code next} (Long.MAX_VALUE: no deadline).
     * Returns what is registered now, NONE for nothing.
     *
     * <p>A deadline that moved later leaves a timer still ahead of the watermark where it is: it
     * fires early, the caller finds nothing due and calls this again, which registers the deadline
     * then. A system whose VMs report every hour moves its deadline an hour later every hour; one
     * early firing a month costs less than deleting and registering a timer every hour (in a
     * profile of the province on RocksDB, the timers' hash maps took a quarter of system-rules'
     * thread). Outputs do not change: what is due is decided from the state, never from the timer's
     * instant.
     *
     * <p>A deadline that moved earlier, or none left, moves the timer: the old one is deleted
     * unless it already fired or another timer of the key (one of {@code shared}) stands at the
     * same instant.
     */
    static long moveDeadline(
            TimerService timers, long registered, long next, long watermark, long... shared) {
        if (next == registered || (next == Long.MAX_VALUE && registered == NONE)) {
            return registered;
        }
        boolean ahead = registered != NONE && registered > watermark;
        if (ahead && next != Long.MAX_VALUE && next > registered) {
            return registered;
        }
        if (ahead && !contains(shared, registered)) {
            timers.deleteEventTimeTimer(registered);
        }
        if (next == Long.MAX_VALUE) {
            return NONE;
        }
        timers.registerEventTimeTimer(next);
        return next;
    }

    private static boolean contains(long[] values, long v) {
        for (long x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * The retention check, when the key's retention timer fires: NONE when the key has nothing
     * pending, no deadline left and has been silent for the retention period (the caller forgets
     * it); otherwise the next check, registered: a retention period after the later of the last
     * sample and the watermark, and never before a pending deadline.
     */
    static long renewRetention(
            TimerService timers,
            boolean hasPending,
            long nextDeadline,
            long lastEvaluatedAt,
            long watermark,
            long retentionMillis) {
        long due =
                retentionDue(hasPending, nextDeadline, lastEvaluatedAt, watermark, retentionMillis);
        if (due != NONE) {
            timers.registerEventTimeTimer(due);
        }
        return due;
    }

    /** {@link #renewRetention} without a timer: NONE to forget the key, else the next check. */
    static long retentionDue(
            boolean hasPending,
            long nextDeadline,
            long lastEvaluatedAt,
            long watermark,
            long retentionMillis) {
        if (!hasPending
                && nextDeadline == Long.MAX_VALUE
                && lastEvaluatedAt != NONE
                && watermark - lastEvaluatedAt >= retentionMillis) {
            return NONE;
        }
        long due = Math.max(lastEvaluatedAt, watermark) + retentionMillis;
        if (nextDeadline != Long.MAX_VALUE && nextDeadline >= due) {
            due = nextDeadline + 1;
        }
        return due;
    }
}
