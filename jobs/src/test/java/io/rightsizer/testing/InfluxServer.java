package io.rightsizer.testing;

import io.rightsizer.local.LocalInfluxDb;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real influxd for the whole test JVM, started on first use on a free loopback port with its
 * data in a temporary directory and stopped when the JVM exits. Each test takes a fresh database
 * with {@link #freshDatabase}.
 *
 * <p>Without the binary the test is skipped with the install hint, except under CI (CI=true), where
 * .ci/run installs it first and a missing binary is a failure.
 */
public final class InfluxServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LocalInfluxDb server;

    private InfluxServer() {}

    /** The server's URL, starting it if needed. */
    public static synchronized String url() {
        requireBinary();
        if (server == null) {
            try {
                server = LocalInfluxDb.start(0, null, Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new IllegalStateException("could not start influxd: " + e.getMessage(), e);
            }
            LocalInfluxDb s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "influxd-stop"));
        }
        return server.url();
    }

    /** A database name no other test in this JVM uses (it is created by whoever writes first). */
    public static String freshDatabase(String prefix) {
        return prefix.replaceAll("[^A-Za-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
    }

    /** Skips (or, under CI, fails) when influxd is not installed. */
    public static void requireBinary() {
        requireTool(LocalInfluxDb.binary().isPresent(), LocalInfluxDb.installHint());
    }

    /** Skips the test with {@code hint}, or fails it under CI, when {@code present} is false. */
    public static void requireTool(boolean present, String hint) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(
                    hint + " (CI installs it in .ci/run: this is a CI set-up bug)");
        }
        Assumptions.assumeTrue(false, "Skipped: " + hint);
    }

    /** For JUnit extension users who want the server up before the class runs. */
    public static void beforeAll(ExtensionContext ignored) {
        url();
    }

    /** The rows of every series {@code influxQl} returns, failing on any error. */
    public static java.util.List<java.util.List<Object>> rows(
            String url, String database, String influxQl) {
        try (org.influxdb.InfluxDB client = org.influxdb.InfluxDBFactory.connect(url)) {
            org.influxdb.dto.QueryResult r =
                    client.query(new org.influxdb.dto.Query(influxQl, database));
            org.assertj.core.api.Assertions.assertThat(r.getError()).isNull();
            org.influxdb.dto.QueryResult.Result result = r.getResults().get(0);
            org.assertj.core.api.Assertions.assertThat(result.getError()).isNull();
            if (result.getSeries() == null) {
                return java.util.List.of();
            }
            java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>();
            result.getSeries().forEach(x -> rows.addAll(x.getValues()));
            return rows;
        }
    }
}
