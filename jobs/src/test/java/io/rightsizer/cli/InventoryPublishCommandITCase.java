package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `rightsizer inventory publish` on a real broker: the file round-trips through the topic. */
class InventoryPublishCommandITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final Path EXAMPLE = Path.of("..", "config", "inventory-example.yaml");

    @TempDir Path tmp;

    @Test
    void theExampleFileRoundTripsKeyedByVm() throws Exception {
        String topic = KAFKA.freshTopic("inventory", 1);
        List<VmAllocation> expected =
                InventoryFile.parse(Files.readString(EXAMPLE), EXAMPLE.toString()).allocations();

        Cli.Run run =
                Cli.run(
                        "inventory",
                        "publish",
                        EXAMPLE.toString(),
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        topic);

        assertThat(run.exitCode()).isZero();
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            lines.add(
                    expected.get(i).getVmId() + " ACTIVE -> " + topic + " partition 0 offset " + i);
        }
        lines.add("published 10 VMs from " + EXAMPLE + " to " + topic);
        assertThat(run.outLines()).containsExactlyElementsOf(lines);
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(
                        topic,
                        rs -> rs.size() >= expected.size(),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(1));
        assertThat(records)
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(expected.stream().map(VmAllocation::getVmId).toList());
        assertThat(records)
                .extracting(
                        r ->
                                SingleObject.decode(
                                        SingleObject.reader(VmAllocation.class),
                                        r.value(),
                                        "VmAllocation"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aFileWithAnyProblemPublishesNothing() throws Exception {
        String topic = KAFKA.freshTopic("inventory", 1);
        Path file = tmp.resolve("inventory.yaml");
        Files.writeString(
                file,
                """
                vms:
                  - vmId: vm-1
                    systemId: sys-1
                    unitId: unit-1
                    vcpus: 2
                    memory: 4GiB
                    storage: 64GiB
                    status: ACTIVE
                    onboardedAt: 2026-01-05T00:00:00Z
                  - vmId: vm-2
                    systemId: sys-1
                    unitId: unit-1
                    vcpus: 2
                    memory: 4GiB
                    storage: 64GiB
                    status: ACTIVE
                    onboardedAt: 2026-01-05T00:00:00Z
                    protectionWindows:
                      - {from: 2026-10-08T00:00:00Z, until: 2026-10-01T00:00:00Z}
                """);

        Cli.Run run =
                Cli.run(
                        "inventory",
                        "publish",
                        file.toString(),
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        topic);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        file
                                + ":19:45: vms[1].protectionWindows[0].until 2026-10-01T00:00:00Z"
                                + " must be after from 2026-10-08T00:00:00Z",
                        "1 problem; nothing published");
        assertThat(
                        KAFKA.readCommitted(
                                topic, rs -> true, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isEmpty();
    }
}
