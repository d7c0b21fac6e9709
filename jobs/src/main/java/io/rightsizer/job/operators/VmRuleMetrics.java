package io.rightsizer.job.operators;

import io.rightsizer.job.VmWakeUp;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.DataQualityKind;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters and gauges of one vm-rules instance (docs/monitoring.md), and its count of the VMs
 * it tracks: each VM is counted once per incarnation of the operator, which its {@link VmWakeUp}
 * remembers (a restore starts a new incarnation, which counts the VM again on its next update).
 */
final class VmRuleMetrics {
    final Counter late;
    final Counter duplicates;
    final Counter expired;
    final Counter ruleUpdatesAccepted;
    final Counter ruleUpdatesRejected;
    final Counter allocations;
    final Counter decommissioned;
    final Counter noticesIssued;
    final Counter silentEvents;
    final VmEmitter.Outputs outputs;

    /** Never 0, which a VM's bookkeeping holds while it is not counted. */
    private final long incarnation = ThreadLocalRandom.current().nextLong() | 1L;

    private long tracked;
    private volatile long watermarkSeen = Long.MIN_VALUE;

    private final MetricGroup group;

    VmRuleMetrics(MetricGroup g, SilenceWatch silence, boolean history) {
        this.group = g;
        late = g.addGroup("reason", "LATE").counter("dead_letters");
        duplicates = g.counter("duplicate_samples");
        expired = g.counter("vms_forgotten");
        ruleUpdatesAccepted = g.counter("rule_updates_accepted");
        ruleUpdatesRejected = g.counter("rule_updates_rejected");
        allocations = g.counter("allocations_applied");
        decommissioned = g.counter("vms_decommissioned");
        Counter protectedReductions = g.counter("reductions_in_protection_windows");
        noticesIssued = g.counter("time_limit_notices");
        RuleMetrics ruleMetrics =
                new RuleMetrics(
                        g,
                        Rule.WEEKLY_AVERAGE,
                        Rule.HOURLY_PEAKS,
                        Rule.STORAGE_USAGE,
                        Rule.WEEKLY_UNDERUSE,
                        Rule.VM_INACTIVE,
                        Rule.MEMORY_EMERGENCY,
                        Rule.STORAGE_EMERGENCY);
        silentEvents =
                g.addGroup("kind", DataQualityKind.TELEMETRY_SILENT.name())
                        .counter("data_quality_events");
        Counter resumedEvents =
                g.addGroup("kind", DataQualityKind.TELEMETRY_RESUMED.name())
                        .counter("data_quality_events");
        outputs =
                new VmEmitter.Outputs(
                        ruleMetrics, protectedReductions, resumedEvents, silence, history);
        g.gauge("vms_tracked", (Gauge<Long>) () -> tracked);
        g.gauge("event_time_lag_seconds", (Gauge<Double>) () -> eventTimeLag() / 1000.0);
    }

    /** The watermark of the latest firing, for the event-time lag. */
    void watermarkSeen(long watermark) {
        watermarkSeen = watermark;
    }

    /** Wall clock minus this instance's watermark; 0 before the first one and after the last. */
    private long eventTimeLag() {
        long w = watermarkSeen;
        if (w == Long.MIN_VALUE || w == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, System.currentTimeMillis() - w);
    }

    /** Counts the VM in vmsTracked once per incarnation; returns whether {@code w} changed. */
    boolean track(VmWakeUp w) {
        if (w.trackedBy != incarnation) {
            w.trackedBy = incarnation;
            tracked++;
            return true;
        }
        return false;
    }

    /** The VM is no longer counted (its rules' state is gone); {@code w} may be null. */
    void untrack(VmWakeUp w) {
        if (w == null) {
            return;
        }
        if (w.trackedBy == incarnation) {
            tracked--;
        }
        w.trackedBy = 0;
    }

    /** Counts a rule update's decision. */
    void decided(io.rightsizer.schema.RuleSetStatus status) {
        (status.getOutcome() == io.rightsizer.schema.RuleUpdateOutcome.ACCEPTED
                        ? ruleUpdatesAccepted
                        : ruleUpdatesRejected)
                .inc();
    }

    /** The samples held on the heap until the watermark passes them (docs/monitoring.md). */
    void held(java.util.function.IntSupplier samples) {
        group.gauge("samples_held", (Gauge<Integer>) samples::getAsInt);
    }
}
