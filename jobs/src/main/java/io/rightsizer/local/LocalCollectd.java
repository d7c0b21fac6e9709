package io.rightsizer.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real collectd (Debian's collectd-core) in the foreground, measuring this machine as one VM and
 * writing to Kafka with its write_kafka plugin in {@code Format JSON}: the collectd ITCase and
 * {@code rightsizer demo --collectd}. The configuration is the one docs/providers/collectd.md gives
 * a provider, with its own pid file and base directory.
 */
public final class LocalCollectd implements AutoCloseable {
    private static final String BINARY = "collectd";

    private final Process process;
    private final Path log;

    private LocalCollectd(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** collectd on the PATH or in /usr/sbin (where Debian puts it, often not on a user's PATH). */
    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        Stream<String> dirs = Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin"));
        return dirs.filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, BINARY))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** What to tell a user who has no collectd. */
    public static String installHint() {
        return "collectd is not installed: on Debian or Ubuntu run `sudo apt-get install -y"
                + " --no-install-recommends collectd-core` (or ./scripts/install-tools)";
    }

    /**
     * An agent's configuration: {@code Hostname} = the vmId, the memory (absolute and percent), df
     * (the root file system) and cpu (percent, all CPUs together) plugins every {@code interval},
     * written to {@code topic} at {@code bootstrap} as JSON.
     */
    public static String config(
            Path dir, String vmId, Duration interval, String bootstrap, String topic) {
        return """
        Hostname "%s"
        FQDNLookup false
        BaseDir "%s"
        PIDFile "%s"
        Interval %s
        TypesDB "/usr/share/collectd/types.db"
        LoadPlugin memory
        LoadPlugin df
        LoadPlugin cpu
        LoadPlugin write_kafka
        <Plugin memory>
          ValuesAbsolute true
          ValuesPercentage true
        </Plugin>
        <Plugin df>
          MountPoint "/"
          ValuesAbsolute true
          ValuesPercentage true
        </Plugin>
        <Plugin cpu>
          ReportByCpu false
          ReportByState true
          ValuesPercentage true
        </Plugin>
        <Plugin write_kafka>
          Property "metadata.broker.list" "%s"
          <Topic "%s">
            Format JSON
          </Topic>
        </Plugin>
        """
                .formatted(
                        vmId,
                        dir,
                        dir.resolve("collectd.pid"),
                        interval.toMillis() / 1000.0,
                        bootstrap,
                        topic);
    }

    /**
     * Starts {@code collectd -f -C} on {@code configText}, written with its log under {@code dir}.
     */
    public static LocalCollectd start(Path dir, String configText) throws IOException {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(installHint()));
        Files.createDirectories(dir);
        Path conf = dir.resolve("collectd.conf");
        Files.writeString(conf, configText, StandardCharsets.UTF_8);
        Path log = dir.resolve("collectd.log");
        Process p =
                new ProcessBuilder(bin.toString(), "-f", "-C", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        return new LocalCollectd(p, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What collectd printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if collectd has not stopped within 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
