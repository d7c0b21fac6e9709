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

    private InfluxSettings(Values v) {
        this.url = requireHttpUrl(v.url);
        this.database = requireText(v.database, "database");
        if (v.retentionPolicy != null && v.retentionPolicy.isBlank()) {
            throw new IllegalArgumentException(
                    "retentionPolicy must not be blank (null means the database default)");
        }
        if ((v.username == null) != (v.password == null)) {
            throw new IllegalArgumentException(
                    "username and password go together: give both or neither");
        }
        this.retentionPolicy = v.retentionPolicy;
        this.username = v.username;
        this.password = v.password;
        this.batchSize = atLeast(v.batchSize, 1, "batchSize");
        this.flushInterval = positive(v.flushInterval, "flushInterval");
        this.bufferCapacity = atLeast(v.bufferCapacity, 1, "bufferCapacity");
        this.maxRetries = atLeast(v.maxRetries, 0, "maxRetries");
        this.retryBackoff = positive(v.retryBackoff, "retryBackoff");
        this.requestTimeout = positive(v.requestTimeout, "requestTimeout");
        this.drainTimeout = notNegative(v.drainTimeout, "drainTimeout");
        this.createDatabase = v.createDatabase;
    }

    /** The defaults for a server at {@code url} (e.g. {@code http://127.0.0.1:8086}). */
    public static InfluxSettings of(String url, String database) {
        Values v = new Values();
        v.url = url;
        v.database = database;
        v.batchSize = DEFAULT_BATCH_SIZE;
        v.flushInterval = DEFAULT_FLUSH_INTERVAL;
        v.bufferCapacity = DEFAULT_BUFFER_CAPACITY;
        v.maxRetries = DEFAULT_MAX_RETRIES;
        v.retryBackoff = DEFAULT_RETRY_BACKOFF;
        v.requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        v.drainTimeout = DEFAULT_DRAIN_TIMEOUT;
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
