package io.rightsizer.cli;

import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.local.BrokerSecurity;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.Principals;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Runs a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C and creates"
                        + " the topics; for trying the job against a Flink cluster or your own"
                        + " producers without a Kafka installation.")
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "stopped (Ctrl-C)"),
    @ExitCodes.Code(value = ExitCode.USAGE, when = "usage error")
})
public class BrokerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "(default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", description = "Log directory (default: a temporary one).")
    Path dataDir;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions of the telemetry topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--topics",
            split = ",",
            defaultValue =
                    DefaultTopics.METRICS
                            + ","
                            + DefaultTopics.RECOMMENDATIONS
                            + ","
                            + DefaultTopics.DEAD_LETTERS,
            description =
                    "Topics to create; the first gets --partitions (default: ${DEFAULT-VALUE}).")
    List<String> topics;

    @Option(
            names = "--rules-topics",
            split = ",",
            defaultValue = DefaultTopics.RULES + "," + DefaultTopics.RULES_STATUS,
            description =
                    "The rules topic (compacted) and the rules status topic, one partition each"
                            + " (default: ${DEFAULT-VALUE}).")
    List<String> rulesTopics;

    @Option(
            names = "--collectd-topic",
            defaultValue = CollectdOptions.DEFAULT_TOPIC,
            description =
                    "The topic collectd's write_kafka plugin writes to (ingest.collectd.topic),"
                            + " with --partitions partitions; empty: none (default:"
                            + " ${DEFAULT-VALUE}).")
    String collectdTopic;

    @Option(
            names = "--telegraf-topic",
            defaultValue = TelegrafOptions.DEFAULT_TOPIC,
            description =
                    "The topic of Telegraf's Kafka output (ingest.telegraf.topic), with"
                            + " --partitions partitions; empty: none (default: ${DEFAULT-VALUE}).")
    String telegrafTopic;

    @Option(
            names = "--secure",
            paramLabel = "DIR",
            description =
                    "Secured: clients on SASL_SSL (SCRAM-SHA-512 over TLS), the StandardAuthorizer"
                            + " refusing whatever no ACL allows, and the principals job, ops,"
                            + " datacenter and provider with least-privilege ACLs on the default"
                            + " topic names. The CA, the broker's certificate, the client"
                            + " truststore, random passwords and each principal's client settings"
                            + " (NAME.properties, NAME.yaml for --config; mode 600) are made in"
                            + " DIR, once: a second run with the same DIR keeps them"
                            + " (docs/security.md).")
    Path secure;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (rulesTopics.size() != 2) {
            err.println("--rules-topics takes two names: RULES,STATUS");
            return ExitCode.USAGE.code();
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The JVM exits when the shutdown hooks return: wait for the broker to stop and delete its
        // temporary data first.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.countDown();
                                    try {
                                        stopped.await(30, java.util.concurrent.TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                }));
        BrokerSecurity security = secure == null ? null : BrokerSecurity.prepare(secure);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(port, dataDir, security)) {
            kafka.createTopics(partitions, topics.get(0));
            if (topics.size() > 1) {
                kafka.createTopics(1, topics.subList(1, topics.size()).toArray(new String[0]));
            }
            kafka.createRulesTopics(rulesTopics.get(0), rulesTopics.get(1));
            List<String> collectorTopics =
                    java.util.stream.Stream.of(collectdTopic, telegrafTopic)
                            .filter(t -> !t.isBlank())
                            .distinct()
                            .toList();
            if (!collectorTopics.isEmpty()) {
                kafka.createTopics(partitions, collectorTopics.toArray(new String[0]));
            }
            kafka.createApprovalTopics(
                    partitions,
                    RightsizerOptions.INVENTORY_TOPIC.defaultValue(),
                    RightsizerOptions.DECISIONS_TOPIC.defaultValue(),
                    RightsizerOptions.EVENTS_TOPIC.defaultValue(),
                    RightsizerOptions.NOTICES_TOPIC.defaultValue(),
                    RightsizerOptions.DATA_QUALITY_TOPIC.defaultValue());
            err.println(
                    "broker ready at "
                            + kafka.bootstrapServers()
                            + " with topics "
                            + topics
                            + ", "
                            + rulesTopics
                            + " and the approval topics (vm-inventory, rightsizing-decisions,"
                            + " rightsizing-recommendation-events, rightsizing-notices)"
                            + (collectorTopics.isEmpty()
                                    ? ""
                                    : " and " + String.join(", ", collectorTopics)));
            if (security != null) {
                security.writeClientFiles(kafka.bootstrapServers());
                err.println(usage(security));
            }
            stop.await();
        } finally {
            stopped.countDown();
        }
        return ExitCode.OK.code();
    }

    /** How to use the principals' files; never their contents. */
    public static String usage(BrokerSecurity security) {
        StringBuilder sb =
                new StringBuilder(
                        "secured: SASL_SSL with SCRAM-SHA-512, ACLs enforced"
                                + " (allow.everyone.if.no.acl.found=false); each principal's"
                                + " client settings, mode 600, in "
                                + security.dir()
                                + ":");
        for (Principals who : Principals.values()) {
            sb.append(
                    String.format(
                            "%n  %-17s --config %s", who.principal(), security.configFile(who)));
        }
        sb.append(
                String.format(
                        "%n  e.g. rightsizer decide ID approve --by NAME --config %s%n "
                            + " (NAME.properties: the same for kafka-console-* --command-config;"
                            + " docs/security.md)",
                        security.configFile(Principals.DATACENTER)));
        return sb.toString();
    }
}
