package io.rightsizer.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The limits of every JSON the job and the command line read (JSON samples on vm-metrics and in
 * sample files, recommendations read back by replay): docs/schema-evolution.md, "Bounded decoding".
 *
 * <p>Jackson's defaults (nesting 1,000, strings of 20,000,000 characters, numbers of 1,000 digits)
 * are far above anything a flat sample can need, and a string is held in memory whole before the
 * validator can call it too long. A value beyond a limit is a clean parse error (a {@code
 * StreamConstraintsException}, an {@code IOException}), which the readers turn into a reason.
 */
public final class JsonLimits {
    /** Deepest nesting of objects and arrays; a sample is depth 1, a recommendation depth 3. */
    public static final int MAX_DEPTH = 16;

    /**
     * Longest string value in characters, 1 MiB: more than a record of Kafka's default size limit
     * can hold, so on a topic an over-long id is INVALID with its length named (the validator's
     * limits are far lower), and only a larger record or file line is refused here.
     */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    /** Longest number in characters: enough for any long or double written out in full. */
    public static final int MAX_NUMBER_LENGTH = 400;

    /** Longest field name in characters. */
    public static final int MAX_NAME_LENGTH = 256;

    private JsonLimits() {}

    public static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .build();
    }

    /** A JSON factory with these limits, not echoing the input in error locations. */
    public static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(constraints())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }
}
