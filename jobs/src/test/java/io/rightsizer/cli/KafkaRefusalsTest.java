package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

/** Each refusal of the brokers is one line naming the principal and what it lacks. */
class KafkaRefusalsTest {
    private static final String SECRET = "MARKER-s3cr3t";

    private static KafkaAccess.Connection connection(Properties client) {
        return new KafkaAccess.Connection(
                Path.of("ops.yaml"),
                null,
                "127.0.0.1:9093",
                "kafka.bootstrap-servers of ops.yaml",
                client,
                Duration.ofSeconds(15),
                new LinkedHashMap<>());
    }

    private static Properties scram(String user) {
        Properties p = new Properties();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + SECRET
                        + "\";");
        return p;
    }

    @Test
    void aTopicRefusalNamesThePrincipalThePermissionTheCommandNeedsAndTheTopic() {
        KafkaAccess.Connection c = connection(scram("ops")).need("WRITE", "rightsizing-decisions");

        KafkaAccess.TargetException e =
                c.unreachable(
                        new ExecutionException(
                                new TopicAuthorizationException(Set.of("rightsizing-decisions"))));

        assertThat(e.exitCode()).isEqualTo(77);
        assertThat(e.getMessage())
                .isEqualTo(
                        "refused: User:ops lacks WRITE on topic rightsizing-decisions at"
                                + " 127.0.0.1:9093 (kafka.bootstrap-servers of ops.yaml) (no ACL"
                                + " allows it)");
    }

    @Test
    void aTopicTheCommandDidNotAnnounceIsNamedWithDescribe() {
        KafkaAccess.TargetException e =
                connection(scram("ops"))
                        .unreachable(new TopicAuthorizationException(Set.of("vm-metrics")));

        assertThat(e.getMessage())
                .startsWith("refused: User:ops lacks DESCRIBE on topic vm-metrics at");
    }

    @Test
    void groupAndTransactionalIdRefusalsNameThem() {
        KafkaAccess.Connection c = connection(scram("job"));

        assertThat(c.unreachable(new GroupAuthorizationException("no", "rightsizer-rules")))
                .hasMessageStartingWith("refused: User:job lacks READ on group rightsizer-rules at")
                .extracting(KafkaAccess.TargetException::exitCode)
                .isEqualTo(77);
        assertThat(
                        c.unreachable(
                                new KafkaException(
                                        new TransactionalIdAuthorizationException("no"))))
                .hasMessageStartingWith("refused: User:job lacks WRITE on its transactional id at");
    }

    @Test
    void wrongCredentialsNameTheUserAndTheSettingNeverThePassword() {
        KafkaAccess.TargetException e =
                connection(scram("ops"))
                        .unreachable(
                                new SaslAuthenticationException(
                                        "Authentication failed during authentication due to"
                                                + " invalid credentials with SASL mechanism"
                                                + " SCRAM-SHA-512"));

        assertThat(e.exitCode()).isEqualTo(67);
        assertThat(e.getMessage())
                .isEqualTo(
                        "refused: the brokers at 127.0.0.1:9093 (kafka.bootstrap-servers of"
                                + " ops.yaml) did not authenticate User:ops (SCRAM-SHA-512): check"
                                + " the user name and password of kafka.properties.sasl.jaas.config"
                                + " in ops.yaml")
                .doesNotContain(SECRET);
    }

    @Test
    void aClientWithoutCredentialsIsAnonymousAndATimeoutStaysExitTwo() {
        KafkaAccess.Connection c = connection(new Properties());

        assertThat(c.unreachable(new TopicAuthorizationException(Set.of("t"))))
                .hasMessageStartingWith(
                        "refused: User:ANONYMOUS (security.protocol PLAINTEXT, no credentials)"
                                + " lacks DESCRIBE on topic t");
        KafkaAccess.TargetException timeout = c.unreachable(new TimeoutException("slow"));
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.getMessage())
                .isEqualTo(
                        "cannot reach Kafka at 127.0.0.1:9093 (kafka.bootstrap-servers of"
                                + " ops.yaml) within 15s");
    }
}
