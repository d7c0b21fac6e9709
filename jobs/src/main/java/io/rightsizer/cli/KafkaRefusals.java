package io.rightsizer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * The brokers refused a command: its credentials (wrong user name or password) or an operation its
 * principal has no ACL for. One line, naming the principal and what it lacks, never a setting's
 * value: the password stays where it is.
 */
final class KafkaRefusals {
    private KafkaRefusals() {}

    private static final Pattern USERNAME =
            Pattern.compile("\\busername\\s*=\\s*\"?([^\"\\s;]+)\"?");

    /** The refusal in {@code cause}'s chain as a TargetException, or null if there is none. */
    static KafkaAccess.TargetException refusal(KafkaAccess.Connection c, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException) {
                return new KafkaAccess.TargetException(
                        "refused: the brokers at "
                                + c.describeBrokers()
                                + " did not authenticate "
                                + principal(c)
                                + mechanism(c)
                                + ": check the user name and password of"
                                + " kafka.properties.sasl.jaas.config"
                                + (c.configFile() != null ? " in " + c.configFile() : ""),
                        ExitCode.NOT_AUTHENTICATED);
            }
            String lacks = null;
            if (t instanceof TopicAuthorizationException a) {
                List<String> topics = new ArrayList<>(a.unauthorizedTopics());
                if (topics.isEmpty()) {
                    topics.addAll(c.needs().keySet());
                }
                topics.sort(null);
                List<String> parts = new ArrayList<>();
                for (String topic : topics) {
                    parts.add(c.needs().getOrDefault(topic, "DESCRIBE") + " on topic " + topic);
                }
                lacks = parts.isEmpty() ? "access to the topics" : String.join(" and ", parts);
            } else if (t instanceof GroupAuthorizationException a) {
                lacks = "READ on group " + a.groupId();
            } else if (t instanceof TransactionalIdAuthorizationException) {
                lacks = "WRITE on its transactional id";
            } else if (t instanceof ClusterAuthorizationException) {
                lacks = "the cluster operation it asked for";
            }
            if (lacks != null) {
                return new KafkaAccess.TargetException(
                        "refused: "
                                + principal(c)
                                + " lacks "
                                + lacks
                                + " at "
                                + c.describeBrokers()
                                + " (no ACL allows it)",
                        ExitCode.NOT_AUTHORIZED);
            }
        }
        return null;
    }

    /** {@code User:NAME} of the SASL login, else what the protocol makes of a client. */
    static String principal(KafkaAccess.Connection c) {
        String jaas = c.kafkaProperties().getProperty("sasl.jaas.config");
        if (jaas != null) {
            Matcher m = USERNAME.matcher(jaas);
            if (m.find()) {
                return "User:" + m.group(1);
            }
        }
        String protocol = c.kafkaProperties().getProperty("security.protocol", "PLAINTEXT");
        return protocol.startsWith("SASL")
                ? "the SASL principal of kafka.properties"
                : "User:ANONYMOUS (security.protocol " + protocol + ", no credentials)";
    }

    private static String mechanism(KafkaAccess.Connection c) {
        String m = c.kafkaProperties().getProperty("sasl.mechanism");
        return m == null ? "" : " (" + m + ")";
    }
}
