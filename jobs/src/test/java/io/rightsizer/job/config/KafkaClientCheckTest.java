package io.rightsizer.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kafka client settings are checked by creating the clients, without a broker: every setting a
 * client refuses stops the start with one line naming the key and hiding every secret.
 */
class KafkaClientCheckTest {
    static final String MARKER = "S3cr3tMarker-c41e";

    /** Nothing listens on port 1: creating a client must not need a broker. */
    static final String NO_BROKER = "127.0.0.1:1";

    static final String SCRAM_JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job\""
                    + " password=\""
                    + MARKER
                    + "\";";

    static KafkaClientCheck.Result check(Map<String, String> kafkaProperties) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("kafka.bootstrap-servers", NO_BROKER);
        kafkaProperties.forEach((k, v) -> keys.put("kafka.properties." + k, v));
        return KafkaClientCheck.check(JobConfig.of(keys), NO_BROKER);
    }

    @Test
    void settingsEveryClientAcceptsPassWithoutABroker() throws Exception {
        KafkaClientCheck.Result plain = check(Map.of());
        KafkaClientCheck.Result scram =
                check(
                        Map.of(
                                "security.protocol", "SASL_PLAINTEXT",
                                "sasl.mechanism", "SCRAM-SHA-512",
                                "sasl.jaas.config", SCRAM_JAAS));

        assertThat(plain).isEqualTo(new KafkaClientCheck.Result(java.util.List.of(), null));
        assertThat(scram).isEqualTo(new KafkaClientCheck.Result(java.util.List.of(), null));
    }

    @Test
    void aTruststorePasswordWithoutATruststoreIsNamed() throws Exception {
        KafkaClientCheck.Result r =
                check(
                        Map.of(
                                "security.protocol",
                                "SASL_SSL",
                                "sasl.mechanism",
                                "SCRAM-SHA-512",
                                "sasl.jaas.config",
                                SCRAM_JAAS,
                                "ssl.truststore.password",
                                MARKER));

        assertThat(r.problems())
                .containsExactly(
                        "<settings>: kafka.properties.ssl.truststore.password: a Kafka consumer"
                                + " cannot be created with these settings: SSL trust store is not"
                                + " specified, but trust store password is specified.");
    }

    @Test
    void anUnknownSaslMechanismIsNamedBeforeAnyClientTriesIt() throws Exception {
        KafkaClientCheck.Result r =
                check(
                        Map.of(
                                "security.protocol", "SASL_SSL",
                                "sasl.mechanism", "SCRAM-SHA-999",
                                "sasl.jaas.config", SCRAM_JAAS));

        assertThat(r.problems()).hasSize(1);
        assertThat(r.problems().get(0))
                .startsWith(
                        "<settings>: kafka.properties.sasl.mechanism: 'SCRAM-SHA-999' is not a"
                                + " SASL mechanism of this client (one of ")
                .contains("PLAIN, ", "SCRAM-SHA-256, SCRAM-SHA-512");
    }

    @Test
    void aMalformedJaasStringIsNamedAndNoneOfItsValuesIsShown() throws Exception {
        KafkaClientCheck.Result quote =
                check(
                        Map.of(
                                "security.protocol", "SASL_PLAINTEXT",
                                "sasl.mechanism", "SCRAM-SHA-512",
                                "sasl.jaas.config", SCRAM_JAAS.replace("\";", "\"\";")));
        KafkaClientCheck.Result flag =
                check(
                        Map.of(
                                "security.protocol", "SASL_PLAINTEXT",
                                "sasl.mechanism", "SCRAM-SHA-512",
                                "sasl.jaas.config", SCRAM_JAAS.replace("required", MARKER)));

        assertThat(quote.problems())
                .containsExactly(
                        "<settings>: kafka.properties.sasl.jaas.config: a Kafka consumer cannot be"
                                + " created with these settings: Value not specified for key ';'"
                                + " in JAAS config");
        assertThat(flag.problems())
                .containsExactly(
                        "<settings>: kafka.properties.sasl.jaas.config: a Kafka consumer cannot be"
                                + " created with these settings: Invalid login module control flag"
                                + " '[hidden]' in JAAS config");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByTheClient() throws Exception {
        KafkaClientCheck.Result r = check(Map.of("request.timeout.ms", "soon"));

        assertThat(r.problems())
                .containsExactly(
                        "<settings>: kafka.properties.request.timeout.ms: a Kafka consumer cannot"
                                + " be created with these settings: Invalid value soon for"
                                + " configuration request.timeout.ms: Not a number of type INT");
    }

    @Test
    void aBrokerNameThatDoesNotResolveYetLeavesTheCheckToTheJob() throws Exception {
        Map<String, String> keys =
                Map.of(
                        "kafka.bootstrap-servers", "kafka.rightsizer.invalid:9093",
                        "kafka.properties.ssl.truststore.password", MARKER,
                        "kafka.properties.security.protocol", "SSL");

        KafkaClientCheck.Result r =
                KafkaClientCheck.check(JobConfig.of(keys), "kafka.rightsizer.invalid:9093");

        assertThat(r)
                .isEqualTo(
                        new KafkaClientCheck.Result(
                                java.util.List.of(),
                                "none of kafka.bootstrap-servers resolves yet"
                                        + " (kafka.rightsizer.invalid:9093): the Kafka client"
                                        + " settings are checked by the job when it connects"));
    }
}
