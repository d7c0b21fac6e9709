package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.InventoryDeserializer;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.LocalCollectd;
import io.rightsizer.model.VmInput;
import io.rightsizer.testing.InfluxServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * demo --collectd's part without the demo's fleet: this machine's allocation in the inventory, the
 * job's settings, and a real collectd writing to the demo's topic.
 */
class DemoCollectdITCase {
    @Test
    void publishesThisMachineAsAVmAndItsCollectdWritesToTheTopic() throws Exception {
        InfluxServer.requireTool(LocalCollectd.binary().isPresent(), LocalCollectd.installHint());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            String inventory = RightsizerOptions.INVENTORY_TOPIC.defaultValue();
            kafka.createApprovalTopics(1, inventory, "d", "e", "n", "q");
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> settings = new HashMap<>();

            DemoCollectd.prepare(kafka, settings);

            assertThat(settings)
                    .containsEntry("ingest.collectd.enabled", "true")
                    .containsEntry("ingest.inventory-wait", "10 s");
            List<ConsumerRecord<byte[], byte[]>> published =
                    TopicReader.readRecordsToEnd(bootstrap, inventory);
            assertThat(published).hasSize(1);
            VmInput in = InventoryDeserializer.decode(published.get(0).value(), 0L);
            assertThat(in.rejected).isNull();
            assertThat(in.allocation.getVmId()).isEqualTo("vm-collectd");
            assertThat(in.allocation.getSystemId()).isEqualTo("sys-collectd");

            try (DemoCollectd agent = DemoCollectd.start(bootstrap)) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (TopicReader.readRecordsToEnd(bootstrap, DemoCollectd.TOPIC).isEmpty()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                agent.summary(
                        bootstrap,
                        List.of(),
                        List.of(),
                        new PrintWriter(
                                new OutputStreamWriter(text, StandardCharsets.UTF_8), true));

                assertThat(text.toString(StandardCharsets.UTF_8))
                        .matches(
                                "collectd: [1-9][0-9]* messages from this machine as vm-collectd"
                                        + " \\(still running\\), 0 recommendations for it, 0 dead"
                                        + " letters\\R");
            }
        }
    }
}
