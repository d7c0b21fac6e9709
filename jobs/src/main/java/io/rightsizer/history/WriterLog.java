package io.rightsizer.history;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InfluxWriter}'s failure log: a persistent failure is logged once, then at most once a
 * minute with the running totals, so a server down for hours does not flood the log. Used by the
 * writer's sender thread only; logs as {@link InfluxWriter}.
 */
final class WriterLog {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxWriter.class);

    private final InfluxSettings settings;
    private final AtomicLong written;
    private final AtomicLong dropped;
    private final AtomicLong failures;
    private final AtomicInteger pending;
    private final AtomicLong droppedFull;

    private boolean failing;
    private long lastWarnNanos;
    private long droppedFullLogged;
    private long lastFullWarnNanos;

    WriterLog(
            InfluxSettings settings,
            AtomicLong written,
            AtomicLong dropped,
            AtomicLong failures,
            AtomicInteger pending,
            AtomicLong droppedFull) {
        this.settings = settings;
        this.written = written;
        this.dropped = dropped;
        this.failures = failures;
        this.pending = pending;
        this.droppedFull = droppedFull;
    }

    /**
     * The first failure at WARN, then at most one WARN a minute while failures go on, with the
     * running totals: a server down for hours must not flood the task manager's log.
     */
    void warn(String what, Throwable cause) {
        long now = System.nanoTime();
        if (!failing) {
            failing = true;
            lastWarnNanos = now;
            LOG.warn(
                    "InfluxDB {} database {}: {}. The job goes on; points that cannot be written"
                            + " are dropped and counted (failed batches are retried up to {}"
                            + " times)",
                    settings.url(),
                    settings.database(),
                    what,
                    settings.maxRetries());
            if (cause != null) {
                LOG.debug("InfluxDB failure", cause);
            }
        } else if (now - lastWarnNanos >= InfluxWriter.WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            LOG.warn(
                    "InfluxDB {} still failing: {}; so far {} points written, {} dropped, {}"
                            + " failed requests, {} buffered",
                    settings.url(),
                    what,
                    written.get(),
                    dropped.get(),
                    failures.get(),
                    pending.get());
        }
    }

    void recovered() {
        if (failing) {
            failing = false;
            LOG.info(
                    "InfluxDB {} database {} is writable again; so far {} points written, {}"
                            + " dropped, {} failed requests",
                    settings.url(),
                    settings.database(),
                    written.get(),
                    dropped.get(),
                    failures.get());
        }
    }

    /**
     * Drops for a full buffer happen on the caller's thread: logged here, at most once a minute.
     */
    void fullBufferDrops(boolean now) {
        long total = droppedFull.get();
        if (total == droppedFullLogged) {
            return;
        }
        long t = System.nanoTime();
        if (now
                || droppedFullLogged == 0
                || t - lastFullWarnNanos >= InfluxWriter.WARN_EVERY_NANOS) {
            LOG.warn(
                    "InfluxDB writer for {}: {} points dropped because the buffer of {} was full"
                            + " ({} since start)",
                    settings.database(),
                    total - droppedFullLogged,
                    settings.bufferCapacity(),
                    total);
            droppedFullLogged = total;
            lastFullWarnNanos = t;
        }
    }
}
