package io.rightsizer.ingest;

import io.rightsizer.model.Rejected;

/**
 * What a collector's source produces: one decoded {@link Reading}, or a record that could not be
 * decoded, never both. A collector message holding several values becomes several of these; a
 * rejected message becomes one, so it is one dead letter with its raw bytes and coordinates.
 */
public class Collected {
    public Reading reading;
    public Rejected rejected;

    public Collected() {}

    public static Collected of(Reading reading) {
        Collected c = new Collected();
        c.reading = reading;
        return c;
    }

    public static Collected rejected(Rejected rejected) {
        Collected c = new Collected();
        c.rejected = rejected;
        return c;
    }
}
