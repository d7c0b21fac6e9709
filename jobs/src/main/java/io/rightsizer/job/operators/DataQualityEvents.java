package io.rightsizer.job.operators;

import io.rightsizer.rules.VmState;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Builds the deadman's events, with ids that are the same in every run of the same input. */
final class DataQualityEvents {
    private DataQualityEvents() {}

    /** The VM sent nothing after {@code lastSampleAt} for {@code silenceAfter}. */
    static DataQualityEvent silent(String vmId, VmState s, long lastSampleAt, long silenceAfter) {
        return event(
                DataQualityKind.TELEMETRY_SILENT,
                vmId,
                s,
                lastSampleAt,
                lastSampleAt + silenceAfter,
                silenceAfter);
    }

    /** The first sample after a reported silence, at {@code at}. */
    static DataQualityEvent resumed(
            String vmId, VmState s, long lastSampleAt, long at, long silenceAfter) {
        return event(DataQualityKind.TELEMETRY_RESUMED, vmId, s, lastSampleAt, at, silenceAfter);
    }

    private static DataQualityEvent event(
            DataQualityKind kind,
            String vmId,
            VmState s,
            long lastSampleAt,
            long detectedAt,
            long silenceAfter) {
        String name = "data-quality|" + kind + "|" + vmId + "|" + lastSampleAt;
        return DataQualityEvent.newBuilder()
                .setEventId(
                        UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString())
                .setKind(kind)
                .setVmId(vmId)
                .setSystemId(s.systemId)
                .setUnitId(s.unitId)
                .setLastSampleAt(Instant.ofEpochMilli(lastSampleAt))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .setSilentForMillis(detectedAt - lastSampleAt)
                .setSilenceAfterMillis(silenceAfter)
                .build();
    }
}
