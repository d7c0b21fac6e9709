package io.rightsizer.model;

import io.rightsizer.schema.Decision;

/**
 * A record read from the decisions topic: the {@link Decision}, or, when the bytes are not one, the
 * error and where the record was, so it is rejected on the audit topic instead of failing the job.
 * A Flink POJO.
 */
public class DecisionInput {
    /** Null when the record could not be decoded. */
    public Decision decision;

    /** Why the record could not be decoded; null for a decision. */
    public String error;

    /** The Kafka key as UTF-8 text (the recommendationId by convention), null without a key. */
    public String key;

    /** Kafka coordinates and timestamp; -1 when not from Kafka. */
    public int sourcePartition = -1;

    public long sourceOffset = -1;
    public long timestamp = -1;

    public DecisionInput() {}

    public static DecisionInput of(Decision d) {
        DecisionInput in = new DecisionInput();
        in.decision = d;
        in.key = d.getRecommendationId();
        in.timestamp = d.getDecidedAt().toEpochMilli();
        return in;
    }

    public static DecisionInput undecodable(String error, String key, long timestamp) {
        DecisionInput in = new DecisionInput();
        in.error = error;
        in.key = key;
        in.timestamp = timestamp;
        return in;
    }

    /** What the router keys it by: the decision's recommendationId, else the record's key. */
    public String routingKey() {
        if (decision != null) {
            return decision.getRecommendationId();
        }
        return key == null ? "" : key;
    }

    @Override
    public String toString() {
        return error != null
                ? "DecisionInput{undecodable: " + error + "}"
                : "DecisionInput{" + decision + "}";
    }
}
