package io.rightsizer.model;

import io.rightsizer.schema.DeadLetterReason;

/**
 * An input record the job cannot use, on its way to the dead-letter topic. A Flink POJO.
 *
 * <p>Carries the raw bytes and the coordinates of the record so an operator can find the original.
 */
public class Rejected {
    public byte[] payload;
    public String sourceTopic;

    /** -1 when not from Kafka. */
    public int sourcePartition = -1;

    /** Kafka offset, or the 1-based line/record number of a replay file; -1 when unknown. */
    public long sourceOffset = -1;

    public DeadLetterReason reason;
    public String message;
    public String vmId;

    /** Long.MIN_VALUE when unknown. */
    public long sampleTimestamp = Long.MIN_VALUE;

    public Rejected() {}

    public static Rejected of(DeadLetterReason reason, String message, byte[] payload) {
        Rejected r = new Rejected();
        r.reason = reason;
        r.message = message;
        r.payload = payload;
        return r;
    }

    @Override
    public String toString() {
        return "Rejected{"
                + reason
                + ": "
                + message
                + " at "
                + sourceTopic
                + "#"
                + sourceOffset
                + "}";
    }
}
