package io.rightsizer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The users file: bcrypt hashes only, roles, and what a refusal says (never the value). */
class UsersTest {

    @Test
    void aHashFromHashPasswordSignsInAndNothingElseDoes() throws Exception {
        String hash = Users.hash("s3cret pass");
        Users users =
                Users.parse(
                        "users:\n  - {name: alice, role: approver, password: \"" + hash + "\"}\n",
                        "users.yaml");

        assertThat(hash).matches("\\{bcrypt}\\$2a\\$10\\$[./A-Za-z0-9]{53}");
        assertThat(users.authenticate("alice", "s3cret pass"))
                .contains(new Users.User("alice", Users.Role.APPROVER));
        assertThat(users.authenticate("alice", "s3cret pas")).isEmpty();
        assertThat(users.authenticate("bob", "s3cret pass")).isEmpty();
        assertThat(users.authenticate("alice", "x".repeat(100))).isEmpty();
        assertThat(users.authenticate(null, null)).isEmpty();
    }

    @Test
    void aClearTextPasswordIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(
                        () ->
                                Users.parse(
                                        "users:\n  - {name: alice, role: approver, password:"
                                                + " hunter2}\n",
                                        "users.yaml"))
                .isInstanceOf(ConsoleException.class)
                .hasMessage(
                        "users.yaml: users[0] (alice).password must be a {bcrypt} hash as"
                                + " `rightsizer console hash-password` prints it")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void everyProblemOfTheFileIsNamed() {
        assertThatThrownBy(
                        () ->
                                Users.parse(
                                        "users:\n  - {name: alice, role: boss}\n"
                                                + "  - {name: bob, role: viewer, pasword: x}\n"
                                                + "  - {name: bob, role: viewer}\n",
                                        "users.yaml"))
                .hasMessage(
                        "users.yaml: users[0] (alice).role must be viewer or approver;"
                                + " users[1]: unknown key 'pasword' (name, role, password);"
                                + " users[2] (bob): the name appears twice");
        assertThatThrownBy(() -> Users.parse("people: []", "u.yaml"))
                .hasMessage("u.yaml: needs a non-empty list 'users' of {name, role, password}");
    }

    @Test
    void aUserWithoutPasswordComesOnlyThroughTheProxyHeader() throws Exception {
        Users users = Users.parse("users:\n  - {name: carol, role: viewer}\n", "users.yaml");

        assertThat(users.authenticate("carol", "")).isEmpty();
        assertThat(users.byName("carol")).contains(new Users.User("carol", Users.Role.VIEWER));
    }

    @Test
    void hashPasswordReadsStandardInputAndPrintsOnlyTheHash() throws Exception {
        InputStream old = System.in;
        Cli.Run run;
        try {
            System.setIn(new ByteArrayInputStream("pa55 word\n".getBytes(StandardCharsets.UTF_8)));
            run = Cli.run("console", "hash-password");
        } finally {
            System.setIn(old);
        }

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.outLines()).hasSize(1);
        String hash = run.outLines().get(0);
        assertThat(hash).doesNotContain("pa55");
        Users users =
                Users.parse(
                        "users:\n  - {name: a, role: viewer, password: \"" + hash + "\"}\n", "u");
        assertThat(users.authenticate("a", "pa55 word")).isPresent();
    }

    @Test
    void bcryptsLimitIsSaidBeforeHashing() {
        assertThatThrownBy(() -> Users.hash("é".repeat(37)))
                .hasMessage(
                        "the password is longer than bcrypt's 72 bytes (UTF-8): choose a shorter"
                                + " one");
        assertThatThrownBy(() -> Users.hash("")).hasMessage("the password is empty");
    }
}
