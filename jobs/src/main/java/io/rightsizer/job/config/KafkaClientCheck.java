package io.rightsizer.job.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClientFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The job's Kafka client settings, checked before the job is submitted: a producer with the
 * transactional settings of the job's sinks, a consumer with those of its sources and an admin
 * client are created with {@code kafka.properties.*} and closed at once. Creating a client reads
 * every setting, the JAAS string, the key and trust stores and logs in (SCRAM and PLAIN locally),
 * but needs no broker: a broker that is not up yet does not stop the start, a setting no client
 * accepts does, instead of a job that fails on every restart.
 *
 * <p>The SASL mechanism is checked here too: a client accepts any name and fails only when it
 * authenticates. A bootstrap address that does not resolve is left to the job (a broker's name may
 * appear in DNS only once it is up): then the settings are not checked.
 */
public final class KafkaClientCheck {
    private KafkaClientCheck() {}

    /** The mechanisms Kafka's clients bring; others need a {@link SaslClientFactory}. */
    private static final List<String> KAFKA_MECHANISMS =
            List.of("GSSAPI", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");

    private static final Pattern CONFIG_KEY = Pattern.compile("for configuration (\\S+?):");

    private static final String UNRESOLVED = "No resolvable bootstrap urls";

    /** The outcome: the problems, each one line naming keys, or a reason the check was skipped. */
    public record Result(List<String> problems, String skipped) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks the settings with the brokers at {@code bootstrap}; every problem names its {@code
     * kafka.properties.} keys and hides every secret's value.
     */
    public static Result check(JobConfig cfg, String bootstrap) {
        if (bootstrap == null) {
            return new Result(List.of(), "no brokers to check the Kafka client settings with");
        }
        Properties kafka = cfg.kafkaProperties();
        List<String> secrets = Secrets.values(kafka);
        String p = cfg.file() + ": ";
        String mechanism = mechanismProblem(kafka);
        if (mechanism != null) {
            return new Result(List.of(p + mechanism), null);
        }
        List<Client> clients =
                List.of(
                        new Client("consumer", k -> consumer(cfg, k, bootstrap)),
                        new Client("producer", k -> producer(cfg, k, bootstrap)),
                        new Client("admin client", k -> admin(k, bootstrap)));
        for (Client c : clients) {
            Throwable failure = c.tryCreate(kafka);
            if (failure == null) {
                continue;
            }
            String root = rootMessage(failure);
            if (root.contains(UNRESOLVED)) {
                return new Result(
                        List.of(),
                        "none of kafka.bootstrap-servers resolves yet ("
                                + bootstrap
                                + "): the Kafka client settings are checked by the job when it"
                                + " connects");
            }
            return new Result(
                    List.of(
                            p
                                    + keys(c, kafka, failure, root)
                                    + ": a Kafka "
                                    + c.name
                                    + " cannot be created with these settings: "
                                    + Secrets.redact(root, secrets)),
                    null);
        }
        return new Result(List.of(), null);
    }

    /** A SASL mechanism that no client can use, or null. */
    static String mechanismProblem(Properties kafka) {
        String protocol =
                kafka.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        if (!protocol.toUpperCase(Locale.ROOT).startsWith("SASL_")) {
            return null;
        }
        String mechanism =
                kafka.getProperty(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
        Set<String> known = new TreeSet<>(KAFKA_MECHANISMS);
        Enumeration<SaslClientFactory> factories = Sasl.getSaslClientFactories();
        for (SaslClientFactory f : Collections.list(factories)) {
            Collections.addAll(known, f.getMechanismNames(null));
        }
        if (known.contains(mechanism)) {
            return null;
        }
        return "kafka.properties."
                + SaslConfigs.SASL_MECHANISM
                + ": '"
                + mechanism
                + "' is not a SASL mechanism of this client (one of "
                + String.join(", ", known)
                + ")";
    }

    /**
     * The keys to name: the one a client's configuration error names, else every {@code
     * kafka.properties} key without which the client is created or fails otherwise.
     */
    private static String keys(Client c, Properties kafka, Throwable failure, String root) {
        Matcher m = CONFIG_KEY.matcher(root);
        if (m.find()) {
            String key = m.group(1);
            return kafka.containsKey(key) ? "kafka.properties." + key : "Kafka client: " + key;
        }
        if (root.contains("bootstrap.servers")) {
            return "kafka.bootstrap-servers";
        }
        List<String> fixing = new ArrayList<>();
        List<String> changing = new ArrayList<>();
        for (String key : new TreeSet<>(kafka.stringPropertyNames())) {
            Properties without = new Properties();
            without.putAll(kafka);
            without.remove(key);
            Throwable other = c.tryCreate(without);
            if (other == null) {
                fixing.add("kafka.properties." + key);
            } else if (!rootMessage(other).equals(root)) {
                changing.add("kafka.properties." + key);
            }
        }
        // Without security.protocol nothing secure is set up, which "fixes" every such problem:
        // it is named only when no other key fixes or changes the failure.
        String protocol = "kafka.properties." + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG;
        boolean protocolFixes = fixing.remove(protocol);
        List<String> involved =
                !fixing.isEmpty()
                        ? fixing
                        : !changing.isEmpty() || !protocolFixes ? changing : List.of(protocol);
        return involved.isEmpty() ? "kafka.properties" : String.join(", ", involved);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m != null ? m : root.getClass().getSimpleName();
    }

    private record Client(String name, Function<Properties, AutoCloseable> create) {
        /** Null when the client was created (and closed again), else why not. */
        Throwable tryCreate(Properties kafka) {
            try {
                AutoCloseable client = create.apply(kafka);
                if (client instanceof KafkaProducer<?, ?> producer) {
                    producer.close(Duration.ZERO);
                } else if (client instanceof KafkaConsumer<?, ?> consumer) {
                    consumer.close(Duration.ZERO);
                } else if (client instanceof Admin admin) {
                    admin.close(Duration.ZERO);
                }
                return null;
            } catch (RuntimeException | LinkageError e) {
                return e;
            }
        }
    }

    private static Properties common(Properties kafka, String bootstrap) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "rightsizer-settings-check");
        return p;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(
            JobConfig cfg, Properties kafka, String bootstrap) {
        Properties p = common(kafka, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.get(RightsizerOptions.GROUP_ID));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static KafkaProducer<byte[], byte[]> producer(
            JobConfig cfg, Properties kafka, String bootstrap) {
        Properties p = common(kafka, bootstrap);
        p.put(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(cfg.get(RightsizerOptions.TRANSACTION_TIMEOUT).toMillis()));
        p.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                cfg.get(RightsizerOptions.TRANSACTIONAL_ID_PREFIX) + "-settings-check");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static Admin admin(Properties kafka, String bootstrap) {
        return Admin.create(common(kafka, bootstrap));
    }
}
