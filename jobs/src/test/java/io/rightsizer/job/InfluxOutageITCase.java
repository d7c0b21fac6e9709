package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.local.LocalInfluxDb;
import io.rightsizer.local.LoopbackPorts;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.JobRest;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB down for 60 seconds in the middle of a live run with the history on changes nothing on
 * Kafka: the approval topic holds the same records, byte for byte, as a run of the same input
 * without the outage, all of them written while InfluxDB was still down (nothing waited for it),
 * the job did not restart, and the history's lost points are counted.
 */
class InfluxOutageITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(JobRest.clusterSettings())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final Duration OUTAGE = Duration.ofSeconds(60);

    @TempDir Path tmp;

    /** The running influxd: stopped and started again (same port, same data) by the outage. */
    private LocalInfluxDb influx;

    private int influxPort;

    @Test
    void aSixtySecondOutageChangesNoApprovalRecordAndItsDropsAreCounted(
            @InjectMiniCluster MiniCluster flink) throws Exception {
        InfluxServer.requireBinary();
        influxPort = LoopbackPorts.free();
        influx = LocalInfluxDb.start(influxPort, tmp.resolve("influxd"), Duration.ofSeconds(60));
        try {
            JobRest rest = new JobRest(flink);
            Map<Integer, Map<String, List<String>>> normal = run(rest, false);
            Map<Integer, Map<String, List<String>>> withOutage = run(rest, true);

            assertThat(withOutage).isEqualTo(normal);
        } finally {
            influx.close();
        }
    }

    /**
     * One live run of the scenario with the history on: the first half of the telemetry, then (with
     * {@code outage}) influxd stopped, then the second half; returns the approval topic's records
     * as partition → key → values (hex) in offset order.
     */
    private Map<Integer, Map<String, List<String>>> run(JobRest rest, boolean outage)
            throws Exception {
        Topics t = Topics.fresh(KAFKA, 2, 2);
        List<ProducerRecord<byte[], byte[]>> telemetry = telemetry();
        int half = telemetry.size() / 2;
        JobClient job =
                LiveJobs.start(
                        KAFKA,
                        LiveJobs.config(
                                KAFKA,
                                t,
                                Map.of(
                                        "checkpoint.interval", "300 ms",
                                        "influxdb.enabled", "true",
                                        "influxdb.url", influx.url(),
                                        "influxdb.database",
                                                InfluxServer.freshDatabase("outage_it"),
                                        "influxdb.flush-interval", "100 ms",
                                        "influxdb.dead-letter-interval", "1 s")),
                        Scenario.RULES,
                        outage ? "influx-outage-it" : "influx-normal-it",
                        null);
        try {
            KAFKA.produce(t.metrics(), telemetry.subList(0, half));
            // The history is flowing before the outage begins.
            assertThat(
                            rest.awaitTaskMetricSum(
                                    job.getJobID(),
                                    "rightsizer.influxdb.points_written",
                                    n -> n > 0,
                                    Duration.ofSeconds(60)))
                    .isPositive();
            long down = System.nanoTime();
            if (outage) {
                influx.close();
            }
            KAFKA.produce(t.metrics(), telemetry.subList(half, telemetry.size()));

            List<ConsumerRecord<byte[], byte[]>> approvals =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            rs -> rs.size() >= Scenario.expected().size(),
                            Duration.ofSeconds(90),
                            Duration.ofSeconds(2));
            assertThat(approvals)
                    .extracting(r -> key(RecommendationSerializer.decode(r.value())))
                    .containsExactlyInAnyOrderElementsOf(Scenario.expected());
            assertThat(rest.jobMetric(job.getJobID(), "numRestarts")).isZero();
            if (outage) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - down);
                assertThat(elapsed)
                        .as("the whole approval output came while InfluxDB was down")
                        .isLessThan(OUTAGE);
                long dropped =
                        rest.awaitTaskMetricSum(
                                job.getJobID(),
                                "rightsizer.influxdb.points_dropped",
                                n -> n > 0,
                                OUTAGE.minus(elapsed).plusSeconds(30));
                long failures =
                        rest.taskMetricSum(job.getJobID(), "rightsizer.influxdb.write_failures");
                assertThat(dropped).as("points dropped while InfluxDB was down").isPositive();
                assertThat(failures).as("failed writes while InfluxDB was down").isPositive();
                // The outage lasts its full minute, whatever the machine's speed.
                Duration left = OUTAGE.minus(Duration.ofNanos(System.nanoTime() - down));
                if (!left.isNegative()) {
                    Thread.sleep(left.toMillis());
                }
                System.out.printf(
                        "influx-outage-it: all %d approvals %d ms into the outage; after %d s"
                                + " down, %d points dropped, %d failed writes, 0 restarts%n",
                        approvals.size(),
                        elapsed.toMillis(),
                        OUTAGE.toSeconds(),
                        rest.taskMetricSum(job.getJobID(), "rightsizer.influxdb.points_dropped"),
                        rest.taskMetricSum(job.getJobID(), "rightsizer.influxdb.write_failures"));
                influx = LocalInfluxDb.start(influxPort, influx.dataDir(), Duration.ofSeconds(60));
                assertThat(rest.jobMetric(job.getJobID(), "numRestarts")).isZero();
            }
            return byPartitionAndKey(approvals);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * The scenario's malformed records and samples, in order, on two partitions that both carry
     * samples all the way (so neither goes idle and holds or skips the watermark).
     */
    static List<ProducerRecord<byte[], byte[]>> telemetry() {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : Scenario.malformed()) {
            out.add(new ProducerRecord<>("unused", 0, r.key(), r.value()));
        }
        for (Sample s : Scenario.samples()) {
            int partition = s.vmId.equals("vm-low") || s.vmId.equals("vm-peaky") ? 1 : 0;
            out.add(
                    new ProducerRecord<>(
                            "unused",
                            partition,
                            s.vmId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            SampleCodec.encode(s)));
        }
        return out;
    }

    static Map<Integer, Map<String, List<String>>> byPartitionAndKey(
            List<ConsumerRecord<byte[], byte[]>> records) {
        HexFormat hex = HexFormat.of();
        Map<Integer, Map<String, List<String>>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.computeIfAbsent(r.partition(), p -> new TreeMap<>())
                    .computeIfAbsent(hex.formatHex(r.key()), k -> new ArrayList<>())
                    .add(hex.formatHex(r.value()));
        }
        return out;
    }

    static String key(Recommendation r) {
        String subject = r.getVmId() != null ? r.getVmId() : r.getSystemId();
        return Scenario.key(r.getRuleId(), subject, r.getFiredAt().toEpochMilli());
    }
}
