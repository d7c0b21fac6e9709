package io.rightsizer.testing;

import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.RuleSetParser;

/** Rule files for tests of rule changes. */
public final class RuleFiles {
    private RuleFiles() {}

    /**
     * The defaults, except that the weekly rules judge a week with any covered hour (so one sample
     * decides a week) and the weekly scale-up threshold is {@code averageAbovePct}.
     */
    public static String weeklyAnyHour(String version, int averageAbovePct) {
        return """
        version: "%s"
        calendar:
          zone: Asia/Shanghai
        rules:
          scale-up.memory.weekly-average:
            average-above-pct: %d
            min-covered-hours: 0
          reduce.memory.weekly-underuse:
            min-covered-hours: 0
        """
                .formatted(version, averageAbovePct);
    }

    /** Parses a rule file that a test knows to be valid. */
    public static RuleSet parse(String yaml) {
        try {
            return RuleSetParser.parse(yaml, "test.yaml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
