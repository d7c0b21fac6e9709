package io.rightsizer.cli;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the rule topics are, for {@code rules publish} and {@code rules status}: the broker, topic
 * names and Kafka client settings (SASL/SSL) of a job configuration, with {@code
 * --bootstrap-servers} and the topic options taking precedence.
 */
final class RulesKafka extends KafkaAccess {
    @Option(
            names = "--status-topic",
            paramLabel = "TOPIC",
            description =
                    "Where the job writes its decisions (default: kafka.topics.rules-status of the"
                            + " configuration, else rightsizing-rules-status).")
    String statusTopic;

    /** The brokers and topics a command talks to. */
    record Target(
            Connection connection,
            String rulesTopic,
            String statusTopic,
            String transactionalIdPrefix) {

        Path configFile() {
            return connection.configFile();
        }

        JobConfig config() {
            return connection.config();
        }

        String bootstrap() {
            return connection.bootstrap();
        }

        Duration timeout() {
            return connection.timeout();
        }

        /** A byte-array, read_committed consumer without a group that gives up after timeout. */
        Properties consumer() {
            return connection.consumer();
        }

        /** An idempotent byte-array producer with acks=all that gives up after timeout. */
        Properties producer() {
            return connection.producer();
        }

        Properties admin() {
            return connection.admin();
        }

        /** Which brokers, and where that came from, e.g. for "cannot reach Kafka at ...". */
        String describeBrokers() {
            return connection.describeBrokers();
        }

        /** Kafka did not answer in time, or refused: a message naming the brokers. */
        TargetException unreachable(Throwable cause) {
            return connection.unreachable(cause);
        }
    }

    /**
     * Resolves the options: the configuration given (or config/local.yaml when neither --config nor
     * --bootstrap-servers is), then the overrides.
     *
     * @param rulesTopicOverride {@code --topic} of {@code rules publish}, or null
     */
    Target resolve(String rulesTopicOverride) throws TargetException {
        Connection c = connection();
        String rules =
                rulesTopicOverride != null
                        ? rulesTopicOverride
                        : c.topic(RightsizerOptions.RULES_TOPIC);
        String status =
                statusTopic != null ? statusTopic : c.topic(RightsizerOptions.RULES_STATUS_TOPIC);
        // What a refusal names: publishing writes the rules topic, the status is read.
        c.need("WRITE", rules).need("READ", status);
        return new Target(
                c,
                rules,
                status,
                c.config() != null
                        ? c.config().get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX)
                        : RightsizerOptions.TRANSACTIONAL_ID_PREFIX.defaultValue());
    }
}
