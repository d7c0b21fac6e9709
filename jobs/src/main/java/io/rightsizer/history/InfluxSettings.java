package io.rightsizer.history;

import io.rightsizer.config.Allowed;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the utilization history is written to InfluxDB (1.x HTTP API, also served by 2.x
 * and 3.x through their v1-compatible endpoints). Immutable and serializable, because it travels
 * inside the job graph to every sink subtask; each {@code with...} method returns a copy.
 *
 * <p>Its defaults and the values it allows are the options' ({@link InfluxOptions}): a value this
 * refuses is one the job's configuration refuses, with the same message.
 *
 * <p>The defaults favour the job over the history: a bounded buffer that drops rather than blocks,
 * a few retries with a capped backoff, and a request timeout short enough that a hung server is
 * noticed, since InfluxDB being slow or down must never slow down rule enforcement.
 */
public final class InfluxSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The longest wait between two attempts of one batch, however many retries are allowed. */
    public static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

    private final String url;
    private final String database;
    private final String retentionPolicy;
    private final String username;
    private final String password;
    private final int batchSize;
    private final Duration flushInterval;
    private final int bufferCapacity;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration requestTimeout;
    private final Duration drainTimeout;
    private final boolean createDatabase;

    private InfluxSettings(Values v) {
        this.url = Allowed.require(InfluxOptions.URL, requireText(v.url, "url"));
        this.database =
                Allowed.require(InfluxOptions.DATABASE, requireText(v.database, "database"));
        if (v.retentionPolicy != null && v.retentionPolicy.isBlank()) {
            throw new IllegalArgumentException(
                    "retentionPolicy must not be blank (null means the database default)");
        }
        String credentials =
                InfluxOptions.credentialsProblem(v.username != null, v.password != null);
        if (credentials != null) {
            throw new IllegalArgumentException(credentials);
        }
        this.retentionPolicy = v.retentionPolicy;
        this.username = v.username;
        this.password = v.password;
        this.batchSize = Allowed.require(InfluxOptions.BATCH_SIZE, v.batchSize);
        this.flushInterval =
                Allowed.require(
                        InfluxOptions.FLUSH_INTERVAL,
                        Objects.requireNonNull(v.flushInterval, "flushInterval"));
        this.bufferCapacity = Allowed.require(InfluxOptions.BUFFER_CAPACITY, v.bufferCapacity);
        this.maxRetries = Allowed.require(InfluxOptions.MAX_RETRIES, v.maxRetries);
        this.retryBackoff =
                Allowed.require(
                        InfluxOptions.RETRY_BACKOFF,
                        Objects.requireNonNull(v.retryBackoff, "retryBackoff"));
        this.requestTimeout =
                Allowed.require(
                        InfluxOptions.REQUEST_TIMEOUT,
                        Objects.requireNonNull(v.requestTimeout, "requestTimeout"));
        this.drainTimeout =
                Allowed.require(
                        InfluxOptions.DRAIN_TIMEOUT,
                        Objects.requireNonNull(v.drainTimeout, "drainTimeout"));
        this.createDatabase = v.createDatabase;
    }

    /**
     * The options' defaults ({@link InfluxOptions}) for a server at {@code url} (e.g. {@code
     * http://127.0.0.1:8086}).
     */
    public static InfluxSettings of(String url, String database) {
        Values v = new Values();
        v.url = url;
        v.database = database;
        v.batchSize = InfluxOptions.BATCH_SIZE.defaultValue();
        v.flushInterval = InfluxOptions.FLUSH_INTERVAL.defaultValue();
        v.bufferCapacity = InfluxOptions.BUFFER_CAPACITY.defaultValue();
        v.maxRetries = InfluxOptions.MAX_RETRIES.defaultValue();
        v.retryBackoff = InfluxOptions.RETRY_BACKOFF.defaultValue();
        v.requestTimeout = InfluxOptions.REQUEST_TIMEOUT.defaultValue();
        v.drainTimeout = InfluxOptions.DRAIN_TIMEOUT.defaultValue();
        v.createDatabase = true;
        return new InfluxSettings(v);
    }

    /** The values while a copy is made; the constructor checks them all. */
    private static final class Values {
        String url;
        String database;
        String retentionPolicy;
        String username;
        String password;
        int batchSize;
        Duration flushInterval;
        int bufferCapacity;
        int maxRetries;
        Duration retryBackoff;
        Duration requestTimeout;
        Duration drainTimeout;
        boolean createDatabase;
    }

    private interface Change {
        void apply(Values v);
    }

    /** A copy with {@code change} applied, checked like every other. */
    private InfluxSettings with(Change change) {
        Values v = new Values();
        v.url = url;
        v.database = database;
        v.retentionPolicy = retentionPolicy;
        v.username = username;
        v.password = password;
        v.batchSize = batchSize;
        v.flushInterval = flushInterval;
        v.bufferCapacity = bufferCapacity;
        v.maxRetries = maxRetries;
        v.retryBackoff = retryBackoff;
        v.requestTimeout = requestTimeout;
        v.drainTimeout = drainTimeout;
        v.createDatabase = createDatabase;
        change.apply(v);
        return new InfluxSettings(v);
    }

    public InfluxSettings withUrl(String value) {
        return with(v -> v.url = value);
    }

    public InfluxSettings withDatabase(String value) {
        return with(v -> v.database = value);
    }

    /** Null writes to the database's default retention policy. */
    public InfluxSettings withRetentionPolicy(String value) {
        return with(v -> v.retentionPolicy = value);
    }

    public InfluxSettings withBatchSize(int value) {
        return with(v -> v.batchSize = value);
    }

    public InfluxSettings withFlushInterval(Duration value) {
        return with(v -> v.flushInterval = value);
    }

    public InfluxSettings withBufferCapacity(int value) {
        return with(v -> v.bufferCapacity = value);
    }

    public InfluxSettings withMaxRetries(int value) {
        return with(v -> v.maxRetries = value);
    }

    public InfluxSettings withRetryBackoff(Duration value) {
        return with(v -> v.retryBackoff = value);
    }

    public InfluxSettings withRequestTimeout(Duration value) {
        return with(v -> v.requestTimeout = value);
    }

    public InfluxSettings withDrainTimeout(Duration value) {
        return with(v -> v.drainTimeout = value);
    }

    /** Whether to send an (idempotent) CREATE DATABASE before the first write. */
    public InfluxSettings withCreateDatabase(boolean value) {
        return with(v -> v.createDatabase = value);
    }

    /** Authenticates as {@code user}; both null: no authentication. */
    public InfluxSettings withCredentials(String user, String pass) {
        return with(
                v -> {
                    v.username = user;
                    v.password = pass;
                });
    }

    public String url() {
        return url;
    }

    public String database() {
        return database;
    }

    /** Null: the database's default retention policy. */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    /** Null: no authentication. */
    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Lines per HTTP request at most. */
    public int batchSize() {
        return batchSize;
    }

    /** A partial batch waits at most this long before it is sent. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** Points held in memory per sink subtask (queued or in flight); more are dropped. */
    public int bufferCapacity() {
        return bufferCapacity;
    }

    /** Retries of a failed batch after its first attempt; then it is dropped. */
    public int maxRetries() {
        return maxRetries;
    }

    /** The wait before the first retry; it doubles for each next one, up to 30 s. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** Connect, read and write timeout of one HTTP request. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long the end of a bounded input waits for the buffer to drain. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** Whether to send an (idempotent) CREATE DATABASE before the first write. */
    public boolean createDatabase() {
        return createDatabase;
    }

    /** The wait before retry number {@code retry} (1-based): doubling, capped at 30 s. */
    public Duration backoffBefore(int retry) {
        Duration d = retryBackoff;
        for (int i = 1; i < retry && d.compareTo(MAX_RETRY_BACKOFF) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : d;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be given");
        }
        return value;
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return "InfluxSettings{url="
                + url
                + ", database="
                + database
                + ", retentionPolicy="
                + (retentionPolicy == null ? "(default)" : retentionPolicy)
                + ", user="
                + (username == null ? "(none)" : username)
                + ", batchSize="
                + batchSize
                + ", flushInterval="
                + flushInterval
                + ", bufferCapacity="
                + bufferCapacity
                + ", maxRetries="
                + maxRetries
                + ", retryBackoff="
                + retryBackoff
                + ", requestTimeout="
                + requestTimeout
                + ", drainTimeout="
                + drainTimeout
                + ", createDatabase="
                + createDatabase
                + "}";
    }
}
