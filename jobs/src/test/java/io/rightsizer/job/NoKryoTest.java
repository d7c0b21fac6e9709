package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.DecisionDeserializer;
import io.rightsizer.job.codec.InventoryDeserializer;
import io.rightsizer.job.codec.KafkaSampleDeserializer;
import io.rightsizer.job.codec.RuleUpdateDeserializer;
import io.rightsizer.job.codec.SampleFileFormat;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.state.SystemStateSerializer;
import io.rightsizer.job.state.VmInventorySerializer;
import io.rightsizer.job.state.VmStateSerializer;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RoutedId;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.model.VmInputSerializer;
import io.rightsizer.model.VmInputTypeInfo;
import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.SystemState;
import io.rightsizer.rules.TimeLimitPeriod;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.calendar.WorkingCalendar;
import io.rightsizer.rules.lifecycle.LifecycleFixtures;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.SerializerFactory;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.GenericArraySerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record and state type is serialized by Flink's own serializers: no Kryo fallback anywhere
 * in either topology (the job sets pipeline.generic-types=false, so one would fail the job).
 */
class NoKryoTest {
    static final RuleSet RULES = RuleSet.defaults("no-kryo");

    @TempDir Path tmp;

    static JobConfig config() throws Exception {
        return JobConfig.of(Map.of("kafka.bootstrap-servers", "127.0.0.1:1"));
    }

    static StreamExecutionEnvironment environment(JobConfig cfg) {
        Configuration conf = RightsizerJob.flinkConfiguration(cfg);
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        RightsizerJob.configure(env, cfg);
        return env;
    }

    /** Every serializer reachable from {@code s}: POJO fields, array components. */
    static List<String> kryoIn(TypeSerializer<?> s, String path) throws Exception {
        List<String> found = new ArrayList<>();
        collectKryo(s, path, found, new IdentityHashMap<>());
        return found;
    }

    private static void collectKryo(
            TypeSerializer<?> s,
            String path,
            List<String> found,
            IdentityHashMap<Object, Boolean> seen)
            throws Exception {
        if (s == null || seen.put(s, true) != null) {
            return;
        }
        if (s instanceof KryoSerializer) {
            found.add(path + ": " + s);
            return;
        }
        if (s instanceof PojoSerializer<?> pojo) {
            Field fields = PojoSerializer.class.getDeclaredField("fields");
            Field serializers = PojoSerializer.class.getDeclaredField("fieldSerializers");
            fields.setAccessible(true);
            serializers.setAccessible(true);
            Field[] pojoFields = (Field[]) fields.get(pojo);
            TypeSerializer<?>[] fieldSerializers = (TypeSerializer<?>[]) serializers.get(pojo);
            for (int i = 0; i < fieldSerializers.length; i++) {
                collectKryo(fieldSerializers[i], path + "." + pojoFields[i].getName(), found, seen);
            }
        } else if (s instanceof GenericArraySerializer<?> array) {
            collectKryo(array.getComponentSerializer(), path + "[]", found, seen);
        } else if (s instanceof VmInputSerializer input) {
            for (TypeSerializer<?> nested : input.nestedSerializers()) {
                collectKryo(nested, path + "." + nested.getClass().getSimpleName(), found, seen);
            }
        }
    }

    /** Every GenericTypeInfo reachable from {@code t}: POJO fields, array components. */
    static List<String> genericIn(TypeInformation<?> t, String path) {
        List<String> found = new ArrayList<>();
        if (t instanceof GenericTypeInfo) {
            found.add(path + ": " + t);
        } else if (t instanceof PojoTypeInfo<?> pojo) {
            for (int i = 0; i < pojo.getArity(); i++) {
                found.addAll(
                        genericIn(
                                pojo.getPojoFieldAt(i).getTypeInformation(),
                                path + "." + pojo.getPojoFieldAt(i).getField().getName()));
            }
        } else if (t instanceof ObjectArrayTypeInfo<?, ?> array) {
            found.addAll(genericIn(array.getComponentInfo(), path + "[]"));
        } else if (t instanceof VmInputTypeInfo) {
            found.addAll(genericIn(TypeInformation.of(VmAllocation.class), path + ".allocation"));
            found.addAll(genericIn(TypeInformation.of(Rejected.class), path + ".rejected"));
        }
        return found;
    }

