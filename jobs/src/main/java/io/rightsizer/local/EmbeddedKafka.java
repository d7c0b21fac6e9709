package io.rightsizer.local;

import io.rightsizer.job.config.DefaultTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4 broker (KRaft, combined broker and controller) inside this process,
 * built from the Kafka server jars exactly as {@code kafka-server-start.sh} would run it, for local
 * runs, the demo and the tests. Configured like a single-node production broker: replication factor
 * 1 and min ISR 1 for the internal topics, so transactions and consumer offsets work.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final String bootstrapServers;
    private final Properties adminProperties;

    private EmbeddedKafka(
            KafkaRaftServer server,
            Path dataDir,
            boolean deleteDataDir,
            String bootstrapServers,
            Properties adminProperties) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.bootstrapServers = bootstrapServers;
        this.adminProperties = adminProperties;
    }

    /**
     * Starts a broker listening on 127.0.0.1:{@code port} (0: a free port) with its logs under
     * {@code dataDir} (null: a fresh temporary directory, deleted on close). An existing data
     * directory is reused, so topics and offsets survive a restart.
     */
    public static EmbeddedKafka start(int port, Path dataDir) throws Exception {
        return start(port, dataDir, null);
    }

    /**
     * As {@link #start(int, Path)}; with {@code security} not null, the secured broker: clients on
     * SASL_SSL at {@code port}, every principal's credential and ACLs in place when this returns
     * ({@link BrokerSecurity}).
     */
    public static EmbeddedKafka start(int port, Path dataDir, BrokerSecurity security)
            throws Exception {
        boolean temp = dataDir == null;
        Path dir = temp ? Files.createTempDirectory("rightsizer-kafka") : dataDir;
        Files.createDirectories(dir);
        int brokerPort = port == 0 ? LoopbackPorts.free() : port;
        int controllerPort = LoopbackPorts.free();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        Properties admin = new Properties();
        if (security == null) {
            p.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:"
                            + brokerPort
                            + ",CONTROLLER://127.0.0.1:"
                            + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPort);
        } else {
            int internalPort = LoopbackPorts.free();
            security.configure(p, brokerPort, internalPort, controllerPort);
            admin.putAll(security.internalClient("127.0.0.1:" + internalPort));
        }
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.retention.hours", "-1");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));

        Path meta = dir.resolve("logs").resolve("meta.properties");
        if (!Files.exists(meta)) {
            // Holds the stores' passwords of a secured broker: the owner's only.
            Path props = dir.resolve("server.properties");
            SecretFiles.write(props, "");
            try (Writer w = Files.newBufferedWriter(props)) {
                p.store(w, "embedded rightsizer broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc =
                    StorageTool.execute(
                            new String[] {
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                props.toString(),
                                "--ignore-formatted"
                            },
                            new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException(
                        "formatting the broker's storage failed: "
                                + out.toString(StandardCharsets.UTF_8));
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka k = new EmbeddedKafka(server, dir, temp, "127.0.0.1:" + brokerPort, admin);
        k.awaitReady(Duration.ofSeconds(60));
        if (security != null) {
            try (Admin a = k.admin()) {
                security.grant(a, Duration.ofSeconds(60));
            }
        }
        LOG.info("embedded Kafka broker ready at {} (data in {})", k.bootstrapServers(), dir);
        return k;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the embedded broker did not start", e);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * The rules topic (one partition, compacted by version: every published version is kept) and
     * the rules status topic (one partition, in decision order: the audit trail, not compacted).
     */
    public void createRulesTopics(String rulesTopic, String statusTopic) throws Exception {
        createTopics(1, Map.of("cleanup.policy", "compact"), rulesTopic);
        createTopics(1, statusTopic);
    }

    /**
     * The approval lifecycle's and the inventory's topics: the inventory compacted (key = vmId, the
     * latest allocation of each VM is kept), the decisions, the audit trail, the notices and the
     * data-quality events.
     */
    public void createApprovalTopics(
            int partitions,
            String inventory,
            String decisions,
            String events,
            String notices,
            String dataQuality)
            throws Exception {
        createTopics(partitions, Map.of("cleanup.policy", "compact"), inventory);
        createTopics(partitions, decisions, events, notices, dataQuality);
    }

    /**
     * The live job's topics besides telemetry and its outputs, under their default names: the rules
     * and status topics, and the approval lifecycle's and the inventory's (one partition).
     */
    public void createDefaultJobTopics() throws Exception {
        createRulesTopics(DefaultTopics.RULES, DefaultTopics.RULES_STATUS);
        createApprovalTopics(
                1,
                DefaultTopics.INVENTORY,
                DefaultTopics.DECISIONS,
                DefaultTopics.RECOMMENDATION_EVENTS,
                DefaultTopics.NOTICES,
                DefaultTopics.DATA_QUALITY);
    }

    /** Creates the topics that do not exist yet, each with {@code partitions} partitions. */
    public void createTopics(int partitions, String... topics) throws Exception {
        createTopics(partitions, Map.of(), topics);
    }

    public void createTopics(int partitions, Map<String, String> topicConfig, String... topics)
            throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> create = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    create.add(new NewTopic(t, partitions, (short) 1).configs(topicConfig));
                }
            }
            try {
                admin.createTopics(create).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private boolean closed;

    /** An admin client with every right: on a secured broker, as the broker's super user. */
    public Admin admin() {
        Properties p = new Properties();
        p.putAll(adminProperties);
        return Admin.create(p);
    }

    /** Idempotent: the run command closes on both its normal and its Ctrl-C path. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteDataDir && Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        LOG.info("embedded Kafka broker stopped{}", deleteDataDir ? " and its data deleted" : "");
    }
}
