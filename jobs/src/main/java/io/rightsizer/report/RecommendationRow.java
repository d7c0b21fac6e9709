package io.rightsizer.report;

import java.time.Instant;

/** One recommendation as written to the {@code recommendations} measurement. */
public record RecommendationRow(
        String id,
        Instant firedAt,
        String rule,
        String action,
        String vmId,
        String systemId,
        String unitId,
        String reason) {

    public Subject subject() {
        return new Subject(unitId, systemId, vmId);
    }
}
