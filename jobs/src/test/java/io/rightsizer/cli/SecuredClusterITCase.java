package io.rightsizer.cli;

import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.local.Principals;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.Cli;
import io.rightsizer.testing.EveryLogLine;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.Scenario;
import io.rightsizer.testing.SecureKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured broker of {@code broker --secure}: the live job under its own principal, every
 * command under the principal it is meant for, with nothing but the {@code --config} files the
 * broker wrote; and the refusals, one line each, while the job keeps running. In order: the
 * refusals come before the rules update the job must still decide.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredClusterITCase {
    @RegisterExtension static final SecureKafka KAFKA = new SecureKafka();

    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    @TempDir static Path tmp;

    static JobClient job;

    @BeforeAll
    static void providerSendsTelemetryAndTheJobRunsAsItsPrincipal() throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Sample s : Scenario.samples()) {
            records.add(raw(s.vmId, SampleCodec.encode(s)));
        }
        Properties p = KAFKA.clientProps(Principals.PROVIDER);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(DefaultTopics.METRICS, r.key(), r.value())));
            }
            // Every sample acknowledged: a lost one would look like a job that recommends less.
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }

        Map<String, String> values = new HashMap<>();
        values.put("lifecycle.enabled", "false");
        values.put("data-quality.silence-after", "0 s");
        values.put("parallelism", "2");
        // Each checkpoint commits the sinks' transactions: new TLS and SCRAM handshakes, which a
        // loaded machine pays for; once a second keeps the test within its deadline.
        values.put("checkpoint.interval", "1 s");
        // A reader starved of CPU for the idle timeout is taken for idle: the other partition
        // moves the watermark on and this one's samples arrive late (dead letters, fewer
        // recommendations). TLS and SCRAM make the job heavier than on PLAINTEXT: allow 30 s.
        values.put("source.idle-timeout", "30 s");
        values.put("kafka.bootstrap-servers", KAFKA.bootstrapServers());
        values.put("kafka.starting-offsets", "earliest");
        // Under the job's ACL: transactional ids and groups starting with "rightsizer".
        values.put("kafka.transactional-id-prefix", "rightsizer-secured-it");
        KAFKA.security()
                .clientProperties(Principals.JOB)
                .forEach((k, v) -> values.put("kafka.properties." + k, v.toString()));
        JobConfig cfg = JobConfig.of(values);
        job = LiveJobs.start(KAFKA.bootstrapServers(), cfg, Scenario.RULES, "secured-it", null);
    }

    @AfterAll
    static void cancel() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    @Order(1)
    void theJobRecommendsExactlyOnceAndTheDataCenterReadsIt() {
        List<Recommendation> recs = readRecommendations(Scenario.expected().size());

        assertThat(recs)
                .extracting(
                        r ->
                                Scenario.key(
                                        r.getRuleId(),
                                        r.getVmId() != null ? r.getVmId() : r.getSystemId(),
                                        r.getFiredAt().toEpochMilli()))
                .containsExactlyInAnyOrderElementsOf(Scenario.expected());
    }

    @Test
    @Order(2)
    void theDataCenterCannotPublishRulesAndOpsCannotDecide() throws Exception {
        Path rules = rulesFile("scenario-x");

        Cli.Run publish =
                Cli.run(
                        "rules",
                        "publish",
                        rules.toString(),
                        "--author",
                        "mallory",
                        "--config",
                        KAFKA.configFile(Principals.DATACENTER));
        Cli.Run decide =
                Cli.run(
                        "decide",
                        "0123456789abcdef0123456789abcdef",
                        "approve",
                        "--by",
                        "mallory",
                        "--config",
                        KAFKA.configFile(Principals.OPS));

        assertThat(publish.exitCode()).isEqualTo(ExitCode.NOT_AUTHORIZED.code());
        assertThat(publish.errLines())
                .containsExactly(
                        "refused: User:datacenter lacks WRITE on topic rightsizing-rules at "
                                + brokers(Principals.DATACENTER)
                                + " (no ACL allows it); nothing published");
        assertThat(decide.exitCode()).isEqualTo(ExitCode.NOT_AUTHORIZED.code());
        assertThat(decide.errLines())
                .containsExactly(
                        "refused: User:ops lacks WRITE on topic rightsizing-decisions at "
                                + brokers(Principals.OPS)
                                + " (no ACL allows it); nothing published");
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    /** A wrong password that would be found if any output showed it. */
    static final String WRONG_PASSWORD =
            "WrongPassw0rdMarker-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @Test
    @Order(3)
    void aWrongPasswordOrNoCredentialsCannotConnect() throws Exception {
        Path wrong = tmp.resolve("wrong.yaml");
        StringBuilder yaml =
                new StringBuilder(
                        "kafka:\n  bootstrap-servers: " + KAFKA.bootstrapServers() + "\n");
        yaml.append("  properties:\n");
        KAFKA.security()
                .clientProperties("ops", WRONG_PASSWORD)
                .forEach(
                        (k, v) ->
                                yaml.append("    ")
                                        .append(k)
                                        .append(": '")
                                        .append(v)
                                        .append("'\n"));
        Files.writeString(wrong, yaml.toString());
        Path none = tmp.resolve("none.yaml");
        Files.writeString(none, "kafka:\n  bootstrap-servers: " + KAFKA.bootstrapServers() + "\n");

        Cli.Run wrongPassword;
        List<String> logs;
        try (EveryLogLine captured =
                EveryLogLine.capture(
                        Level.INFO,
                        "org.apache.kafka.clients",
                        "org.apache.kafka.common.security")) {
            wrongPassword = Cli.run("rules", "status", "--config", wrong.toString());
            logs = captured.lines();
        }
        Cli.Run noCredentials =
                Cli.run("rules", "status", "--config", none.toString(), "--connect-timeout", "3s");

        // The wrong password is a secret all the same: in no output, no log line, no exception.
        assertThat(logs).noneMatch(l -> l.contains(WRONG_PASSWORD));
        assertThat(wrongPassword.out() + wrongPassword.err()).doesNotContain(WRONG_PASSWORD);

        assertThat(wrongPassword.exitCode()).isEqualTo(ExitCode.NOT_AUTHENTICATED.code());
        assertThat(wrongPassword.errLines())
                .containsExactly(
                        "refused: the brokers at "
                                + KAFKA.bootstrapServers()
                                + " (kafka.bootstrap-servers of "
                                + wrong
                                + ") did not authenticate User:ops (SCRAM-SHA-512): check the"
                                + " user name and password of kafka.properties.sasl.jaas.config"
                                + " in "
                                + wrong);
        assertThat(noCredentials.exitCode()).isEqualTo(2);
        assertThat(noCredentials.errLines())
                .containsExactly(
                        "cannot reach Kafka at "
                                + KAFKA.bootstrapServers()
                                + " (kafka.bootstrap-servers of "
                                + none
                                + ") within 3s");
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @Order(4)
    void opsPublishesARuleSetTheRunningJobAcceptsAndReadsItsStatus() throws Exception {
        Path rules = rulesFile("scenario-2");

        Cli.Run publish =
                Cli.run(
                        "rules",
                        "publish",
                        rules.toString(),
                        "--author",
                        "alice",
                        "--wait",
                        "60s",
                        "--config",
                        KAFKA.configFile(Principals.OPS));
        Cli.Run status = Cli.run("rules", "status", "--config", KAFKA.configFile(Principals.OPS));

        assertThat(publish.exitCode()).as(publish.err()).isZero();
        assertThat(publish.outLines())
                .last()
                .isEqualTo("ACCEPTED: scenario-2 is in force (was scenario-1)");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.outLines().get(0)).isEqualTo("in force:      scenario-2");
    }

    @Test
    @Order(5)
    void theDataCenterDecidesAndTails() {
        Recommendation first = readRecommendations(Scenario.expected().size()).get(0);

        Cli.Run decide =
                Cli.run(
                        "decide",
                        first.getRecommendationId(),
                        "approve",
                        "--by",
                        "alice",
                        "--config",
                        KAFKA.configFile(Principals.DATACENTER));
        Cli.Run tail =
                Cli.run(
                        "tail",
                        "--from-beginning",
                        "--max",
                        String.valueOf(Scenario.expected().size()),
                        "--timeout",
                        "30s",
                        "--config",
                        KAFKA.configFile(Principals.DATACENTER));

        assertThat(decide.exitCode()).as(decide.err()).isZero();
        assertThat(decide.outLines())
                .singleElement()
                .asString()
                .endsWith(" to rightsizing-decisions partition 0 offset 0");
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        // The header, then one row per recommendation.
        assertThat(tail.outLines()).hasSize(Scenario.expected().size() + 1);
    }

    @Test
    @Order(6)
    void theProviderPublishesTheInventoryAndSimulatesTelemetry() {
        Cli.Run inventory =
                Cli.run(
                        "inventory",
                        "publish",
                        Path.of("..", "config", "inventory-example.yaml").toString(),
                        "--config",
                        KAFKA.configFile(Principals.PROVIDER));
        // To a topic the provider may write and this job does not read.
        Cli.Run simulate =
                Cli.run(
                        "simulate",
                        "--vms",
                        "2",
                        "--days",
                        "1",
                        "--interval",
                        "1h",
                        "--to-kafka",
                        "--topic",
                        "telegraf",
                        "--config",
                        KAFKA.configFile(Principals.PROVIDER));
        Cli.Run refused =
                Cli.run(
                        "simulate",
                        "--vms",
                        "2",
                        "--days",
                        "1",
                        "--to-kafka",
                        "--config",
                        KAFKA.configFile(Principals.DATACENTER));

        assertThat(inventory.exitCode()).as(inventory.err()).isZero();
        assertThat(inventory.outLines().get(inventory.outLines().size() - 1))
                .startsWith("published ")
                .endsWith(" to vm-inventory");
        assertThat(simulate.exitCode()).as(simulate.err()).isZero();
        assertThat(simulate.err()).contains(" -> telegraf at " + KAFKA.bootstrapServers());
        assertThat(refused.exitCode()).isEqualTo(ExitCode.NOT_AUTHORIZED.code());
        assertThat(refused.errLines())
                .containsExactly(
                        "simulate: refused: User:datacenter lacks WRITE on topic vm-metrics at "
                                + brokers(Principals.DATACENTER)
                                + " (no ACL allows it)");
    }

    @Test
    @Order(7)
    void verifyReadsTheApprovalTopicAsTheDataCenterAndOpsMayNot() throws Exception {
        Path truth = tmp.resolve("fleet.jsonl");
        assertThat(
                        Cli.run("simulate", "--vms", "1", "--days", "1", "--out", truth.toString())
                                .exitCode())
                .isZero();
        String truthFile = tmp.resolve("fleet.jsonl.truth.json").toString();

        Cli.Run verify =
                Cli.run(
                        "verify",
                        "--truth",
                        truthFile,
                        "--config",
                        KAFKA.configFile(Principals.DATACENTER));
        Cli.Run refused =
                Cli.run(
                        "verify",
                        "--truth",
                        truthFile,
                        "--config",
                        KAFKA.configFile(Principals.OPS));

        int n = Scenario.expected().size();
        // Read in full; the ground truth is another fleet's, so the check itself fails.
        assertThat(verify.outLines().get(0))
                .isEqualTo(
                        n + " recommendations (0 reminders), " + n + " distinct ids, 0 repeated");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.NOT_AUTHORIZED.code());
        assertThat(refused.errLines())
                .containsExactly(
                        "verify: refused: User:ops lacks READ on topic"
                                + " rightsizing-recommendations at "
                                + brokers(Principals.OPS)
                                + " (no ACL allows it)");
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    private static String brokers(Principals who) {
        return KAFKA.bootstrapServers()
                + " (kafka.bootstrap-servers of "
                + KAFKA.configFile(who)
                + ")";
    }

    private static Path rulesFile(String version) throws Exception {
        Path f = tmp.resolve(version + ".yaml");
        Files.writeString(
                f, Scenario.RULES_YAML.replace("version: scenario-1", "version: " + version));
        return f;
    }

    /** The approval topic as the data center reads it, once at least {@code expected} are in. */
    private static List<Recommendation> readRecommendations(int expected) {
        Properties p = TopicReader.properties(KAFKA.bootstrapServers());
        p.putAll(KAFKA.clientProps(Principals.DATACENTER));
        List<Recommendation> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long settle = Long.MAX_VALUE;
        try (KafkaConsumer<byte[], byte[]> c =
                TopicReader.fromBeginning(p, DefaultTopics.RECOMMENDATIONS)) {
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(RecommendationSerializer.decode(r.value(), r.headers()));
                }
                if (settle == Long.MAX_VALUE && out.size() >= expected) {
                    // A duplicate would show up in the next two seconds.
                    settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }
}
