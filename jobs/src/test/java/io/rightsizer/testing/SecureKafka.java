package io.rightsizer.testing;

import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.local.BrokerSecurity;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.Principals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The secured broker of {@code rightsizer broker --secure DIR}, in the test JVM on free ports with
 * a temporary DIR, and the default topics (the principals' ACLs are on the default names). One per
 * test class: register it as a static extension.
 */
public final class SecureKafka implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private BrokerSecurity security;
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("rightsizer-secure");
        security = BrokerSecurity.prepare(dir.resolve("secure"));
        kafka = EmbeddedKafka.start(0, dir.resolve("data"), security);
        kafka.createTopics(2, DefaultTopics.METRICS, DefaultTopics.RECOMMENDATIONS);
        kafka.createTopics(
                1,
                DefaultTopics.DEAD_LETTERS,
                CollectdOptions.DEFAULT_TOPIC,
                TelegrafOptions.DEFAULT_TOPIC);
        kafka.createRulesTopics(DefaultTopics.RULES, DefaultTopics.RULES_STATUS);
        kafka.createApprovalTopics(
                1,
                DefaultTopics.INVENTORY,
                DefaultTopics.DECISIONS,
                DefaultTopics.RECOMMENDATION_EVENTS,
                DefaultTopics.NOTICES,
                DefaultTopics.DATA_QUALITY);
        security.writeClientFiles(kafka.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public BrokerSecurity security() {
        return security;
    }

    /**
     * The job configuration of {@code who} that the broker wrote: {@code --config} of a command.
     */
    public String configFile(Principals who) {
        return security.configFile(who).toString();
    }

    /** The client settings of {@code who}, with the brokers. */
    public Properties clientProps(Principals who) {
        Properties p = security.clientProperties(who);
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    /** Settings of a client that presents {@code who}'s name with a wrong password. */
    public Properties wrongPassword(Principals who) {
        Properties p = security.clientProperties(who.user(), "not-the-password");
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }
}
