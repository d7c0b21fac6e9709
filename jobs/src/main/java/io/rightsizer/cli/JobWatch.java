package io.rightsizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code rightsizer run} tells about a running job's health (docs/failures.md), read from
 * Flink's REST API: the job's restarts since it started ({@code numRestarts}), the first line of
 * the last failure's cause, and the records dead-lettered as FAILED ({@code records_failed}, summed
 * over every operator and subtask). {@link #report} prints one line when one of them changed.
 */
public final class JobWatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The health read at one poll; -1 where the REST API did not answer. */
    public record Health(long restarts, String lastFailure, long recordsFailed) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String rest;
    private final String jobId;
    private Health last = new Health(0, null, 0);
    private long waitingSince;

    /** How long a restart's line waits for its cause to show in the exception history. */
    static final Duration CAUSE_WAIT = Duration.ofSeconds(15);

    /**
     * @param rest the REST API's base URL, such as {@code http://localhost:8081}
     */
    public JobWatch(String rest, String jobId) {
        this.rest = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        this.jobId = jobId;
    }

    public Health poll() throws IOException, InterruptedException {
        long restarts = -1;
        JsonNode m = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        for (JsonNode n : m) {
            restarts = n.path("value").asLong(-1);
        }
        String failure = null;
        JsonNode entries = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory");
        for (JsonNode e : entries.path("entries")) {
            // Newest first.
            String trace = e.path("stacktrace").asText(e.path("exceptionName").asText(""));
            failure = firstLine(trace);
            break;
        }
        return new Health(restarts, failure, recordsFailed());
    }

    /** Sums every subtask's records_failed of every operator of the job. */
    private long recordsFailed() throws IOException, InterruptedException {
        long sum = 0;
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            String base = "/jobs/" + jobId + "/vertices/" + v.path("id").asText();
            List<String> ids = new ArrayList<>();
            for (JsonNode metric : get(base + "/subtasks/metrics")) {
                String id = metric.path("id").asText();
                if (id.endsWith(".records_failed")) {
                    ids.add(id);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            String query =
                    URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8)
                            .replace("+", "%20");
            for (JsonNode metric : get(base + "/subtasks/metrics?agg=sum&get=" + query)) {
                sum += (long) metric.path("sum").asDouble(0);
            }
        }
        return sum;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }

    /**
     * Polls and prints a line to {@code out} when the restarts or the failed records changed since
     * the last report; returns what was read. A poll the REST API does not answer prints nothing.
     */
    public Health report(PrintStream out) throws InterruptedException {
        Health h;
        try {
            h = poll();
        } catch (IOException e) {
            return last;
        }
        long restarts = h.restarts();
        long now = System.nanoTime();
        if (restarts > last.restarts() && h.lastFailure() == null) {
            // The REST API serves the exception history from a cache refreshed every few seconds
            // (web.refresh-interval), later than the restart count: wait up to CAUSE_WAIT for the
            // cause before printing without it.
            if (waitingSince == 0) {
                waitingSince = now;
            }
            if (now - waitingSince < CAUSE_WAIT.toNanos()) {
                restarts = last.restarts();
            }
        }
        if (restarts > last.restarts()) {
            waitingSince = 0;
            out.printf(
                    "run: the job restarted (%d restart%s since it started); last failure: %s%n",
                    h.restarts(),
                    h.restarts() == 1 ? "" : "s",
                    h.lastFailure() == null ? "unknown" : h.lastFailure());
        }
        if (h.recordsFailed() > last.recordsFailed()) {
            out.printf(
                    "run: %d record%s failed unforeseen and went to the dead letters as FAILED"
                            + " (%d since the job started); the job goes on%n",
                    h.recordsFailed() - last.recordsFailed(),
                    h.recordsFailed() - last.recordsFailed() == 1 ? "" : "s",
                    h.recordsFailed());
        }
        if (restarts >= 0) {
            last = new Health(restarts, h.lastFailure(), h.recordsFailed());
        }
        return h;
    }
}
