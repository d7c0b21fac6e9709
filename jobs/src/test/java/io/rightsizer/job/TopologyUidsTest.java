package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.testing.Shipped;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The live topology's operators by uid, which a savepoint restores them by: exactly those listed in
 * docs/design.md "The topology", stage by stage, whatever shape the code that builds them takes.
 */
class TopologyUidsTest {
    static final RuleSet RULES = RuleSet.defaults("topology-uids");

    static List<String> liveUids(Map<String, String> keys) throws Exception {
        JobConfig cfg = JobConfig.of(keys);
        StreamExecutionEnvironment env = NoKryoTest.environment(cfg);
        RightsizerJob.define(
                env, cfg, RULES, RuleHarnesses.SIZING, Shipped.TIME_LIMITS, "127.0.0.1:1", false);
        return env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .toList();
    }

    /** A Kafka sink: its writer has the sink's uid, its committer one derived from it. */
    static List<String> kafkaSink(String uid) {
        return List.of(uid, "Sink Committer: " + uid);
    }

    @Test
    void everyInputAndOutputEnabledGivesEachStageItsDocumentedUids() throws Exception {
        List<String> uids =
                liveUids(
                        Map.of(
                                "kafka.bootstrap-servers", "127.0.0.1:1",
                                "ingest.collectd.enabled", "true",
                                "ingest.telegraf.enabled", "true",
                                "influxdb.enabled", "true"));

        List<String> expected =
                new java.util.ArrayList<>(
                        List.of(
                                // ingest
                                "telemetry-source",
                                "route-samples",
                                "samples-as-vm-input",
                                "inventory-source",
                                "route-inventory",
                                "collectd-source",
                                "route-collectd",
                                "telegraf-source",
                                "route-telegraf",
                                "assemble-collected",
                                "route-collected",
                                "collected-as-vm-input",
                                // the rules of both judging stages
                                "rule-updates-source",
                                "vm-rules",
                                "system-rules",
                                // approve
                                "decisions-source",
                                "inventory-allocations",
                                "decision-router",
                                "lifecycle",
                                // emit: the history
                                "hourly-history",
                                "influxdb-hourly-sink",
                                "weekly-history",
                                "recommendation-history",
                                "dead-letter-counts",
                                "data-quality-history",
                                "influxdb-rest-sink"));
        for (String sink :
                List.of(
                        "approval-topic-sink",
                        "dead-letter-topic-sink",
                        "rules-status-topic-sink",
                        "notices-topic-sink",
                        "recommendation-events-topic-sink",
                        "data-quality-topic-sink")) {
            expected.addAll(kafkaSink(sink));
        }
        assertThat(uids).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void withoutLifecycleHistoryOrDataQualityWatchTheirOperatorsAreAbsentAndNoOtherUidMoves()
            throws Exception {
        List<String> uids =
                liveUids(
                        Map.of(
                                "kafka.bootstrap-servers", "127.0.0.1:1",
                                "lifecycle.enabled", "false",
                                "data-quality.silence-after", "0s"));

        List<String> expected =
                new java.util.ArrayList<>(
                        List.of(
                                "telemetry-source",
                                "route-samples",
                                "samples-as-vm-input",
                                "inventory-source",
                                "route-inventory",
                                "rule-updates-source",
                                "vm-rules",
                                "system-rules"));
        for (String sink :
                List.of(
                        "approval-topic-sink",
                        "dead-letter-topic-sink",
                        "rules-status-topic-sink",
                        "notices-topic-sink")) {
            expected.addAll(kafkaSink(sink));
        }
        assertThat(uids).containsExactlyInAnyOrderElementsOf(expected);
    }
}
