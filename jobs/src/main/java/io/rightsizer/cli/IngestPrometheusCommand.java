package io.rightsizer.cli;

import io.rightsizer.ingest.prometheus.Assembly;
import io.rightsizer.ingest.prometheus.PromMapping;
import io.rightsizer.ingest.prometheus.RemoteWrite;
import io.rightsizer.ingest.prometheus.RemoteWriteReceiver;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "prometheus",
        mixinStandardHelpOptions = true,
        description = {
            "Receives Prometheus remote write (1.0) on POST /api/v1/write and produces one"
                    + " MetricSample per VM and scrape to the telemetry topic: node_exporter's"
                    + " memory, file systems and CPU, the libvirt exporter's per-domain memory"
                    + " (docs/providers/prometheus.md).",
            "A request is answered 204 only once Kafka acknowledged every sample it contributed"
                    + " to; 503 makes Prometheus retry. Counters on GET /metrics."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "stopped (Ctrl-C)"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when = "usage error, Kafka cannot be reached or the topic is missing"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class IngestPrometheusCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin KafkaAccess kafka;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9201",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
    String listen;

    @Option(
            names = "--vm-label",
            paramLabel = "LABEL",
            defaultValue = "vm_id",
            description =
                    "The label whose value is the vmId; series without it are ignored (default:"
                            + " ${DEFAULT-VALUE}; 'domain' for the libvirt exporter).")
    String vmLabel;

    @Option(
            names = "--system-label",
            paramLabel = "LABEL",
            defaultValue = "system_id",
            description = "The label whose value is the systemId (default: ${DEFAULT-VALUE}).")
    String systemLabel;

    @Option(
            names = "--unit-label",
            paramLabel = "LABEL",
            defaultValue = "unit_id",
            description =
                    "The label whose value is the unitId, optional (default: ${DEFAULT-VALUE}).")
    String unitLabel;

    @Option(
            names = "--assembly-wait",
            paramLabel = "DURATION",
            defaultValue = "10s",
            description =
                    "How long the values of one VM and scrape are collected after the first one"
                            + " arrived; longer than Prometheus' batch_send_deadline (default:"
                            + " ${DEFAULT-VALUE}).")
    String assemblyWait;

    @Option(
            names = "--fs-types-exclude",
            paramLabel = "REGEX",
            description = "File system types that are not storage (default: tmpfs, overlay, ...).")
    String fsTypesExclude = PromMapping.DEFAULT_FS_TYPES_EXCLUDE;

    @Option(
            names = "--mount-points-exclude",
            paramLabel = "REGEX",
            description =
                    "Mount points that are not storage (default: /dev, /proc, /sys, /run...).")
    String mountPointsExclude = PromMapping.DEFAULT_MOUNT_POINTS_EXCLUDE;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Telemetry topic (default: kafka.topics.metrics of the configuration).")
    String topic;

    @Option(
            names = "--inventory",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Take a VM's systemId and unitId from the inventory topic when its series have"
                            + " no such label; --no-inventory: labels only (default: on).")
    boolean inventory;

    @Option(
            names = "--inventory-topic",
            paramLabel = "TOPIC",
            description =
                    "The inventory topic (default: kafka.topics.inventory of the configuration).")
    String inventoryTopic;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "32",
            description =
                    "Requests handled at once; set Prometheus' max_shards at most this (default:"
                            + " ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--max-open",
            paramLabel = "N",
            defaultValue = "200000",
            description =
                    "VM samples being assembled at once, and VMs remembered; beyond, requests get"
                            + " 503 (default: ${DEFAULT-VALUE}).")
    int maxOpen;

    @Option(
            names = "--report-every",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "How often the counters are printed (default: ${DEFAULT-VALUE}).")
    String reportEvery;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Duration wait = DurationText.parse(assemblyWait);
        Duration report = DurationText.parse(reportEvery);
        InetSocketAddress address;
        PromMapping mapping;
        try {
            if (wait == null || wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException(
                        "--assembly-wait: '" + assemblyWait + "' is not a duration such as 10s");
            }
            if (report == null || report.isNegative() || report.isZero()) {
                throw new IllegalArgumentException(
                        "--report-every: '" + reportEvery + "' is not a duration such as 60s");
            }
            if (threads < 1 || maxOpen < 1) {
                throw new IllegalArgumentException("--threads and --max-open must be positive");
            }
            address = address(listen);
            mapping =
                    new PromMapping(
                            new PromMapping.Settings(
                                    vmLabel,
                                    systemLabel,
                                    unitLabel,
                                    regex("--fs-types-exclude", fsTypesExclude),
                                    regex("--mount-points-exclude", mountPointsExclude)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        KafkaAccess.Connection c;
        String target;
        try {
            c = kafka.connection();
            target = topic != null ? topic : c.topic(RightsizerOptions.METRICS_TOPIC);
            c.need("WRITE", target);
            if (!c.topicExists(target)) {
                err.printf("topic %s does not exist at %s%n", target, c.describeBrokers());
                return ExitCode.USAGE.code();
            }
        } catch (KafkaAccess.TargetException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        InventoryFollower follower = null;
        if (inventory) {
            String inv =
                    inventoryTopic != null
                            ? inventoryTopic
                            : c.topic(RightsizerOptions.INVENTORY_TOPIC);
            try {
                c.need("READ", inv);
                if (c.topicExists(inv)) {
                    follower = InventoryFollower.start(c.consumer(), inv, c.timeout(), err);
                    err.printf(
                            "ingest prometheus: inventory %s read: %d VMs with an active"
                                    + " allocation; followed from now on%n",
                            inv, follower.vms());
                } else {
                    err.printf(
                            "ingest prometheus: inventory topic %s does not exist at %s:"
                                    + " systemId and unitId only from labels%n",
                            inv, c.describeBrokers());
                }
            } catch (KafkaAccess.TargetException e) {
                err.println("inventory topic " + inv + ": " + e.getMessage());
                return e.exitCode();
            } catch (org.apache.kafka.common.KafkaException e) {
                KafkaAccess.TargetException failure = c.unreachable(e);
                err.println("inventory topic " + inv + ": " + failure.getMessage());
                return failure.exitCode();
            }
        }
        try {
            return serve(c, target, wait, report, address, mapping, follower);
        } finally {
            if (follower != null) {
                follower.close();
            }
        }
    }

    private int serve(
            KafkaAccess.Connection c,
            String target,
            Duration wait,
            Duration report,
            InetSocketAddress address,
            PromMapping mapping,
            InventoryFollower follower) {
        PrintWriter err = spec.commandLine().getErr();
        // Kafka may take up to the producer's delivery timeout; a request waits for that beyond
        // the assembly wait before it is answered 503.
        Duration answerWithin = wait.plus(c.timeout().multipliedBy(2)).plusSeconds(1);
        byte[] writerSchema = SingleObject.writerSchemaHeader(MetricSample.getClassSchema());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The JVM halts when the shutdown hooks return: let the requests in progress be answered
        // and the producer flush first.
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                stopped.await(answerWithin.toSeconds() + 10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(c.producer())) {
            Assembly assembly =
                    new Assembly(
                            wait.toMillis(),
                            maxOpen,
                            maxOpen,
                            Duration.ofHours(1).toMillis(),
                            follower == null ? null : follower::get);
            RemoteWriteReceiver receiver;
            try {
                receiver =
                        new RemoteWriteReceiver(
                                address,
                                threads,
                                RemoteWrite.Limits.defaults(),
                                mapping,
                                assembly,
                                s -> send(producer, target, writerSchema, s),
                                answerWithin,
                                err);
            } catch (IOException e) {
                err.println("cannot listen on " + listen + ": " + e.getMessage());
                return ExitCode.USAGE.code();
            }
            receiver.start();
            InetSocketAddress bound = receiver.address();
            err.printf(
                    "ingest prometheus: listening on http://%s:%d/api/v1/write (counters on"
                            + " /metrics); vmId from label %s, systemId from %s, unitId from %s%s;"
                            + " assembly wait %s; producing to %s at %s%n",
                    bound.getHostString(),
                    bound.getPort(),
                    vmLabel,
                    systemLabel,
                    unitLabel,
                    follower == null ? "" : " (else the inventory)",
                    DurationText.format(wait),
                    target,
                    c.describeBrokers());
            reporter.scheduleAtFixedRate(
                    () -> err.println("ingest prometheus: " + receiver.counters().summary()),
                    report.toMillis(),
                    report.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            receiver.close((int) answerWithin.toSeconds());
            err.println("ingest prometheus: stopped; " + receiver.counters().summary());
        } finally {
            reporter.shutdownNow();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook has already run.
            }
        }
        return ExitCode.OK.code();
    }

    private static CompletableFuture<?> send(
            KafkaProducer<byte[], byte[]> producer, String topic, byte[] writerSchema, Sample s) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic, s.vmId.getBytes(StandardCharsets.UTF_8), SampleCodec.encode(s));
        producer.send(
                SingleObject.withWriterSchema(record, writerSchema),
                (md, e) -> {
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(e);
                    }
                });
        return done;
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException(
                    "--listen: '" + hostPort + "' is not HOST:PORT such as 127.0.0.1:9201");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "--listen: '" + hostPort + "' has no port number 0 to 65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("--listen: host '" + host + "' is not known");
        }
        return a;
    }

    private static Pattern regex(String option, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    option + ": not a regular expression: " + e.getDescription());
        }
    }
}
