package io.rightsizer.job.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which settings are secrets, and a message with their values taken out. A secret appears in no
 * output (docs/security.md ("Secrets")): messages name the key, never the value. This is the second
 * line of defence for text the job does not write itself (a Kafka client's exception message).
 */
public final class Secrets {
    private Secrets() {}

    /** What replaces a secret in a message. */
    public static final String HIDDEN = "[hidden]";

    /** Key names that hold secrets whatever the Kafka client thinks of them (custom plugins). */
    private static final Pattern SECRET_NAME =
            Pattern.compile(
                    "password|secret|jaas|token|credential|private|(^|[.-])key$|keystore\\.key");

    /** A word of a JAAS string: a quoted value or a run of characters other than = ; and blanks. */
    private static final Pattern JAAS_WORD = Pattern.compile("\"([^\"]*)\"|([^\\s=;\"]+)");

    /** The JAAS control flags and the words of a JAAS string that are not values. */
    private static final List<String> JAAS_SYNTAX =
            List.of("required", "requisite", "sufficient", "optional");

    /**
     * Whether a Kafka client setting is a secret: the client types it a password ({@code
     * sasl.jaas.config}, {@code ssl.key.password}, ...), or its name says so.
     */
    public static boolean isSecretKafkaKey(String key) {
        for (ConfigDef def :
                List.of(
                        ProducerConfig.configDef(),
                        ConsumerConfig.configDef(),
                        AdminClientConfig.configDef())) {
            ConfigDef.ConfigKey k = def.configKeys().get(key);
            if (k != null && k.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    /**
     * The texts that must not appear in output, longest first: each secret setting's value and, of
     * a JAAS string, every word that is not its syntax (a module's class name, a control flag, an
     * option's name), since a parser's message may quote one of them alone.
     */
    public static List<String> values(Properties kafka, String... others) {
        List<String> out = new ArrayList<>();
        for (String key : kafka.stringPropertyNames()) {
            String v = kafka.getProperty(key);
            if (v == null || v.isBlank() || !isSecretKafkaKey(key)) {
                continue;
            }
            out.add(v);
            if (key.contains("jaas")) {
                out.addAll(jaasWords(v));
            }
        }
        for (String o : others) {
            if (o != null && !o.isEmpty()) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    private static List<String> jaasWords(String jaas) {
        List<String> out = new ArrayList<>();
        Matcher m = JAAS_WORD.matcher(jaas);
        while (m.find()) {
            String word = m.group(1) != null ? m.group(1) : m.group(2);
            int after = m.end();
            while (after < jaas.length() && Character.isWhitespace(jaas.charAt(after))) {
                after++;
            }
            boolean optionName =
                    m.group(2) != null && after < jaas.length() && jaas.charAt(after) == '=';
            boolean className = m.group(2) != null && word.contains(".");
            if (word.length() >= 3
                    && !optionName
                    && !className
                    && !JAAS_SYNTAX.contains(word.toLowerCase(Locale.ROOT))) {
                out.add(word);
            }
        }
        return out;
    }

    /** Whether a URL has user information ({@code user:password@host}) in its authority. */
    public static boolean hasCredentials(String url) {
        int start = url.indexOf("://");
        String rest = start < 0 ? url : url.substring(start + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end).contains("@");
    }

    /** {@code text} with every one of {@code secrets} replaced by {@link #HIDDEN}. */
    public static String redact(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, HIDDEN);
        }
        return out;
    }
}
