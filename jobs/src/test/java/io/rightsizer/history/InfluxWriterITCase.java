package io.rightsizer.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.local.LocalInfluxDb;
import io.rightsizer.testing.InfluxServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

/**
 * The writer against a real influxd: what is written reads back exactly through InfluxQL, and with
 * the server down the caller is never held up, the buffer stays bounded, failed batches are dropped
 * and counted, and the writer recovers when the server comes up.
 */
class InfluxWriterITCase {

    /** Short everything, so the failure paths take milliseconds. */
    static InfluxSettings quick(String url, String database) {
        return InfluxSettings.of(url, database)
                .withBatchSize(100)
                .withFlushInterval(Duration.ofMillis(50))
                .withMaxRetries(2)
                .withRetryBackoff(Duration.ofMillis(20))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withDrainTimeout(Duration.ofSeconds(5));
    }

    /** A loopback port nobody listens on (until a test starts influxd there). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Adds up what the writer reports, as the Flink sink's counters do. */
    static final class Counts implements InfluxWriter.Listener {
        final AtomicLong written = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong failures = new AtomicLong();

        @Override
        public void pointsWritten(long n) {
            written.addAndGet(n);
        }

        @Override
        public void pointsDropped(long n) {
            dropped.addAndGet(n);
        }

        @Override
        public void writeFailed() {
            failures.incrementAndGet();
        }
    }

    static List<List<Object>> rows(String url, String database, String influxQl) {
        return io.rightsizer.testing.InfluxServer.rows(url, database, influxQl);
    }

