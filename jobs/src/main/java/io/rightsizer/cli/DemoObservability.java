package io.rightsizer.cli;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.local.LocalInfluxDb;
import io.rightsizer.local.LoopbackPorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo shows besides the approval topic: the Prometheus endpoint of its MiniCluster and a
 * local influxd holding the utilization history, with the checks that the history is complete.
 */
final class DemoObservability implements AutoCloseable {
    static final String DATABASE = InfluxOptions.DEFAULT_DATABASE;
    static final String PROMETHEUS_FACTORY =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    private static final String OP = "flink_taskmanager_job_task_operator_rightsizer_";

    final int prometheusPort;

    /** Null when influxd is not installed (or --no-history). */
    final LocalInfluxDb influx;

    private DemoObservability(int prometheusPort, LocalInfluxDb influx) {
        this.prometheusPort = prometheusPort;
        this.influx = influx;
    }

    /** Takes 9249 and 8086 when they are free, other free ports otherwise. */
    static DemoObservability start(boolean history, PrintWriter err) throws IOException {
        int prometheus = portFree(9249) ? 9249 : LoopbackPorts.free();
        LocalInfluxDb influx = null;
        if (history) {
            if (LocalInfluxDb.binary().isEmpty()) {
                err.println(
                        "demo: "
                                + LocalInfluxDb.installHint()
                                + ". The demo runs without the utilization history and the"
                                + " monthly report.");
            } else {
                influx =
                        LocalInfluxDb.start(
                                portFree(8086) ? 8086 : 0, null, Duration.ofSeconds(60));
            }
        }
        return new DemoObservability(prometheus, influx);
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + prometheusPort + "/metrics";
    }

    /** Where a person looks while the demo runs. */
    void printWhereToLook(PrintWriter err, int webPort) {
        err.println("Where to look while it runs:");
        err.println(
                "  Flink web UI        "
                        + (webPort != 0
                                ? "http://localhost:" + webPort
                                : "(port 8081 is taken: no web UI)"));
        err.println(
                "  Prometheus metrics  "
                        + metricsUrl()
                        + "   (e.g. curl -s "
                        + metricsUrl()
                        + " | grep _rightsizer_)");
        if (influx != null) {
            err.println(
                    "  InfluxDB history    "
                            + influx.url()
                            + " database "
                            + DATABASE
                            + "   (e.g. curl -G "
                            + influx.url()
                            + "/query --data-urlencode db="
                            + DATABASE
                            + " --data-urlencode \"q=SELECT * FROM recommendations LIMIT 5\")");
        }
    }

    /**
     * Waits (up to {@code timeout}) until the history holds {@code recommendations} recommendation
     * events and {@code deadLetters} dead letters, and the job's writer has nothing left in its
     * buffer. Dead letters are counted per interval of processing time, so this can take until the
     * end of the interval of the last one.
     */
    boolean awaitHistory(long recommendations, long deadLetters, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (count("SELECT count(id) FROM recommendations") == recommendations
                    && count("SELECT sum(count) FROM dead_letters") == deadLetters
                    && metric("influxdb_buffered_points") == 0) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** Counts of what the history holds, by measurement, and the writer's drops. */
    Map<String, Long> historyCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("VM-hours (vm_hourly)", count("SELECT count(samples) FROM vm_hourly"));
        m.put("VM-weeks (vm_weekly)", count("SELECT count(samples) FROM vm_weekly"));
        m.put("recommendations", count("SELECT count(id) FROM recommendations"));
        m.put("dead letters (sum of dead_letters)", count("SELECT sum(count) FROM dead_letters"));
        m.put("data-quality events", count("SELECT count(id) FROM data_quality"));
        return m;
    }

    /** The history writer's dropped points, summed over its subtasks (-1 if unreadable). */
    long droppedPoints() {
        return metric("influxdb_points_dropped");
    }

    private long count(String influxQl) {
        return influx.single(DATABASE, influxQl);
    }

    private long metric(String name) {
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(metricsUrl()))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            boolean seen = false;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(OP + name + "{") || line.startsWith(OP + name + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    seen = true;
                }
            }
            return seen ? Math.round(sum) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The arguments of `rightsizer report monthly` for {@code month} into {@code dir}. */
    List<String> reportArgs(String month, Path dir, Path rules) {
        List<String> a = new ArrayList<>();
        a.add("report");
        a.add("monthly");
        a.add("--month");
        a.add(month);
        a.add("--out");
        a.add(dir.toString());
        a.add("--influx-url");
        a.add(influx.url());
        a.add("--database");
        a.add(DATABASE);
        a.add("--rules");
        a.add(rules.toString());
        return a;
    }

    static boolean portFree(int port) {
        return LoopbackPorts.isFree(port);
    }

    @Override
    public void close() {
        if (influx != null) {
            influx.close();
        }
    }
}
