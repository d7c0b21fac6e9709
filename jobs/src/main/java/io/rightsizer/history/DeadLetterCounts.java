package io.rightsizer.history;

import io.rightsizer.model.Rejected;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts dead letters per reason and emits one {@code dead_letters} line per reason and
 * processing-time minute that had any (keyed by the reason: see {@link #byReason()}).
 *
 * <p>Why processing time: dead letters are about the input's health now (a producer sending
 * garbage), not about the samples' event time, which an undecodable record does not even have. The
 * minute is {@code [k×60 000, (k+1)×60 000)} epoch ms of the task's clock and the point's time is
 * its end, the instant the count is known; a minute without dead letters writes nothing (no zero
 * points, so one reason costs nothing while it is quiet).
 *
 * <p>The end of a bounded input (the watermark reaching {@code Long.MAX_VALUE}) flushes the count
 * of the minute in progress at that minute's end, so a replay's dead letters are all in the history
 * before the job finishes.
 *
 * <p>State: one count per reason while its minute is open, with one processing-time timer at the
 * minute's end and one event-time timer at {@code Long.MAX_VALUE}; both timers and the count are
 * gone after each emit.
 */
public class DeadLetterCounts extends KeyedProcessFunction<String, Rejected, String> {
    private static final long serialVersionUID = 1L;

    static final long MINUTE = 60_000L;

    /** The counting interval in ms: a minute unless the job says otherwise. */
    private final long interval;

    /** Counts per minute. */
    public DeadLetterCounts() {
        this(java.time.Duration.ofMinutes(1));
    }

    /**
     * Counts per {@code interval} (influxdb.dead-letter-interval): intervals are {@code [k×i,
     * (k+1)×i)} epoch ms, so a minute is the clock's minute.
     */
    public DeadLetterCounts(java.time.Duration interval) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("the interval must be at least 1 ms: " + interval);
        }
        this.interval = interval.toMillis();
    }

    /** The key of a rejected record whose reason is missing (never expected; never fails). */
    public static final String UNKNOWN_REASON = "UNKNOWN";

    private transient ValueState<Long> count;

    /** The count of the minute in progress, per reason. */
    public static ValueStateDescriptor<Long> countState() {
        return new ValueStateDescriptor<>("dead-letter-count", Types.LONG);
    }

    /** Keys the rejected records by their reason's symbol. */
    public static KeySelector<Rejected, String> byReason() {
        return new ByReason();
    }

    /** A named class, so that the key selector serializes with the job graph. */
    public static final class ByReason implements KeySelector<Rejected, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Rejected r) {
            return r.reason == null ? UNKNOWN_REASON : r.reason.name();
        }
    }

    /** The end of the processing-time interval that contains {@code t}. */
    long minuteEnd(long t) {
        return Math.floorDiv(t, interval) * interval + interval;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
        count = getRuntimeContext().getState(countState());
    }

    @Override
    public void processElement(Rejected r, Context ctx, Collector<String> out) throws Exception {
        Long n = count.value();
        if (n == null) {
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(minuteEnd(now));
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            n = 0L;
        }
        count.update(n + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
            throws Exception {
        long at;
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            at = timestamp;
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        } else {
            // The minute's timer, registered at minuteEnd(first dead letter), is still pending,
            // so it is minuteEnd(now): the same minute.
            at = minuteEnd(ctx.timerService().currentProcessingTime());
            ctx.timerService().deleteProcessingTimeTimer(at);
        }
        Long n = count.value();
        if (n != null && n > 0) {
            out.collect(HistoryLines.deadLetters(ctx.getCurrentKey(), at, n));
        }
        count.clear();
    }
}
