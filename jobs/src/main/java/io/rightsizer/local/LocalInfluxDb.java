package io.rightsizer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real InfluxDB 1.x server ({@code influxd}, Debian's {@code influxdb} package) started as a
 * child process on loopback, for local runs, the demo and the tests: like {@link EmbeddedKafka},
 * but the server is a binary on the PATH, not a jar. HTTP listens on 127.0.0.1:{@code port}; the
 * RPC port (backup/restore) on another free loopback port; nothing else is opened and usage
 * reporting is off.
 */
public final class LocalInfluxDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalInfluxDb.class);

    /** Debian installs it here; a PATH entry wins. */
    private static final String BINARY = "influxd";

    private final Process process;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final String url;
    private final Path log;

    private LocalInfluxDb(
            Process process, Path dataDir, boolean deleteDataDir, String url, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.url = url;
        this.log = log;
    }

    /** The influxd binary on the PATH (or /usr/bin/influxd), if installed. */
    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        Stream<String> dirs = Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin"));
        return dirs.filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, BINARY))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** What to tell a user who has no influxd. */
    public static String installHint() {
        return "influxd (InfluxDB 1.x) is not installed: on Debian or Ubuntu run"
                + " `sudo apt-get install -y influxdb` (or ./scripts/install-tools influxdb)";
    }

    /**
     * Starts influxd with HTTP on 127.0.0.1:{@code port} (0: a free port) and its data under {@code
     * dataDir} (null: a fresh temporary directory, deleted on close). An existing data directory is
     * reused, so the history survives a restart. Returns once the server answers {@code /ping}.
     */
    public static LocalInfluxDb start(int port, Path dataDir, Duration timeout) throws IOException {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(installHint()));
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("rightsizer-influxdb-") : dataDir;
        Files.createDirectories(dir);
        int httpPort = port == 0 ? LoopbackPorts.free() : port;
        int rpcPort = LoopbackPorts.free();
        Path conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, config(dir, httpPort, rpcPort), StandardCharsets.UTF_8);
        Path log = dir.resolve("influxd.log");
        Process p =
                new ProcessBuilder(bin.toString(), "-config", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        String url = "http://127.0.0.1:" + httpPort;
        LocalInfluxDb db = new LocalInfluxDb(p, dir, temporary, url, log);
        try {
            db.awaitPing(timeout);
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
        LOG.info("InfluxDB {} started at {} with its data in {}", bin, url, dir);
        return db;
    }

    private static String config(Path dir, int httpPort, int rpcPort) {
        return String.join(
                "\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "[meta]",
                "  dir = \"" + dir.resolve("meta") + "\"",
                "  logging-enabled = false",
                "[data]",
                "  dir = \"" + dir.resolve("data") + "\"",
                "  wal-dir = \"" + dir.resolve("wal") + "\"",
                // tsi1 keeps the series index on disk: a million VMs are millions of series.
                "  index-version = \"tsi1\"",
                "  query-log-enabled = false",
                "  max-series-per-database = 0",
                "[http]",
                "  enabled = true",
                "  bind-address = \"127.0.0.1:" + httpPort + "\"",
                "  log-enabled = false",
                "[monitor]",
                "  store-enabled = false",
                "[continuous_queries]",
                "  enabled = false",
                "");
    }

    private void awaitPing(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(
                        "influxd exited with "
                                + process.exitValue()
                                + " before answering; its log "
                                + log
                                + ":\n"
                                + tail(log));
            }
            if (ping()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "influxd did not answer "
                                + url
                                + "/ping within "
                                + timeout
                                + ":\n"
                                + tail(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for influxd", e);
            }
        }
    }

    private boolean ping() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(url + "/ping").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 204;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The HTTP API, e.g. {@code http://127.0.0.1:8086}. */
    public String url() {
        return url;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Runs an InfluxQL statement that returns nothing of interest (CREATE, DROP, ...). */
    public void execute(String influxQl) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            client.query(new Query(influxQl));
        }
    }

    /**
     * The first value of the first row of {@code influxQl}'s answer in {@code database}, rounded (a
     * count or a sum); 0 when there is none (no point yet, no such database).
     */
    public long single(String database, String influxQl) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult r = client.query(new Query(influxQl, database));
            if (r.getError() != null
                    || r.getResults().get(0).getError() != null
                    || r.getResults().get(0).getSeries() == null) {
                return 0;
            }
            Object v = r.getResults().get(0).getSeries().get(0).getValues().get(0).get(1);
            return v == null ? 0 : Math.round(((Number) v).doubleValue());
        }
    }

    /**
     * CPU seconds (user + system) the server has used so far, from /proc; -1 where that cannot be
     * read. The benchmark uses it to tell the server's share of a shared machine from the job's.
     */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat (utime, stime), counted from the state (field 3) here.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops the server and waits for it; deletes a temporary data directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (deleteDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(
                                f -> {
                                    try {
                                        Files.deleteIfExists(f);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                });
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Could not delete {}: {}", dataDir, e.getMessage());
            }
        }
    }
}
