package io.rightsizer.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rightsizer.model.Rejected;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Dead letters as JSON Lines, with the DeadLetter schema's field names. */
final class DeadLetters {
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetters() {}

    static String toJson(Rejected r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("reason", r.reason.name());
            g.writeStringField("message", r.message);
            g.writeStringField("sourceTopic", r.sourceTopic);
            if (r.sourcePartition >= 0) {
                g.writeNumberField("sourcePartition", r.sourcePartition);
            } else {
                g.writeNullField("sourcePartition");
            }
            g.writeNumberField("sourceOffset", r.sourceOffset);
            g.writeStringField("vmId", r.vmId);
            if (r.sampleTimestamp != Long.MIN_VALUE) {
                g.writeNumberField("sampleTimestamp", r.sampleTimestamp);
            } else {
                g.writeNullField("sampleTimestamp");
            }
            g.writeStringField(
                    "payload",
                    r.payload == null ? "" : new String(r.payload, StandardCharsets.UTF_8));
            // The payload is the line's first bytes only when it was longer than the cap.
            g.writeNumberField("payloadSize", r.payloadSize);
            g.writeStringField("payloadSha256", r.payloadSha256);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
