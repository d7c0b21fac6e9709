package io.rightsizer.telemetry;

import io.rightsizer.rules.RuleUpdates;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.RuleSetStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * The wire format of the rules topic ({@link RuleSetEnvelope}) and of its audit trail ({@link
 * RuleSetStatus}): Avro single-object encoding, as on every other topic (schemas/README.md).
 */
public final class RuleEnvelopes {
    private static final BinaryMessageEncoder<RuleSetEnvelope> ENVELOPE_ENCODER =
            RuleSetEnvelope.getEncoder();
    private static final SingleObject.Reader<RuleSetEnvelope> ENVELOPE_DECODER =
            SingleObject.reader(RuleSetEnvelope.class);
    private static final BinaryMessageEncoder<RuleSetStatus> STATUS_ENCODER =
            RuleSetStatus.getEncoder();
    private static final SingleObject.Reader<RuleSetStatus> STATUS_DECODER =
            SingleObject.reader(RuleSetStatus.class);

    private RuleEnvelopes() {}

    /**
     * The envelope of a rule file's text as published: {@code publishedAt} is cut to milliseconds
     * (what the schema holds) and {@code sha256} is computed from {@code document}.
     */
    public static RuleSetEnvelope envelope(
            String document, String version, String author, Instant publishedAt) {
        return RuleSetEnvelope.newBuilder()
                .setVersion(version)
                .setAuthor(author)
                .setPublishedAt(publishedAt.truncatedTo(ChronoUnit.MILLIS))
                .setDocument(document)
                .setSha256(sha256Hex(document))
                .build();
    }

    /** Lowercase hex SHA-256 of the document's UTF-8 bytes: what the job checks. */
    public static String sha256Hex(String document) {
        return RuleUpdates.sha256Hex(document);
    }

    public static byte[] encode(RuleSetEnvelope envelope) {
        try {
            return bytes(ENVELOPE_ENCODER.encode(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(RuleSetStatus status) {
        try {
            return bytes(STATUS_ENCODER.encode(status));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a value of the rules topic.
     *
     * @throws IllegalArgumentException saying why, when the bytes are not a {@code RuleSetEnvelope}
     *     in single-object encoding
     */
    public static RuleSetEnvelope decodeEnvelope(byte[] value) {
        return decode(ENVELOPE_DECODER, value, "RuleSetEnvelope");
    }

    /** As {@link #decodeEnvelope(byte[])}, reading a newer writer schema from the headers. */
    public static RuleSetEnvelope decodeEnvelope(
            byte[] value, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(ENVELOPE_DECODER, value, headers, "RuleSetEnvelope");
    }

    /**
     * Decodes a value of the rules status topic.
     *
     * @throws IllegalArgumentException saying why, when the bytes are not a {@code RuleSetStatus}
     *     in single-object encoding
     */
    public static RuleSetStatus decodeStatus(byte[] value) {
        return decode(STATUS_DECODER, value, "RuleSetStatus");
    }

    /** As {@link #decodeStatus(byte[])}, reading a newer writer schema from the headers. */
    public static RuleSetStatus decodeStatus(
            byte[] value, org.apache.kafka.common.header.Headers headers) {
        return SingleObject.decode(STATUS_DECODER, value, headers, "RuleSetStatus");
    }

    private static <T> T decode(SingleObject.Reader<T> decoder, byte[] value, String schema) {
        return SingleObject.decode(decoder, value, schema);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
