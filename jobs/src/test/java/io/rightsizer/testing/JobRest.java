package io.rightsizer.testing;

import io.rightsizer.job.JobHealth;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.LongPredicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * A job's metrics as an operator reads them: from the Flink REST API of the MiniCluster the test
 * built ({@link JobHealth}), with polling until a value holds.
 */
public final class JobRest {
    private final URI base;

    public JobRest(MiniCluster flink) throws Exception {
        this.base = flink.getRestAddress().get();
    }

    /**
     * What a MiniCluster needs for this: a free REST port, and metrics refreshed every 500 ms (the
     * REST API serves them from a cache refreshed every 10 s by default).
     */
    public static Configuration clusterSettings() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        return conf;
    }

    /** The job-level metric {@code name} (numRestarts, ...); -1 while the REST API has none. */
    public long jobMetric(JobID job, String name) throws IOException, InterruptedException {
        return new JobHealth(base, job).jobMetric(name);
    }

    /**
     * The sum over every subtask of every vertex of the task metrics whose name ends with {@code
     * suffix} (e.g. {@code rightsizer.influxdb.points_dropped}); -1 while the REST API has none.
     */
    public long taskMetricSum(JobID job, String suffix) throws IOException, InterruptedException {
        return new JobHealth(base, job).taskMetricSum(suffix);
    }

    /** Polls {@link #jobMetric} until {@code done} holds or the timeout passes; the last value. */
    public long awaitJobMetric(JobID job, String name, LongPredicate done, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value = jobMetric(job, name);
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            value = jobMetric(job, name);
        }
        return value;
    }

    /**
     * Polls {@link #taskMetricSum} until {@code done} holds or the timeout passes; the last sum.
     */
    public long awaitTaskMetricSum(JobID job, String suffix, LongPredicate done, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value = taskMetricSum(job, suffix);
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            value = taskMetricSum(job, suffix);
        }
        return value;
    }
}
