package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.console.ConsoleModelFactory;
import io.rightsizer.console.InMemoryConsoleModel;
import io.rightsizer.console.Users;
import io.rightsizer.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rightsizer console`: the one line it prints, the model it builds from the Kafka options, and
 * what it refuses before listening.
 */
class ConsoleCommandTest {
    private static final Pattern LINE = Pattern.compile("console: (http://\\S+)");

    @Test
    void itPrintsItsAddressOnPortZeroServesAndClosesTheModelWhenStopped(@TempDir Path dir)
            throws Exception {
        Path users = dir.resolve("users.yaml");
        Files.writeString(
                users,
                "users:\n  - {name: alice, role: approver, password: \""
                        + Users.hash("pw")
                        + "\"}\n");
        InMemoryConsoleModel model = new InMemoryConsoleModel();
        AtomicReference<ConsoleModelFactory.Source> source = new AtomicReference<>();
        ConsoleModelFactory before = ConsoleCommand.models;
        ConsoleCommand.models =
                s -> {
                    source.set(s);
                    return model;
                };
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread run =
                new Thread(
                        () ->
                                exit.set(
                                        Main.execute(
                                                "console",
                                                "--listen",
                                                "127.0.0.1:0",
                                                "--users",
                                                users.toString(),
                                                "--bootstrap-servers",
                                                "127.0.0.1:1")));
        URI address;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            run.start();
            address = awaitLine(out);
        } finally {
            System.setOut(oldOut);
        }
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> signin =
                    http.send(
                            HttpRequest.newBuilder(address.resolve("/signin")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(signin.statusCode()).isEqualTo(200);
            assertThat(signin.body()).contains("<form id=\"signin\"");
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("console: " + address + " (users from " + users + ")\n");
            assertThat(source.get().bootstrap()).isEqualTo("127.0.0.1:1");
            assertThat(source.get().config()).isNull();
        } finally {
            run.interrupt();
            run.join(10_000);
            ConsoleCommand.models = before;
        }
        assertThat(exit.get()).isEqualTo(0);
        assertThat(model.closed).isTrue();
        try {
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(address.resolve("/signin"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("the console still answers after it stopped");
        } catch (ConnectException expected) {
            // stopped
        }
    }

    @Test
    void aUsersFileWithAClearTextPasswordStopsItBeforeListening(@TempDir Path dir)
            throws IOException {
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, "users:\n  - {name: alice, role: approver, password: hunter2}\n");

        Cli.Run run =
                Cli.run(
                        "console",
                        "--listen",
                        "127.0.0.1:0",
                        "--users",
                        users.toString(),
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo(
                        users
                                + ": users[0] (alice).password must be a {bcrypt} hash as"
                                + " `rightsizer console hash-password` prints it\n");
    }

    @Test
    void aListenAddressOrLocaleItCannotUseIsAUsageError() {
        Cli.Run listen = Cli.run("console", "--listen", "8090");
        Cli.Run locale = Cli.run("console", "--locale", "fr");

        assertThat(listen.exitCode()).isEqualTo(2);
        assertThat(listen.errLines().get(0))
                .isEqualTo("--listen: '8090' is not HOST:PORT such as 127.0.0.1:8090");
        assertThat(locale.errLines().get(0)).isEqualTo("--locale: 'fr' is not en or zh-CN");
    }

    private static URI awaitLine(ByteArrayOutputStream out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LINE.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no console line within 30 s: " + out);
    }
}
