package io.rightsizer.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The TLS material of the secured local broker, made with the JDK's own {@code keytool} (run as a
 * process: nothing downloaded, no library that issues certificates): a CA, the broker's key and
 * certificate signed by it (SAN localhost and 127.0.0.1, for server and client authentication: the
 * broker presents it on its mTLS listeners too), and a truststore of the CA for clients.
 */
final class LocalCertificates {
    private LocalCertificates() {}

    static final String CA_STORE = "ca.p12";
    static final String BROKER_STORE = "broker.p12";
    static final String TRUSTSTORE = "truststore.p12";
    static final String CA_PEM = "ca.crt";

    /** The broker's distinguished name, and so its principal on the mTLS listeners. */
    static final String BROKER_DN = "CN=rightsizer-broker";

    private static final String PASSWORD_VARIABLE = "RIGHTSIZER_KEYTOOL_PASSWORD";

    /**
     * Creates the stores in {@code dir} unless all exist already: the CA and broker stores under
     * {@code storePassword}, the client truststore under {@code truststorePassword}.
     */
    static void ensure(Path dir, String storePassword, String truststorePassword)
            throws IOException, InterruptedException, java.security.GeneralSecurityException {
        if (Files.exists(dir.resolve(CA_STORE))
                && Files.exists(dir.resolve(BROKER_STORE))
                && Files.exists(dir.resolve(TRUSTSTORE))) {
            return;
        }
        for (String f : List.of(CA_STORE, BROKER_STORE, TRUSTSTORE, CA_PEM)) {
            Files.deleteIfExists(dir.resolve(f));
        }
        Path ca = dir.resolve(CA_STORE);
        Path broker = dir.resolve(BROKER_STORE);
        keytool(
                storePassword,
                null,
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=rightsizer local CA",
                "-ext",
                "bc:c",
                "-validity",
                "825",
                "-storetype",
                "PKCS12",
                "-keystore",
                ca.toString());
        keytool(
                storePassword,
                null,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                BROKER_DN,
                "-validity",
                "825",
                "-storetype",
                "PKCS12",
                "-keystore",
                broker.toString());
        // The CA's and the broker's private keys: the owner's only, from the start.
        SecretFiles.restrict(ca);
        SecretFiles.restrict(broker);
        byte[] request =
                keytool(
                        storePassword,
                        null,
                        "-certreq",
                        "-alias",
                        "broker",
                        "-keystore",
                        broker.toString());
        byte[] signed =
                keytool(
                        storePassword,
                        request,
                        "-gencert",
                        "-alias",
                        "ca",
                        "-keystore",
                        ca.toString(),
                        "-rfc",
                        "-validity",
                        "825",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-ext",
                        "KU=digitalSignature",
                        "-ext",
                        "EKU=serverAuth,clientAuth");

        // Assembling the stores needs no process: the chain into the broker's store, the CA's
        // certificate into the truststore.
        char[] pw = storePassword.toCharArray();
        KeyStore caStore = load(ca, pw);
        Certificate caCert = caStore.getCertificate("ca");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate brokerCert;
        try (InputStream in = new ByteArrayInputStream(signed)) {
            brokerCert = x509.generateCertificate(in);
        }
        KeyStore brokerStore = load(broker, pw);
        Key key = brokerStore.getKey("broker", pw);
        brokerStore.setKeyEntry("broker", key, pw, new Certificate[] {brokerCert, caCert});
        store(brokerStore, broker, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        store(trust, dir.resolve(TRUSTSTORE), truststorePassword.toCharArray());
        String pem =
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(caCert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve(CA_PEM), pem);
    }

    private static KeyStore load(Path file, char[] password)
            throws IOException, java.security.GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        }
    }

    private static void store(KeyStore ks, Path file, char[] password)
            throws IOException, java.security.GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
        SecretFiles.restrict(file);
    }

    /**
     * Runs the JDK's keytool with {@code args}, the store password passed in the environment (not
     * on a command line other users can list), {@code stdin} as input; returns its standard output.
     */
    private static byte[] keytool(String password, byte[] stdin, String... args)
            throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass:env", PASSWORD_VARIABLE, "-noprompt"));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass:env", PASSWORD_VARIABLE));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(PASSWORD_VARIABLE, password);
        pb.redirectErrorStream(false);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(
                    "keytool "
                            + args[0]
                            + " failed (exit "
                            + rc
                            + "): "
                            + new String(out, StandardCharsets.UTF_8).strip()
                            + " "
                            + new String(err, StandardCharsets.UTF_8).strip());
        }
        return out;
    }
}
