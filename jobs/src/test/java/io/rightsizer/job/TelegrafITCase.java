package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RuleFiles;
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
 * Telegraf's Kafka output feeding the live job, in both of its formats and both of its forms (one
 * metric per record, and a batch): records as Telegraf writes them for two VMs of the inventory,
 * one fed in line protocol and one in JSON, become samples whose values cross the rules'
 * thresholds; a record in either format that cannot be read is a dead letter with its coordinates.
 * Telegraf is not packaged here (docs/providers/telegraf.md), so the records are written in its
 * documented formats.
 */
class TelegrafITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final String LINE_VM = "vm-telegraf-line";
    static final String JSON_VM = "vm-telegraf-json";
    static final String SYSTEM = "sys-telegraf";

    static final long GIB = 1L << 30;

    /** Thresholds the values below cross: any used memory, storage above 1 %. */
    static final String RULES =
            """
            version: "telegraf-it-1"
            calendar:
              zone: Asia/Shanghai
            rules:
              scale-up.storage.usage:
                usage-above-pct: 1
              scale-up.memory.emergency:
                usage-at-least-pct: 1
                for: 0ms
            """;

    /** Line protocol: 3 GiB of 8 used; / 20 of 100 GiB and /data 30 of 100: 37.5 % and 25 %. */
    static final long LINE_MEM_USED = 3 * GIB;

    static final long LINE_MEM_TOTAL = 8 * GIB;
    static final double LINE_STORAGE_PCT = 100.0 * (50 * GIB) / (200 * GIB);

    /** JSON: 6 GiB of 10 used; / 40 of 80 GiB: 60 % and 50 %. */
    static final long JSON_MEM_USED = 6 * GIB;

    static final long JSON_MEM_TOTAL = 10 * GIB;
    static final double JSON_STORAGE_PCT = 100.0 * (40 * GIB) / (80 * GIB);

    static final String BAD_LINE = "mem,host=" + LINE_VM + ",region used=1i";
    static final String BAD_JSON = "{\"fields\":{\"used\":1},\"name\":\"mem\",\"tags\":[]}";

    static String mem(String vm, long used, long total, long nanos) {
        return "mem,host="
                + vm
                + " active=1i,available="
                + (total - used)
                + "i,total="
                + total
                + "i,used="
                + used
                + "i,used_percent="
                + 100.0 * used / total
                + " "
                + nanos;
    }

    static String disk(String vm, String path, long used, long total, long nanos) {
        return "disk,device=sda1,fstype=ext4,host="
                + vm
                + ",mode=rw,path="
                + path
                + " free="
                + (total - used)
                + "i,inodes_free=1i,total="
                + total
                + "i,used="
                + used
                + "i,used_percent="
                + 100.0 * used / total
                + " "
                + nanos;
    }

    static String cpu(String vm, long nanos) {
        return "cpu,cpu=cpu-total,host=" + vm + " usage_idle=90,usage_user=10 " + nanos;
    }

    static String jsonMem(String vm, long used, long total, long seconds) {
        return "{\"fields\":{\"available\":"
                + (total - used)
                + ",\"total\":"
                + total
                + ",\"used\":"
                + used
                + ",\"used_percent\":"
                + 100.0 * used / total
                + "},\"name\":\"mem\",\"tags\":{\"host\":\""
                + vm
                + "\"},\"timestamp\":"
                + seconds
                + "}";
    }

    static String jsonDisk(String vm, String path, long used, long total, long seconds) {
        return "{\"fields\":{\"free\":"
                + (total - used)
                + ",\"total\":"
                + total
                + ",\"used\":"
                + used
                + "},\"name\":\"disk\",\"tags\":{\"device\":\"sda1\",\"fstype\":\"ext4\","
                + "\"host\":\""
                + vm
                + "\",\"mode\":\"rw\",\"path\":\""
                + path
                + "\"},\"timestamp\":"
                + seconds
                + "}";
    }

    static String jsonCpu(String vm, long seconds) {
        return "{\"fields\":{\"usage_idle\":90,\"usage_user\":10},\"name\":\"cpu\","
                + "\"tags\":{\"cpu\":\"cpu-total\",\"host\":\""
                + vm
                + "\"},\"timestamp\":"
                + seconds
                + "}";
    }

    /**
     * One collection at {@code t} (an interval boundary) of both VMs: the line-protocol VM's mem in
     * a record of its own and its disks and CPU in one batch record; the JSON VM's mem in a record
     * of its own and its disk and CPU in the batch form, {@code {"metrics":[...]}}.
     */
    static List<String> collection(long t) {
        long ns = t * 1_000_000;
        long s = t / 1000;
        return List.of(
                mem(LINE_VM, LINE_MEM_USED, LINE_MEM_TOTAL, ns),
                disk(LINE_VM, "/", 20 * GIB, 100 * GIB, ns)
                        + "\n"
                        + disk(LINE_VM, "/data", 30 * GIB, 100 * GIB, ns)
                        + "\n"
                        + cpu(LINE_VM, ns)
                        + "\n",
                jsonMem(JSON_VM, JSON_MEM_USED, JSON_MEM_TOTAL, s),
                "{\"metrics\":["
                        + jsonDisk(JSON_VM, "/", 40 * GIB, 80 * GIB, s)
                        + ","
                        + jsonCpu(JSON_VM, s)
                        + "]}");
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String vm, String value) {
        return new ProducerRecord<>(
                topic, vm.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    static ProducerRecord<byte[], byte[]> allocation(String topic, String vm) {
        return new ProducerRecord<>(
                topic,
                vm.getBytes(StandardCharsets.UTF_8),
                SingleObject.encode(
                        VmAllocation.getEncoder(), Allocations.active(vm, SYSTEM).build()));
    }

    @Test
    void telegrafRecordsInBothFormatsBecomeSamplesThatCrossTheRulesThresholds() throws Exception {
        Topics t = LiveJobs.Topics.fresh(KAFKA, 1, 1);
        String telegraf = KAFKA.freshTopic("telegraf", 1);
        String inventory = KAFKA.freshTopic("vm-inventory", 1);
        KAFKA.produce(
                inventory, List.of(allocation(inventory, LINE_VM), allocation(inventory, JSON_VM)));
        // Two collections an interval (10 s, the default) apart, a few minutes back: the second
        // moves the collectors' watermark past the first interval's end plus inventory-wait, so
        // the first interval's samples are assembled and judged.
        long interval = TelegrafOptions.INTERVAL.defaultValue().toMillis();
        long first = (System.currentTimeMillis() / interval - 30) * interval;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(record(telegraf, LINE_VM, BAD_LINE));
        records.add(record(telegraf, JSON_VM, BAD_JSON));
        for (long at : List.of(first, first + interval)) {
            List<String> c = collection(at);
            records.add(record(telegraf, LINE_VM, c.get(0)));
            records.add(record(telegraf, LINE_VM, c.get(1)));
            records.add(record(telegraf, JSON_VM, c.get(2)));
            records.add(record(telegraf, JSON_VM, c.get(3)));
        }
        KAFKA.produce(telegraf, records);
        Map<String, String> settings = LiveJobs.collectorSettings(inventory, "telegraf", telegraf);
        JobClient job =
                LiveJobs.start(
                        KAFKA,
                        LiveJobs.config(KAFKA, t, settings),
                        RuleFiles.parse(RULES),
                        "telegraf-it",
                        null);
        List<Recommendation> recs;
        List<DeadLetter> dead;
        try {
            recs =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            r -> RecommendationSerializer.decode(r.value()),
                            4,
                            Duration.ofSeconds(40),
                            Duration.ofSeconds(2));
            dead =
                    KAFKA.readCommitted(
                            t.deadLetters(),
                            d -> DeadLetterSerializer.decode(d.value()),
                            2,
                            Duration.ofSeconds(10),
                            Duration.ZERO);
        } finally {
            job.cancel().get();
        }

        Instant firedAt = Instant.ofEpochMilli(first);
        assertThat(recs)
                .extracting(
                        Recommendation::getRuleId,
                        Recommendation::getVmId,
                        Recommendation::getSystemId,
                        Recommendation::getUnitId,
                        Recommendation::getFiredAt,
                        r -> r.getEvidence().getMemoryPct(),
                        r -> r.getEvidence().getStoragePct())
                .containsExactlyInAnyOrder(
                        tuple(
                                "scale-up.memory.emergency",
                                LINE_VM,
                                SYSTEM,
                                "unit-1",
                                firedAt,
                                100.0 * LINE_MEM_USED / LINE_MEM_TOTAL,
                                null),
                        tuple(
                                "scale-up.storage.usage",
                                LINE_VM,
                                SYSTEM,
                                "unit-1",
                                firedAt,
                                null,
                                LINE_STORAGE_PCT),
                        tuple(
                                "scale-up.memory.emergency",
                                JSON_VM,
                                SYSTEM,
                                "unit-1",
                                firedAt,
                                100.0 * JSON_MEM_USED / JSON_MEM_TOTAL,
                                null),
                        tuple(
                                "scale-up.storage.usage",
                                JSON_VM,
                                SYSTEM,
                                "unit-1",
                                firedAt,
                                null,
                                JSON_STORAGE_PCT));
        String lineProblem =
                "InfluxDB line protocol: line 1: expected '=' after tag key 'region' at column 33";
        String jsonProblem = "Telegraf JSON: metric 1: tags is an array";
        assertThat(dead)
                .extracting(
                        DeadLetter::getReason,
                        DeadLetter::getMessage,
                        DeadLetter::getSourceTopic,
                        DeadLetter::getSourcePartition,
                        DeadLetter::getSourceOffset)
                .containsExactlyInAnyOrder(
                        tuple(DeadLetterReason.UNDECODABLE, lineProblem, telegraf, 0, 0L),
                        tuple(DeadLetterReason.UNDECODABLE, jsonProblem, telegraf, 0, 1L));
    }
}
