package io.rightsizer.report;

import java.time.Instant;

/** A TELEMETRY_SILENT data-quality event: the VM stopped sending samples. */
public record SilenceRow(
        String id,
        Instant detectedAt,
        String vmId,
        String systemId,
        String unitId,
        Instant lastSampleAt,
        Long silentForMs) {}
