package io.rightsizer.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Instants as people write them on the command line and in files the CLI reads. */
final class IsoInstant {
    static final String SYNTAX =
            "an ISO-8601 instant such as 2026-10-01T00:00:00Z or" + " 2026-10-01T08:00:00+08:00";

    private IsoInstant() {}

    /**
     * An ISO-8601 date-time with {@code Z} or an offset. The topics hold milliseconds, so a finer
     * instant is refused rather than silently cut.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Instant parse(String text) {
        Instant i;
        try {
            i =
                    OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + SYNTAX);
        }
        if (i.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("'" + text + "' is more precise than a millisecond");
        }
        return i;
    }
}
