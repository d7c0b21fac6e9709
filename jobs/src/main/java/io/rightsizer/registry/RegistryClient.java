package io.rightsizer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.telemetry.ConfluentFrame;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a schema registry's Confluent-compatible REST API (Confluent Schema Registry,
 * Apicurio's {@code /apis/ccompat/v7}, Karapace...): the writer schemas of framed records by id,
 * and the registration of the schemas the job writes with.
 *
 * <p>A registry that does not answer (connection refused, a timeout, a 5xx or any status but 404)
 * is an outage, not a fact about the record: {@link #byId} waits it out, retrying with a backoff
 * that doubles up to {@link #maxBackoff} and logging every attempt, so the source stalls rather
 * than turns good records into dead letters. A 404, or an answer that is no Avro schema or is
 * larger than {@link #MAX_ANSWER_BYTES}, is about the id: {@link
 * ConfluentFrame.UnknownSchemaException}, remembered for {@link #UNKNOWN_FOR}.
 */
public final class RegistryClient implements ConfluentFrame.Schemas {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The largest answer read: the project's schemas are a few kilobytes. */
    public static final int MAX_ANSWER_BYTES = 256 * 1024;

    /** Schemas by id kept, least recently used first out. */
    static final int MAX_CACHED = 256;

    /** The counter of failed attempts during outages, in the group {@code rightsizer}. */
    public static final String RETRIES_METRIC = "schema_registry_retries";

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final String base;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Runnable onRetry;
    private final Map<Integer, Schema> schemas =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Schema> e) {
                    return size() > MAX_CACHED;
                }
            };

    /**
     * How long an id the registry did not have is answered from memory: a stream of records with an
     * unknown id costs one request per id and period, not one per record.
     */
    static final Duration UNKNOWN_FOR = Duration.ofSeconds(30);

    private final Map<Integer, Unknown> unknown =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Unknown> e) {
                    return size() > MAX_CACHED;
                }
            };

    private record Unknown(String message, long until) {}

    /** A client with the job's defaults: 10 s per request, backoff from 200 ms to 30 s. */
    public static RegistryClient of(String url) {
        return withRetryCounter(url, null);
    }

    /** As {@link #of}, calling {@code onRetry} on each failed attempt during an outage. */
    public static RegistryClient withRetryCounter(String url, Runnable onRetry) {
        return new RegistryClient(
                url,
                Duration.ofSeconds(10),
                Duration.ofMillis(200),
                Duration.ofSeconds(30),
                onRetry);
    }

    /**
     * @param onRetry called on each failed attempt during an outage (a counter), or null
     */
    public RegistryClient(
            String url,
            Duration timeout,
            Duration firstBackoff,
            Duration maxBackoff,
            Runnable onRetry) {
        this.base = checkUrl(url).replaceAll("/+$", "");
        this.timeout = timeout;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.onRetry = onRetry == null ? () -> {} : onRetry;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * {@code url} when it is an http(s) URL with a host, else an {@link IllegalArgumentException}
     * that says what is expected.
     */
    public static String checkUrl(String url) {
        String form =
                ConfluentFrame.REGISTRY_KEY
                        + " must be the http(s):// URL of a schema registry's Confluent-compatible"
                        + " API, e.g. http://127.0.0.1:8080/apis/ccompat/v7 (Apicurio) or"
                        + " http://127.0.0.1:8081 (Confluent): ";
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(form + "it is empty");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(form + "'" + url + "' is not a URL", e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null
                || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException(form + "'" + url + "'");
        }
        return url;
    }

    public String url() {
        return base;
    }

    /** The registry did not answer, or not as a registry does; the message says how. */
    public static final class UnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The registry refused to register a schema (409 incompatible, 422 invalid...). */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    /** The thread was interrupted (the task is cancelled) while it waited for the registry. */
    public static final class WaitInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WaitInterruptedException(String message) {
            super(message);
        }
    }

    /** {@inheritDoc} Waits out an outage, logging each attempt; cached. */
    @Override
    public Schema byId(int id) throws ConfluentFrame.UnknownSchemaException {
        synchronized (schemas) {
            Schema s = schemas.get(id);
            if (s != null) {
                return s;
            }
            Unknown u = unknown.get(id);
            if (u != null && System.nanoTime() - u.until < 0) {
                throw new ConfluentFrame.UnknownSchemaException(u.message);
            }
        }
        try {
            return await(id);
        } catch (ConfluentFrame.UnknownSchemaException e) {
            synchronized (schemas) {
                unknown.put(
                        id, new Unknown(e.getMessage(), System.nanoTime() + UNKNOWN_FOR.toNanos()));
            }
            throw e;
        }
    }

    private Schema await(int id) throws ConfluentFrame.UnknownSchemaException {
        long started = System.nanoTime();
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                Schema s = fetch(id);
                if (attempt > 1) {
                    LOG.info(
                            "schema registry {} answered for schema id {} after {} attempts, {} ms",
                            base,
                            id,
                            attempt,
                            (System.nanoTime() - started) / 1_000_000);
                }
                synchronized (schemas) {
                    schemas.put(id, s);
                }
                return s;
            } catch (UnavailableException e) {
                onRetry.run();
                LOG.warn(
                        "schema registry {} unavailable for schema id {} (attempt {}, {} ms so"
                                + " far): {}; the source waits, retrying in {} ms",
                        base,
                        id,
                        attempt,
                        (System.nanoTime() - started) / 1_000_000,
                        e.getMessage(),
                        backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new WaitInterruptedException(
                            "interrupted while waiting for the schema registry " + base);
                }
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(maxBackoff) > 0) {
                    backoff = maxBackoff;
                }
            }
        }
    }

    /** One attempt at {@code GET /schemas/ids/{id}}. */
    Schema fetch(int id) throws UnavailableException, ConfluentFrame.UnknownSchemaException {
        String where = "the schema registry " + base;
        Answer a = send(HttpRequest.newBuilder(URI.create(base + "/schemas/ids/" + id)).GET());
        if (a.status == 404) {
            throw new ConfluentFrame.UnknownSchemaException(
                    where + " does not know schema id " + id + " (404: " + a.excerpt() + ")");
        }
        if (a.status != 200) {
            throw new UnavailableException(
                    "GET /schemas/ids/" + id + " answered " + a.status + ": " + a.excerpt(), null);
        }
        if (a.oversized) {
            throw new ConfluentFrame.UnknownSchemaException(
                    where
                            + " answered more than "
                            + MAX_ANSWER_BYTES
                            + " bytes for schema id "
                            + id
                            + ", more than any schema this job reads");
        }
        try {
            JsonNode n = JSON.readTree(a.body);
            JsonNode type = n.get("schemaType");
            if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
                throw new ConfluentFrame.UnknownSchemaException(
                        where + " has schema id " + id + " as " + type.asText() + ", not AVRO");
            }
            JsonNode schema = n.get("schema");
            if (schema == null || !schema.isTextual()) {
                throw new IllegalArgumentException("no \"schema\" text in the answer");
            }
            return new Schema.Parser().parse(schema.asText());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new ConfluentFrame.UnknownSchemaException(
                    where + " answered no Avro schema for schema id " + id + ": " + e);
        }
    }

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions});
     * the id of the schema, the same when it is already registered.
     *
     * @throws RefusedException when the registry refuses it (the subject's compatibility rule)
     * @throws UnavailableException when it does not answer
     */
    public int register(String subject, Schema schema)
            throws RefusedException, UnavailableException {
        String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Answer a =
                send(
                        HttpRequest.newBuilder(URI.create(base + path + "/versions"))
                                .header("Content-Type", CONTENT_TYPE)
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (a.status == 409 || a.status == 422) {
            throw new RefusedException(
                    "the schema registry "
                            + base
                            + " refused "
                            + schema.getFullName()
                            + " under subject "
                            + subject
                            + " ("
                            + a.status
                            + (a.status == 409
                                    ? ", incompatible with the versions registered before: "
                                    : ", invalid: ")
                            + a.excerpt()
                            + ")");
        }
        if (a.status != 200 || a.oversized) {
            throw new UnavailableException(
                    "POST " + path + "/versions answered " + a.status + ": " + a.excerpt(), null);
        }
        try {
            JsonNode id = JSON.readTree(a.body).get("id");
            if (id == null || !id.canConvertToInt()) {
                throw new IOException("no \"id\" in " + a.excerpt());
            }
            return id.intValue();
        } catch (IOException e) {
            throw new UnavailableException(
                    "POST " + path + "/versions answered no schema id: " + e.getMessage(), e);
        }
    }

    private record Answer(int status, byte[] body, boolean oversized) {
        String excerpt() {
            String s = new String(body, StandardCharsets.UTF_8).strip();
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    private Answer send(HttpRequest.Builder request) throws UnavailableException {
        try {
            HttpResponse<InputStream> r =
                    http.send(
                            request.timeout(timeout).header("Accept", CONTENT_TYPE).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_ANSWER_BYTES + 1);
                boolean oversized = body.length > MAX_ANSWER_BYTES;
                return new Answer(
                        r.statusCode(),
                        oversized ? java.util.Arrays.copyOf(body, MAX_ANSWER_BYTES) : body,
                        oversized);
            }
        } catch (IOException e) {
            throw new UnavailableException(e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException(
                    "interrupted during a request to the schema registry " + base);
        }
    }
}
