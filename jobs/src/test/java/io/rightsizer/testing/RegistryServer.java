package io.rightsizer.testing;

import io.rightsizer.local.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Apicurio Registry 3.0.9 (in-memory storage) for the whole test JVM, started on first use
 * on a free loopback port and stopped when the JVM exits; its Confluent-compatible API is {@link
 * #url()}. Tests keep apart by subject names from {@link #freshSubject}.
 *
 * <p>Without the jar ({@code scripts/install-tools registry}) the test is skipped, except under CI
 * (CI=true), where a missing jar is a failure ({@link InfluxServer#requireTool}).
 */
public final class RegistryServer {
    public static final String VERSION = "3.0.9";

    /** Its Confluent-compatible API, under the server's root. */
    public static final String CCOMPAT = "/apis/ccompat/v7";

    private static final AtomicInteger SUBJECTS = new AtomicInteger();
    private static String url;

    private RegistryServer() {}

    /** Where {@code scripts/install-tools registry} unpacks the jar. */
    public static Path jar() {
        String tools = System.getenv("RIGHTSIZER_TOOLS");
        Path dir =
                tools != null && !tools.isBlank()
                        ? Path.of(tools)
                        : Path.of(System.getProperty("user.home"), ".cache", "rightsizer");
        return dir.resolve("apicurio-registry-" + VERSION)
                .resolve("apicurio-registry-app-" + VERSION + "-runner.jar");
    }

    public static Optional<Path> installed() {
        return Files.isRegularFile(jar()) ? Optional.of(jar()) : Optional.empty();
    }

    /** Skips (or, under CI, fails) when the registry is not installed. */
    public static void requireJar() {
        InfluxServer.requireTool(
                installed().isPresent(),
                "Apicurio Registry "
                        + VERSION
                        + " is not at "
                        + jar()
                        + ": run scripts/install-tools registry");
    }

    /** The Confluent-compatible API's URL, starting the registry if needed. */
    public static synchronized String url() {
        requireJar();
        if (url == null) {
            try {
                url = start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "could not start the schema registry: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return url;
    }

    /**
     * Starts the registry in the background when it is installed, so its start overlaps the
     * broker's and the MiniCluster's; {@link #url()} then waits for it (and reports a failure).
     */
    public static void prestart() {
        if (installed().isEmpty()) {
            return;
        }
        Thread t =
                new Thread(
                        () -> {
                            try {
                                url();
                            } catch (RuntimeException e) {
                                // url() of the test itself starts it again and fails with this.
                            }
                        },
                        "registry-start");
        t.setDaemon(true);
        t.start();
    }

    /** A subject no other test in this JVM uses. */
    public static String freshSubject(String prefix) {
        return freshTopic(prefix) + "-value";
    }

    /** A topic name whose value subject no other test in this JVM uses. */
    public static String freshTopic(String prefix) {
        return prefix + "-" + SUBJECTS.incrementAndGet();
    }

    private static String start() throws IOException, InterruptedException {
        int port = LoopbackPorts.free();
        Path log = Files.createTempFile("apicurio-registry", ".log");
        log.toFile().deleteOnExit();
        ProcessBuilder pb =
                new ProcessBuilder(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Xmx512m",
                                        "-jar",
                                        jar().toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process p = pb.start();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    p.destroy();
                                    try {
                                        if (!p.waitFor(10, TimeUnit.SECONDS)) {
                                            p.destroyForcibly();
                                        }
                                    } catch (InterruptedException e) {
                                        p.destroyForcibly();
                                    }
                                },
                                "registry-stop"));
        String api = "http://127.0.0.1:" + port + CCOMPAT;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // About 10 s on an idle machine; two busy cores may take several times that.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("it exited with " + p.exitValue() + ": " + tail(log));
            }
            try {
                HttpResponse<Void> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(api + "/subjects"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return api;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IOException("not ready on port " + port + " within 120 s: " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
