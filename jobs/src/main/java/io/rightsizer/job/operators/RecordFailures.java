package io.rightsizer.job.operators;

import io.rightsizer.ingest.Reading;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.CancelTaskException;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The escape for a record whose processing fails for a reason nobody foresaw (docs/failures.md):
 * the operator catches every throwable around one record (or one timer), and this turns what {@link
 * #isRecordFailure} accepts into a {@code FAILED} dead letter, a {@code records_failed{operator}}
 * count and a rate-limited WARN line, instead of a job failure that would restart into the same
 * record forever.
 *
 * <p>A failure that is not the record's is rethrown unchanged, so Flink's failover handles it as
 * before: an Error other than StackOverflowError and AssertionError, a failure of a chained
 * downstream operator (it has its own escape), a cancellation, an interrupt, and {@link
 * #MAX_CONSECUTIVE} failures in a row with no record succeeding in between (then the cause is the
 * environment, a broken state backend say, not the records, and dead-lettering the whole stream
 * would be worse than a restart).
 *
 * <p>Costs nothing per record that succeeds but one field write ({@link #succeeded}).
 */
public final class RecordFailures {
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

    /** How deep {@link #isRecordFailure} follows a chain of causes. */
    private static final int MAX_CAUSES = 32;

    /**
     * Whether {@code t} is this record's failure (to dead-letter) rather than the task's (to
     * rethrow), as docs/failures.md decides it: every {@link Exception}, checked or not (a checked
     * one thrown sneakily from a record's path is as much the record's), {@link StackOverflowError}
     * and {@link AssertionError} are the record's: the stack has unwound to the operator and
     * nothing outside the record's own path was touched. Not the record's: any other {@link Error},
     * at the top or anywhere in the causes ({@link VirtualMachineError}s such as OutOfMemoryError
     * may leave any thread's work half done; {@link LinkageError}s are the deployed code's, the
     * same for every record on that path, and a restart brings a fresh user-code class loader), and
     * a failure of the task rather than of the record: a chained downstream operator's (it has its
     * own escape), a cancellation, an interrupt.
     */
    static boolean isRecordFailure(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < MAX_CAUSES; depth++) {
            if ((c instanceof Error
                            && !(c instanceof StackOverflowError || c instanceof AssertionError))
                    || c instanceof ExceptionInChainedOperatorException
                    || c instanceof CancelTaskException
                    || c instanceof InterruptedException
                    || c instanceof InterruptedIOException) {
                return false;
            }
            if (c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        return true;
    }

    /**
     * Rethrows {@code t}, unchanged, when it is not the record's failure ({@link
     * #isRecordFailure}); call before building a dead letter, which allocates.
     */
    static void rethrowUnlessRecords(Throwable t) {
        if (!isRecordFailure(t)) {
            throw RecordFailures.<RuntimeException>sneaky(t);
        }
    }

    /** Throws {@code t} as it is, checked or not: the task's failure must reach Flink unwrapped. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * Counts and logs the failure, and returns the dead letter for it; rethrows when the failure is
     * not the record's, or when too many failed in a row.
     *
     * @param what the record or timer, for the log line and the dead letter's message ("sample of
     *     vm-7 at ...", "timer of vm-7 at ...")
     */
    Rejected failed(Throwable t, String what, Rejected letter) {
        rethrowUnlessRecords(t);
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

    /**
     * A dead letter for an inventory record: its coordinates, its Kafka timestamp, and the
     * allocation re-encoded (single-object) as the payload, which can be produced again as it is.
     */
    static Rejected ofInventory(VmInput in, String vmId) {
        Rejected r = encoded(in.allocation, VmAllocation.getEncoder());
        r.sourceTopic = in.sourceTopic;
        r.sourcePartition = in.sourcePartition;
        r.sourceOffset = in.sourceOffset;
        r.vmId = vmId;
        r.sampleTimestamp = in.receivedAt == VmInput.UNKNOWN ? Long.MIN_VALUE : in.receivedAt;
        return r;
    }

    /**
     * A dead letter for a collector's value: its VM and time, and the value as text as the payload
     * (a value has no wire form of its own; its message's coordinates are not kept past decoding).
     */
    static Rejected ofReading(Reading r) {
        Rejected letter = of(null, r.vmId);
        letter.sampleTimestamp = r.timestamp;
        letter.payload = String.valueOf(r).getBytes(StandardCharsets.UTF_8);
        return letter;
    }

    /**
     * A dead letter for a record its source had already rejected, and whose routing failed: the
     * rejection's coordinates, payload and what it knew of the record.
     */
    static Rejected ofRejected(Rejected rejected) {
        Rejected r = new Rejected();
        r.sourceTopic = rejected.sourceTopic;
        r.sourcePartition = rejected.sourcePartition;
        r.sourceOffset = rejected.sourceOffset;
        r.payload = rejected.payload == null ? new byte[0] : rejected.payload;
        r.payloadSize = rejected.payloadSize;
        r.payloadSha256 = rejected.payloadSha256;
        r.vmId = rejected.vmId;
        r.sampleTimestamp = rejected.sampleTimestamp;
        return r;
    }

    /**
     * A dead letter carrying {@code record} in single-object encoding (capped, with its size and
     * hash, as every payload); with an empty payload when the record is what cannot be encoded.
     */
    static <T> Rejected encoded(T record, BinaryMessageEncoder<T> encoder) {
        byte[] bytes;
        try {
            bytes = SingleObject.encode(encoder, record);
        } catch (RuntimeException | StackOverflowError e) {
            Rejected r = new Rejected();
            r.payload = new byte[0];
            return r;
        }
        return Rejected.of(DeadLetterReason.FAILED, null, bytes);
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
