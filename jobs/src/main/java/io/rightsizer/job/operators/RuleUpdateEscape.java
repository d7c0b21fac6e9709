package io.rightsizer.job.operators;

import io.rightsizer.job.Tags;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;

/**
 * The escape of a rules operator's broadcast side (docs/failures.md): a rule update whose decision
 * fails for a reason nobody foresaw is refused. {@link RulesInForce#decide} changes nothing before
 * it has decided, and every parallel instance decides the same update with the same code, so all of
 * them stay on the rule set they had. The first parallel instance alone (as it alone reports rule
 * statuses) sends the update's FAILED dead letter, counts it in {@code
 * records_failed{operator="<operator>"}} and logs it; the others refuse it quietly, or the one
 * record would be counted and dead-lettered once per instance.
 */
final class RuleUpdateEscape {
    /** Null on every parallel instance but the first. */
    private final RecordFailures failures;

    /**
     * @param operator the name in the metric, such as {@code vm-rules-updates}
     * @param first whether this is the first parallel instance
     */
    RuleUpdateEscape(MetricGroup rightsizer, String operator, boolean first) {
        this.failures = first ? new RecordFailures(rightsizer, operator) : null;
    }

    void succeeded() {
        if (failures != null) {
            failures.succeeded();
        }
    }

    /**
     * {@code rules} decides on {@code u}; a failure to is {@link #failed}. Returns the decision,
     * null when there is none to report.
     */
    RuleSetStatus decide(
            RulesInForce<?> rules, RuleUpdate u, BaseBroadcastProcessFunction.Context ctx)
            throws Exception {
        try {
            RuleSetStatus status =
                    rules.decide(ctx.getBroadcastState(Tags.RULES), u, System.currentTimeMillis());
            succeeded();
            return status;
        } catch (Exception | Error e) {
            return failed(e, u, rules.version(), ctx);
        }
    }

    /**
     * Dead-letters the update on the first instance and returns its REJECTED status for the status
     * topic (null on the other instances, or when the update cannot even be described by one);
     * rethrows a failure that is not the update's ({@link RecordFailures#isRecordFailure}).
     *
     * @param inForce the version of the rule set in force, which the failure left as it was
     */
    RuleSetStatus failed(
            Throwable e, RuleUpdate u, String inForce, BaseBroadcastProcessFunction.Context ctx) {
        RecordFailures.rethrowUnlessRecords(e);
        if (failures == null) {
            return null;
        }
        Rejected letter = failures.failed(e, "rule update " + u.version, letter(u));
        ctx.output(Tags.FAILED, letter);
        try {
            return RuleSetStatus.newBuilder()
                    .setOutcome(RuleUpdateOutcome.REJECTED)
                    .setVersion(u.version)
                    .setAuthor(u.author)
                    .setPublishedAt(u.error != null ? null : Instant.ofEpochMilli(u.publishedAt))
                    .setSha256(u.sha256)
                    .setReason(
                            "the job failed deciding it (the dead letter FAILED at this topic,"
                                    + " partition and offset has the details): "
                                    + Rejected.cap(String.valueOf(e), 1000))
                    .setPreviousVersion(inForce)
                    .setInForceVersion(inForce)
                    .setDecidedAt(Instant.now())
                    .setSourcePartition(u.sourcePartition >= 0 ? u.sourcePartition : null)
                    .setSourceOffset(u.sourceOffset >= 0 ? u.sourceOffset : null)
                    .build();
        } catch (RuntimeException | StackOverflowError unreportable) {
            // What failed the decision may fail its status too: the dead letter tells.
            return null;
        }
    }

    /**
     * The update's coordinates, its publication time, and its rule file (the envelope's document,
     * capped as every payload) as the payload.
     */
    static Rejected letter(RuleUpdate u) {
        Rejected r =
                Rejected.of(
                        DeadLetterReason.FAILED,
                        null,
                        u.document == null ? null : u.document.getBytes(StandardCharsets.UTF_8));
        if (r.payload == null) {
            r.payload = new byte[0];
        }
        r.sourceTopic = u.sourceTopic;
        r.sourcePartition = u.sourcePartition;
        r.sourceOffset = u.sourceOffset;
        r.sampleTimestamp = u.error != null ? Long.MIN_VALUE : u.publishedAt;
        return r;
    }
}
