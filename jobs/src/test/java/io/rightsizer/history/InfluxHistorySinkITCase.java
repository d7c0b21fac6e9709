package io.rightsizer.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.testing.InfluxServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink in a bounded MiniCluster job at parallelism 2: everything is in InfluxDB when the job
 * finishes, and with the server down the job still finishes after the drain timeout, with every
 * point counted as dropped in the operator's metrics.
 */
class InfluxHistorySinkITCase {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    static final int POINTS = 500;

    /** POINTS weekly points of distinct VMs, in the week of the fixtures. */
    static List<String> weeklyLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            var w = HistoryFixtures.judgedWeek();
            w.vmId = "vm-" + i;
            // Quarters add up exactly in binary floating point.
            w.averagePct = i / 4.0;
            lines.add(HistoryLines.weekly(w));
        }
        return lines;
    }

    static JobExecutionResult run(InfluxSettings settings, List<String> lines) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(lines).sinkTo(new InfluxHistorySink(settings)).name("influxdb-history");
        return env.execute("influx-history-sink-test");
    }

    /** The job's metrics in the sink's {@code rightsizer.influxdb} group, one map per subtask. */
    static List<Map<String, Metric>> influxGroups(JobID job) {
        List<Map<String, Metric>> groups = new ArrayList<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> e :
                METRICS.getMetricsByGroup().entrySet()) {
            MetricGroup g = e.getKey();
            if (job.toString().equals(g.getAllVariables().get("<job_id>"))
                    && g.getMetricIdentifier("x").endsWith(".rightsizer.influxdb.x")) {
                groups.add(e.getValue());
            }
        }
        return groups;
    }

    /** The sum over the sink's subtasks of the counter {@code name}. */
    static long counter(JobID job, String name) {
        List<Map<String, Metric>> groups = influxGroups(job);
        assertThat(groups).as("subtasks reporting").hasSize(2);
        long sum = 0;
        for (Map<String, Metric> g : groups) {
            sum += ((Counter) g.get(name)).getCount();
        }
        return sum;
    }

    @Test
    void aBoundedJobFinishesWithEveryPointWritten() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_sink");
        // A flush interval longer than the job: only the end-of-input drain can send the rest.
        InfluxSettings settings =
                InfluxSettings.of(url, db)
                        .withBatchSize(64)
                        .withFlushInterval(Duration.ofMinutes(5))
                        .withDrainTimeout(Duration.ofSeconds(60));

        JobExecutionResult result = run(settings, weeklyLines());

        JobID job = result.getJobID();
        assertThat(counter(job, "points_written")).isEqualTo(POINTS);
        assertThat(counter(job, "points_dropped")).isZero();
        assertThat(counter(job, "write_failures")).isZero();
        assertThat(influxGroups(job))
                .allSatisfy(
                        g ->
                                assertThat(g.keySet())
                                        .containsExactlyInAnyOrder(
                                                "points_written",
                                                "points_dropped",
                                                "write_failures",
                                                "buffered_points"));
        assertThat(
                        InfluxWriterITCase.rows(
                                url, db, "SELECT count(average), sum(average) FROM vm_weekly"))
                .containsExactly(List.of("1970-01-01T00:00:00Z", 500.0, 31187.5));
        assertThat(
                        InfluxWriterITCase.rows(
                                url, db, "SELECT average FROM vm_weekly WHERE vmId = 'vm-123'"))
                .containsExactly(List.of("2026-03-01T16:00:00Z", 30.75));
    }

    @Test
    void withTheServerDownTheJobFinishesAfterTheDrainTimeoutAndCountsTheDrops() throws Exception {
        Duration drainTimeout = Duration.ofSeconds(2);
        InfluxSettings settings =
                InfluxSettings.of("http://127.0.0.1:" + InfluxWriterITCase.freePort(), "down")
                        .withBatchSize(64)
                        .withMaxRetries(1000)
                        .withRetryBackoff(Duration.ofMillis(100))
                        .withRequestTimeout(Duration.ofSeconds(1))
                        .withDrainTimeout(drainTimeout);

        long start = System.nanoTime();
        JobExecutionResult result = run(settings, weeklyLines());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(drainTimeout, drainTimeout.plusSeconds(15));
        JobID job = result.getJobID();
        assertThat(counter(job, "points_written")).isZero();
        assertThat(counter(job, "points_dropped")).isEqualTo(POINTS);
        assertThat(counter(job, "write_failures")).isPositive();
    }
}
