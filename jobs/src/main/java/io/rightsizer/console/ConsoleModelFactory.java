package io.rightsizer.console;

import io.rightsizer.job.config.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * How {@code rightsizer console} gets its model from what the command line resolved: the job's
 * configuration (topic names, InfluxDB) and Kafka clients' properties ready to use (brokers,
 * SASL/SSL, timeouts), so that the model never parses options itself.
 */
@FunctionalInterface
public interface ConsoleModelFactory {
    ConsoleModel open(Source source) throws ConsoleException;

    /**
     * @param config the job's configuration; null when only --bootstrap-servers was given (then
     *     every topic has its default name and there is no history)
     * @param consumer properties of a byte-array consumer without a group (read_committed)
     * @param producer properties of an idempotent byte-array producer with acks=all
     */
    record Source(
            Path configFile,
            JobConfig config,
            String bootstrap,
            Properties consumer,
            Properties producer,
            Duration timeout) {}
}
