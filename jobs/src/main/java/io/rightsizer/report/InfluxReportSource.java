package io.rightsizer.report;

import static io.rightsizer.report.InfluxValues.asDouble;
import static io.rightsizer.report.InfluxValues.asLong;
import static io.rightsizer.report.InfluxValues.byColumn;
import static io.rightsizer.report.InfluxValues.instant;
import static io.rightsizer.report.InfluxValues.str;
import static io.rightsizer.report.InfluxValues.subject;

import io.rightsizer.rules.RuleSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Reads a report's figures from the utilization history with InfluxQL, aggregating on the server:
 * one query per measurement and month, grouped by the VM's tags, so the client receives one row per
 * VM and month whatever the number of hours (InfluxQL has no calendar-month grouping, hence one
 * query per month, bounded by the month's instants in the rule set's zone).
 */
public final class InfluxReportSource implements AutoCloseable {
    private static final int CHUNK_ROWS = 10_000;
    private static final long QUERY_TIMEOUT_MINUTES = 10;
    private static final String END_OF_CHUNKS = "DONE";

    private final InfluxDB client;
    private final String url;
    private final String database;
    private final String retentionPolicy;
    private final int chunkRows;

    private InfluxReportSource(
            InfluxDB client, String url, String database, String retentionPolicy, int chunkRows) {
        this.client = client;
        this.url = url;
        this.database = database;
        this.retentionPolicy = retentionPolicy;
        this.chunkRows = chunkRows;
    }

    /**
     * Connects and checks that the server answers and has the database.
     *
     * @throws ReportException when the server cannot be reached or the database does not exist
     */
    public static InfluxReportSource connect(String url, String database) throws ReportException {
        return connect(url, database, null, null, null, CHUNK_ROWS);
    }

    /**
     * Connects as {@code username} (null: without authentication) and reads the measurements of
     * {@code retentionPolicy} (null: the database's default).
     */
    public static InfluxReportSource connect(
            String url, String database, String retentionPolicy, String username, String password)
            throws ReportException {
        return connect(url, database, retentionPolicy, username, password, CHUNK_ROWS);
    }

    /** With the server streaming at most {@code chunkRows} rows per chunk. */
    static InfluxReportSource connect(
            String url,
            String database,
            String retentionPolicy,
            String username,
            String password,
            int chunkRows)
            throws ReportException {
        OkHttpClient.Builder http =
                new OkHttpClient.Builder()
                        .connectTimeout(10, TimeUnit.SECONDS)
                        .readTimeout(5, TimeUnit.MINUTES);
        InfluxDB client;
        try {
            client =
                    username == null
                            ? InfluxDBFactory.connect(url, http)
                            : InfluxDBFactory.connect(url, username, password, http);
        } catch (IllegalArgumentException e) {
            throw new ReportException("--influx-url: '" + url + "' is not an http(s) URL", e);
        }
        InfluxReportSource source =
                new InfluxReportSource(client, url, database, retentionPolicy, chunkRows);
        try {
            List<String> databases = new ArrayList<>();
            for (List<Object> row : source.rows(new Query("SHOW DATABASES"))) {
                databases.add(String.valueOf(row.get(0)));
            }
            if (!databases.contains(database)) {
                throw new ReportException(
                        String.format(
                                "database '%s' does not exist at %s (it has: %s); the job"
                                        + " creates it when it first writes the utilization"
                                        + " history, or give --database",
                                database,
                                url,
                                databases.isEmpty() ? "none" : String.join(", ", databases)));
            }
        } catch (ReportException e) {
            source.close();
            throw e;
        }
        return source;
    }

