package io.rightsizer.cli;

import io.rightsizer.job.JobHealth;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;

/**
 * What {@code rightsizer run} tells about a running job's health (docs/failures.md), read from
 * Flink's REST API: the job's restarts since it started ({@code numRestarts}), the first line of
 * the last failure's cause, and the records dead-lettered as FAILED ({@code records_failed} of
 * every operator, summed over its subtasks). {@link #report} prints one line when one of them
 * changed, naming the operators a record failed in.
 */
public final class JobWatch {
    /**
     * The health read at one poll; -1 where the REST API did not answer.
     *
     * @param failedIn {@code records_failed} by operator (vm-rules, route-inventory, ...)
     */
    public record Health(
            long restarts, String lastFailure, long recordsFailed, Map<String, Long> failedIn) {}

    private static final String RECORDS_FAILED = ".records_failed";

    private final JobHealth job;
    private Health last = new Health(0, null, 0, Map.of());
    private long waitingSince;

    /** How long a restart's line waits for its cause to show in the exception history. */
    static final Duration CAUSE_WAIT = Duration.ofSeconds(15);

    /**
     * @param rest the REST API's base URL, such as {@code http://localhost:8081}
     */
    public JobWatch(String rest, String jobId) {
        this.job = new JobHealth(URI.create(rest), JobID.fromHexString(jobId));
    }

    public Health poll() throws IOException, InterruptedException {
        Map<String, Long> failedIn = new TreeMap<>();
        job.taskMetricSums(RECORDS_FAILED)
                .forEach((name, n) -> failedIn.merge(operator(name), n, Long::sum));
        return new Health(
                job.restarts(),
                job.lastFailure(),
                failedIn.values().stream().mapToLong(Long::longValue).sum(),
                failedIn);
    }

    /**
     * The operator a {@code records_failed} metric counts for: the value of its {@code operator}
     * group, as in {@code vm-rules.rightsizer.operator.vm-rules-updates.records_failed}.
     */
    static String operator(String metric) {
        String name = metric.substring(0, metric.length() - RECORDS_FAILED.length());
        int at = name.lastIndexOf(".operator.");
        return at < 0 ? name : name.substring(at + ".operator.".length());
    }

    /** "vm-rules (2), route-inventory (1)": the operators whose count grew, and by how much. */
    static String grown(Map<String, Long> before, Map<String, Long> now) {
        List<String> parts = new ArrayList<>();
        now.forEach(
                (op, n) -> {
                    long d = n - before.getOrDefault(op, 0L);
                    if (d > 0) {
                        parts.add(op + " (" + d + ")");
                    }
                });
        return String.join(", ", parts);
    }

    /**
     * Polls and prints a line to {@code out} when the restarts or the failed records changed since
     * the last report; returns what was read. A poll the REST API does not answer prints nothing.
     */
    public Health report(PrintWriter out) throws InterruptedException {
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
                    "run: %d record%s failed unforeseen in %s and went to the dead letters as"
                            + " FAILED (%d since the job started); the job goes on%n",
                    h.recordsFailed() - last.recordsFailed(),
                    h.recordsFailed() - last.recordsFailed() == 1 ? "" : "s",
                    grown(last.failedIn(), h.failedIn()),
                    h.recordsFailed());
        }
        if (restarts >= 0) {
            last = new Health(restarts, h.lastFailure(), h.recordsFailed(), h.failedIn());
        }
        return h;
    }
}
