package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.console.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo console's users file: one approver, the password only as a hash, mode 600. */
class DemoConsoleTest {

    @Test
    void theUsersFileHoldsOnlyTheHashAndOnlyItsOwnerMayReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports").resolve("demo-console-users.yaml");
        String password = DemoConsole.password(new SecureRandom());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "left over from the last demo");

        DemoConsole.writeUsers(file, password);

        assertThat(password).matches("[a-zA-Z0-9]{16}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain(password).doesNotContain("left over");
        Users users = Users.load(file);
        assertThat(users.authenticate(DemoConsole.USER, password))
                .contains(new Users.User(DemoConsole.USER, Users.Role.APPROVER));
    }

    @Test
    void withoutATopicReaderTheDemoGoesOnAndSaysWhy(@TempDir Path dir) throws Exception {
        var err = new java.io.ByteArrayOutputStream();
        var previous = ConsoleCommand.models;
        ConsoleCommand.models =
                s -> {
                    throw new io.rightsizer.console.ConsoleException("no topic reader here");
                };
        try {
            DemoConsole c =
                    DemoConsole.start(
                            null,
                            "127.0.0.1:1",
                            dir.resolve("u.yaml"),
                            new java.io.PrintStream(err, true, "UTF-8"));
            assertThat(c).isNull();
        } finally {
            ConsoleCommand.models = previous;
        }
        assertThat(err.toString("UTF-8"))
                .isEqualTo("  Approval console    not started: no topic reader here\n");
    }
}
