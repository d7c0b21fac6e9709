package io.rightsizer.job;

import io.rightsizer.job.operators.IngestRouter;
import io.rightsizer.job.operators.InventoryRouter;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The topology's first stage: what the VM rules judge, keyed by vmId, from the telemetry (uids
 * {@code telemetry-source}, {@code route-samples}, {@code samples-as-vm-input}), the inventory
 * ({@code inventory-source}, {@code route-inventory}) and the collectors ({@link CollectorStage});
 * and what it turns aside to the dead letters.
 */
final class IngestStage {
    private IngestStage() {}

    /**
     * @param byVm the samples, allocations and assembled samples, keyed by vmId
     * @param inventory the inventory's records after route-inventory, when the run reads one
     * @param deadLetters the records the routers rejected or failed on
     */
    record Result(
            KeyedStream<VmInput, String> byVm,
            Optional<SingleOutputStreamOperator<VmInput>> inventory,
            List<DataStream<Rejected>> deadLetters) {}

    static Result apply(
            StreamExecutionEnvironment env,
            RightsizerPipeline.Inputs inputs,
            RightsizerPipeline.Settings settings) {
        if (inputs.inventory() != null) {
            Objects.requireNonNull(
                    settings.timeLimits(),
                    "an inventory needs the time limits and working calendar"
                            + " (Settings.timeLimits)");
        }
        SingleOutputStreamOperator<Ingested> telemetry =
                atSourceParallelism(
                        env.fromSource(inputs.telemetry(), inputs.watermarks(), "telemetry")
                                .uid("telemetry-source"),
                        settings);
        SingleOutputStreamOperator<Sample> samples =
                atSourceParallelism(
                        telemetry
                                .process(new IngestRouter(settings.sourceName()))
                                .name("route-samples")
                                .uid("route-samples"),
                        settings);
        List<DataStream<Rejected>> deadLetters = new ArrayList<>();
        deadLetters.add(samples.getSideOutput(Tags.REJECTED));
        deadLetters.add(samples.getSideOutput(Tags.FAILED));

        DataStream<VmInput> vmInputs =
                atSourceParallelism(
                        samples.map(new PipelineFunctions.AsVmInput())
                                .name("samples-as-vm-input")
                                .uid("samples-as-vm-input"),
                        settings);
        Optional<SingleOutputStreamOperator<VmInput>> inventory =
                Optional.ofNullable(inputs.inventory()).map(source -> inventory(env, source));
        if (inventory.isPresent()) {
            vmInputs = vmInputs.union(inventory.get());
            deadLetters.add(inventory.get().getSideOutput(Tags.REJECTED));
            deadLetters.add(inventory.get().getSideOutput(Tags.FAILED));
        }
        if (!inputs.collectors().isEmpty()) {
            CollectorStage.Result collected =
                    CollectorStage.apply(
                            env,
                            inputs.collectors(),
                            inputs.inventoryWait(),
                            inventory.orElse(null));
            vmInputs = vmInputs.union(collected.samples());
            deadLetters.add(collected.rejected());
        }

        boolean partitionedByVm =
                inputs.telemetry() instanceof PartitionedSampleFileSource
                        && inventory.isEmpty()
                        && inputs.collectors().isEmpty();
        KeyedStream<VmInput, String> byVm =
                partitionedByVm
                        // Each reader already holds exactly its subtask's VMs.
                        ? DataStreamUtils.reinterpretAsKeyedStream(
                                vmInputs, new RightsizerPipeline.ByVm(), Types.STRING)
                        : RightsizerPipeline.byKey(
                                vmInputs, new RightsizerPipeline.ByVm(), settings);
        return new Result(byVm, inventory, deadLetters);
    }

    private static SingleOutputStreamOperator<VmInput> inventory(
            StreamExecutionEnvironment env, Source<VmInput, ?, ?> source) {
        return env.fromSource(source, new IdleWatermarks<>(), "inventory")
                .uid("inventory-source")
                .process(new InventoryRouter())
                .name("route-inventory")
                .uid("route-inventory");
    }

    /** The telemetry's operators run at the source's parallelism when the settings set one. */
    private static <T> SingleOutputStreamOperator<T> atSourceParallelism(
            SingleOutputStreamOperator<T> op, RightsizerPipeline.Settings settings) {
        return settings.sourceParallelism() > 0
                ? op.setParallelism(settings.sourceParallelism())
                : op;
    }
}