    /** The month's figures per VM, from {@code vm_hourly}. */
    public Map<Subject, Figures> hourly(ReportMonth month, String unit) throws ReportException {
        String sql =
                "SELECT sum(\"memory_mean\") AS memory_sum, count(\"memory_mean\") AS running,"
                        + " max(\"memory_max\") AS memory_peak, max(\"storage_max\") AS"
                        + " storage_peak, count(\"samples\") AS covered, sum(\"samples\") AS"
                        + " samples, sum(\"stopped_samples\") AS stopped FROM "
                        + from("vm_hourly")
                        + where(month, unit)
                        + " GROUP BY \"vmId\", \"systemId\", \"unitId\"";
        Map<Subject, Figures> out = new TreeMap<>(Subject.ORDER);
        each(
                new Query(sql, database),
                (tags, v) -> {
                    long covered = asLong(v.get("covered"));
                    if (covered == 0) {
                        return;
                    }
                    out.merge(
                            subject(tags),
                            new Figures(
                                    asDouble(v.get("memory_sum"), 0.0),
                                    asLong(v.get("running")),
                                    asDouble(v.get("memory_peak"), null),
                                    asDouble(v.get("storage_peak"), null),
                                    covered,
                                    asLong(v.get("samples")),
                                    asLong(v.get("stopped"))),
                            Figures::plus);
                });
        return out;
    }

    /** The month's recommendations. */
    public List<RecommendationRow> recommendations(ReportMonth month, String unit)
            throws ReportException {
        String sql =
                "SELECT \"id\", \"reason\", \"rule\", \"action\", \"vmId\", \"systemId\","
                        + " \"unitId\" FROM "
                        + from("recommendations")
                        + where(month, unit);
        List<RecommendationRow> out = new ArrayList<>();
        each(
                new Query(sql, database),
                (tags, v) ->
                        out.add(
                                new RecommendationRow(
                                        str(v.get("id")),
                                        instant(v.get("time")),
                                        str(v.get("rule")),
                                        str(v.get("action")),
                                        str(v.get("vmId")),
                                        str(v.get("systemId")),
                                        str(v.get("unitId")),
                                        str(v.get("reason")))));
        return out;
    }

    /** The month's TELEMETRY_SILENT events. */
    public List<SilenceRow> silences(ReportMonth month, String unit) throws ReportException {
        String sql =
                "SELECT \"id\", \"vmId\", \"systemId\", \"unitId\", \"last_sample_at\","
                        + " \"silent_for_ms\" FROM "
                        + from("data_quality")
                        + where(month, unit)
                        + " AND \"kind\" = 'TELEMETRY_SILENT'";
        List<SilenceRow> out = new ArrayList<>();
        each(
                new Query(sql, database),
                (tags, v) -> {
                    Object last = v.get("last_sample_at");
                    Object silent = v.get("silent_for_ms");
                    out.add(
                            new SilenceRow(
                                    str(v.get("id")),
                                    instant(v.get("time")),
                                    str(v.get("vmId")),
                                    str(v.get("systemId")),
                                    str(v.get("unitId")),
                                    last == null ? null : Instant.ofEpochMilli(asLong(last)),
                                    silent == null ? null : asLong(silent)));
                });
        return out;
    }

    /**
     * The days of the given VMs: the mean of the hourly means of each local day, and whether all of
     * the day's samples were STOPPED (InfluxQL's {@code tz()} aligns the days to the zone's
     * midnights).
     */
    public Map<Subject, MonthlyReport.Days> dailyMemory(ReportMonth month, List<Subject> vms)
            throws ReportException {
        Map<Subject, MonthlyReport.Days> out = new HashMap<>();
        if (vms.isEmpty()) {
            return out;
        }
        String ids =
                vms.stream()
                        .map(Subject::vmId)
                        .distinct()
                        .map(id -> "\"vmId\" = " + literal(id))
                        .collect(Collectors.joining(" OR "));
        String sql =
                "SELECT mean(\"memory_mean\") AS daily, sum(\"samples\") AS samples,"
                        + " sum(\"stopped_samples\") AS stopped FROM "
                        + from("vm_hourly")
                        + where(month, null)
                        + " AND ("
                        + ids
                        + ") GROUP BY time(1d), \"vmId\", \"systemId\", \"unitId\" fill(none)"
                        + " tz("
                        + literal(month.zone().getId())
                        + ")";
        Set<Subject> wanted = new HashSet<>(vms);
        each(
                new Query(sql, database),
                (tags, v) -> {
                    Subject vm = subject(tags);
                    Instant t = instant(v.get("time"));
                    if (!wanted.contains(vm)
                            || t.isBefore(month.start())
                            || !t.isBefore(month.end())) {
                        return;
                    }
                    MonthlyReport.Days days =
                            out.computeIfAbsent(vm, k -> MonthlyReport.Days.none(month.days()));
                    int d = month.dayIndex(t);
                    long samples = asLong(v.get("samples"));
                    days.memory().set(d, asDouble(v.get("daily"), null));
                    days.stoppedOnly().set(d, samples > 0 && samples == asLong(v.get("stopped")));
                });
        return out;
    }

