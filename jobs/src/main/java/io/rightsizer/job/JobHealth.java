package io.rightsizer.job;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;

/**
 * A running job's restarts, failures and metrics as its JobManager reports them over Flink's REST
 * API: read, never inferred, by {@code rightsizer run} (which prints them as they change) and by
 * the tests that promise a restart count. The REST API serves metrics from a cache refreshed every
 * {@code metrics.fetcher.update-interval} (10 s by default): a metric not fetched yet reads -1.
 */
public final class JobHealth {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI rest;
    private final JobID job;

    /**
     * @param rest the REST endpoint, such as {@code http://localhost:8081}
     */
    public JobHealth(URI rest, JobID job) {
        this.rest = rest;
        this.job = job;
    }

    public JobID job() {
        return job;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The job-level metric {@code name} (numRestarts, ...); -1 while the REST API has none. */
    public long jobMetric(String name) throws IOException, InterruptedException {
        long value = -1;
        for (JsonNode m : get("/jobs/" + job + "/metrics?get=" + encode(name))) {
            if (m.path("id").asText().equals(name)) {
                value = Long.parseLong(m.path("value").asText());
            }
        }
        return value;
    }

    /** The job's {@code numRestarts} metric; -1 until the metric fetcher has it. */
    public long restarts() throws IOException, InterruptedException {
        return jobMetric("numRestarts");
    }

    /** {@link #restarts()}, waiting up to {@code timeout} for the metric to be there. */
    public long awaitRestarts(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = restarts();
        while (n < 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "the numRestarts metric of job " + job + " did not appear in " + timeout);
            }
            Thread.sleep(200);
            n = restarts();
        }
        return n;
    }

    /**
     * The sum over every subtask of every vertex of the task metrics whose name ends with {@code
     * suffix} (e.g. {@code .records_failed}); -1 while the REST API has none.
     */
    public long taskMetricSum(String suffix) throws IOException, InterruptedException {
        Map<String, Long> sums = taskMetricSums(suffix);
        return sums.isEmpty() ? -1 : sums.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * As {@link #taskMetricSum}, per metric name (such as {@code
     * vm-rules.rightsizer.operator.vm-rules.records_failed}), summed over the subtasks; empty while
     * the REST API has none.
     */
    public Map<String, Long> taskMetricSums(String suffix)
            throws IOException, InterruptedException {
        Map<String, Long> sums = new TreeMap<>();
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/subtasks";
            List<String> names = new ArrayList<>();
            for (JsonNode available : get(path + "/metrics")) {
                String name = available.path("id").asText();
                if (name.endsWith(suffix)) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            for (JsonNode m :
                    get(path + "/metrics?agg=sum&get=" + encode(String.join(",", names)))) {
                sums.merge(m.path("id").asText(), Math.round(m.path("sum").asDouble()), Long::sum);
            }
        }
        return sums;
    }

    /** How many failures the job's exception history holds (each one failed the job's tasks). */
    public int failures() throws IOException, InterruptedException {
        return get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    /**
     * The first line (at most 300 characters) of the newest failure in the exception history, or
     * null when there is none.
     */
    public String lastFailure() throws IOException, InterruptedException {
        for (JsonNode e :
                get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries")) {
            // Newest first.
            return firstLine(e.path("stacktrace").asText(e.path("exceptionName").asText("")));
        }
        return null;
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
