package io.rightsizer.console;

import static io.rightsizer.console.ConsoleHarness.ALICE_PASSWORD;
import static io.rightsizer.console.ConsoleHarness.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;

/** What the console logs about sign-ins and decisions: who and what, never a password or id. */
class ConsoleLogTest {

    @Test
    void signInsAndDecisionsAreLoggedWithoutPasswordsOrSessionIds() throws Exception {
        StringWriter log = new StringWriter();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        WriterAppender appender =
                WriterAppender.newBuilder()
                        .setName("console-log-test")
                        .setTarget(log)
                        .setLayout(PatternLayout.newBuilder().withPattern("%p %m%n").build())
                        .build();
        appender.start();
        String name = ConsoleServer.class.getName();
        LoggerConfig logger = new LoggerConfig(name, Level.INFO, false);
        logger.addAppender(appender, Level.INFO, null);
        cfg.addLogger(name, logger);
        ctx.updateLoggers();
        String session;
        try (ConsoleHarness c = new ConsoleHarness(PageRecords.fleet())) {
            c.post("/signin", null, form("username", "alice", "password", "hunter2-wrong"));
            c.post("/signin", null, form("username", ALICE_PASSWORD, "password", ALICE_PASSWORD));
            session = c.signIn("alice", ALICE_PASSWORD);
            String page = c.get("/recommendations/" + PageRecords.SCALE_UP, session).body();
            c.post(
                    "/recommendations/" + PageRecords.SCALE_UP + "/decide",
                    session,
                    form("decision", "approve", "csrf", ConsoleHarness.csrf(page)));
        } finally {
            cfg.removeLogger(name);
            ctx.updateLoggers();
            appender.stop();
        }

        assertThat(log.toString().lines().map(l -> l.replaceAll("from \\S+$", "from ADDR")))
                .containsExactly(
                        "WARN console: sign-in of alice refused (wrong password) from ADDR",
                        "WARN console: sign-in refused for a name not in the users file from ADDR",
                        "INFO console: alice (APPROVER) signed in from ADDR",
                        "INFO console: APPROVED of "
                                + PageRecords.SCALE_UP
                                + " by alice published at offset 101");
        assertThat(log.toString())
                .doesNotContain("hunter2")
                .doesNotContain(ALICE_PASSWORD)
                .doesNotContain(session);
    }
}
