package io.rightsizer.model;

/**
 * The decision router's memory of one recommendation id: which subject and rule it belongs to,
 * until when decisions on it are accepted, and the timer of the decisions held for it while it is
 * unknown. A Flink POJO.
 */
public class RoutedId {
    public static final long NONE = Long.MIN_VALUE;

    /** Null while the id is unknown (decisions held). */
    public String subject;

    public String ruleId;

    /** Decisions with decidedAt before this are routed; NONE while unknown. */
    public long rememberUntil = NONE;

    /** The event-time timer registered for this id, NONE when none. */
    public long timer = NONE;

    public RoutedId() {}

    public boolean known() {
        return subject != null;
    }
}