    /** One VM's clock hour as the history holds it; a null figure was not measured that hour. */
    public record VmHour(Instant hour, Double memoryMean, Double memoryMax, Double storageMax) {}

    /**
     * The hours of one VM in {@code [from, to)}, oldest first, one per hour that has a point (the
     * approval console's chart). Points of the VM under several system or unit tags (it moved) are
     * one hour each, the later series winning.
     */
    public List<VmHour> vmHours(String vmId, Instant from, Instant to) throws ReportException {
        String sql =
                "SELECT \"memory_mean\", \"memory_max\", \"storage_max\" FROM "
                        + from("vm_hourly")
                        + " WHERE time >= "
                        + from.toEpochMilli()
                        + "ms AND time < "
                        + to.toEpochMilli()
                        + "ms AND \"vmId\" = "
                        + literal(vmId);
        Map<Instant, VmHour> out = new TreeMap<>();
        each(
                new Query(sql, database),
                (tags, v) -> {
                    Instant hour = instant(v.get("time"));
                    out.put(
                            hour,
                            new VmHour(
                                    hour,
                                    asDouble(v.get("memory_mean"), null),
                                    asDouble(v.get("memory_max"), null),
                                    asDouble(v.get("storage_max"), null)));
                });
        return new ArrayList<>(out.values());
    }

    /** A month's report, read with four queries. */
    public MonthlyReport month(ReportMonth month, String unit, RuleSet rules)
            throws ReportException {
        Map<Subject, Figures> hourly = hourly(month, unit);
        List<RecommendationRow> recs = recommendations(month, unit);
        List<SilenceRow> silences = silences(month, unit);
        Map<Subject, MonthlyReport.Days> daily =
                dailyMemory(month, MonthlyReport.heatMapVms(hourly, MonthlyReport.HEAT_MAP_ROWS));
        return MonthlyReport.build(month, unit, rules, hourly, recs, silences, daily);
    }

    /** The month's report without the heat map's daily figures (for the yearly table). */
    public MonthlyReport monthFigures(ReportMonth month, String unit, RuleSet rules)
            throws ReportException {
        return MonthlyReport.build(
                month,
                unit,
                rules,
                hourly(month, unit),
                recommendations(month, unit),
                List.of(),
                Map.of());
    }

    private static String where(ReportMonth month, String unit) {
        String w =
                " WHERE time >= "
                        + month.start().toEpochMilli()
                        + "ms AND time < "
                        + month.end().toEpochMilli()
                        + "ms";
        return unit == null ? w : w + " AND \"unitId\" = " + literal(unit);
    }

    private String from(String measurement) {
        return retentionPolicy == null
                ? identifier(measurement)
                : identifier(retentionPolicy) + "." + identifier(measurement);
    }

