package io.rightsizer.job.operators;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.DataQualityEvent;
import java.io.Serializable;
import java.time.Duration;

/**
 * The deadman of vm-rules (docs/monitoring.md, "Data quality"): a VM whose last evaluated sample
 * was RUNNING and that sends nothing more for the silence period is reported silent, once per
 * silence; its next evaluated sample reports it resumed. What it remembers is in the VM's {@link
 * VmState} ({@code lastStopped}, {@code silenceReported}, {@code silentAfter}); when it is next due
 * is one of the deadlines the operator's single wake-up waits for.
 */
final class SilenceWatch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 0: no watch (no event, never due). */
    private final long afterMillis;

    SilenceWatch(Duration silenceAfter) {
        this.afterMillis = silenceAfter == null ? 0 : silenceAfter.toMillis();
    }

    long afterMillis() {
        return afterMillis;
    }

    /** When the VM is reported silent if no later sample is evaluated; Long.MAX_VALUE: never. */
    long due(VmState s) {
        if (afterMillis <= 0
                || s.lastEvaluatedAt == VmState.NONE
                || s.lastStopped
                || s.silenceReported) {
            return Long.MAX_VALUE;
        }
        return s.lastEvaluatedAt + afterMillis;
    }

    /**
     * The TELEMETRY_SILENT event when the watermark has reached {@link #due}, null otherwise; the
     * state then remembers the silence as reported.
     */
    DataQualityEvent check(String vmId, VmState s, long watermark) {
        long due = due(s);
        if (due == Long.MAX_VALUE || due > watermark) {
            return null;
        }
        long last = s.lastEvaluatedAt;
        s.silenceReported = true;
        s.silentAfter = last;
        return DataQualityEvents.silent(vmId, s, last, afterMillis);
    }

    /**
     * The rules evaluated {@code sample}: the TELEMETRY_RESUMED event when a silence was reported,
     * null otherwise. Whether the sample was STOPPED is remembered either way.
     */
    DataQualityEvent evaluated(String vmId, VmState s, Sample sample) {
        DataQualityEvent e = null;
        if (s.silenceReported) {
            e = DataQualityEvents.resumed(vmId, s, s.silentAfter, sample.timestamp, afterMillis);
            s.silenceReported = false;
            s.silentAfter = VmState.NONE;
        }
        s.lastStopped = sample.stopped;
        return e;
    }
}
