package io.rightsizer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsInsideFunctionsAggregationsAndBinaryOperators() {
        assertThat(
                        PromQl.metricNames(
                                "sum by (reason) (rate(dead_letters{job=\"rightsizer\"}[5m])) / sum"
                                        + " without (subtask_index)"
                                        + " (increase(samples_in[$__rate_interval]))"))
                .containsExactly("dead_letters", "samples_in");
    }

    @Test
    void ignoresLabelsStringsDurationsNumbersAndKeywords() {
        assertThat(
                        PromQl.metricNames(
                                "up{job=\"a{b} c_d\", x=~'y'} == 0 or on (job) absent(flink_x) and"
                                        + " ignoring(instance) lag offset 5m > 15 * 60 * 1e3 unless"
                                        + " bool nan"))
                .containsExactly("up", "flink_x", "lag");
    }

    @Test
    void aBareMetricNameAndAColonRecordingNameAreMetrics() {
        assertThat(PromQl.metricNames("job:samples_in:rate5m"))
                .containsExactly("job:samples_in:rate5m");
        assertThat(
                        PromQl.metricNames(
                                "max(flink_jobmanager_job_uptime{job=\"rightsizer\"}) / 1000"))
                .containsExactly("flink_jobmanager_job_uptime");
    }
}
