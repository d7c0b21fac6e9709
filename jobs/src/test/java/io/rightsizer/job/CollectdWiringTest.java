package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.VmInputSerializer;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.calendar.WorkingCalendar;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.SerializerFactory;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** ingest.collectd.enabled in the live topology: its operators, and the run that cannot have it. */
class CollectdWiringTest {
    static final RuleSet RULES = RuleSet.defaults("collectd-wiring");

    static StreamGraph define(Map<String, String> keys, boolean bounded) throws Exception {
        JobConfig cfg = JobConfig.of(keys);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RightsizerJob.flinkConfiguration(cfg));
        RightsizerJob.configure(env, cfg);
        RightsizerJob.define(
                env,
                cfg,
                RULES,
                RuleHarnesses.SIZING,
                TimeLimits.regulation(WorkingCalendar.defaults()),
                "127.0.0.1:1",
                bounded);
        return env.getStreamGraph();
    }

    static List<String> uids(StreamGraph g) {
        return g.getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
    }

    @Test
    void enabledAddsTheCollectdSourceAndTheAssemblyWithUidsOfTheirOwn() throws Exception {
        StreamGraph off = define(Map.of("kafka.bootstrap-servers", "127.0.0.1:1"), false);
        StreamGraph on =
                define(
                        Map.of(
                                "kafka.bootstrap-servers",
                                "127.0.0.1:1",
                                "ingest.collectd.enabled",
                                "true"),
                        false);

        assertThat(uids(on)).containsAll(uids(off));
        assertThat(uids(on))
                .filteredOn(u -> !uids(off).contains(u))
                .containsExactlyInAnyOrder(
                        "collectd-source",
                        "route-collectd",
                        "assemble-collected",
                        "route-collected",
                        "collected-as-vm-input");
        assertThat(uids(off)).doesNotContain("collectd-source");
    }

    @Test
    void aBoundedRunReadsNoInventorySoCollectdIsRefusedWithTheReason() {
        assertThatThrownBy(
                        () ->
                                define(
                                        Map.of(
                                                "kafka.bootstrap-servers",
                                                "127.0.0.1:1",
                                                "ingest.collectd.enabled",
                                                "true"),
                                        true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "ingest.collectd.enabled needs the inventory (kafka.topics.inventory): a"
                                + " sample assembled from collectd takes its systemId and unitId"
                                + " from the VM's allocation, and a bounded run (--bounded) reads"
                                + " no inventory; set ingest.collectd.enabled: false for it");
    }

    @Test
    void liveTopologyWithCollectdUsesNoKryo() throws Exception {
        JobConfig cfg =
                JobConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers",
                                "127.0.0.1:1",
                                "ingest.collectd.enabled",
                                "true"));
        StreamExecutionEnvironment env = NoKryoTest.environment(cfg);
        RightsizerJob.define(
                env,
                cfg,
                RULES,
                RuleHarnesses.SIZING,
                TimeLimits.regulation(WorkingCalendar.defaults()),
                "127.0.0.1:1",
                false);

        StreamGraph graph = env.getStreamGraph();

        assertThat(NoKryoTest.operatorNames(graph))
                .contains(
                        "route-collectd",
                        "assemble-collected",
                        "route-collected",
                        "collected-as-vm-input");
        // The collectors' readings are POJOs; the allocations arrive as VmInput, which has a
        // hand-written serializer.
        assertThat(NoKryoTest.node(graph, "assemble-collected").getTypeSerializersIn())
                .satisfiesExactly(
                        s -> assertThat(s).isInstanceOf(PojoSerializer.class),
                        s -> assertThat(s).isInstanceOf(VmInputSerializer.class));
        assertThat(NoKryoTest.node(graph, "assemble-collected").getStateKeySerializer())
                .isInstanceOf(StringSerializer.class);
        assertThat(NoKryoTest.kryoInGraph(graph)).isEmpty();
        SerializerConfigImpl strict = new SerializerConfigImpl();
        strict.setGenericTypes(false);
        SerializerFactory factory =
                new SerializerFactory() {
                    @Override
                    public <T> TypeSerializer<T> createSerializer(TypeInformation<T> t) {
                        return t.createSerializer(strict);
                    }
                };
        var buckets = Tags.collectedBuckets();
        var allocation = Tags.collectedAllocation();
        buckets.initializeSerializerUnlessSet(factory);
        allocation.initializeSerializerUnlessSet(factory);
        assertThat(buckets.getValueSerializer()).isInstanceOf(PojoSerializer.class);
        assertThat(NoKryoTest.kryoIn(buckets.getValueSerializer(), "collected buckets")).isEmpty();
        assertThat(NoKryoTest.kryoIn(allocation.getSerializer(), "collected allocation")).isEmpty();
    }
}