    static Map<String, Object> row(String url, String database, String influxQl) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult r = client.query(new Query(influxQl, database));
            QueryResult.Series s = r.getResults().get(0).getSeries().get(0);
            assertThat(s.getValues()).hasSize(1);
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < s.getColumns().size(); i++) {
                m.put(s.getColumns().get(i), s.getValues().get(0).get(i));
            }
            if (s.getTags() != null) {
                m.putAll(s.getTags());
            }
            return m;
        }
    }

    @Test
    void everyMeasurementReadsBackWithItsExactValues() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_roundtrip");
        Counts counts = new Counts();
        try (InfluxWriter w = new InfluxWriter(quick(url, db), counts)) {
            assertThat(w.offer(HistoryLines.hourly(HistoryFixtures.busyHour()))).isTrue();
            assertThat(w.offer(HistoryLines.weekly(HistoryFixtures.judgedWeek()))).isTrue();
            assertThat(w.offer(HistoryLines.recommendation(HistoryFixtures.weeklyScaleUp()).get()))
                    .isTrue();
            assertThat(w.offer(HistoryLines.deadLetters("INVALID", HistoryFixtures.FIRED, 17)))
                    .isTrue();
            assertThat(w.offer(HistoryLines.dataQuality(HistoryFixtures.silence()))).isTrue();

            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();
            assertThat(w.pointsWritten()).isEqualTo(5);
            assertThat(w.pointsDropped()).isZero();
            assertThat(w.writeFailures()).isZero();
            assertThat(w.bufferedPoints()).isZero();
        }
        assertThat(counts.written.get()).isEqualTo(5);

        assertThat(row(url, db, "SELECT * FROM vm_hourly"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry("time", "2026-03-03T02:00:00Z"),
                                Map.entry("memory_max", 96.5),
                                Map.entry("memory_mean", 71.25),
                                Map.entry("memory_total_bytes", 17179869184.0),
                                Map.entry("peak_starts", 1.0),
                                Map.entry("samples", 12.0),
                                Map.entry("stopped_samples", 2.0),
                                Map.entry("storage_max", 40.0),
                                Map.entry("storage_total_bytes", 107374182400.0),
                                Map.entry("systemId", "sys-1"),
                                Map.entry("unitId", "Unit A, Finance"),
                                Map.entry("vmId", "vm-1")));
        assertThat(row(url, db, "SELECT * FROM vm_weekly"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry("time", "2026-03-01T16:00:00Z"),
                                Map.entry("average", 82.5),
                                Map.entry("peak", 100.0),
                                Map.entry("covered_hours", 120.0),
                                Map.entry("samples", 1440.0),
                                Map.entry("judged", true),
                                Map.entry("systemId", "sys-1"),
                                Map.entry("unitId", "Unit A, Finance"),
                                Map.entry("vmId", "vm-1")));
        // The weekly average written is the one in the recommendation.
        assertThat(
                        rows(
                                url,
                                db,
                                "SELECT weekly_average, id, reason, priority, major_change"
                                        + " FROM recommendations WHERE rule ="
                                        + " 'scale-up.memory.weekly-average' AND action ="
                                        + " 'SCALE_UP' AND unitId = 'Unit A, Finance'"))
                .containsExactly(
                        List.of(
                                "2026-03-09T00:30:15.25Z",
                                82.5,
                                "3f0c9a4be1d27c65",
                                "weekly average 82.5% is above 70%: \"scale up\"",
                                2.0,
                                true));
        assertThat(rows(url, db, "SELECT count FROM dead_letters WHERE reason = 'INVALID'"))
                .containsExactly(List.of("2026-03-09T00:30:15.25Z", 17.0));
        assertThat(
                        rows(
                                url,
                                db,
                                "SELECT id, last_sample_at, silent_for_ms FROM data_quality"
                                        + " WHERE kind = 'TELEMETRY_SILENT'"))
                .containsExactly(
                        List.of("2026-03-03T06:00:00Z", "dq-1", 1772514000000.0, 3600000.0));
        // Integer fields are stored as integers: the report's sums need them so.
        assertThat(rows(url, db, "SHOW FIELD KEYS FROM vm_hourly"))
                .containsExactly(
                        List.of("memory_max", "float"),
                        List.of("memory_mean", "float"),
                        List.of("memory_total_bytes", "integer"),
                        List.of("peak_starts", "integer"),
                        List.of("samples", "integer"),
                        List.of("stopped_samples", "integer"),
                        List.of("storage_max", "float"),
                        List.of("storage_total_bytes", "integer"));
    }

    @Test
    void anIdWithALineBreakOrATrailingBackslashDoesNotCostTheBatch() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_hostile");
        var hostile = HistoryFixtures.stoppedHour();
        hostile.vmId = "vm\n2\\";
        hostile.systemId = "sys\\2";
        Counts counts = new Counts();
        try (InfluxWriter w =
                new InfluxWriter(
                        quick(url, db).withFlushInterval(Duration.ofSeconds(30)), counts)) {
            w.offer(HistoryLines.hourly(HistoryFixtures.busyHour()));
            w.offer(HistoryLines.hourly(hostile));
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

            assertThat(w.pointsWritten()).isEqualTo(2);
            assertThat(w.pointsDropped()).isZero();
        }
        assertThat(rows(url, db, "SHOW TAG VALUES FROM vm_hourly WITH KEY IN (vmId, systemId)"))
                .containsExactlyInAnyOrder(
                        List.of("systemId", "sys-1"),
                        List.of("systemId", "sys\\2"),
                        List.of("vmId", "vm-1"),
                        List.of("vmId", "vm\uFFFD2\uFFFD"));
    }

    @Test
    void aReplayRewritesTheSamePointsInsteadOfAddingNewOnes() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_replay");
        try (InfluxWriter w = new InfluxWriter(quick(url, db), InfluxWriter.Listener.NONE)) {
            for (int run = 0; run < 3; run++) {
                w.offer(HistoryLines.weekly(HistoryFixtures.judgedWeek()));
                assertThat(w.drain(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(w.pointsWritten()).isEqualTo(3);
        }
        assertThat(rows(url, db, "SELECT count(average) FROM vm_weekly"))
                .containsExactly(List.of("1970-01-01T00:00:00Z", 1.0));
    }

    @Test
    void aFieldTypeConflictIsNotRetriedAndOnlyTheRefusedPointIsDropped() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_conflict");
        Counts counts = new Counts();
        try (InfluxWriter w = new InfluxWriter(quick(url, db), counts)) {
            w.offer("m,vmId=vm-1 v=1.5 1000");
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

            w.offer("m,vmId=vm-1 v=2i 2000");
            w.offer("m,vmId=vm-1 v=3.5 3000");
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

            assertThat(w.pointsWritten()).isEqualTo(2);
            assertThat(w.pointsDropped()).isEqualTo(1);
            assertThat(w.writeFailures()).as("one request, not retried").isEqualTo(1);
        }
        assertThat(counts.written.get()).isEqualTo(2);
        assertThat(counts.dropped.get()).isEqualTo(1);
        assertThat(counts.failures.get()).isEqualTo(1);
        assertThat(rows(url, db, "SELECT v FROM m"))
                .containsExactly(
                        List.of("1970-01-01T00:00:01Z", 1.5), List.of("1970-01-01T00:00:03Z", 3.5));
    }

    @Test
    void withTheServerDownABatchIsDroppedAfterItsRetriesAndCounted() throws Exception {
        String url = "http://127.0.0.1:" + freePort();
        Counts counts = new Counts();
        InfluxSettings settings = quick(url, "down").withFlushInterval(Duration.ofSeconds(30));
        try (InfluxWriter w = new InfluxWriter(settings, counts)) {
            for (int i = 0; i < 10; i++) {
                assertThat(w.offer("m v=" + i + "i " + i)).isTrue();
            }

            assertThat(w.drain(Duration.ofSeconds(30)))
                    .as("dropped after 1 + 2 retries is drained too")
                    .isTrue();

            assertThat(w.pointsWritten()).isZero();
            assertThat(w.pointsDropped()).isEqualTo(10);
            assertThat(w.writeFailures()).isEqualTo(3);
            assertThat(w.bufferedPoints()).isZero();
        }
        assertThat(counts.written.get()).isZero();
        assertThat(counts.dropped.get()).isEqualTo(10);
        assertThat(counts.failures.get()).isEqualTo(3);
    }

    @Test
    void withTheServerDownOffersNeverBlockTheBufferStaysBoundedAndItRecoversWhenTheServerComesUp()
            throws Exception {
        InfluxServer.requireBinary();
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Counts counts = new Counts();
        // No flush until asked, so the buffer fills; many short retries, so the batch in flight
        // outlives the server's start.
        InfluxSettings settings =
                InfluxSettings.of(url, "recovery")
                        .withBufferCapacity(1000)
                        .withFlushInterval(Duration.ofSeconds(30))
                        .withMaxRetries(30)
                        .withRetryBackoff(Duration.ofMillis(50))
                        .withRequestTimeout(Duration.ofSeconds(2));
        try (InfluxWriter w = new InfluxWriter(settings, counts)) {
            int accepted = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 100_000; i++) {
                if (w.offer("m,vmId=vm-" + (i % 7) + " v=" + i + "i " + i)) {
                    accepted++;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(accepted).isEqualTo(1000);
            assertThat(w.bufferedPoints()).isEqualTo(1000);
            assertThat(w.pointsDropped()).isEqualTo(99_000);
            assertThat(counts.dropped.get()).isEqualTo(99_000);

            assertThat(w.drain(Duration.ofMillis(300))).as("the server is down").isFalse();
            assertThat(w.writeFailures()).isPositive();
            assertThat(w.bufferedPoints()).isEqualTo(1000);

            try (LocalInfluxDb server = LocalInfluxDb.start(port, null, Duration.ofSeconds(60))) {
                assertThat(w.drain(Duration.ofSeconds(60))).isTrue();
                assertThat(w.pointsWritten()).isEqualTo(1000);

                assertThat(w.offer("later v=1i 5")).isTrue();
                assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

                assertThat(w.pointsWritten()).isEqualTo(1001);
                assertThat(w.pointsDropped()).isEqualTo(99_000);
                assertThat(rows(server.url(), "recovery", "SELECT count(v) FROM m"))
                        .containsExactly(List.of("1970-01-01T00:00:00Z", 1000.0));
                assertThat(rows(server.url(), "recovery", "SELECT v FROM later"))
                        .containsExactly(List.of("1970-01-01T00:00:00.005Z", 1.0));
            }
        }
        assertThat(counts.written.get()).isEqualTo(1001);
    }

    @Test
    void closingWithTheServerDownDropsWhatIsLeftAndCountsIt() throws Exception {
        Counts counts = new Counts();
        InfluxSettings settings =
                quick("http://127.0.0.1:" + freePort(), "closing")
                        .withMaxRetries(1000)
                        .withRetryBackoff(Duration.ofMillis(100))
                        .withDrainTimeout(Duration.ofMillis(200));
        InfluxWriter w = new InfluxWriter(settings, counts);
        for (int i = 0; i < 50; i++) {
            w.offer("m v=" + i + "i " + i);
        }

        long start = System.nanoTime();
        w.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
        assertThat(w.bufferedPoints()).isZero();
        assertThat(w.pointsDropped()).isEqualTo(50);
        assertThat(counts.dropped.get()).isEqualTo(50);
        assertThat(w.pointsWritten()).isZero();
    }

    @Test
    void withoutCreateDatabaseAMissingDatabaseDropsTheBatchWithoutRetrying() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_missing");
        Counts counts = new Counts();
        try (InfluxWriter w = new InfluxWriter(quick(url, db).withCreateDatabase(false), counts)) {
            w.offer("m v=1i 1");
            w.offer("m v=2i 2");
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

            assertThat(w.pointsWritten()).isZero();
            assertThat(w.pointsDropped()).isEqualTo(2);
            assertThat(w.writeFailures()).isEqualTo(1);
        }
        assertThat(rows(url, null, "SHOW DATABASES")).doesNotContain(List.of(db));
    }

    @Test
    void aDatabaseDroppedWhileWritingIsCreatedAgain() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_recreate");
        Counts counts = new Counts();
        try (InfluxWriter w = new InfluxWriter(quick(url, db), counts)) {
            w.offer("m v=1i 1");
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();
            try (InfluxDB admin = InfluxDBFactory.connect(url)) {
                admin.query(new Query("DROP DATABASE \"" + db + "\"", null, true));
            }

            w.offer("m v=2i 2");
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

            assertThat(w.pointsWritten()).isEqualTo(2);
            assertThat(w.pointsDropped()).isZero();
            assertThat(w.writeFailures()).as("the write that found no database").isEqualTo(1);
        }
        assertThat(rows(url, db, "SELECT v FROM m"))
                .containsExactly(List.of("1970-01-01T00:00:00.002Z", 2.0));
    }

    @Test
    void offersAfterCloseAreDroppedAndCounted() throws Exception {
        Counts counts = new Counts();
        InfluxWriter w = new InfluxWriter(quick("http://127.0.0.1:" + freePort(), "x"), counts);
        w.close(Duration.ZERO);

        assertThat(w.offer("m v=1i 1")).isFalse();
        assertThat(w.pointsDropped()).isEqualTo(1);
        assertThat(counts.dropped.get()).isEqualTo(1);
    }

    @Test
    void theServersRefusalCountIsReadFromItsMessage() {
        assertThat(
                        InfluxRefusals.notTaken(
                                "partial write: field type conflict: input field \"v\" on"
                                        + " measurement \"m\" is type integer, already exists as"
                                        + " type float dropped=3",
                                10))
                .isEqualTo(3);
        assertThat(
                        InfluxRefusals.notTaken(
                                "partial write: unable to parse 'm,a=x\\ v=2i 2': invalid tag"
                                        + " format\nunable to parse 'm,b=y\\ v=4i 4': invalid tag"
                                        + " format dropped=1",
                                10))
                .as("unparsable lines are not in the server's count")
                .isEqualTo(3);
        assertThat(InfluxRefusals.notTaken("partial write: unable to parse 'x': bad", 10))
                .isEqualTo(1);
        assertThat(InfluxRefusals.notTaken("field type conflict", 10))
                .as("no partial write: nothing was stored")
                .isEqualTo(10);
        assertThat(InfluxRefusals.notTaken("partial write: dropped=99", 10)).isEqualTo(10);
        assertThat(InfluxRefusals.notTaken("partial write: something new", 10)).isEqualTo(10);
    }

    @Test
    void unparsableLinesCostOnlyThemselves() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_unparsable");
        Counts counts = new Counts();
        try (InfluxWriter w =
                new InfluxWriter(
                        quick(url, db).withFlushInterval(Duration.ofSeconds(30)), counts)) {
            w.offer("m v=1i 1");
            w.offer("m,vmId=x\\ v=2i 2");
            w.offer("m v=3i 3");
            w.offer("m v= 4");
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();

            assertThat(w.pointsWritten()).isEqualTo(2);
            assertThat(w.pointsDropped()).isEqualTo(2);
            assertThat(w.writeFailures()).isEqualTo(1);
        }
        assertThat(rows(url, db, "SELECT v FROM m"))
                .containsExactly(
                        List.of("1970-01-01T00:00:00.001Z", 1.0),
                        List.of("1970-01-01T00:00:00.003Z", 3.0));
    }
}
