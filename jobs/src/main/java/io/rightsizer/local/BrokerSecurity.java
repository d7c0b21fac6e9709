package io.rightsizer.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * The secured local broker ({@code rightsizer broker --secure DIR}): clients connect over SASL_SSL
 * with SCRAM-SHA-512; the broker talks to itself (inter-broker, controller) over mutual TLS as
 * {@code User:CN=rightsizer-broker}, its only super user; the {@code StandardAuthorizer} refuses
 * whatever no ACL allows. The CA, the stores and every password live in DIR, generated once per DIR
 * (random, never printed); the principals' client settings are written there, mode 600.
 */
public final class BrokerSecurity {
    static final String SECRETS = "secrets.properties";
    static final String SUPER_USER = "User:" + LocalCertificates.BROKER_DN;

    private final Path dir;
    private final Properties secrets;

    private BrokerSecurity(Path dir, Properties secrets) {
        this.dir = dir;
        this.secrets = secrets;
    }

    /**
     * The material in {@code dir}, created where missing: the passwords (kept from an earlier run
     * in the same DIR), the CA and the stores.
     */
    public static BrokerSecurity prepare(Path dir)
            throws IOException, InterruptedException, java.security.GeneralSecurityException {
        Path d = dir.toAbsolutePath();
        Files.createDirectories(d);
        Properties s = new Properties();
        Path file = d.resolve(SECRETS);
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                s.load(r);
            }
        }
        boolean changed = false;
        List<String> names = new ArrayList<>(List.of("store", "truststore"));
        for (Principals p : Principals.values()) {
            names.add("user." + p.user());
        }
        for (String name : names) {
            if (s.getProperty(name) == null) {
                s.setProperty(name, randomPassword());
                changed = true;
            }
        }
        if (changed) {
            StringBuilder text =
                    new StringBuilder(
                            "# Passwords of the secured local broker (rightsizer broker"
                                    + " --secure)\n");
            new TreeMap<>(s).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            SecretFiles.write(file, text.toString());
            // New passwords: stores made under the old ones would not open.
            for (String f :
                    List.of(
                            LocalCertificates.CA_STORE,
                            LocalCertificates.BROKER_STORE,
                            LocalCertificates.TRUSTSTORE)) {
                Files.deleteIfExists(d.resolve(f));
            }
        }
        LocalCertificates.ensure(d, s.getProperty("store"), s.getProperty("truststore"));
        return new BrokerSecurity(d, s);
    }

    public Path dir() {
        return dir;
    }

    /**
     * The broker's listeners and security: clients on SASL_SSL at {@code clientPort}; INTERNAL
     * (inter-broker and this process's admin client) and CONTROLLER on mutual TLS.
     */
    void configure(Properties p, int clientPort, int internalPort, int controllerPort) {
        p.put(
                "listeners",
                "SASL_SSL://127.0.0.1:"
                        + clientPort
                        + ",INTERNAL://127.0.0.1:"
                        + internalPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.put(
                "advertised.listeners",
                "SASL_SSL://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.putAll(keystore());
        p.put("listener.name.internal.ssl.client.auth", "required");
        p.put("listener.name.controller.ssl.client.auth", "required");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", SUPER_USER);
    }

    /** The client settings of this process's admin client: the broker's own certificate. */
    Properties internalClient(String internalBootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", internalBootstrap);
        p.put("security.protocol", "SSL");
        p.putAll(keystore());
        return p;
    }

    private Map<String, String> keystore() {
        return Map.of(
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", dir.resolve(LocalCertificates.BROKER_STORE).toString(),
                "ssl.keystore.password", secrets.getProperty("store"),
                "ssl.key.password", secrets.getProperty("store"),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", dir.resolve(LocalCertificates.TRUSTSTORE).toString(),
                "ssl.truststore.password", secrets.getProperty("truststore"));
    }

    /** The Kafka client settings of {@code who} (without bootstrap.servers). */
    public Properties clientProperties(Principals who) {
        return clientProperties(who.user(), secrets.getProperty("user." + who.user()));
    }

    /** Client settings for any user name and password, e.g. a wrong one. */
    public Properties clientProperties(String user, String password) {
        Properties p = new Properties();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", dir.resolve(LocalCertificates.TRUSTSTORE).toString());
        p.put("ssl.truststore.password", secrets.getProperty("truststore"));
        return p;
    }

    /** DIR/NAME.properties (Kafka's client format) of a principal. */
    public Path propertiesFile(Principals who) {
        return dir.resolve(who.user() + ".properties");
    }

    /** DIR/NAME.yaml: a job configuration that {@code --config} takes. */
    public Path configFile(Principals who) {
        return dir.resolve(who.user() + ".yaml");
    }

    /** Writes each principal's settings for the brokers at {@code bootstrap}, mode 600. */
    public void writeClientFiles(String bootstrap) throws IOException {
        for (Principals who : Principals.values()) {
            Properties p = clientProperties(who);
            StringBuilder props =
                    new StringBuilder(
                            "# Kafka client settings of "
                                    + who.principal()
                                    + " on the secured local broker (kafka-console-*"
                                    + " --command-config, kcat -F ...)\n");
            props.append("bootstrap.servers=").append(bootstrap).append('\n');
            new TreeMap<>(p)
                    .forEach(
                            (k, v) ->
                                    props.append(k)
                                            .append('=')
                                            .append(v.toString().replace("\\", "\\\\"))
                                            .append('\n'));
            SecretFiles.write(propertiesFile(who), props.toString());
            StringBuilder yaml =
                    new StringBuilder(
                            "# "
                                    + who.principal()
                                    + " on the secured local broker: `--config "
                                    + configFile(who)
                                    + "` of every rightsizer command that talks to Kafka."
                                    + "\nkafka:\n  bootstrap-servers: "
                                    + bootstrap
                                    + "\n  properties:\n");
            new TreeMap<>(p)
                    .forEach(
                            (k, v) ->
                                    yaml.append("    ")
                                            .append(k)
                                            .append(": '")
                                            .append(v.toString().replace("'", "''"))
                                            .append("'\n"));
            SecretFiles.write(configFile(who), yaml.toString());
        }
    }

    /**
     * Creates (or resets) each principal's SCRAM credential and ACLs, as the super user, and waits
     * until the broker enforces them.
     */
    void grant(Admin admin, Duration timeout) throws Exception {
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        for (Principals who : Principals.values()) {
            // Kafka's minimum iterations for SCRAM-SHA-512: every connection pays them on both
            // sides, and a loaded machine running the job feels it.
            credentials.add(
                    new UserScramCredentialUpsertion(
                            who.user(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                            secrets.getProperty("user." + who.user())));
            acls.addAll(who.bindings());
        }
        admin.alterUserScramCredentials(credentials).all().get(60, TimeUnit.SECONDS);
        admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        // Both are decided by the controller and reach the broker's authenticator and authorizer
        // through the metadata log: a client connecting before that would be refused.
        Set<String> users =
                java.util.Arrays.stream(Principals.values())
                        .map(Principals::user)
                        .collect(Collectors.toSet());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, UserScramCredentialsDescription> known =
                    admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS);
            Collection<AclBinding> enforced =
                    admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
            if (known.keySet().containsAll(users) && enforced.containsAll(acls)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the broker did not take the principals' credentials and ACLs within "
                                + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static String randomPassword() {
        SecureRandom r = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
