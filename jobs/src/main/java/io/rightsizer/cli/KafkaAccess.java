package io.rightsizer.cli;

import io.rightsizer.console.ConsoleException;
import io.rightsizer.console.ConsoleSettings;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.KafkaClientCheck;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.rules.format.DurationText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.ConfigOption;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/**
 * Where Kafka is, for every command that talks to it: the brokers and Kafka client settings (SASL,
 * SSL) of a job configuration, with {@code --bootstrap-servers} taking precedence.
 */
public class KafkaAccess {
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
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "15s",
            description = "How long to wait for the brokers (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    /**
     * A problem found before talking to Kafka, or Kafka cannot be reached: {@link ExitCode#USAGE};
     * the brokers refused the credentials or an operation: {@link ExitCode#NOT_AUTHENTICATED},
     * {@link ExitCode#NOT_AUTHORIZED}.
     */
    static final class TargetException extends Exception {
        private final int exitCode;

        TargetException(String message) {
            this(message, ExitCode.USAGE);
        }

        TargetException(String message, ExitCode exitCode) {
            super(message);
            this.exitCode = exitCode.code();
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** The brokers a command talks to, and the configuration they came from (if any). */
    record Connection(
            Path configFile,
            JobConfig config,
            String bootstrap,
            String bootstrapSource,
            Properties kafkaProperties,
            Duration timeout,
            Map<String, String> needs) {

        /**
         * Records that the command needs {@code operation} (READ, WRITE) on {@code topics}: a
         * refusal names it, whichever request the brokers refused first (a describe, a fetch).
         */
        Connection need(String operation, String... topics) {
            for (String t : topics) {
                needs.put(t, operation);
            }
            return this;
        }

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

        /** The configuration's value of a topic option, else its default. */
        String topic(ConfigOption<String> option) {
            return config != null ? config.get(option) : option.defaultValue();
        }

        /** Which brokers, and where that came from, e.g. for "cannot reach Kafka at ...". */
        String describeBrokers() {
            return bootstrap + " (" + bootstrapSource + ")";
        }

        /**
         * Kafka did not answer in time, or refused: a message naming the brokers; a refusal of the
         * credentials or of an operation is one line naming the principal (and the topic, group or
         * transactional id, and the permission needed), with its own exit code.
         */
        TargetException unreachable(Throwable cause) {
            TargetException refused = KafkaRefusals.refusal(this, cause);
            if (refused != null) {
                return refused;
            }
            if (cause instanceof TimeoutException) {
                return new TargetException(
                        "cannot reach Kafka at "
                                + describeBrokers()
                                + " within "
                                + DurationText.format(timeout));
            }
            if (config != null && String.valueOf(cause.getMessage()).startsWith("Failed to c")) {
                // A client that could not even be created: which setting it refused, by key.
                KafkaClientCheck.Result r = KafkaClientCheck.check(config, bootstrap);
                if (!r.ok()) {
                    return new TargetException(String.join("\n", r.problems()));
                }
            }
            return new TargetException("Kafka at " + describeBrokers() + ": " + cause.getMessage());
        }

        /**
         * Whether {@code topic} exists; false when it does not.
         *
         * @throws TargetException when Kafka cannot be reached
         */
        boolean topicExists(String topic) throws TargetException {
            try (Admin admin = Admin.create(admin())) {
                admin.describeTopics(List.of(topic)).allTopicNames().get();
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return false;
                }
                if (e.getCause() instanceof TopicAuthorizationException a
                        && a.unauthorizedTopics().isEmpty()) {
                    throw unreachable(new TopicAuthorizationException(Set.of(topic)));
                }
                throw unreachable(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetException("interrupted");
            } catch (KafkaException e) {
                throw unreachable(e);
            }
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
     * The approval console's settings: these options' brokers and client settings (the same
     * consumer and producer as {@code rightsizer tail} and {@code rightsizer decide}), the
     * configuration's topics, InfluxDB and rule set.
     *
     * @throws ConsoleException with the message the other commands print
     */
    public ConsoleSettings consoleSettings() throws ConsoleException {
        Connection c;
        try {
            c = connection();
        } catch (TargetException e) {
            throw new ConsoleException(e.getMessage());
        }
        return ConsoleSettings.of(c.config(), c.describeBrokers(), c.consumer(), c.producer());
    }

    /**
     * Resolves the options: the configuration given (or config/local.yaml when neither --config nor
     * --bootstrap-servers is), then --bootstrap-servers over its brokers.
     */
    Connection connection() throws TargetException {
        Duration timeout = DurationText.parse(connectTimeout);
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
        return new Connection(
                file,
                cfg,
                bootstrap,
                source,
                cfg != null ? cfg.kafkaProperties() : new Properties(),
                timeout,
                new LinkedHashMap<>());
    }
}
