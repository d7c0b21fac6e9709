package io.rightsizer.history;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the utilization history is written to InfluxDB (1.x HTTP API, also served by 2.x
 * and 3.x through their v1-compatible endpoints). Immutable and serializable, because it travels
 * inside the job graph to every sink subtask; each {@code with...} method returns a copy.
 *
 * <p>The defaults favour the job over the history: a bounded buffer that drops rather than blocks,
 * a few retries with a capped backoff, and a request timeout short enough that a hung server is
 * noticed, since InfluxDB being slow or down must never slow down rule enforcement.
 */
public final class InfluxSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The longest wait between two attempts of one batch, however many retries are allowed. */
    public static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

    public static final String DEFAULT_DATABASE = "rightsizer";
    public static final int DEFAULT_BATCH_SIZE = 5000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_BUFFER_CAPACITY = 100_000;
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

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

    private InfluxSettings(
            String url,
            String database,
            String retentionPolicy,
            String username,
            String password,
            int batchSize,
            Duration flushInterval,
            int bufferCapacity,
            int maxRetries,
            Duration retryBackoff,
            Duration requestTimeout,
            Duration drainTimeout,
            boolean createDatabase) {
        this.url = requireHttpUrl(url);
        this.database = requireText(database, "database");
        if (retentionPolicy != null && retentionPolicy.isBlank()) {
            throw new IllegalArgumentException(
                    "retentionPolicy must not be blank (null means the database default)");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(
                    "username and password go together: give both or neither");
        }
        this.retentionPolicy = retentionPolicy;
        this.username = username;
        this.password = password;
        this.batchSize = atLeast(batchSize, 1, "batchSize");
        this.flushInterval = positive(flushInterval, "flushInterval");
        this.bufferCapacity = atLeast(bufferCapacity, 1, "bufferCapacity");
        this.maxRetries = atLeast(maxRetries, 0, "maxRetries");
        this.retryBackoff = positive(retryBackoff, "retryBackoff");
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        this.drainTimeout = notNegative(drainTimeout, "drainTimeout");
        this.createDatabase = createDatabase;
    }

    /** The defaults for a server at {@code url} (e.g. {@code http://127.0.0.1:8086}). */
    public static InfluxSettings of(String url, String database) {
        return new InfluxSettings(
                url,
                database,
                null,
                null,
                null,
                DEFAULT_BATCH_SIZE,
                DEFAULT_FLUSH_INTERVAL,
                DEFAULT_BUFFER_CAPACITY,
                DEFAULT_MAX_RETRIES,
                DEFAULT_RETRY_BACKOFF,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_DRAIN_TIMEOUT,
                true);
    }

    public InfluxSettings withUrl(String value) {
        return new InfluxSettings(
                value,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withDatabase(String value) {
        return new InfluxSettings(
                url,
                value,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    /** Null writes to the database's default retention policy. */
    public InfluxSettings withRetentionPolicy(String value) {
        return new InfluxSettings(
                url,
                database,
                value,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    /** Both null: no authentication. */
    public InfluxSettings withCredentials(String user, String pass) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                user,
                pass,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withBatchSize(int value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                value,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withFlushInterval(Duration value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                value,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withBufferCapacity(int value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                value,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withMaxRetries(int value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                value,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withRetryBackoff(Duration value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                value,
                requestTimeout,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withRequestTimeout(Duration value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                value,
                drainTimeout,
                createDatabase);
    }

    public InfluxSettings withDrainTimeout(Duration value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                value,
                createDatabase);
    }

    public InfluxSettings withCreateDatabase(boolean value) {
        return new InfluxSettings(
                url,
                database,
                retentionPolicy,
                username,
                password,
                batchSize,
                flushInterval,
                bufferCapacity,
                maxRetries,
                retryBackoff,
                requestTimeout,
                drainTimeout,
                value);
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

    /**
     * Refused here, when the options are read, rather than in a sink subtask, where a bad URL would
     * fail the job over and over.
     */
    private static final String URL_FORM =
            "url must be http(s)://HOST[:PORT], e.g. http://127.0.0.1:8086: ";

    private static String requireHttpUrl(String value) {
        requireText(value, "url");
        java.net.URI uri;
        try {
            uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(URL_FORM + value, e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(URL_FORM + value);
        }
        return value;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be given");
        }
        return value;
    }

    private static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    private static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
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
