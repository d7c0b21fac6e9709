package io.rightsizer.job;

import static io.rightsizer.job.CollectdWiringTest.define;
import static io.rightsizer.job.CollectdWiringTest.uids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.rules.TimeLimits;
import io.rightsizer.rules.calendar.WorkingCalendar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** ingest.telegraf.enabled in the live topology: its operators, and the run that cannot have it. */
class TelegrafWiringTest {
    static final Map<String, String> COLLECTD =
            Map.of("kafka.bootstrap-servers", "127.0.0.1:1", "ingest.collectd.enabled", "true");

    static final Map<String, String> BOTH =
            Map.of(
                    "kafka.bootstrap-servers",
                    "127.0.0.1:1",
                    "ingest.collectd.enabled",
                    "true",
                    "ingest.telegraf.enabled",
                    "true");

    @Test
    void enabledBesideCollectdAddsOnlyTelegrafsSourceAndRoute() throws Exception {
        StreamGraph collectd = define(COLLECTD, false);
        StreamGraph both = define(BOTH, false);

        assertThat(uids(both)).containsAll(uids(collectd));
        assertThat(uids(both))
                .filteredOn(u -> !uids(collectd).contains(u))
                .containsExactlyInAnyOrder("telegraf-source", "route-telegraf");
    }

    @Test
    void enabledAloneAddsItsSourceAndRouteAndTheSharedAssembly() throws Exception {
        StreamGraph off = define(Map.of("kafka.bootstrap-servers", "127.0.0.1:1"), false);
        StreamGraph on =
                define(
                        Map.of(
                                "kafka.bootstrap-servers",
                                "127.0.0.1:1",
                                "ingest.telegraf.enabled",
                                "true"),
                        false);

        assertThat(uids(on))
                .filteredOn(u -> !uids(off).contains(u))
                .containsExactlyInAnyOrder(
                        "telegraf-source",
                        "route-telegraf",
                        "assemble-collected",
                        "route-collected",
                        "collected-as-vm-input");
    }

    @Test
    void aBoundedRunReadsNoInventorySoTelegrafIsRefusedWithTheReason() {
        assertThatThrownBy(
                        () ->
                                define(
                                        Map.of(
                                                "kafka.bootstrap-servers",
                                                "127.0.0.1:1",
                                                "ingest.telegraf.enabled",
                                                "true"),
                                        true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "ingest.telegraf.enabled needs the inventory (kafka.topics.inventory): a"
                                + " sample assembled from Telegraf takes its systemId and unitId"
                                + " from the VM's allocation, and a bounded run (--bounded) reads"
                                + " no inventory; set ingest.telegraf.enabled: false for it");
    }

    /**
     * The escape's letters (side output "failed") of the collectors' routers and of route-collected
     * reach the dead-letter sink, as their rejections (side output "rejected") do.
     */
    @Test
    void theCollectorRoutersFailedAndRejectedLettersReachTheDeadLetterSink() throws Exception {
        StreamGraph g = define(BOTH, false);
        StreamNode sink =
                g.getStreamNodes().stream()
                        .filter(n -> n.getOperatorName().startsWith("dead-letter-topic"))
                        .findFirst()
                        .orElseThrow();

        List<String> into = new ArrayList<>();
        for (StreamEdge e : sink.getInEdges()) {
            into.add(
                    g.getStreamNode(e.getSourceId()).getTransformationUID()
                            + " "
                            + (e.getOutputTag() == null ? "main" : e.getOutputTag().getId()));
        }

        assertThat(into)
                .contains(
                        "route-collectd rejected",
                        "route-collectd failed",
                        "route-telegraf rejected",
                        "route-telegraf failed",
                        "route-collected rejected",
                        "route-collected failed");
    }

    @Test
    void liveTopologyWithBothCollectorsUsesNoKryo() throws Exception {
        JobConfig cfg = JobConfig.of(BOTH);
        StreamExecutionEnvironment env = NoKryoTest.environment(cfg);
        RightsizerJob.define(
                env,
                cfg,
                CollectdWiringTest.RULES,
                RuleHarnesses.SIZING,
                TimeLimits.regulation(WorkingCalendar.defaults()),
                "127.0.0.1:1",
                false);

        StreamGraph graph = env.getStreamGraph();

        assertThat(NoKryoTest.operatorNames(graph)).contains("route-collectd", "route-telegraf");
        assertThat(NoKryoTest.kryoInGraph(graph)).isEmpty();
    }
}
