package io.rightsizer.sim;

import io.rightsizer.model.Sample;

/**
 * One record of the simulated stream: a valid sample, or a malformed record that the job must send
 * to the dead letters. {@link Sample} cannot hold invalid values, so a malformed record carries its
 * raw form for each output: a JSON line for files and the bytes of a Kafka record value.
 */
public sealed interface SimRecord permits SimRecord.Valid, SimRecord.Malformed {

    /** The dead-letter reason a malformed record must get. */
    enum Defect {
        /** Decodes, but breaks the input contract (used &gt; total, cpu 150, ...). */
        INVALID,
        /** Not a sample at all (not JSON, truncated bytes, unknown schema). */
        UNDECODABLE
    }

    /** A valid sample; encode it with {@code RecordJson.toJson} or {@code SampleCodec.encode}. */
    record Valid(Sample sample) implements SimRecord {}

    /**
     * A malformed record.
     *
     * @param key the Kafka key (the vmId of the VM the record pretends to come from)
     * @param description what is wrong, for people
     * @param jsonLine the line to write to a JSON Lines file (no line break)
     * @param kafkaValue the Kafka record value: the same defect in Avro single-object encoding
     *     where the defect survives Avro (INVALID), raw bytes otherwise
     */
    record Malformed(
            Defect defect, String key, String description, String jsonLine, byte[] kafkaValue)
            implements SimRecord {}
}
