package io.rightsizer.cli;

import io.rightsizer.job.JobConfig;
import io.rightsizer.job.RightsizerOptions;
import io.rightsizer.local.TopicReader;
import io.rightsizer.rules.RuleSetParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/**
 * Where the rule topics are, for {@code rules publish} and {@code rules status}: the broker, topic
 * names and Kafka client settings (SASL/SSL) of a job configuration, with {@code
 * --bootstrap-servers} and the topic options taking precedence.
 */
final class RulesKafka {
    static final Path DEFAULT_CONFIG = Path.of("config", "local.yaml");

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The job's configuration: broker, topic names and kafka.properties.* (SASL,"
                            + " SSL) are taken from it (default: config/local.yaml if it exists"
                            + " and --bootstrap-servers is not given).")
    Path config;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,HOST:PORT]",
            description = "Kafka brokers; overrides the configuration's.")
    String bootstrapServers;

    @Option(
            names = "--status-topic",
            paramLabel = "TOPIC",
            description =
                    "Where the job writes its decisions (default: kafka.topics.rules-status of the"
                            + " configuration, else rightsizing-rules-status).")
    String statusTopic;

    @Option(
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "15s",
            description = "How long to wait for the brokers (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    /** A problem found before talking to Kafka, or Kafka cannot be reached: exit code 2. */
    static final class TargetException extends Exception {
        TargetException(String message) {
            super(message);
        }
    }

    /** The brokers and topics a command talks to. */
    record Target(
            Path configFile,
            JobConfig config,
            String bootstrap,
            String bootstrapSource,
            Properties kafkaProperties,
            String rulesTopic,
            String statusTopic,
            String transactionalIdPrefix,
            Duration timeout) {

        /** A byte-array, read_committed consumer without a group that gives up after timeout. */
        Properties consumer() {
            Properties p = common();
            p.putAll(TopicReader.properties(bootstrap));
            p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis());
            return p;
        }

        /** An idempotent byte-array producer with acks=all that gives up after timeout. */
        Properties producer() {
            Properties p = common();
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    String.valueOf(2 * timeout.toMillis()));
            return p;
        }

        Properties admin() {
            Properties p = common();
            p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, millis());
            return p;
        }

        /** Which brokers, and where that came from, e.g. for "cannot reach Kafka at ...". */
        String describeBrokers() {
            return bootstrap + " (" + bootstrapSource + ")";
        }

        /** Kafka did not answer in time, or refused: a message naming the brokers. */
        TargetException unreachable(Throwable cause) {
            if (cause instanceof TimeoutException) {
                return new TargetException(
                        "cannot reach Kafka at "
                                + describeBrokers()
                                + " within "
                                + RuleSetParser.formatDuration(timeout));
            }
            return new TargetException("Kafka at " + describeBrokers() + ": " + cause.getMessage());
        }

        private Properties common() {
            Properties p = new Properties();
            p.putAll(kafkaProperties);
            p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, millis());
            return p;
        }

        private String millis() {
            return String.valueOf(timeout.toMillis());
        }
    }

    /**
     * Resolves the options: the configuration given (or config/local.yaml when neither --config nor
     * --bootstrap-servers is), then the overrides.
     *
     * @param rulesTopicOverride {@code --topic} of {@code rules publish}, or null
     */
    Target resolve(String rulesTopicOverride) throws TargetException {
        Duration timeout = RuleSetParser.parseDuration(connectTimeout);
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new TargetException(
                    "--connect-timeout: '" + connectTimeout + "' is not a duration such as 15s");
        }
        Path file = config;
        if (file == null && bootstrapServers == null && Files.isRegularFile(DEFAULT_CONFIG)) {
            file = DEFAULT_CONFIG;
        }
        JobConfig cfg = null;
        if (file != null) {
            try {
                cfg = JobConfig.load(file);
            } catch (IOException e) {
                throw new TargetException(file + ": cannot be read: " + e.getMessage());
            } catch (JobConfig.InvalidConfigException e) {
                throw new TargetException(e.getMessage());
            }
        }
        String bootstrap;
        String source;
        if (bootstrapServers != null) {
            bootstrap = bootstrapServers;
            source = "--bootstrap-servers";
        } else if (cfg == null) {
            throw new TargetException(
                    "where is Kafka? Pass --bootstrap-servers HOST:PORT or --config FILE ("
                            + DEFAULT_CONFIG
                            + " does not exist in this directory)");
        } else if (cfg.get(RightsizerOptions.EMBEDDED_KAFKA)) {
            int port = cfg.get(RightsizerOptions.EMBEDDED_KAFKA_PORT);
            if (port == 0) {
                throw new TargetException(
                        file
                                + ": embedded-kafka.port is 0, so the job's broker takes a free"
                                + " port at start; pass --bootstrap-servers 127.0.0.1:PORT");
            }
            bootstrap = "127.0.0.1:" + port;
            source = "the embedded broker of " + file;
        } else {
            bootstrap = cfg.get(RightsizerOptions.BOOTSTRAP_SERVERS);
            source = "kafka.bootstrap-servers of " + file;
        }
        String rules =
                rulesTopicOverride != null
                        ? rulesTopicOverride
                        : cfg != null
                                ? cfg.get(RightsizerOptions.RULES_TOPIC)
                                : RightsizerOptions.RULES_TOPIC.defaultValue();
        String status =
                statusTopic != null
                        ? statusTopic
                        : cfg != null
                                ? cfg.get(RightsizerOptions.RULES_STATUS_TOPIC)
                                : RightsizerOptions.RULES_STATUS_TOPIC.defaultValue();
        String prefix =
                cfg != null
                        ? cfg.get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX)
                        : RightsizerOptions.TRANSACTIONAL_ID_PREFIX.defaultValue();
        return new Target(
                file,
                cfg,
                bootstrap,
                source,
                cfg != null ? cfg.kafkaProperties() : new Properties(),
                rules,
                status,
                prefix,
                timeout);
    }
}
