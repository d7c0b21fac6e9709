package io.rightsizer.cli;

import io.rightsizer.job.JobHealth;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.JobID;

/**
 * What {@code rightsizer run} tells about a running job's health (docs/failures.md), read from
 * Flink's REST API: the job's restarts since it started ({@code numRestarts}), the first line of
 * the last failure's cause, and the records dead-lettered as FAILED ({@code records_failed}, summed
 * over every operator and subtask). {@link #report} prints one line when one of them changed.
 */
public final class JobWatch {
    /** The health read at one poll; -1 where the REST API did not answer. */
    public record Health(long restarts, String lastFailure, long recordsFailed) {}

    private final JobHealth job;
    private Health last = new Health(0, null, 0);
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
        return new Health(
                job.restarts(),
                job.lastFailure(),
                Math.max(0, job.taskMetricSum(".records_failed")));
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
