package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.ingest.CollectdJson;
import io.rightsizer.ingest.Decoded;
import io.rightsizer.ingest.IntervalAssembly;
import io.rightsizer.ingest.Quantity;
import io.rightsizer.ingest.Reading;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.local.LocalCollectd;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.InfluxServer;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RuleFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's collectd, run for real with write_kafka pointed at the test broker, feeding the live
 * job: the samples assembled from what it wrote are judged by the rules, with the values collectd
 * measured on this machine.
 */
class CollectdITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final String VM = "vm-collectd-1";
    static final String SYSTEM = "sys-collectd";

    /**
     * Thresholds this machine crosses: any used memory starts a one-sample emergency run, any used
     * root file system is above 1 %.
     */
    static final String RULES =
            """
            version: "collectd-it-1"
            calendar:
              zone: Asia/Shanghai
            rules:
              scale-up.storage.usage:
                usage-above-pct: 1
              scale-up.memory.emergency:
                usage-at-least-pct: 1
                for: 0ms
            """;

    @TempDir Path tmp;

    @Test
    void samplesAssembledFromARealCollectdCarryItsValuesAndCrossTheRulesThresholds()
            throws Exception {
        InfluxServer.requireTool(LocalCollectd.binary().isPresent(), LocalCollectd.installHint());
        Topics t = LiveJobs.Topics.fresh(KAFKA, 1, 1);
        String collectd = KAFKA.freshTopic("collectd", 1);
        String inventory = KAFKA.freshTopic("vm-inventory", 1);
        KAFKA.produce(
                inventory,
                List.of(
                        new ProducerRecord<>(
                                inventory,
                                VM.getBytes(StandardCharsets.UTF_8),
                                SingleObject.encode(
                                        VmAllocation.getEncoder(),
                                        Allocations.active(VM, SYSTEM).build()))));
        Map<String, String> settings = LiveJobs.collectorSettings(inventory, "collectd", collectd);
        JobClient job =
                LiveJobs.start(
                        KAFKA,
                        LiveJobs.config(KAFKA, t, settings),
                        RuleFiles.parse(RULES),
                        "collectd-it",
                        null);
        LocalCollectd agent =
                LocalCollectd.start(
                        tmp,
                        LocalCollectd.config(
                                tmp,
                                VM,
                                Duration.ofSeconds(1),
                                KAFKA.bootstrapServers(),
                                collectd));
        List<Recommendation> recs;
        try {
            recs =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            r -> RecommendationSerializer.decode(r.value()),
                            2,
                            Duration.ofSeconds(45),
                            Duration.ofSeconds(1));
            assertThat(agent.isAlive()).as(agent.log()).isTrue();
        } finally {
            agent.close();
            job.cancel().get();
        }

        assertThat(recs)
                .extracting(
                        Recommendation::getRuleId,
                        Recommendation::getVmId,
                        Recommendation::getSystemId,
                        Recommendation::getUnitId)
                .containsExactlyInAnyOrder(
                        tuple("scale-up.memory.emergency", VM, SYSTEM, "unit-1"),
                        tuple("scale-up.storage.usage", VM, SYSTEM, "unit-1"));
        Map<Long, List<Reading>> written = whatCollectdWrote(collectd);
        for (Recommendation r : recs) {
            long e = r.getFiredAt().toEpochMilli();
            List<Reading> interval = written.get(e);
            assertThat(interval)
                    .as("collectd wrote values for the interval ending %d", e)
                    .isNotNull();
            if (r.getRuleId().equals("scale-up.memory.emergency")) {
                // used / (used + free + buffered + cached + slab): the memory plugin's bytes.
                double used = sum(interval, Quantity.MEMORY_USED_BYTES);
                double total = used + sum(interval, Quantity.MEMORY_PART_BYTES);
                assertThat(r.getEvidence().getMemoryPct())
                        .isEqualTo(100.0 * Math.round(used) / Math.round(total));
            } else {
                double used = sum(interval, Quantity.STORAGE_USED_BYTES);
                double total =
                        used
                                + sum(interval, Quantity.STORAGE_FREE_BYTES)
                                + sum(interval, Quantity.STORAGE_RESERVED_BYTES);
                assertThat(r.getEvidence().getStoragePct())
                        .isEqualTo(100.0 * Math.round(used) / Math.round(total));
            }
        }
        List<DeadLetter> dead =
                KAFKA.readCommitted(
                        t.deadLetters(),
                        d -> DeadLetterSerializer.decode(d.value()),
                        1,
                        Duration.ofSeconds(1),
                        Duration.ZERO);
        assertThat(dead).extracting(DeadLetter::getMessage).isEmpty();
    }

    private static double sum(List<Reading> rs, Quantity q) {
        return rs.stream().filter(r -> r.quantity == q).mapToDouble(r -> r.value).sum();
    }

    /**
     * The raw collectd topic, decoded and bucketed by interval end: what the job must have
     * assembled, the later of two values of one quantity and instance winning.
     */
    private static Map<Long, List<Reading>> whatCollectdWrote(String topic) {
        Map<Long, IntervalAssembly.Bucket> buckets = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> raw :
                KAFKA.readCommitted(
                        topic,
                        rs -> !rs.isEmpty(),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1))) {
            Decoded r = CollectdJson.decode(raw.value());
            assertThat(r.message).as(new String(raw.value(), StandardCharsets.UTF_8)).isNull();
            for (Reading reading : r.readings) {
                assertThat(reading.vmId).isEqualTo(VM);
                buckets.computeIfAbsent(
                                IntervalAssembly.intervalEnd(
                                        reading.timestamp, reading.intervalMillis),
                                e -> new IntervalAssembly.Bucket())
                        .add(reading);
            }
        }
        Map<Long, List<Reading>> out = new TreeMap<>();
        buckets.forEach((e, b) -> out.put(e, new ArrayList<>(b.readings())));
        return out;
    }
}
