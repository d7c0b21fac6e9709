package io.rightsizer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The material of {@code broker --secure DIR}: made with keytool once per DIR, kept on the next
 * start, the broker's certificate fit for 127.0.0.1, every file with a password mode 600.
 */
class BrokerSecurityTest {
    @TempDir static Path dir;

    /** Made once for the class: keytool takes seconds. */
    static BrokerSecurity first;

    @BeforeAll
    static void prepare() throws Exception {
        first = BrokerSecurity.prepare(dir);
        first.writeClientFiles("127.0.0.1:9093");
    }

    @Test
    void makesTheStoresOnceAndKeepsThemAndThePasswordsOnTheNextStart() throws Exception {
        byte[] broker = Files.readAllBytes(dir.resolve(LocalCertificates.BROKER_STORE));
        String ops = Files.readString(first.configFile(Principals.OPS));

        BrokerSecurity second = BrokerSecurity.prepare(dir);
        second.writeClientFiles("127.0.0.1:9093");

        assertThat(Files.readAllBytes(dir.resolve(LocalCertificates.BROKER_STORE)))
                .isEqualTo(broker);
        assertThat(Files.readString(second.configFile(Principals.OPS))).isEqualTo(ops);
        assertThat(second.clientProperties(Principals.OPS))
                .isEqualTo(first.clientProperties(Principals.OPS));
    }

    @Test
    void theBrokerCertificateIsSignedByTheCaForLocalhostAnd127001() throws Exception {
        BrokerSecurity s = first;
        Properties server = new Properties();
        s.configure(server, 1, 2, 3);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve(LocalCertificates.BROKER_STORE))) {
            ks.load(in, server.getProperty("ssl.keystore.password").toCharArray());
        }

        X509Certificate[] chain =
                java.util.Arrays.stream(ks.getCertificateChain("broker"))
                        .map(c -> (X509Certificate) c)
                        .toArray(X509Certificate[]::new);

        assertThat(chain).hasSize(2);
        assertThat(chain[0].getSubjectX500Principal().getName())
                .isEqualTo(LocalCertificates.BROKER_DN);
        assertThat(chain[0].getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        chain[0].verify(chain[1].getPublicKey());
        assertThat(chain[0].getExtendedKeyUsage())
                .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(server.getProperty("super.users")).isEqualTo("User:CN=rightsizer-broker");
        assertThat(server.getProperty("allow.everyone.if.no.acl.found")).isEqualTo("false");
    }

    @Test
    void everyFileWithAPasswordIsTheOwnersOnlyAndTheUsageNamesNoPassword() throws Exception {
        BrokerSecurity s = first;
        Properties secrets = new Properties();
        try (var r = Files.newBufferedReader(dir.resolve(BrokerSecurity.SECRETS))) {
            secrets.load(r);
        }

        for (String f :
                List.of(
                        BrokerSecurity.SECRETS,
                        LocalCertificates.CA_STORE,
                        LocalCertificates.BROKER_STORE,
                        "job.properties",
                        "job.yaml",
                        "ops.properties",
                        "ops.yaml",
                        "datacenter.properties",
                        "datacenter.yaml",
                        "provider.properties",
                        "provider.yaml")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))))
                    .as(f)
                    .isEqualTo("rw-------");
        }
        assertThat(secrets.stringPropertyNames())
                .containsExactlyInAnyOrder(
                        "store",
                        "truststore",
                        "user.job",
                        "user.ops",
                        "user.datacenter",
                        "user.provider");
        String usage = io.rightsizer.cli.BrokerCommand.usage(s);
        for (String name : secrets.stringPropertyNames()) {
            assertThat(usage).doesNotContain(secrets.getProperty(name));
        }
        assertThat(Files.readString(s.configFile(Principals.DATACENTER)))
                .contains(
                        "username=\"datacenter\" password=\""
                                + secrets.getProperty("user.datacenter"));
    }
}
