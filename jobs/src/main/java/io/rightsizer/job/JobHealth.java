package io.rightsizer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;

/**
 * A running job's restarts and failures as its JobManager reports them over Flink's REST API: the
 * {@code numRestarts} job metric and the exception history. Read, never inferred, by {@code
 * rightsizer run} (which prints them as they change) and by the tests that promise a restart count.
 */
public final class JobHealth {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI rest;
    private final JobID job;

    /**
     * @param rest the REST endpoint, such as {@code http://localhost:8081}
     */
    public JobHealth(URI rest, JobID job) {
        this.rest = rest;
        this.job = job;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The job's {@code numRestarts} metric; empty until the JobManager's metric fetcher has it (it
     * refreshes every {@code metrics.fetcher.update-interval}).
     */
    public OptionalLong restarts() throws IOException, InterruptedException {
        JsonNode n = get("/jobs/" + job + "/metrics?get=numRestarts");
        for (JsonNode m : n) {
            if ("numRestarts".equals(m.path("id").asText())) {
                return OptionalLong.of(Long.parseLong(m.path("value").asText()));
            }
        }
        return OptionalLong.empty();
    }

    /** {@link #restarts()}, waiting up to {@code timeout} for the metric to be there. */
    public long awaitRestarts(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OptionalLong n = restarts();
            if (n.isPresent()) {
                return n.getAsLong();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "the numRestarts metric of job " + job + " did not appear in " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** How many failures the job's exception history holds (each one failed the job's tasks). */
    public int failures() throws IOException, InterruptedException {
        return get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    /**
     * The first line of the newest failure in the exception history, or null when there is none.
     */
    public String lastFailure() throws IOException, InterruptedException {
        JsonNode entries =
                get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries");
        if (entries.isEmpty()) {
            return null;
        }
        String trace = entries.get(0).path("stacktrace").asText("");
        int nl = trace.indexOf('\n');
        return nl < 0 ? trace : trace.substring(0, nl);
    }
}
