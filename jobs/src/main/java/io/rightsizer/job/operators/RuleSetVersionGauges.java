package io.rightsizer.job.operators;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The rule-set version in force as an info-style metric: one gauge per version this operator has
 * seen, labelled {@code version}, 1 for the one in force and 0 for the others (Prometheus labels
 * are the only place a version string can go).
 */
final class RuleSetVersionGauges {
    private final MetricGroup group;
    private final Supplier<String> inForce;
    private final Set<String> registered = new HashSet<>();

    RuleSetVersionGauges(MetricGroup group, Supplier<String> inForce) {
        this.group = group;
        this.inForce = inForce;
    }

    void register(String version) {
        if (version != null && registered.add(version)) {
            group.addGroup("version", version)
                    .gauge(
                            "rule_set_in_force",
                            (Gauge<Integer>) () -> version.equals(inForce.get()) ? 1 : 0);
        }
    }
}
