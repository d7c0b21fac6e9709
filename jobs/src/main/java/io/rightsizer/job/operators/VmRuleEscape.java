package io.rightsizer.job.operators;

import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.SampleCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What vm-rules does with a record or a timer that fails for a reason nobody foresaw
 * (docs/failures.md): the FAILED dead letters it gives; and the LATE dead letter of a sample at or
 * behind the watermark. Kept apart from {@link VmRuleFunction}, whose job is the rules.
 */
final class VmRuleEscape {
    private final RecordFailures failures;
    private final String sourceName;

    VmRuleEscape(RecordFailures failures, String sourceName) {
        this.failures = failures;
        this.sourceName = sourceName;
    }

    /** The dead letter of an input record (a sample or an inventory record) that failed. */
    Rejected inputFailed(Throwable e, VmInput in, String vmId) {
        if (in.allocation != null) {
            return failures.failed(
                    e, "inventory record of " + vmId, RecordFailures.ofInventory(in, vmId));
        }
        return failures.failed(
                e,
                "sample of " + vmId + " at " + Instant.ofEpochMilli(in.sample.timestamp),
                RecordFailures.ofSample(in.sample, sourceName));
    }

    /**
     * The dead letters of a failed timer: one per sample that waited for the VM's evaluation
     * ({@code waiting}, by timestamp), with its coordinates; a timer with no sample waiting (a
     * deadline, the retention), or samples that cannot be read ({@code waiting} null), gives one
     * letter with the VM's id and the timer's instant.
     */
    List<Rejected> timerFailed(Throwable e, long timestamp, String vmId, Sample[] waiting) {
        String what = "timer of " + vmId + " at " + Instant.ofEpochMilli(timestamp);
        List<Rejected> letters = new ArrayList<>();
        int n = waiting == null ? 0 : waiting.length;
        Rejected first = null;
        for (int i = 0; i < n; i++) {
            Sample p = waiting[i];
            if (p == null) {
                continue;
            }
            Rejected letter = RecordFailures.ofSample(p, sourceName);
            if (first == null) {
                first =
                        failures.failed(
                                e,
                                what
                                        + ", judging its sample at "
                                        + Instant.ofEpochMilli(p.timestamp),
                                letter);
                letters.add(first);
            } else {
                letters.add(failures.alsoFailed(first, letter));
            }
        }
        if (first == null) {
            Rejected letter = RecordFailures.of(sourceName, vmId);
            letter.sampleTimestamp = timestamp;
            letters.add(failures.failed(e, what, letter));
        }
        return letters;
    }

    /** The dead letter of a sample at or behind the watermark. */
    Rejected late(Sample sample, long watermark) {
        Rejected r =
                Rejected.of(
                        DeadLetterReason.LATE,
                        "timestamp "
                                + Instant.ofEpochMilli(sample.timestamp)
                                + " is at or behind the watermark "
                                + Instant.ofEpochMilli(watermark),
                        SampleCodec.encode(sample));
        r.sourceTopic = sourceName;
        r.sourcePartition = sample.sourcePartition;
        r.sourceOffset = sample.sourceOffset;
        r.vmId = sample.vmId;
        r.sampleTimestamp = sample.timestamp;
        return r;
    }
}
