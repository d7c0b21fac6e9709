package io.rightsizer.job;

import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Reading;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.job.codec.CollectdDeserializer;
import io.rightsizer.job.codec.TelegrafDeserializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.job.operators.AssembleCollected;
import io.rightsizer.job.operators.CollectorRouter;
import io.rightsizer.job.operators.IngestRouter;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The collectors' part of the topology (rules/README.md, "Samples assembled from collectors"):
 *
 * <pre>
 * collectd ─► route-collectd ─┐
 * telegraf ─► route-telegraf ─┴► keyBy(vmId) assemble-collected ◄─ inventory (allocations)
 *                  │ rejected          └─► route-collected ─► collected-as-vm-input ─► vm-rules
 *                  ▼                            └─ late, invalid, unknown VM ─► dead letters
 *               dead letters
 * </pre>
 *
 * Assembled samples are counted (samples_in) and validated like native ones and join them where the
 * inventory does, so the native telemetry's operator chain stays as it is.
 */
public final class CollectorStage {
    private CollectorStage() {}

    /**
     * A collector's input: its name (the operator uids {@code <name>-source} and {@code
     * route-<name>}), its source and its watermarks ({@link CollectedWatermarks}).
     */
    public record Input(
            String name, Source<Collected, ?, ?> source, WatermarkStrategy<Collected> watermarks)
            implements Serializable {}

    /** The assembled samples, as vm-rules' input, and every dead letter of the collectors. */
    public record Result(DataStream<VmInput> samples, DataStream<Rejected> rejected) {}

    /** The collectors the configuration enables, as inputs of the live job. */
    static List<Input> enabled(JobConfig cfg, String bootstrap) {
        List<Input> inputs = new ArrayList<>();
        if (cfg.get(CollectdOptions.ENABLED)) {
            inputs.add(
                    kafka(
                            cfg,
                            bootstrap,
                            "collectd",
                            cfg.get(CollectdOptions.TOPIC),
                            new CollectdDeserializer(
                                    cfg.get(RightsizerOptions.MAX_AHEAD).toMillis())));
        }
        if (cfg.get(TelegrafOptions.ENABLED)) {
            inputs.add(
                    kafka(
                            cfg,
                            bootstrap,
                            "telegraf",
                            cfg.get(TelegrafOptions.TOPIC),
                            new TelegrafDeserializer(
                                    telegrafSettings(cfg),
                                    cfg.get(RightsizerOptions.MAX_AHEAD).toMillis())));
        }
        return inputs;
    }

    /** What Telegraf's decoders are told (ingest.telegraf.*), checked at start by problems(). */
    public static TelegrafOptions.Settings telegrafSettings(JobConfig cfg) {
        return new TelegrafOptions.Settings(
                cfg.get(TelegrafOptions.FORMAT),
                cfg.get(TelegrafOptions.VM_TAG),
                cfg.get(TelegrafOptions.INTERVAL),
                cfg.get(TelegrafOptions.JSON_TIMESTAMP_UNITS));
    }

    /**
     * Why a bounded run (a backfill) cannot have the collectors the configuration enables, or null
     * when it enables none: their samples take systemId and unitId from the inventory, which a
     * bounded run does not read.
     */
    public static String boundedRunRefusal(JobConfig cfg) {
        List<String> refused = new ArrayList<>();
        if (cfg.get(CollectdOptions.ENABLED)) {
            refused.add(needsInventory(CollectdOptions.ENABLED.key(), "collectd"));
        }
        if (cfg.get(TelegrafOptions.ENABLED)) {
            refused.add(needsInventory(TelegrafOptions.ENABLED.key(), "Telegraf"));
        }
        return refused.isEmpty() ? null : String.join("; ", refused);
    }

    private static String needsInventory(String enabledKey, String collector) {
        return enabledKey
                + " needs the inventory (kafka.topics.inventory): a sample assembled from "
                + collector
                + " takes its systemId and unitId from the VM's allocation, and a bounded run"
                + " (--bounded) reads no inventory; set "
                + enabledKey
                + ": false for it";
    }

    /**
     * A collector's topic, read like the telemetry (kafka.starting-offsets) in a consumer group of
     * its own ({@code kafka.group-id}-{@code name}).
     */
    private static Input kafka(
            JobConfig cfg,
            String bootstrap,
            String name,
            String topic,
            KafkaRecordDeserializationSchema<Collected> deserializer) {
        return new Input(
                name,
                KafkaSource.<Collected>builder()
                        .setProperties(cfg.kafkaProperties())
                        .setBootstrapServers(bootstrap)
                        .setTopics(topic)
                        .setGroupId(cfg.get(RightsizerOptions.GROUP_ID) + "-" + name)
                        .setStartingOffsets(RightsizerJob.startingOffsets(cfg))
                        .setProperty("isolation.level", "read_committed")
                        .setDeserializer(deserializer)
                        .build(),
                CollectedWatermarks.forKafka(
                        name,
                        cfg.get(RightsizerOptions.OUT_OF_ORDERNESS),
                        cfg.get(RightsizerOptions.INVENTORY_WAIT),
                        cfg.get(RightsizerOptions.IDLE_TIMEOUT),
                        cfg.get(RightsizerOptions.MAX_DRIFT)));
    }

    static Result apply(
            StreamExecutionEnvironment env,
            List<Input> collectors,
            Duration inventoryWait,
            DataStream<VmInput> allocations) {
        if (allocations == null) {
            throw new IllegalArgumentException(
                    "the collectors ("
                            + collectors.stream().map(Input::name).toList()
                            + ") need the inventory (kafka.topics.inventory): their samples"
                            + " take systemId and unitId from the VMs' allocations, and this"
                            + " run reads none");
        }
        DataStream<Reading> readings = null;
        DataStream<Rejected> rejected = null;
        for (Input c : collectors) {
            SingleOutputStreamOperator<Reading> routed =
                    env.fromSource(c.source(), c.watermarks(), c.name())
                            .uid(c.name() + "-source")
                            .process(new CollectorRouter(c.name()))
                            .name("route-" + c.name())
                            .uid("route-" + c.name());
            readings = readings == null ? routed : readings.union(routed);
            DataStream<Rejected> letters =
                    routed.getSideOutput(Tags.REJECTED).union(routed.getSideOutput(Tags.FAILED));
            rejected = rejected == null ? letters : rejected.union(letters);
        }
        SingleOutputStreamOperator<Sample> collected =
                readings.keyBy(new ReadingByVm(), Types.STRING)
                        .connect(allocations.keyBy(new RightsizerPipeline.ByVm(), Types.STRING))
                        .process(new AssembleCollected(inventoryWait))
                        .name("assemble-collected")
                        .uid("assemble-collected")
                        .process(new IngestRouter("collectors", "route-collected"))
                        .name("route-collected")
                        .uid("route-collected");
        return new Result(
                collected
                        .map(new PipelineFunctions.AsVmInput())
                        .name("collected-as-vm-input")
                        .uid("collected-as-vm-input"),
                rejected.union(
                        collected.getSideOutput(Tags.REJECTED),
                        collected.getSideOutput(Tags.FAILED)));
    }

    public static final class ReadingByVm implements KeySelector<Reading, String> {
        @Override
        public String getKey(Reading r) {
            return r.vmId;
        }
    }
}
