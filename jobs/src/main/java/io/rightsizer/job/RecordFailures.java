package io.rightsizer.job;

import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.SampleCodec;
import java.io.InterruptedIOException;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.CancelTaskException;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The escape for a record whose processing fails for a reason nobody foresaw (docs/failures.md):
 * the operator catches what {@link #isRecordFailure} accepts around one record (or one timer), and
 * this turns it into a {@code FAILED} dead letter, a {@code records_failed{operator}} count and a
 * rate-limited WARN line, instead of a job failure that would restart into the same record forever.
 *
 * <p>A failure that is not the record's is rethrown, so Flink's failover handles it as before: a
 * failure of a chained downstream operator (it has its own escape), a cancellation, an interrupt,
 * and {@link #MAX_CONSECUTIVE} failures in a row with no record succeeding in between (then the
 * cause is the environment, a broken state backend say, not the records, and dead-lettering the
 * whole stream would be worse than a restart).
 *
 * <p>Costs nothing per record that succeeds but one field write ({@link #succeeded}).
 */
final class RecordFailures {
    private static final Logger LOG = LoggerFactory.getLogger(RecordFailures.class);

    /** Failures in a row (no success between) after which the operator fails the job. */
    static final int MAX_CONSECUTIVE = 100;

    /** The dead letter's message: the exception and its top frames, at most this many chars. */
    static final int MAX_MESSAGE = 2000;

    static final int TOP_FRAMES = 8;

    /** At most one WARN line per this interval per operator instance; the rest are counted. */
    static final long LOG_INTERVAL_MILLIS = 10_000;

    private final String operator;
    private final Counter failed;
    private int consecutive;
    private long lastLogAt = Long.MIN_VALUE;
    private long unlogged;

    RecordFailures(MetricGroup rightsizer, String operator) {
        this.operator = operator;
        this.failed = rightsizer.addGroup("operator", operator).counter("records_failed");
    }

    /** Call when a record or timer went through; resets the run of consecutive failures. */
    void succeeded() {
        consecutive = 0;
    }

    /**
     * Whether {@code t} is this record's failure (to dead-letter) rather than the task's (to
     * rethrow). Only RuntimeExceptions and StackOverflowError qualify: any other Error (out of
     * memory, linkage) leaves the JVM in a state no record should be blamed for.
     */
    static boolean isRecordFailure(Throwable t) {
        if (!(t instanceof RuntimeException) && !(t instanceof StackOverflowError)) {
            return false;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ExceptionInChainedOperatorException
                    || c instanceof CancelTaskException
                    || c instanceof InterruptedException
                    || c instanceof InterruptedIOException) {
                return false;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return true;
    }

    /**
     * Counts and logs the failure, and returns the dead letter for it; rethrows when the failure is
     * not the record's, or when too many failed in a row.
     *
     * @param what the record or timer, for the log line and the dead letter's message ("sample of
     *     vm-7 at ...", "timer of vm-7 at ...")
     */
    Rejected failed(Throwable t, String what, Rejected letter) {
        if (!isRecordFailure(t)) {
            throw rethrow(t);
        }
        if (++consecutive >= MAX_CONSECUTIVE) {
            throw new FlinkRuntimeException(
                    MAX_CONSECUTIVE
                            + " records in a row failed in "
                            + operator
                            + ": not one record's fault; failing the task (the last: "
                            + what
                            + ")",
                    t);
        }
        failed.inc();
        letter.reason = DeadLetterReason.FAILED;
        letter.message = describe(operator, what, t);
        log(what, letter, t);
        return letter;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new FlinkRuntimeException(t);
    }

    /**
     * Another record dropped by the same failure (the samples a failed timer was judging): counted
     * and dead-lettered with the first one's message, not logged again.
     */
    Rejected alsoFailed(Rejected first, Rejected letter) {
        failed.inc();
        letter.reason = DeadLetterReason.FAILED;
        letter.message = first.message;
        return letter;
    }

    private void log(String what, Rejected letter, Throwable t) {
        long now = System.currentTimeMillis();
        if (lastLogAt != Long.MIN_VALUE && now - lastLogAt < LOG_INTERVAL_MILLIS) {
            unlogged++;
            return;
        }
        LOG.warn(
                "Record failed in {}, sent to the dead letters as FAILED: {} (topic {} partition {}"
                        + " offset {}){}",
                operator,
                what,
                letter.sourceTopic,
                letter.sourcePartition,
                letter.sourceOffset,
                unlogged == 0 ? "" : "; " + unlogged + " more failed since the last such line",
                t);
        lastLogAt = now;
        unlogged = 0;
    }

    /** The exception's class, message and top frames, capped at {@link #MAX_MESSAGE} chars. */
    static String describe(String operator, String what, Throwable t) {
        StringBuilder b = new StringBuilder(256);
        b.append(operator).append(": ").append(what).append(": ").append(t.getClass().getName());
        if (t.getMessage() != null) {
            b.append(": ").append(t.getMessage(), 0, Math.min(t.getMessage().length(), 500));
        }
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(TOP_FRAMES, frames.length); i++) {
            b.append("\n\tat ").append(frames[i]);
        }
        if (b.length() > MAX_MESSAGE) {
            b.setLength(MAX_MESSAGE - 3);
            b.append("...");
        }
        return b.toString();
    }

    /** A dead letter for a sample: its coordinates, and the sample re-encoded as the payload. */
    static Rejected ofSample(Sample sample, String sourceName) {
        Rejected r = new Rejected();
        r.sourceTopic = sourceName;
        r.sourcePartition = sample.sourcePartition;
        r.sourceOffset = sample.sourceOffset;
        r.vmId = sample.vmId;
        r.sampleTimestamp = sample.timestamp;
        try {
            r.payload = SampleCodec.encode(sample);
        } catch (RuntimeException | StackOverflowError e) {
            // The sample may be what cannot be handled: its coordinates still find it.
            r.payload = new byte[0];
        }
        return r;
    }

    /** A dead letter that carries no record of its own (a timer, a record not from Kafka). */
    static Rejected of(String sourceTopic, String vmId) {
        Rejected r = new Rejected();
        r.sourceTopic = sourceTopic;
        r.vmId = vmId;
        r.payload = new byte[0];
        return r;
    }
}
