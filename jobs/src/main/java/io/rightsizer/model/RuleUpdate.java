package io.rightsizer.model;

/**
 * A rule-set update read from the rules topic, as it travels through the job's broadcast stream and
 * is kept in broadcast state once accepted. A Flink POJO (no Kryo); {@link #error} is set instead
 * of the envelope's fields when the record could not be decoded, so that a bad record is rejected
 * on the status topic rather than failing the job.
 */
public class RuleUpdate {
    public String version;
    public String author;
    public long publishedAt;
    public String document;
    public String sha256;

    /** Where it was read: topic (null when not from Kafka), partition and offset (-1). */
    public String sourceTopic;

    public int sourcePartition = -1;

    public long sourceOffset = -1;

    /** Why the record could not be decoded; null for a decoded envelope. */
    public String error;

    public RuleUpdate() {}

    public static RuleUpdate of(
            String version, String author, long publishedAt, String document, String sha256) {
        RuleUpdate u = new RuleUpdate();
        u.version = version;
        u.author = author;
        u.publishedAt = publishedAt;
        u.document = document;
        u.sha256 = sha256;
        return u;
    }

    public static RuleUpdate undecodable(String error) {
        RuleUpdate u = new RuleUpdate();
        u.error = error;
        return u;
    }

    @Override
    public String toString() {
        return error != null
                ? "RuleUpdate{undecodable: " + error + "}"
                : "RuleUpdate{" + version + " by " + author + "}";
    }
}
