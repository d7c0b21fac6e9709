package io.rightsizer.ingest;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import java.util.List;

/**
 * What a collector decoder made of one Kafka record: the readings it carries (possibly none) and
 * how many of its metrics were deliberately left out, or why the whole record cannot be used. A
 * record is taken or refused as a whole, so a dead letter always carries every value it held.
 */
public final class Decoded {
    /** The readings, in the record's order; empty when rejected. */
    public final List<Reading> readings;

    /**
     * Metrics of the record that map to no reading (a measurement or series the job does not use):
     * counted, never dead letters.
     */
    public final int ignored;

    /** Null when the record was decoded. */
    public final DeadLetterReason reason;

    /** What was wrong, naming the format; null when decoded. */
    public final String message;

    /** The VM of a rejected record when it could be read, else null. */
    public final String vmId;

    /** The time of a rejected record when it could be read, else {@link Long#MIN_VALUE}. */
    public final long timestamp;

    private Decoded(
            List<Reading> readings,
            int ignored,
            DeadLetterReason reason,
            String message,
            String vmId,
            long timestamp) {
        this.readings = readings;
        this.ignored = ignored;
        this.reason = reason;
        this.message = message;
        this.vmId = vmId;
        this.timestamp = timestamp;
    }

    public static Decoded of(List<Reading> readings, int ignored) {
        return new Decoded(List.copyOf(readings), ignored, null, null, null, Long.MIN_VALUE);
    }

    public static Decoded rejected(
            DeadLetterReason reason, String message, String vmId, long timestamp) {
        return new Decoded(List.of(), 0, reason, message, vmId, timestamp);
    }

    public boolean ok() {
        return reason == null;
    }

    /** The dead letter of a rejected record; the caller adds the record's coordinates. */
    public Rejected toRejected(byte[] payload) {
        Rejected r = Rejected.of(reason, message, payload);
        r.vmId = Rejected.cap(vmId, Rejected.ID_CAP);
        r.sampleTimestamp = timestamp;
        return r;
    }

    @Override
    public String toString() {
        return ok()
                ? readings + (ignored == 0 ? "" : " (" + ignored + " ignored)")
                : reason + ": " + message;
    }
}
