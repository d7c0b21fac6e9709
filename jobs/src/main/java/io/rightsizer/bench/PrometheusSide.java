package io.rightsizer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.local.LoopbackPorts;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Percent;
import io.rightsizer.telemetry.SampleJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prometheus doing the weekly memory rules on the same samples as a replay: the samples as
 * OpenMetrics text, {@code promtool tsdb create-blocks-from openmetrics}, a {@code prometheus}
 * server on the blocks and one PromQL query per rule and week. The comparison point of {@link
 * PrometheusBaseline}; not a test.
 */
final class PrometheusSide {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path TIME = Path.of("/usr/bin/time");

    /** The one series per VM: memory% of every counted sample (RUNNING, both memory fields). */
    static final String METRIC = "rightsizer_memory_used_pct";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PrometheusSide() {}

    /** Why Prometheus cannot be measured here, or empty when both binaries are installed. */
    static Optional<String> missing() {
        if (!Files.isExecutable(PROMTOOL) || !Files.isExecutable(PROMETHEUS)) {
            return Optional.of(
                    "skipped: "
                            + PROMTOOL
                            + " or "
                            + PROMETHEUS
                            + " is not installed (Debian/Ubuntu: sudo apt-get install -y"
                            + " prometheus, or ./scripts/install-tools promtool)");
        }
        return Optional.empty();
    }

    /** What the conversion wrote. */
    record Converted(long lines, long points, long minTs, long maxTs) {}

