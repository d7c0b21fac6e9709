package io.rightsizer.job;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Reading;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The collectors' part of the topology (rules/README.md, "Samples assembled from collectors"):
 *
 * <pre>
 * collectd ─► route-collectd ─► keyBy(vmId) assemble-collected ◄─ inventory (allocations)
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

    /** Why a bounded run (a backfill) cannot read collectd. */
    public static final String COLLECTD_NEEDS_INVENTORY =
            "ingest.collectd.enabled needs the inventory (kafka.topics.inventory): a sample"
                    + " assembled from collectd takes its systemId and unitId from the VM's"
                    + " allocation, and a bounded run (--bounded) reads no inventory; set"
                    + " ingest.collectd.enabled: false for it";

    /**
     * collectd's input for the live job: its topic read like the telemetry (kafka.starting-offsets)
     * in a consumer group of its own ({@code kafka.group-id}-collectd).
     */
    static Input collectd(JobConfig cfg, String bootstrap) {
        return new Input(
                "collectd",
                KafkaSource.<Collected>builder()
                        .setProperties(cfg.kafkaProperties())
                        .setBootstrapServers(bootstrap)
                        .setTopics(cfg.get(RightsizerOptions.COLLECTD_TOPIC))
                        .setGroupId(cfg.get(RightsizerOptions.GROUP_ID) + "-collectd")
                        .setStartingOffsets(RightsizerJob.startingOffsets(cfg))
                        .setProperty("isolation.level", "read_committed")
                        .setDeserializer(
                                new CollectdDeserializer(
                                        cfg.get(RightsizerOptions.MAX_AHEAD).toMillis()))
                        .build(),
                CollectedWatermarks.forKafka(
                        "collectd",
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
            rejected =
                    rejected == null
                            ? routed.getSideOutput(Tags.REJECTED)
                            : rejected.union(routed.getSideOutput(Tags.REJECTED));
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
                        .map(new RightsizerPipeline.AsVmInput())
                        .name("collected-as-vm-input")
                        .uid("collected-as-vm-input"),
                rejected.union(collected.getSideOutput(Tags.REJECTED)));
    }

    static final class ReadingByVm implements KeySelector<Reading, String> {
        @Override
        public String getKey(Reading r) {
            return r.vmId;
        }
    }
}
