package io.rightsizer.job.operators;

import io.rightsizer.rules.Rule;
import io.rightsizer.schema.Recommendation;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counters of firings and cooldown suppressions per rule, labelled with rule and action. */
final class RuleMetrics {
    private final Map<Rule, Counter> fired = new EnumMap<>(Rule.class);
    private final Map<Rule, Counter> suppressed = new EnumMap<>(Rule.class);

    RuleMetrics(MetricGroup group, Rule... rules) {
        for (Rule r : rules) {
            MetricGroup g = group.addGroup("rule", r.id()).addGroup("action", r.action().name());
            fired.put(r, g.counter("recommendations"));
            suppressed.put(r, g.counter("suppressed_by_repeat_rule"));
        }
    }

    void fired(Recommendation r) {
        Rule.byId(r.getRuleId()).map(fired::get).ifPresent(Counter::inc);
    }

    void suppressed(Rule rule) {
        Counter c = suppressed.get(rule);
        if (c != null) {
            c.inc();
        }
    }
}
