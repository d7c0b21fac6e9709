package io.rightsizer.ingest.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rightsizer.model.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP side of {@code rightsizer ingest prometheus}: {@code POST /api/v1/write} (remote write
 * 1.0) and {@code GET /metrics}. A request is answered 204 only when every VM sample it contributed
 * to was acknowledged by Kafka (or deliberately not produced, counted); 4xx when it can never be
 * accepted (the sender drops it); 503 when it may be accepted later (the sender retries).
 */
public final class RemoteWriteReceiver implements AutoCloseable {
    /** How often due groups are looked for: the resolution of the assembly wait. */
    static final long TICK_MILLIS = 100;

    private final RemoteWrite.Limits limits;
    private final PromMapping mapping;
    private final Assembly assembly;
    private final Function<Sample, CompletableFuture<?>> send;
    private final Counters counters;
    private final Duration answerWithin;
    private final PrintWriter log;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService ticker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    /**
     * @param threads requests handled at once (each waits for its samples' acknowledgement)
     * @param answerWithin the longest a request waits for its samples before it is answered 503
     * @param send produces one sample, completing when Kafka acknowledged it
     */
    public RemoteWriteReceiver(
            InetSocketAddress listen,
            int threads,
            RemoteWrite.Limits limits,
            PromMapping mapping,
            Assembly assembly,
            Function<Sample, CompletableFuture<?>> send,
            Duration answerWithin,
            PrintWriter log)
            throws IOException {
        this.limits = limits;
        this.mapping = mapping;
        this.assembly = assembly;
        this.send = send;
        this.answerWithin = answerWithin;
        this.log = log;
        this.counters = new Counters(assembly::openGroups);
        this.server = HttpServer.create(listen, 2 * threads);
        this.handlers =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "remote-write");
                            t.setDaemon(true);
                            return t;
                        });
        this.ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "remote-write-assembly");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(handlers);
        server.createContext("/api/v1/write", this::write);
        server.createContext("/metrics", this::metrics);
    }

    public void start() {
        server.start();
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public Counters counters() {
        return counters;
    }

    /** Sends the groups whose wait has passed. */
    void tick() {
        try {
            for (Assembly.Built b : assembly.due(System.currentTimeMillis())) {
                if (b.sample() == null) {
                    counters.notProduced.get(b.problem()).incrementAndGet();
                    if (b.problem() != Assembly.Problem.EMPTY
                            && assembly.firstWarning(b.group().vmId())) {
                        log.println(
                                "ingest prometheus: not produced ("
                                        + b.problem().label()
                                        + "): "
                                        + b.message()
                                        + " (further ones of this VM only counted)");
                    }
                    assembly.finished(b.group());
                    continue;
                }
                CompletableFuture<?> sent;
                try {
                    sent = send.apply(b.sample());
                } catch (RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e);
                }
                sent.whenComplete(
                        (ok, e) -> {
                            if (e == null) {
                                counters.produced.incrementAndGet();
                                assembly.finished(b.group());
                            } else {
                                counters.failed.incrementAndGet();
                                assembly.failed(b.group(), e);
                            }
                        });
            }
        } catch (RuntimeException e) {
            // The ticker must survive anything, or every later request waits in vain.
            log.println("ingest prometheus: assembly tick failed: " + e);
        }
    }

    private void write(HttpExchange x) throws IOException {
        inFlight.incrementAndGet();
        try {
            handle(x);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void handle(HttpExchange x) throws IOException {
        int status;
        String message;
        try {
            String problem = checkHeaders(x);
            if (closing) {
                status = 503;
                message = "shutting down; retry";
            } else if (problem != null) {
                status = problem.startsWith("method") ? 405 : 415;
                message = problem;
            } else {
                byte[] body = readBody(x.getRequestBody(), limits.maxCompressedBytes());
                List<RemoteWrite.Series> series = RemoteWrite.decode(body, limits);
                status = accept(series);
                message = status == 204 ? "" : "samples not acknowledged by Kafka in time; retry";
            }
        } catch (RemoteWrite.BadRequestException e) {
            status = e.status;
            message = e.getMessage();
        } catch (Assembly.FullException e) {
            status = 503;
            message = "too much in progress (" + e.getMessage() + "); retry";
        } catch (ExecutionException e) {
            status = 503;
            message = "samples could not be produced to Kafka: " + e.getCause() + "; retry";
        } catch (RuntimeException e) {
            status = 500;
            message = "internal error: " + e;
        }
        long nth = counters.request(status);
        // A misconfigured sender repeats its mistake in every batch: the first few and then every
        // thousandth refusal are logged, the counters have them all.
        if (status >= 400 && status != 503 && (nth <= 10 || nth % 1000 == 0)) {
            log.println("ingest prometheus: refused a request (" + status + "): " + message);
        }
        respond(x, status, message);
    }

    /**
     * Maps and assembles the series, then waits until every group they went to is finished.
     *
     * @return 204, or 503 when the groups did not finish in time
     */
    private int accept(List<RemoteWrite.Series> series)
            throws Assembly.FullException, ExecutionException {
        Map<Assembly.Group, Boolean> waitFor = new IdentityHashMap<>();
        PromMapping.Ignored[] why = new PromMapping.Ignored[1];
        long now = System.currentTimeMillis();
        for (RemoteWrite.Series s : series) {
            counters.received.addAndGet(s.points().size());
            PromMapping.Verdict v = mapping.classify(s);
            if (v.ignored() != null) {
                counters.ignored(v.ignored(), s.points().size());
                continue;
            }
            for (RemoteWrite.Point p : s.points()) {
                PromMapping.Mapped m = mapping.map(s, v, p, why);
                if (m == null) {
                    counters.ignored(why[0], 1);
                    continue;
                }
                Assembly.Offer o = assembly.offer(m, now);
                if (o.late()) {
                    counters.late.incrementAndGet();
                } else {
                    counters.mapped.incrementAndGet();
                }
                if (o.group() != null) {
                    waitFor.put(o.group(), Boolean.TRUE);
                }
            }
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[waitFor.size()];
        int i = 0;
        for (Assembly.Group g : waitFor.keySet()) {
            all[i++] = g.done;
        }
        try {
            CompletableFuture.allOf(all).get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
        return 204;
    }

    /** Why the request is not a remote write 1.0 request, or null. */
    private static String checkHeaders(HttpExchange x) {
        if (!"POST".equals(x.getRequestMethod())) {
            x.getResponseHeaders().add("Allow", "POST");
            return "method " + x.getRequestMethod() + " not allowed; remote write is a POST";
        }
        String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && !encoding.trim().equalsIgnoreCase("snappy")) {
            return "Content-Encoding " + encoding + " not supported; remote write 1.0 uses snappy";
        }
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            String t = type.toLowerCase(Locale.ROOT).replace(" ", "");
            if (!t.startsWith("application/x-protobuf")
                    || (t.contains("proto=") && !t.contains("proto=prometheus.writerequest"))) {
                return "Content-Type "
                        + type
                        + " not supported; this receiver takes remote write 1.0"
                        + " (application/x-protobuf, prometheus.WriteRequest)";
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, int max)
            throws IOException, RemoteWrite.BadRequestException {
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            throw new RemoteWrite.BadRequestException(
                    413, "body is more than the maximum of " + max + " bytes");
        }
        return body;
    }

    private void metrics(HttpExchange x) throws IOException {
        byte[] text = counters.exposition().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        x.sendResponseHeaders(200, text.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(text);
        }
    }

    private static void respond(HttpExchange x, int status, String message) throws IOException {
        try (x) {
            if (status == 204) {
                x.sendResponseHeaders(204, -1);
                return;
            }
            byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            x.sendResponseHeaders(status, text.length);
            x.getResponseBody().write(text);
        }
    }

    /**
     * Stops taking requests, lets those in progress finish (their samples are still assembled and
     * produced) for up to {@code graceSeconds}, then stops.
     */
    public void close(int graceSeconds) {
        closing = true;
        // HttpServer.stop(delay) of Java 17 waits the whole delay even when nothing is in
        // progress (seen here): wait for the requests here, then stop at once.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        ticker.shutdownNow();
        handlers.shutdownNow();
    }

    @Override
    public void close() {
        close(0);
    }
}
