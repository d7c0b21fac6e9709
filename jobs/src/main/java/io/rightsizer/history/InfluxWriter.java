package io.rightsizer.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends line-protocol points to InfluxDB from a bounded in-memory buffer on one background thread,
 * so that the caller (a Flink sink subtask) never waits for the server.
 *
 * <p>Why it is built this way: the history is a by-product of rule enforcement. When InfluxDB is
 * slow or down, the job must go on at full speed, take its checkpoints and keep its exactly-once
 * Kafka output; so {@link #offer} never blocks and a full buffer drops the point and counts it,
 * instead of back-pressuring the job. The client's own batching is not used: its buffer is not
 * bounded the same way, it retries on its own terms and hides drops.
 *
 * <ul>
 *   <li>A batch is up to {@link InfluxSettings#batchSize()} lines, sent when full or at the latest
 *       {@link InfluxSettings#flushInterval()} after the sender started gathering it.
 *   <li>A failed request (connection refused, timeout, 5xx, a server that is busy) is retried after
 *       {@link InfluxSettings#backoffBefore(int)}; after {@link InfluxSettings#maxRetries()}
 *       retries the batch is dropped and counted. The buffer keeps filling (and dropping when full)
 *       meanwhile.
 *   <li>A refusal that a retry cannot fix (a partial write, a field type conflict, a line that does
 *       not parse, points outside the retention policy, failed authorization) drops the points the
 *       server did not take at once and logs the server's message.
 *   <li>With {@link InfluxSettings#createDatabase()}, {@code CREATE DATABASE} (idempotent) goes
 *       before the first write, and again when the server says the database is not found.
 * </ul>
 *
 * <p>Writes are idempotent (same measurement, tags and time overwrite), so a batch that timed out
 * after the server stored it is simply written again.
 */
public final class InfluxWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxWriter.class);

    /** How often a persistent failure is logged again, with running totals. */
    static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * How long a gathering sender sleeps before it takes what arrived, and the longest before it
     * looks at a drain or close request.
     */
    private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** close() drains at most this long (less when the settings' drain timeout is shorter). */
    static final Duration CLOSE_DRAIN = Duration.ofSeconds(5);

    /** Where the counts go: the Flink sink maps them to metrics. Called from any thread. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** {@code n} points were accepted by the server. */
        default void pointsWritten(long n) {}

        /** {@code n} points will never be written: buffer full, retries exhausted, refused. */
        default void pointsDropped(long n) {}

        /** One HTTP request (a write or the CREATE DATABASE) failed. */
        default void writeFailed() {}
    }

    private final InfluxSettings settings;
    private final Listener listener;
    private final InfluxDB client;
    private final ArrayBlockingQueue<String> queue;

    /** Points accepted by offer() and not yet written or dropped: queued plus in flight. */
    private final AtomicInteger pending = new AtomicInteger();

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedFull = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private final Thread sender;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Object drained = new Object();
    private volatile int drainRequests;
    private volatile boolean closed;

    private boolean databaseReady;

    /** Failure logging, touched by the sender thread only. */
    private final WriterLog log;

    /** Starts the sender thread at once; nothing is sent before the first offer. */
    public InfluxWriter(InfluxSettings settings, Listener listener) {
        this(settings, listener, InfluxWriter::connect);
    }

    InfluxWriter(
            InfluxSettings settings,
            Listener listener,
            Function<InfluxSettings, InfluxDB> clientFactory) {
        this.settings = settings;
        this.listener = listener == null ? Listener.NONE : listener;
        this.databaseReady = !settings.createDatabase();
        this.queue = new ArrayBlockingQueue<>(settings.bufferCapacity());
        this.log = new WriterLog(settings, written, dropped, failures, pending, droppedFull);
        this.client = clientFactory.apply(settings);
        this.sender = new Thread(this::run, "influxdb-writer-" + settings.database());
        this.sender.setDaemon(true);
        this.sender.start();
    }

    private static InfluxDB connect(InfluxSettings s) {
        long timeout = s.requestTimeout().toMillis();
        OkHttpClient.Builder http =
                new OkHttpClient.Builder()
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS)
                        .writeTimeout(timeout, TimeUnit.MILLISECONDS)
                        // A refused write is retried here, with backoff, not by OkHttp at once.
                        .retryOnConnectionFailure(false);
        return s.username() == null
                ? InfluxDBFactory.connect(s.url(), http)
                : InfluxDBFactory.connect(s.url(), s.username(), s.password(), http);
    }

    /**
     * Queues one line for writing and returns at once. False when the line was dropped: the buffer
     * was full (the server is slow or down) or the writer is closed. Either way it is counted.
     */
    public boolean offer(String line) {
        if (closed) {
            drop(1);
            return false;
        }
        if (!reserve()) {
            droppedFull.incrementAndGet();
            drop(1);
            return false;
        }
        if (!queue.offer(line)) {
            // Cannot happen: the reservation keeps pending at or under the queue's capacity.
            pending.decrementAndGet();
            droppedFull.incrementAndGet();
            drop(1);
            return false;
        }
        return true;
    }

    /** Takes one slot of the capacity; counts in-flight batches so memory stays bounded. */
    private boolean reserve() {
        while (true) {
            int p = pending.get();
            if (p >= settings.bufferCapacity()) {
                return false;
            }
            if (pending.compareAndSet(p, p + 1)) {
                return true;
            }
        }
    }

    /** Points in memory: queued or in a batch being sent. */
    public int bufferedPoints() {
        return pending.get();
    }

    /** Points the server accepted, since start. */
    public long pointsWritten() {
        return written.get();
    }

    /** Points dropped for any reason, since start. */
    public long pointsDropped() {
        return dropped.get();
    }

    /** Failed HTTP requests, since start. */
    public long writeFailures() {
        return failures.get();
    }

    /**
     * Sends what is buffered now without waiting for a full batch, and waits until nothing is
     * buffered or in flight, at most {@code timeout}. Points offered meanwhile are waited for too.
     * Returns whether everything was written or dropped in time.
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            drainRequests++;
            try {
                while (pending.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !sender.isAlive()) {
                        return pending.get() == 0;
                    }
                    TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, POLL_SLICE_NANOS));
                }
                return true;
            } finally {
                drainRequests--;
            }
        }
    }

    /**
     * Drains for at most 5 s (or the drain timeout when shorter), then stops; see close(Duration).
     */
    @Override
    public void close() {
        close(
                settings.drainTimeout().compareTo(CLOSE_DRAIN) < 0
                        ? settings.drainTimeout()
                        : CLOSE_DRAIN);
    }

    /**
     * Refuses new points, waits up to {@code drainFor} for the buffer to empty, stops the sender
     * and the client. What is still buffered then is dropped and counted. A request in flight is
     * not interrupted (a blocking socket would not notice); it ends within the request timeout and
     * its thread is a daemon.
     */
    public void close(Duration drainFor) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drain(drainFor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.countDown();
        try {
            sender.join(settings.requestTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            LOG.warn(
                    "InfluxDB writer for {} did not stop within the request timeout; it ends"
                            + " with its current request",
                    settings.database());
        } else {
            client.close();
        }
        LOG.info(
                "InfluxDB writer for {} closed: {} points written, {} dropped, {} failed requests",
                settings.database(),
                written.get(),
                dropped.get(),
                failures.get());
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    // ---------------------------------------------------------------- sender thread

    private void run() {
        int unsent = 0;
        try {
            while (!stopping()) {
                List<String> batch = nextBatch();
                if (stopping()) {
                    // close() already gave the buffer its drain time: no new request now.
                    unsent = batch.size();
                    break;
                }
                if (!batch.isEmpty()) {
                    send(batch);
                    signalIfDrained();
                }
                log.fullBufferDrops(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("InfluxDB writer for {} stopped unexpectedly", settings.database(), e);
        } finally {
            for (String ignored; (ignored = queue.poll()) != null; ) {
                unsent++;
            }
            if (unsent > 0) {
                finish(unsent, 0);
                LOG.warn(
                        "InfluxDB writer for {} stopped with {} points unsent: dropped",
                        settings.database(),
                        unsent);
            }
            log.fullBufferDrops(true);
            signalIfDrained();
        }
    }

    /** Up to batchSize lines: waits for more until the flush interval ends or a drain asks. */
    private List<String> nextBatch() throws InterruptedException {
        List<String> batch = new ArrayList<>(Math.min(settings.batchSize(), 1024));
        long deadline = System.nanoTime() + settings.flushInterval().toNanos();
        while (true) {
            queue.drainTo(batch, settings.batchSize() - batch.size());
            if (batch.size() >= settings.batchSize()
                    || stopping()
                    || (drainRequests > 0 && !batch.isEmpty())) {
                return batch;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return batch;
            }
            // Sleep a slice and take what came in bulk: waiting on the queue would wake this thread
            // (and cost the job's thread a signal) for every line.
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, POLL_SLICE_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void send(List<String> batch) throws InterruptedException {
        int retries = 0;
        while (true) {
            Outcome outcome = attempt(batch);
            if (outcome == Outcome.DONE) {
                return;
            }
            if (retries >= settings.maxRetries()) {
                finish(batch.size(), 0);
                log.warn(
                        "dropped a batch of "
                                + batch.size()
                                + " points after "
                                + (retries + 1)
                                + " failed attempts",
                        null);
                return;
            }
            retries++;
            log.fullBufferDrops(false);
            if (stop.await(settings.backoffBefore(retries).toMillis(), TimeUnit.MILLISECONDS)) {
                finish(batch.size(), 0);
                return;
            }
        }
    }

    private enum Outcome {
        DONE,
        RETRY
    }

    private Outcome attempt(List<String> batch) {
        try {
            if (!databaseReady) {
                createDatabase();
            }
            client.write(
                    settings.database(),
                    settings.retentionPolicy(),
                    InfluxDB.ConsistencyLevel.ONE,
                    TimeUnit.MILLISECONDS,
                    batch);
            finish(0, batch.size());
            log.recovered();
            return Outcome.DONE;
        } catch (InfluxDBException e) {
            failures.incrementAndGet();
            listener.writeFailed();
            String message = String.valueOf(e.getMessage());
            if (e instanceof InfluxDBException.DatabaseNotFoundException
                    && settings.createDatabase()) {
                databaseReady = false;
                log.warn("database " + settings.database() + " not found; creating it", e);
                return Outcome.RETRY;
            }
            if (InfluxRefusals.refusedForGood(e)) {
                int notTaken = InfluxRefusals.notTaken(message, batch.size());
                finish(notTaken, batch.size() - notTaken);
                log.warn(
                        "InfluxDB refused "
                                + notTaken
                                + " of "
                                + batch.size()
                                + " points (not retried): "
                                + message,
                        null);
                return Outcome.DONE;
            }
            log.warn("write failed: " + message, e);
            return Outcome.RETRY;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            listener.writeFailed();
            log.warn("write failed: " + e, e);
            return Outcome.RETRY;
        }
    }

    /**
     * CREATE DATABASE is idempotent in InfluxDB 1.x. A statement error (e.g. a user without admin
     * rights on a database created by someone else) is logged and the writes go ahead: the write
     * itself tells whether the database exists. Connection errors propagate and are retried.
     */
    private void createDatabase() {
        String name = settings.database().replace("\\", "\\\\").replace("\"", "\\\"");
        QueryResult r = client.query(new Query("CREATE DATABASE \"" + name + "\"", null, true));
        String error = r.getError();
        if (error == null && r.getResults() != null) {
            error =
                    r.getResults().stream()
                            .map(QueryResult.Result::getError)
                            .filter(x -> x != null)
                            .findFirst()
                            .orElse(null);
        }
        if (error != null) {
            LOG.warn(
                    "CREATE DATABASE {} was refused ({}); writing anyway",
                    settings.database(),
                    error);
        }
        databaseReady = true;
    }

    private void finish(int droppedNow, int writtenNow) {
        if (writtenNow > 0) {
            written.addAndGet(writtenNow);
            listener.pointsWritten(writtenNow);
        }
        if (droppedNow > 0) {
            drop(droppedNow);
        }
        pending.addAndGet(-(droppedNow + writtenNow));
    }

    private void drop(long n) {
        dropped.addAndGet(n);
        listener.pointsDropped(n);
    }

    private void signalIfDrained() {
        if (pending.get() == 0 && drainRequests > 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    // ---------------------------------------------------------------- logging

}
