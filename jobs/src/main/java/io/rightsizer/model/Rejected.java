package io.rightsizer.model;

import io.rightsizer.schema.DeadLetterReason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An input record the job cannot use, on its way to the dead-letter topic. A Flink POJO.
 *
 * <p>Carries the raw bytes and the coordinates of the record so an operator can find the original.
 */
public class Rejected {
    /**
     * Bytes of the raw value a dead letter carries: with the other capped fields a dead letter
     * stays far below a producer's 1 MiB {@code max.request.size}, whatever came in.
     */
    public static final int PAYLOAD_CAP = 64 * 1024;

    /** Characters of the message a dead letter carries. */
    public static final int MESSAGE_CAP = 4 * 1024;

    /** Characters of the vmId a dead letter carries (its key and field). */
    public static final int ID_CAP = 256;

    /** The raw value, or its first {@link #PAYLOAD_CAP} bytes. */
    public byte[] payload;

    /** The size in bytes of the whole raw value; -1 when unknown. */
    public long payloadSize = -1;

    /** Lower-case hex SHA-256 of the whole raw value; null when unknown. */
    public String payloadSha256;

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

    /**
     * A rejected record, its payload capped at {@link #PAYLOAD_CAP} bytes (the size and hash of the
     * whole are kept) and its message at {@link #MESSAGE_CAP} characters, so a megabyte record
     * travels on as a small one.
     */
    public static Rejected of(DeadLetterReason reason, String message, byte[] payload) {
        Rejected r = new Rejected();
        r.reason = reason;
        r.message = cap(message, MESSAGE_CAP);
        if (payload != null) {
            r.payloadSize = payload.length;
            r.payloadSha256 = sha256(payload);
            r.payload =
                    payload.length > PAYLOAD_CAP ? Arrays.copyOf(payload, PAYLOAD_CAP) : payload;
        }
        return r;
    }

    /**
     * {@code s} cut to {@code max} characters, ending in a note of how long it was; {@code s} when
     * it is not longer. The result is never longer than {@code max}, so capping twice changes
     * nothing, and never ends in half a surrogate pair.
     */
    public static String cap(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String note = "…(" + s.length() + " chars)";
        int end = max - note.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + note;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
