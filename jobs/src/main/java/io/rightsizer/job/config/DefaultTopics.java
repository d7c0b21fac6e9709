package io.rightsizer.job.config;

/**
 * The default topic names, as compile-time constants: the options' defaults ({@link
 * RightsizerOptions}) and the command line's annotations both read them, so each name is written
 * once.
 */
public final class DefaultTopics {
    private DefaultTopics() {}

    public static final String METRICS = "vm-metrics";
    public static final String RECOMMENDATIONS = "rightsizing-recommendations";
    public static final String DEAD_LETTERS = "rightsizing-dead-letters";
    public static final String RULES = "rightsizing-rules";
    public static final String RULES_STATUS = "rightsizing-rules-status";
    public static final String INVENTORY = "vm-inventory";
    public static final String DECISIONS = "rightsizing-decisions";
    public static final String RECOMMENDATION_EVENTS = "rightsizing-recommendation-events";
    public static final String NOTICES = "rightsizing-notices";
    public static final String DATA_QUALITY = "rightsizing-data-quality";
}
