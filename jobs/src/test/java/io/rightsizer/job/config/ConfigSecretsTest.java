package io.rightsizer.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A configuration problem names the key and the place, never the text of a line that holds a
 * secret: YAML syntax errors on a credential's line, and every other message of the configuration
 * checks with a secret value given.
 */
class ConfigSecretsTest {
    static final String MARKER = "S3cr3tMarker-7f3a";
    static final String BOOTSTRAP = "kafka.bootstrap-servers: 127.0.0.1:9092\n";

    static String problems(String yaml) {
        try {
            JobConfig.parse(yaml, "job.yaml");
        } catch (JobConfig.InvalidConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no problem reported");
    }

    @Test
    void anUnescapedQuoteInAJaasStringIsReportedByPlaceAndKeyWithoutTheLine() {
        String yaml =
                BOOTSTRAP
                        + "kafka:\n"
                        + "  properties:\n"
                        + "    security.protocol: SASL_SSL\n"
                        + "    sasl.jaas.config: \"org.apache.kafka.common.security.scram"
                        + ".ScramLoginModule required username=\"job\" password=\""
                        + MARKER
                        + "\";\"\n";

        assertThat(problems(yaml))
                .isEqualTo(
                        "job.yaml:5:99: not valid YAML after key"
                                + " 'kafka.properties.sasl.jaas.config': expected <block end>, but"
                                + " found '<scalar>' (while parsing a block mapping that starts at"
                                + " 4:5)");
    }

    @Test
    void anUnterminatedQuoteIsReportedWhereTheQuotedTextStarts() {
        String yaml = BOOTSTRAP + "influxdb:\n  password: \"" + MARKER + "\n";

        assertThat(problems(yaml))
                .isEqualTo(
                        "job.yaml:4:1: not valid YAML after key 'influxdb.password': found"
                                + " unexpected end of stream (while scanning a quoted scalar that"
                                + " starts at 3:13)");
    }

    @Test
    void theDocumentsCharactersAreNotQuotedInTheProblem() {
        assertThat(problems(BOOTSTRAP + "influxdb:\n  password: \"a\\" + MARKER + "\"\n"))
                .isEqualTo(
                        "job.yaml:3:16: not valid YAML after key 'influxdb.password': found an"
                                + " unknown escape (while scanning a double-quoted scalar that"
                                + " starts at 3:13)");
        assertThat(problems(BOOTSTRAP + "influxdb:\n  password: |" + MARKER + "\n   x\n"))
                .isEqualTo(
                        "job.yaml:3:14: not valid YAML after key 'influxdb.password': expected"
                                + " chomping or indentation indicators, but found a character"
                                + " (while scanning a block scalar that starts at 3:13)");
    }

    @Test
    void aCharacterThatCannotStartATokenIsNamedWhenItIsPunctuation() {
        assertThat(problems(BOOTSTRAP + "influxdb:\n  password: @" + MARKER + "\n"))
                .isEqualTo(
                        "job.yaml:3:13: not valid YAML after key 'influxdb.password': found"
                                + " character '@' that cannot start any token. (Do not use @ for"
                                + " indentation) (while scanning for the next token)");
    }

    @Test
    void aSecretValueOfAKnownKeyIsNotEchoedByAnyCheck() {
        // Secrets under keys that are wrong in every way the checks look at: a misspelt section,
        // a list, a mapping, an InfluxDB password without its user.
        String yaml =
                BOOTSTRAP
                        + "kafka:\n"
                        + "  propertes:\n"
                        + "    sasl.jaas.config: \"password='"
                        + MARKER
                        + "';\"\n"
                        + "influxdb:\n"
                        + "  password: "
                        + MARKER
                        + "\n"
                        + "  pasword: "
                        + MARKER
                        + "\n"
                        + "  database: ["
                        + MARKER
                        + "]\n";

        String problems = problems(yaml);

        assertThat(problems).doesNotContain(MARKER);
        assertThat(problems.lines())
                .containsExactly(
                        "job.yaml:8:13: influxdb.database: expected a single value, found a"
                                + " list",
                        "job.yaml:4:23: kafka.propertes.sasl.jaas.config: unknown key; Kafka"
                                + " client settings go under kafka.properties., Flink settings"
                                + " under flink.",
                        "job.yaml:7:12: influxdb.pasword: unknown key (did you mean"
                                + " 'influxdb.password'?); Kafka client settings go under"
                                + " kafka.properties., Flink settings under flink.");
    }

    @Test
    void aUrlWithCredentialsIsRefusedWithoutShowingIt() {
        String yaml =
                BOOTSTRAP
                        + "influxdb.url: http://rightsizer:"
                        + MARKER
                        + "@influx:8086\n"
                        + "kafka.schema-registry.url: https://job:"
                        + MARKER
                        + "@registry/apis/ccompat/v7\n";

        assertThat(problems(yaml).lines())
                .containsExactly(
                        "job.yaml: kafka.schema-registry.url: holds credentials"
                                + " (user:password@), which would be shown wherever the URL is;"
                                + " instead: no setting: the registry is read without"
                                + " authentication",
                        "job.yaml: influxdb.url: holds credentials (user:password@), which would"
                                + " be shown wherever the URL is; instead: influxdb.username and"
                                + " .password");
    }

    @Test
    void aSecretGivenWithDashDIsNotEchoed() {
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(BOOTSTRAP, "job.yaml")
                                        .with(
                                                Map.of(
                                                        "influxdb.password",
                                                        MARKER,
                                                        "kafka.propertes.ssl.key.password",
                                                        MARKER)))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(MARKER));
    }
}
