package io.rightsizer.job;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Percent;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Samples;
import io.rightsizer.testing.Scenario;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live job writes the utilization history to a real InfluxDB, read back with InfluxQL: the
 * weekly average written is the one the recommendation carries, hours hold the rules' own
 * percentages, every recommendation is an event, dead letters are counted by reason.
 */
class HistoryITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    @Test
    void theLiveJobWritesTheHistoryTheRulesSaw() throws Exception {
        String url = InfluxServer.url();
        String db = InfluxServer.freshDatabase("history_it");
        Topics t = Topics.fresh(KAFKA, 4, 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Sample s : Scenario.samples()) {
            records.add(raw(s.vmId, SampleCodec.encode(s)));
        }
        records.add(raw("vm-x", new byte[] {1, 2, 3}));
        records.add(raw(null, "{not json".getBytes(StandardCharsets.UTF_8)));
        KAFKA.produce(t.metrics(), records);

        JobConfig cfg =
                LiveJobs.config(
                        KAFKA,
                        t,
                        Map.of(
                                "checkpoint.interval", "300 ms",
                                "source.idle-timeout", "5 s",
                                "influxdb.enabled", "true",
                                "influxdb.url", url,
                                "influxdb.database", db,
                                "influxdb.flush-interval", "100 ms",
                                "influxdb.dead-letter-interval", "1 s"));
        JobClient job = LiveJobs.start(KAFKA, cfg, Scenario.RULES, "history-it", null);
        try {
            List<Recommendation> recs =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            r -> RecommendationSerializer.decode(r.value()),
                            Scenario.expected().size(),
                            Duration.ofSeconds(120),
                            Duration.ofSeconds(2));
            awaitRows(
                    url,
                    db,
                    "SELECT count(id) FROM recommendations",
                    List.of(List.of("1970-01-01T00:00:00Z", (double) recs.size())));

            // vm-busy's five closed weeks, each at its start with the average that fired.
            List<List<Object>> expectedWeeks = new ArrayList<>();
            recs.stream()
                    .filter(r -> r.getRuleId().equals("scale-up.memory.weekly-average"))
                    .sorted(java.util.Comparator.comparing(Recommendation::getFiredAt))
                    .forEach(
                            r ->
                                    expectedWeeks.add(
                                            List.of(
                                                    r.getEvidence().getWeekStart().toString(),
                                                    r.getEvidence().getWeeklyAveragePct(),
                                                    (double) r.getEvidence().getCoveredHours(),
                                                    true)));
            assertThat(expectedWeeks).hasSize(5);
            awaitRows(
                    url,
                    db,
                    "SELECT average, covered_hours, judged FROM vm_weekly WHERE vmId = 'vm-busy'"
                            + " ORDER BY time",
                    expectedWeeks);

            // vm-low's first week: 168 hours of two samples at the same percentage each.
            Sample low = Samples.running("vm-low", "sys-a", Scenario.S, 20);
            double pct = Percent.of(low.memoryUsedBytes, low.memoryTotalBytes);
            String week1 =
                    " WHERE vmId = 'vm-low' AND time >= "
                            + Scenario.S
                            + "ms AND time < "
                            + (Scenario.S + 7 * DAY)
                            + "ms";
            assertThat(
                            InfluxServer.rows(
                                    url,
                                    db,
                                    "SELECT count(samples), sum(samples), min(memory_mean),"
                                            + " max(memory_max), max(peak_starts)"
                                            + " FROM vm_hourly"
                                            + week1))
                    .containsExactly(
                            List.of(
                                    Instant.ofEpochMilli(Scenario.S).toString(),
                                    168.0,
                                    336.0,
                                    pct,
                                    pct,
                                    0.0));
            assertThat(
                            InfluxServer.rows(
                                    url,
                                    db,
                                    "SELECT unitId, systemId, memory_total_bytes FROM vm_hourly"
                                            + week1
                                            + " LIMIT 1"))
                    .containsExactly(
                            List.of(
                                    Instant.ofEpochMilli(Scenario.S).toString(),
                                    "unit-1",
                                    "sys-a",
                                    (double) low.memoryTotalBytes));
            awaitRows(
                    url,
                    db,
                    "SELECT sum(count) FROM dead_letters WHERE reason = 'UNDECODABLE'",
                    List.of(List.of("1970-01-01T00:00:00Z", 2.0)));
        } finally {
            job.cancel().get();
        }
    }

    /** The points arrive asynchronously: wait until the query returns exactly {@code rows}. */
    private static void awaitRows(String url, String db, String q, List<List<Object>> rows)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<List<Object>> last = List.of();
        while (System.nanoTime() < deadline) {
            last = InfluxServer.rows(url, db, q);
            if (last.equals(rows)) {
                return;
            }
            Thread.sleep(300);
        }
        assertThat(last).as(q).isEqualTo(rows);
    }
}