    /** An InfluxQL double-quoted identifier. */
    static String identifier(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** An InfluxQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * Runs {@code q} chunked, so that a fleet's million rows stream through {@code row} instead of
     * arriving as one response; {@code row} gets each result row's series tags and its values by
     * column.
     */
    private void each(Query q, BiConsumer<Map<String, String>, Map<String, Object>> row)
            throws ReportException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.query(
                    q,
                    chunkRows,
                    (cancellable, result) -> {
                        // The client marks the end of the stream with a result whose error is
                        // "DONE", then calls onComplete.
                        if (done.isDone() || END_OF_CHUNKS.equals(result.getError())) {
                            return;
                        }
                        try {
                            String error = error(result);
                            if (error != null) {
                                throw new IllegalStateException(error);
                            }
                            for (QueryResult.Result res : result.getResults()) {
                                if (res.getSeries() == null) {
                                    continue;
                                }
                                for (QueryResult.Series s : res.getSeries()) {
                                    if (s.getValues() == null) {
                                        continue;
                                    }
                                    for (List<Object> values : s.getValues()) {
                                        row.accept(s.getTags(), byColumn(s.getColumns(), values));
                                    }
                                }
                            }
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                            cancellable.cancel();
                        }
                    },
                    () -> done.complete(null),
                    done::completeExceptionally);
        } catch (InfluxDBIOException e) {
            throw unreachable(e);
        } catch (InfluxDBException e) {
            throw new ReportException("InfluxDB at " + url + " failed: " + e.getMessage(), e);
        }
        try {
            done.get(QUERY_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportException("interrupted while reading from InfluxDB at " + url, e);
        } catch (TimeoutException e) {
            throw new ReportException(
                    "InfluxDB at "
                            + url
                            + " did not answer a query within "
                            + QUERY_TIMEOUT_MINUTES
                            + " minutes: "
                            + q.getCommand(),
                    e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IllegalStateException) {
                throw new ReportException(
                        "InfluxDB at " + url + " refused the query: " + c.getMessage(), c);
            }
            if (c instanceof java.io.IOException || c instanceof InfluxDBIOException) {
                throw unreachable(c);
            }
            throw new ReportException(
                    "reading from InfluxDB at " + url + " failed: " + rootMessage(c), c);
        }
    }

    /** The error of a result or of any of its statements, or null. */
    private static String error(QueryResult r) {
        if (r.getError() != null) {
            return r.getError();
        }
        if (r.getResults() != null) {
            for (QueryResult.Result res : r.getResults()) {
                if (res.getError() != null) {
                    return res.getError();
                }
            }
        }
        return null;
    }

    private ReportException unreachable(Throwable e) {
        return new ReportException(
                "cannot reach InfluxDB at " + url + ": " + rootMessage(e) + "; give --influx-url",
                e);
    }

    private List<QueryResult.Series> series(Query q) throws ReportException {
        QueryResult r = run(q);
        List<QueryResult.Series> out = new ArrayList<>();
        if (r.getResults() == null) {
            return out;
        }
        for (QueryResult.Result res : r.getResults()) {
            if (res.getError() != null) {
                throw new ReportException(
                        "InfluxDB at " + url + " refused the query: " + res.getError());
            }
            if (res.getSeries() != null) {
                out.addAll(res.getSeries());
            }
        }
        return out;
    }

    private List<List<Object>> rows(Query q) throws ReportException {
        List<List<Object>> out = new ArrayList<>();
        for (QueryResult.Series s : series(q)) {
            if (s.getValues() != null) {
                out.addAll(s.getValues());
            }
        }
        return out;
    }

    private QueryResult run(Query q) throws ReportException {
        QueryResult r;
        try {
            r = client.query(q, TimeUnit.MILLISECONDS);
        } catch (InfluxDBIOException e) {
            throw new ReportException(
                    "cannot reach InfluxDB at "
                            + url
                            + ": "
                            + rootMessage(e)
                            + "; give --influx-url",
                    e);
        } catch (InfluxDBException e) {
            throw new ReportException("InfluxDB at " + url + " failed: " + e.getMessage(), e);
        }
        if (r.getError() != null) {
            throw new ReportException("InfluxDB at " + url + " refused the query: " + r.getError());
        }
        return r;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        client.close();
    }
}
