package io.rightsizer.cli;

import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.SingleObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rightsizer inventory ...}: what each VM is allocated, for the job's inventory join. */
@Command(
        name = "inventory",
        mixinStandardHelpOptions = true,
        description = "The VM inventory the job judges allocations against.",
        subcommands = {InventoryCommand.Publish.class})
public class InventoryCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = {
                "Checks every VM of an inventory file (YAML; format in docs/provider.md), then"
                        + " publishes each as an Avro VmAllocation to the inventory topic (key ="
                        + " vmId).",
                "A file with any problem publishes nothing: every problem is printed as"
                        + " FILE:LINE:COLUMN: message."
            })
    @ExitCodes({
        @ExitCodes.Code(value = ExitCode.OK, when = "published"),
        @ExitCodes.Code(
                value = ExitCode.FAILED,
                when = "the file cannot be read or has problems (nothing published)"),
        @ExitCodes.Code(
                value = ExitCode.USAGE,
                when =
                        "usage error, Kafka cannot be reached or the topic is missing"
                                + " (nothing published), or the broker refused a record (the"
                                + " records acknowledged before it are published: publish the"
                                + " file again)"),
        @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
        @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
    })
    public static class Publish implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The inventory file (YAML).")
        Path file;

        @Option(
                names = "--topic",
                paramLabel = "TOPIC",
                description =
                        "The inventory topic (default: kafka.topics.inventory of the config, else"
                                + " vm-inventory).")
        String topic;

        @Mixin KafkaAccess kafka;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            InventoryFile.Result parsed;
            try {
                parsed =
                        InventoryFile.parse(
                                Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (IOException e) {
                out.printf("%s: cannot be read: %s%n", file, e.getMessage());
                out.println("1 problem; nothing published");
                return ExitCode.FAILED.code();
            }
            if (!parsed.problems().isEmpty()) {
                parsed.problems().forEach(p -> out.println(p));
                int n = parsed.problems().size();
                out.printf("%d problem%s; nothing published%n", n, n == 1 ? "" : "s");
                return ExitCode.FAILED.code();
            }
            KafkaAccess.Connection c;
            String target;
            try {
                c = kafka.connection();
                target = topic != null ? topic : c.topic(RightsizerOptions.INVENTORY_TOPIC);
                c.need("WRITE", target);
                if (!c.topicExists(target)) {
                    err.printf(
                            "topic %s does not exist at %s; create it with"
                                    + " cleanup.policy=compact: nothing published%n",
                            target, c.describeBrokers());
                    return ExitCode.USAGE.code();
                }
            } catch (KafkaAccess.TargetException e) {
                err.println(e.getMessage() + "; nothing published");
                return e.exitCode();
            }
            List<VmAllocation> all = parsed.allocations();
            int done = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(c.producer())) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (VmAllocation a : all) {
                    sent.add(
                            producer.send(
                                    SingleObject.withWriterSchema(
                                            new ProducerRecord<>(
                                                    target,
                                                    a.getVmId().getBytes(StandardCharsets.UTF_8),
                                                    encode(a)),
                                            SingleObject.writerSchemaHeader(
                                                    VmAllocation.getClassSchema()))));
                }
                for (int i = 0; i < all.size(); i++) {
                    RecordMetadata m = sent.get(i).get();
                    out.printf(
                            "%s %s -> %s partition %d offset %d%n",
                            all.get(i).getVmId(),
                            all.get(i).getStatus(),
                            m.topic(),
                            m.partition(),
                            m.offset());
                    done++;
                }
            } catch (ExecutionException | KafkaException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                KafkaAccess.TargetException failure = c.unreachable(cause);
                err.printf(
                        "publishing to %s failed after %d of %d VMs: %s; publish the file again"
                                + " (each VM's record replaces its earlier one)%n",
                        target, done, all.size(), failure.getMessage());
                return failure.exitCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.USAGE.code();
            }
            out.printf(
                    "published %d VM%s from %s to %s%n",
                    all.size(), all.size() == 1 ? "" : "s", file, target);
            return ExitCode.OK.code();
        }
    }

    static byte[] encode(VmAllocation a) {
        return SingleObject.encode(VmAllocation.getEncoder(), a);
    }
}
