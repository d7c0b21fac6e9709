package io.rightsizer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongPredicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * A job's metrics as an operator reads them: from the Flink REST API of the MiniCluster the test
 * built (numRestarts of the job, the sum of a task metric over every subtask).
 */
public final class JobRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

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
        long value = -1;
        for (JsonNode m : get("/jobs/" + job + "/metrics?get=" + encode(name))) {
            if (m.path("id").asText().equals(name)) {
                value = Long.parseLong(m.path("value").asText());
            }
        }
        return value;
    }

    /**
     * The sum over every subtask of every vertex of the task metrics whose name ends with {@code
     * suffix} (e.g. {@code rightsizer.influxdb.points_dropped}); -1 while the REST API has none.
     */
    public long taskMetricSum(JobID job, String suffix) throws IOException, InterruptedException {
        long sum = -1;
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/subtasks";
            for (JsonNode available : get(path + "/metrics")) {
                String name = available.path("id").asText();
                if (!name.endsWith(suffix)) {
                    continue;
                }
                for (JsonNode m : get(path + "/metrics?agg=sum&get=" + encode(name))) {
                    sum = Math.max(sum, 0) + Math.round(m.path("sum").asDouble());
                }
            }
        }
        return sum;
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

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
