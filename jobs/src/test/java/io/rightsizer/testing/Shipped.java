package io.rightsizer.testing;

import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.format.WorkingCalendarParser;
import io.rightsizer.rules.sizing.Catalog;
import io.rightsizer.rules.sizing.Sizing;
import java.nio.file.Path;

/** The shipped configuration files, as the job reads them (tests run in jobs/). */
public final class Shipped {
    private Shipped() {}

    /** config/catalog.yaml (CatalogParserTest proves it parses to {@link Catalog#defaults}). */
    public static final Sizing SIZING = new Sizing(Catalog.defaults());

    /** The regulation's time limits on config/calendar.yaml. */
    public static final TimeLimits TIME_LIMITS = timeLimits();

    private static TimeLimits timeLimits() {
        try {
            return TimeLimits.regulation(
                    WorkingCalendarParser.parse(Path.of("..", "config", "calendar.yaml")));
        } catch (Exception e) {
            throw new IllegalStateException("the shipped calendar must parse", e);
        }
    }
}
