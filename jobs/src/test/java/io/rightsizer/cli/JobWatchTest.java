package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How {@code rightsizer run} names the operators records failed in. */
class JobWatchTest {
    @Test
    void theOperatorIsTheValueOfTheMetricsOperatorGroup() {
        assertThat(JobWatch.operator("vm-rules.rightsizer.operator.vm-rules.records_failed"))
                .isEqualTo("vm-rules");
        assertThat(
                        JobWatch.operator(
                                "vm-rules.rightsizer.operator.vm-rules-updates.records_failed"))
                .isEqualTo("vm-rules-updates");
        // Chained to its source, the router's metric is named after the chain's operator.
        assertThat(
                        JobWatch.operator(
                                "route-inventory.rightsizer.operator.route-inventory.records_failed"))
                .isEqualTo("route-inventory");
    }

    @Test
    void onlyTheOperatorsWhoseCountGrewAreNamedWithTheirIncrease() {
        Map<String, Long> before = new TreeMap<>(Map.of("vm-rules", 2L, "route-samples", 0L));
        Map<String, Long> now =
                new TreeMap<>(Map.of("vm-rules", 4L, "route-samples", 0L, "route-inventory", 1L));

        assertThat(JobWatch.grown(before, now)).isEqualTo("route-inventory (1), vm-rules (2)");
    }
}
