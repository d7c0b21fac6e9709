package io.rightsizer.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which Kafka client settings are secrets, and what of them a message must not show. */
class SecretsTest {
    @Test
    void passwordTypedSettingsAndSecretNamesAreSecretsOthersAreNot() {
        assertThat(
                        List.of(
                                "sasl.jaas.config",
                                "ssl.truststore.password",
                                "ssl.key.password",
                                "ssl.keystore.key",
                                "sasl.oauthbearer.client.credentials.client.secret",
                                "my.plugin.token",
                                "my.plugin.api.key"))
                .allMatch(Secrets::isSecretKafkaKey);
        assertThat(
                        List.of(
                                "security.protocol",
                                "sasl.mechanism",
                                "ssl.truststore.location",
                                "ssl.truststore.type",
                                "key.serializer",
                                "request.timeout.ms"))
                .noneMatch(Secrets::isSecretKafkaKey);
    }

    @Test
    void aJaasStringsValuesAreHiddenButNotItsSyntax() {
        Properties kafka = new Properties();
        kafka.setProperty(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"job\" password=\"pw-123\" tokenauth=unquoted;");
        kafka.setProperty("ssl.truststore.password", "ts-pass");
        kafka.setProperty("security.protocol", "SASL_SSL");

        List<String> secrets = Secrets.values(kafka, "influx-pass");

        assertThat(
                        Secrets.redact(
                                "Value not specified for key 'password' in JAAS config;"
                                        + " flag 'pw-123', user job, unquoted, ts-pass,"
                                        + " influx-pass, required, SASL_SSL",
                                secrets))
                .isEqualTo(
                        "Value not specified for key 'password' in JAAS config; flag '[hidden]',"
                                + " user [hidden], [hidden], [hidden], [hidden], required,"
                                + " SASL_SSL");
    }
}