    static List<String> kryoInGraph(StreamGraph graph) throws Exception {
        List<String> found = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            String name = node.getOperatorName();
            TypeSerializer<?>[] in = node.getTypeSerializersIn();
            for (int i = 0; i < in.length; i++) {
                found.addAll(kryoIn(in[i], name + " in#" + i));
            }
            found.addAll(kryoIn(node.getTypeSerializerOut(), name + " out"));
            found.addAll(kryoIn(node.getStateKeySerializer(), name + " key"));
        }
        return found;
    }

    static List<String> operatorNames(StreamGraph graph) {
        return graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
    }

    // ---------------------------------------------------------------- topologies

    @Test
    void liveTopologyUsesNoKryo() throws Exception {
        JobConfig cfg = config();
        StreamExecutionEnvironment env = environment(cfg);
        PipelineChainingTest.defineLive(env, cfg, RULES);

        StreamGraph graph = env.getStreamGraph();

        assertThat(operatorNames(graph)).contains("route-samples", "vm-rules", "system-rules");
        StreamNode vmRules = node(graph, "vm-rules");
        // Samples, and the broadcast rule updates.
        assertThat(vmRules.getTypeSerializersIn()).hasSize(2);
        assertThat(vmRules.getTypeSerializersIn()[0]).isInstanceOf(VmInputSerializer.class);
        assertThat(vmRules.getTypeSerializersIn()[1]).isInstanceOf(PojoSerializer.class);
        assertThat(vmRules.getStateKeySerializer()).isInstanceOf(StringSerializer.class);
        assertThat(node(graph, "system-rules").getTypeSerializersIn()[0])
                .isInstanceOf(PojoSerializer.class);
        assertThat(kryoInGraph(graph)).isEmpty();
    }

    static StreamNode node(StreamGraph graph, String name) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void replayTopologyUsesNoKryo() throws Exception {
        StreamExecutionEnvironment env = environment(config());
        PipelineChainingTest.defineReplay(env, tmp, RULES);

        StreamGraph graph = env.getStreamGraph();

        assertThat(operatorNames(graph)).contains("route-samples", "vm-rules", "system-rules");
        assertThat(kryoInGraph(graph)).isEmpty();
    }

    /** A POJO with a field only Kryo can serialize, to show that the checks would see it. */
    public static class WithGenericField {
        public Object any;

        public WithGenericField() {}
    }

    @Test
    void checksFindKryoNestedInAPojo() throws Exception {
        TypeInformation<WithGenericField> info = TypeInformation.of(WithGenericField.class);

        assertThat(genericIn(info, "holder"))
                .containsExactly("holder.any: GenericType<java.lang.Object>");
        List<String> kryo = kryoIn(info.createSerializer(new SerializerConfigImpl()), "holder");
        assertThat(kryo).hasSize(1);
        assertThat(kryo.get(0)).startsWith("holder.any: ");
    }

    // ---------------------------------------------------------------- types

    @ParameterizedTest
    @ValueSource(
            classes = {
                VmState.class,
                SystemState.class,
                Sample.class,
                Ingested.class,
                Rejected.class,
                BusinessReport.class,
                RuleUpdate.class,
                VmInventory.class,
                TimeLimitPeriod.class,
                LifecycleEntry.class,
                LifecycleInput.class,
                DecisionInput.class,
                io.rightsizer.rules.HourSummary.class,
                io.rightsizer.rules.WeekSummary.class,
                RoutedId.class,
                io.rightsizer.ingest.Collected.class,
                io.rightsizer.ingest.Reading.class,
                io.rightsizer.ingest.IntervalAssembly.Bucket.class,
                io.rightsizer.ingest.IntervalAssembly.Allocation.class
            })
    void recordAndStateTypesArePojosWithoutKryo(Class<?> type) throws Exception {
        TypeInformation<?> info = TypeInformation.of(type);

        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericIn(info, type.getSimpleName())).isEmpty();

        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);
        TypeSerializer<?> serializer = info.createSerializer(strict);
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
        assertThat(kryoIn(serializer, type.getSimpleName())).isEmpty();
    }

    @Test
    void pendingArraysAreArraysOfPojos() {
        PojoTypeInfo<VmState> vm = (PojoTypeInfo<VmState>) TypeInformation.of(VmState.class);
        PojoTypeInfo<SystemState> system =
                (PojoTypeInfo<SystemState>) TypeInformation.of(SystemState.class);

        TypeInformation<?> vmPending = vm.getTypeAt(vm.getFieldIndex("pending"));
        TypeInformation<?> systemPending = system.getTypeAt(system.getFieldIndex("pending"));

        assertThat(vmPending).isInstanceOf(ObjectArrayTypeInfo.class);
        assertThat(((ObjectArrayTypeInfo<?, ?>) vmPending).getComponentInfo())
                .isInstanceOf(PojoTypeInfo.class);
        assertThat(systemPending).isInstanceOf(ObjectArrayTypeInfo.class);
        assertThat(((ObjectArrayTypeInfo<?, ?>) systemPending).getComponentInfo())
                .isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void stateDescriptorsAndSideOutputsUsePojoTypes() throws Exception {
        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);
        ValueStateDescriptor<VmState> vm = Tags.vmState();
        ValueStateDescriptor<SystemState> system = Tags.systemState();
        SerializerFactory factory =
                new SerializerFactory() {
                    @Override
                    public <T> TypeSerializer<T> createSerializer(TypeInformation<T> t) {
                        return t.createSerializer(strict);
                    }
                };
        vm.initializeSerializerUnlessSet(factory);
        system.initializeSerializerUnlessSet(factory);

        // The hand-written serializer (issue #14): written field by field, Kryo has no way in.
        assertThat(vm.getSerializer()).isInstanceOf(VmStateSerializer.class);
        assertThat(system.getSerializer()).isInstanceOf(SystemStateSerializer.class);
        assertThat(kryoIn(system.getSerializer(), "system state")).isEmpty();
        assertThat(Tags.REJECTED.getTypeInfo()).isInstanceOf(PojoTypeInfo.class);
        assertThat(Tags.LATE.getTypeInfo()).isInstanceOf(PojoTypeInfo.class);
        assertThat(Tags.BUSINESS.getTypeInfo()).isInstanceOf(PojoTypeInfo.class);
        assertThat(Tags.HOURLY.getTypeInfo()).isInstanceOf(PojoTypeInfo.class);
        assertThat(Tags.WEEKLY.getTypeInfo()).isInstanceOf(PojoTypeInfo.class);
        assertThat(Tags.DATA_QUALITY.getTypeInfo())
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
        assertThat(Tags.RULE_STATUS.getTypeInfo())
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
        MapStateDescriptor<String, RuleUpdate> rules = Tags.RULES;
        rules.initializeSerializerUnlessSet(factory);
        assertThat(rules.getValueSerializer()).isInstanceOf(PojoSerializer.class);
        assertThat(kryoIn(rules.getValueSerializer(), "rules in force")).isEmpty();
        assertThat(new RuleUpdateDeserializer().getProducedType()).isInstanceOf(PojoTypeInfo.class);
        assertThat(new SampleFileFormat("x").getProducedType()).isInstanceOf(PojoTypeInfo.class);
        assertThat(new KafkaSampleDeserializer(-1).getProducedType())
                .isInstanceOf(PojoTypeInfo.class);
    }

    // ---------------------------------------------------------------- inventory (issue #4)

    @Test
    void inventoryStateNoticesAndInputUseNoKryo() throws Exception {
        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);
        ValueStateDescriptor<VmInventory> inventory = Tags.vmInventory();
        inventory.initializeSerializerUnlessSet(
                new SerializerFactory() {
                    @Override
                    public <T> TypeSerializer<T> createSerializer(TypeInformation<T> t) {
                        return t.createSerializer(strict);
                    }
                });

        assertThat(inventory.getSerializer()).isInstanceOf(VmInventorySerializer.class);
        assertThat(Tags.NOTICES.getTypeInfo())
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
        assertThat(new InventoryDeserializer().getProducedType())
                .isInstanceOf(VmInputTypeInfo.class);
        assertThat(
                        ((VmInputSerializer)
                                        TypeInformation.of(VmInput.class).createSerializer(strict))
                                .nestedSerializers())
                .hasExactlyElementsOfTypes(AvroSerializer.class, PojoSerializer.class);
    }

    /**
     * What crosses the shuffle into vm-rules has a serializer of its own, not Kryo; the allocation
     * and the rejected record inside it go to Flink's Avro and POJO serializers.
     */
    @Test
    void vmInputHasItsOwnSerializerWithoutKryo() throws Exception {
        TypeInformation<VmInput> info = TypeInformation.of(VmInput.class);
        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);

        assertThat(info).isInstanceOf(VmInputTypeInfo.class);
        assertThat(genericIn(info, "VmInput")).isEmpty();
        TypeSerializer<VmInput> serializer = info.createSerializer(strict);
        assertThat(serializer).isInstanceOf(VmInputSerializer.class);
        assertThat(kryoIn(serializer, "VmInput")).isEmpty();
    }

    @Test
    void liveTopologyWithInventoryDecisionsAndLifecycleUsesNoKryo() throws Exception {
        JobConfig cfg = config();
        StreamExecutionEnvironment env = environment(cfg);
        RightsizerJob.define(
                env,
                cfg,
                RULES,
                RuleHarnesses.SIZING,
                TimeLimits.regulation(WorkingCalendar.defaults()),
                "127.0.0.1:1",
                false);

        StreamGraph graph = env.getStreamGraph();

        assertThat(operatorNames(graph))
                .contains(
                        "route-samples",
                        "samples-as-vm-input",
                        "route-inventory",
                        "vm-rules",
                        "inventory-allocations",
                        "decision-router",
                        "lifecycle");
        assertThat(graph.getStreamNodes().stream().map(StreamNode::getOperatorName))
                .anyMatch(n -> n.contains("notices-topic"))
                .anyMatch(n -> n.contains("recommendation-events-topic"))
                .anyMatch(n -> n.contains("approval-topic"));
        assertThat(node(graph, "vm-rules").getTypeSerializersIn()[0])
                .isInstanceOf(VmInputSerializer.class);
        assertThat(kryoInGraph(graph)).isEmpty();
    }

    // ---------------------------------------------------------------- approval lifecycle

    @Test
    void lifecycleStateAndSideOutputUseFlinkSerializers() throws Exception {
        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);
        SerializerFactory factory =
                new SerializerFactory() {
                    @Override
                    public <T> TypeSerializer<T> createSerializer(TypeInformation<T> t) {
                        return t.createSerializer(strict);
                    }
                };
        MapStateDescriptor<String, LifecycleEntry> entries = Tags.lifecycleEntries();
        ValueStateDescriptor<RoutedId> routed = Tags.routedId();
        ListStateDescriptor<Decision> held = Tags.heldDecisions();
        entries.initializeSerializerUnlessSet(factory);
        routed.initializeSerializerUnlessSet(factory);
        held.initializeSerializerUnlessSet(factory);

        assertThat(entries.getValueSerializer()).isInstanceOf(PojoSerializer.class);
        assertThat(kryoIn(entries.getValueSerializer(), "lifecycle entry")).isEmpty();
        assertThat(routed.getSerializer()).isInstanceOf(PojoSerializer.class);
        assertThat(kryoIn(routed.getSerializer(), "routed id")).isEmpty();
        assertThat(held.getElementSerializer()).isInstanceOf(AvroSerializer.class);
        assertThat(Tags.LIFECYCLE_EVENTS.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
        assertThat(new DecisionDeserializer().getProducedType()).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void lifecycleStageUsesNoKryo() throws Exception {
        StreamExecutionEnvironment env = environment(config());
        var firings =
                env.fromData(
                        List.of(LifecycleFixtures.weeklyAverage(LifecycleFixtures.FIRED)),
                        TypeInformation.of(Recommendation.class));
        var decisions =
                env.fromData(
                        List.of(
                                DecisionInput.of(
                                        LifecycleFixtures.decision(
                                                "x",
                                                DecisionState.APPROVED,
                                                LifecycleFixtures.DECIDED))),
                        TypeInformation.of(DecisionInput.class));
        var inventory =
                env.fromData(
                        List.of(LifecycleFixtures.active(1, 1)),
                        TypeInformation.of(VmAllocation.class));
        LifecycleStage.Result r =
                LifecycleStage.apply(
                        firings, decisions, inventory, LifecycleStage.Settings.defaults());
        r.approvals().sinkTo(new DiscardingSink<>());
        r.events().sinkTo(new DiscardingSink<>());

        StreamGraph graph = env.getStreamGraph();

        assertThat(operatorNames(graph)).contains("decision-router", "lifecycle");
        assertThat(node(graph, "lifecycle").getTypeSerializersIn()[0])
                .isInstanceOf(PojoSerializer.class);
        assertThat(kryoInGraph(graph)).isEmpty();
    }

    // ---------------------------------------------------------------- history (issue #5)

    @Test
    void deadLetterCountsKeepALongPerReasonAndEmitStrings() throws Exception {
        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);
        ValueStateDescriptor<Long> count = io.rightsizer.history.DeadLetterCounts.countState();
        count.initializeSerializerUnlessSet(
                new SerializerFactory() {
                    @Override
                    public <T> TypeSerializer<T> createSerializer(TypeInformation<T> t) {
                        return t.createSerializer(strict);
                    }
                });

        assertThat(count.getSerializer())
                .isInstanceOf(org.apache.flink.api.common.typeutils.base.LongSerializer.class);
        StreamExecutionEnvironment env = environment(config());
        env.fromData(
                        List.of(
                                Rejected.of(
                                        io.rightsizer.schema.DeadLetterReason.INVALID, "x", null)),
                        TypeInformation.of(Rejected.class))
                .keyBy(io.rightsizer.history.DeadLetterCounts.byReason())
                .process(new io.rightsizer.history.DeadLetterCounts())
                .name("dead-letter-counts")
                .sinkTo(new DiscardingSink<>());

        StreamGraph graph = env.getStreamGraph();

        StreamNode counts = node(graph, "dead-letter-counts");
        assertThat(counts.getStateKeySerializer()).isInstanceOf(StringSerializer.class);
        assertThat(counts.getTypeSerializerOut()).isInstanceOf(StringSerializer.class);
        assertThat(kryoInGraph(graph)).isEmpty();
    }
}
