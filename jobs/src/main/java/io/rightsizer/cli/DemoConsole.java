package io.rightsizer.cli;

import io.rightsizer.console.ConsoleException;
import io.rightsizer.console.ConsoleModel;
import io.rightsizer.console.ConsoleModelFactory;
import io.rightsizer.console.ConsoleServer;
import io.rightsizer.console.Users;
import io.rightsizer.job.config.JobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Properties;

/**
 * The approval console beside the demo's job: a users file with one approver, {@code demo}, whose
 * generated password is printed once and kept only as its bcrypt hash in a file only this user may
 * read.
 */
final class DemoConsole implements AutoCloseable {
    static final String USER = "demo";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";

    private final ConsoleServer server;
    private final ConsoleModel model;

    private DemoConsole(ConsoleServer server, ConsoleModel model) {
        this.server = server;
        this.model = model;
    }

    /**
     * Starts it on 127.0.0.1:8090 (a free port when that is taken) and prints where, with the
     * password; null, with the reason printed, when it cannot start (the demo goes on without).
     */
    static DemoConsole start(JobConfig cfg, String bootstrap, Path usersFile, PrintWriter err) {
        String password = password(new SecureRandom());
        ConsoleModel model = null;
        try {
            writeUsers(usersFile, password);
            Users users = Users.load(usersFile);
            KafkaAccess.Connection c =
                    new KafkaAccess.Connection(
                            null,
                            cfg,
                            bootstrap,
                            "the demo's embedded broker",
                            new Properties(),
                            Duration.ofSeconds(15),
                            new LinkedHashMap<>());
            model =
                    ConsoleCommand.models.open(
                            new ConsoleModelFactory.Source(
                                    null, cfg, bootstrap, c.consumer(), c.producer(), c.timeout()));
            int port = DemoObservability.portFree(8090) ? 8090 : 0;
            ConsoleServer server =
                    ConsoleServer.start(
                            model,
                            new ConsoleServer.Options(
                                    new InetSocketAddress("127.0.0.1", port),
                                    users,
                                    null,
                                    false,
                                    Locale.ENGLISH,
                                    Duration.ofHours(8),
                                    Clock.systemUTC()));
            err.println(
                    "  Approval console    "
                            + server.address()
                            + "   (sign in as "
                            + USER
                            + " with password "
                            + password
                            + "; users file "
                            + usersFile
                            + ")");
            return new DemoConsole(server, model);
        } catch (ConsoleException | IOException e) {
            if (model != null) {
                model.close();
            }
            err.println("  Approval console    not started: " + e.getMessage());
            return null;
        }
    }

    /** Writes the file anew, readable and writable by this user only from its creation. */
    static void writeUsers(Path file, String password) throws IOException {
        String yaml =
                "# The demo's console user; its password was printed once by `rightsizer demo`.\n"
                        + "users:\n  - {name: "
                        + USER
                        + ", role: approver, password: \""
                        + Users.hash(password)
                        + "\"}\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while it was being written");
        }
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }

    /** 16 characters without look-alikes (about 90 bits). */
    static String password(SecureRandom random) {
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    java.net.URI address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