    /** {@link #toOpenMetrics}, or what an earlier run wrote for the same file (FILE.meta). */
    static Converted openMetrics(Path jsonLines, Path out) throws IOException {
        Path meta = out.resolveSibling(out.getFileName() + ".meta");
        if (Files.exists(meta)
                && Files.getLastModifiedTime(meta).compareTo(Files.getLastModifiedTime(jsonLines))
                        > 0) {
            String[] f = Files.readString(meta).trim().split(" ");
            return new Converted(
                    Long.parseLong(f[0]),
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]));
        }
        Converted c = toOpenMetrics(jsonLines, out);
        Files.writeString(
                meta, c.lines() + " " + c.points() + " " + c.minTs() + " " + c.maxTs() + "\n");
        return c;
    }

    /**
     * Writes the counted samples of a JSON Lines sample file as OpenMetrics. Every line goes
     * through the replay's own decoder and validator, so a rejected line is in neither side.
     */
    static Converted toOpenMetrics(Path jsonLines, Path out) throws IOException {
        long lines = 0;
        long points = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        StringBuilder b = new StringBuilder(96);
        try (BufferedReader r = Files.newBufferedReader(jsonLines, StandardCharsets.UTF_8);
                Writer w = new BufferedWriter(Files.newBufferedWriter(out), 1 << 20)) {
            w.write("# TYPE " + METRIC + " gauge\n");
            String line;
            while ((line = r.readLine()) != null) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                SampleJson.Result res = SampleJson.parse(line);
                if (!res.ok() || !res.sample.countsForMemory()) {
                    continue;
                }
                Sample s = res.sample;
                b.setLength(0);
                b.append(METRIC).append("{vm=\"").append(s.vmId).append("\"} ");
                b.append(Percent.of(s.memoryUsedBytes, s.memoryTotalBytes)).append(' ');
                // Seconds: whole ones are exact; a millisecond fraction is written out in full.
                b.append(s.timestamp / 1000);
                if (s.timestamp % 1000 != 0) {
                    b.append('.').append(String.format(Locale.ROOT, "%03d", s.timestamp % 1000));
                }
                b.append('\n');
                w.append(b);
                points++;
                min = Math.min(min, s.timestamp);
                max = Math.max(max, s.timestamp);
            }
            w.write("# EOF\n");
        }
        return new Converted(lines, points, min, max);
    }

    /** Runs promtool's backfill into {@code tsdb}; returns its wall time in seconds. */
    static double backfill(Path openMetrics, Path tsdb, Duration maxBlock, Path log)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path times = log.resolveSibling(log.getFileName() + ".cpu");
        List<String> cmd = new ArrayList<>();
        boolean timed = Files.isExecutable(TIME);
        if (timed) {
            // Its CPU time too: user and system seconds into `times`.
            cmd.addAll(List.of(TIME.toString(), "-o", times.toString(), "-f", "%U %S"));
        }
        cmd.addAll(
                List.of(
                        PROMTOOL.toString(),
                        "tsdb",
                        "create-blocks-from",
                        "openmetrics",
                        "--max-block-duration=" + maxBlock.toHours() + "h",
                        openMetrics.toString(),
                        tsdb.toString()));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        int rc = p.waitFor();
        double secs = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IOException(
                    "promtool tsdb create-blocks-from openmetrics exited with "
                            + rc
                            + ": "
                            + tail(log));
        }
        lastBackfillCpu = Double.NaN;
        if (timed) {
            String[] cpu = Files.readString(times).trim().split("\\s+");
            lastBackfillCpu =
                    Double.parseDouble(cpu[cpu.length - 2])
                            + Double.parseDouble(cpu[cpu.length - 1]);
        }
        return secs;
    }

    /** CPU-seconds (user + system) of the last {@link #backfill}. */
    static double lastBackfillCpu = Double.NaN;

    /** A prometheus server on the backfilled TSDB, loopback only, stopped by close. */
    static final class Server implements AutoCloseable {
        private final Process process;
        private final String base;
        private final HttpClient http = HttpClient.newHttpClient();

        private Server(Process process, String base) {
            this.process = process;
            this.base = base;
        }

        /** Starts it and waits for /-/ready; the caller times this. */
        static Server start(Path tsdb, Path dir, Duration timeout)
                throws IOException, InterruptedException {
            Path config = dir.resolve("prometheus.yml");
            // No scrape targets: the server only answers queries over the backfilled blocks.
            Files.writeString(config, "global:\n  scrape_interval: 1h\n");
            int port = LoopbackPorts.free();
            Process p =
                    new ProcessBuilder(
                                    PROMETHEUS.toString(),
                                    "--config.file=" + config,
                                    "--storage.tsdb.path=" + tsdb,
                                    // The samples lie in the past: no block may be dropped.
                                    "--storage.tsdb.retention.time=100y",
                                    "--web.listen-address=127.0.0.1:" + port,
                                    "--log.level=warn")
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("prometheus.log").toFile())
                            .start();
            Server s = new Server(p, "http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!p.isAlive()) {
                    throw new IOException(
                            "prometheus exited with "
                                    + p.exitValue()
                                    + ": "
                                    + tail(dir.resolve("prometheus.log")));
                }
                try {
                    HttpResponse<Void> r =
                            s.http.send(
                                    HttpRequest.newBuilder(URI.create(s.base + "/-/ready"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return s;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    s.close();
                    throw new IOException("prometheus not ready within " + timeout);
                }
                Thread.sleep(20);
            }
        }

        /** An instant query whose result is one number (a count), 0 for an empty vector. */
        long count(String promql, Instant at) throws IOException, InterruptedException {
            String url =
                    base
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                            + "&time="
                            + String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
            HttpResponse<InputStream> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofMinutes(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            JsonNode body;
            try (InputStream in = r.body()) {
                body = MAPPER.readTree(in);
            }
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new IOException("query failed (" + r.statusCode() + "): " + body);
            }
            JsonNode result = body.path("data").path("result");
            if (result.isEmpty()) {
                return 0;
            }
            return Long.parseLong(result.get(0).path("value").get(1).asText());
        }

        /** CPU-seconds (user + system) the server has used so far, from /proc. */
        double cpuSeconds() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s on Linux.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A calendar week [start, end) in the rule set's zone, Monday 00:00 to Monday 00:00. */
    record Week(Instant start, Instant end) {}

    /** Every week holding an instant from {@code minTs} to {@code maxTs}, in order. */
    static List<Week> weeks(long minTs, long maxTs, ZoneId zone) {
        ZonedDateTime start =
                Instant.ofEpochMilli(minTs)
                        .atZone(zone)
                        .truncatedTo(ChronoUnit.DAYS)
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        List<Week> out = new ArrayList<>();
        while (start.toInstant().toEpochMilli() <= maxTs) {
            ZonedDateTime end = start.plusWeeks(1);
            out.add(new Week(start.toInstant(), end.toInstant()));
            start = end;
        }
        return out;
    }

    /**
     * PromQL for one week, evaluated at the week's end: the selectors end 1 ms before it ({@code
     * offset 1ms}) and span the week less 1 ms, because a range selector of Prometheus 2.x includes
     * both of its ends and the rules' week is [start, end). Covered hours count the UTC clock hours
     * [h, h + 1 h) with a counted sample, through a subquery on the hour grid.
     */
    static final class WeekQueries {
        final String scaleUp;
        final String underuse;

        WeekQueries(Week w, double aboveAvg, int minHours, double underAvg, double underPeak) {
            long span = w.end().toEpochMilli() - w.start().toEpochMilli() - 1;
            String range = "[" + span + "ms] offset 1ms";
            String avg = "avg_over_time(" + METRIC + range + ")";
            String peak = "max_over_time(" + METRIC + range + ")";
            String covered =
                    "count_over_time((count_over_time("
                            + METRIC
                            + "[3599999ms] offset 1ms))["
                            + span
                            + "ms:1h])";
            String enough = "(" + covered + " >= " + minHours + ")";
            scaleUp = "count((" + avg + " > " + num(aboveAvg) + ") and on(vm) " + enough + ")";
            underuse =
                    "count(("
                            + avg
                            + " <= "
                            + num(underAvg)
                            + ") and on(vm) ("
                            + peak
                            + " <= "
                            + num(underPeak)
                            + ") and on(vm) "
                            + enough
                            + ")";
        }

        private static String num(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join(" | ", l.subList(Math.max(0, l.size() - 5), l.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
