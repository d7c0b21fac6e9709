package io.rightsizer.cli;

import io.rightsizer.console.ConsoleException;
import io.rightsizer.console.ConsoleModel;
import io.rightsizer.console.ConsoleModelFactory;
import io.rightsizer.console.ConsoleServer;
import io.rightsizer.console.ConsoleSettings;
import io.rightsizer.console.TopicConsoleModel;
import io.rightsizer.console.Users;
import io.rightsizer.job.config.LocaleOptions;
import io.rightsizer.rules.format.DurationText;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        subcommands = {ConsoleCommand.HashPassword.class},
        description = {
            "Serves the approval console: the data center reviews the recommendations in play with"
                    + " their evidence and history, and approves, rejects, defers or marks them"
                    + " implemented in a browser (docs/console.md).",
            "It works from the job's own topics (approval, audit trail, notices, data quality) and"
                    + " the InfluxDB history when configured; a restart rebuilds its view from"
                    + " them. Prints one line, `console: URL (users from FILE)`, once it listens.",
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "stopped"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when =
                    "usage error, or the users file, Kafka or the address to listen on is unusable"
                            + " (the message says which)"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class ConsoleCommand implements Callable<Integer> {
    /** The topic reader that builds the console's model from the job's topics. */
    static ConsoleModelFactory models =
            source ->
                    TopicConsoleModel.start(
                            ConsoleSettings.of(
                                    source.config(),
                                    source.bootstrap(),
                                    source.consumer(),
                                    source.producer()));

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:8090",
            description =
                    "Where to listen (default: ${DEFAULT-VALUE}, this machine only); port 0 takes"
                            + " a free port.")
    String listen;

    @Option(
            names = "--users",
            paramLabel = "FILE",
            description =
                    "The users file: names, roles (viewer, approver) and bcrypt password hashes"
                            + " (default: console-users.yaml beside --config).")
    Path users;

    @Option(
            names = "--trusted-header",
            paramLabel = "NAME",
            description =
                    "Also accept the user a reverse proxy names in this request header (e.g."
                        + " X-Remote-User), with the role the users file gives that name. Only"
                        + " behind a proxy that removes the header from every incoming request.")
    String trustedHeader;

    @Option(
            names = "--secure-cookies",
            description =
                    "Mark the cookies Secure: set it when browsers reach the console over https"
                            + " (a TLS-terminating proxy).")
    boolean secureCookies;

    @Option(
            names = "--locale",
            paramLabel = "LANG",
            description =
                    "The pages' language unless a person picks another: en or zh-CN (default: the"
                            + " configuration's locale, else en).")
    String locale;

    @Option(
            names = "--session-idle",
            paramLabel = "DURATION",
            defaultValue = "30m",
            description =
                    "A session ends after this long without a request (default: ${DEFAULT-VALUE}).")
    String sessionIdle;

    @Mixin KafkaAccess kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress address = address(listen);
        Locale lang = locale(locale);
        Duration idle = DurationText.parse(sessionIdle);
        if (idle == null || idle.isZero() || idle.isNegative()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--session-idle: '" + sessionIdle + "' is not a duration such as 30m");
        }
        Path usersFile = users != null ? users : defaultUsers();
        Users u;
        try {
            u = Users.load(usersFile);
        } catch (ConsoleException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE.code();
        }
        KafkaAccess.Connection c;
        ConsoleModel model;
        try {
            c = kafka.connection();
            model =
                    models.open(
                            new ConsoleModelFactory.Source(
                                    c.configFile(),
                                    c.config(),
                                    c.bootstrap(),
                                    c.consumer(),
                                    c.producer(),
                                    c.timeout()));
        } catch (KafkaAccess.TargetException e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (ConsoleException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE.code();
        }
        if (locale == null && c.config() != null) {
            lang = locale(c.config().get(LocaleOptions.LOCALE));
        }
        ConsoleServer server;
        try {
            server =
                    ConsoleServer.start(
                            model,
                            new ConsoleServer.Options(
                                    address,
                                    u,
                                    trustedHeader,
                                    secureCookies,
                                    lang,
                                    idle,
                                    Clock.systemUTC()));
        } catch (IOException e) {
            model.close();
            err.println("cannot listen on " + listen + ": " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop =
                () -> {
                    if (closed.compareAndSet(false, true)) {
                        server.close();
                        model.close();
                    }
                };
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop.run();
                            stopped.countDown();
                        },
                        "console-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("console: " + server.address() + " (users from " + usersFile + ")");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Stopped by whoever runs the command in-process (a test, the demo).
            Thread.currentThread().interrupt();
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook is running already.
            }
        }
        return ExitCode.OK.code();
    }

    private Path defaultUsers() {
        Path config = kafka.config != null ? kafka.config : KafkaAccess.DEFAULT_CONFIG;
        Path dir = config.toAbsolutePath().getParent();
        return dir == null ? Path.of("console-users.yaml") : dir.resolve("console-users.yaml");
    }

    private InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--listen: '" + hostPort + "' is not HOST:PORT such as 127.0.0.1:8090");
        }
        return new InetSocketAddress(host, port);
    }

    private Locale locale(String tag) {
        if (tag == null) {
            return Locale.ENGLISH;
        }
        return switch (tag) {
            case "en" -> Locale.ENGLISH;
            case "zh-CN" -> Locale.SIMPLIFIED_CHINESE;
            default ->
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--locale: '" + tag + "' is not en or zh-CN");
        };
    }

    @Command(
            name = "hash-password",
            mixinStandardHelpOptions = true,
            description = {
                "Reads a password from the terminal (not echoed) or from standard input (its first"
                        + " line) and prints its bcrypt hash as the users file takes it:"
                        + " {bcrypt}$2a$10$...",
                "The password never appears on a command line."
            })
    @ExitCodes({
        @ExitCodes.Code(value = ExitCode.OK, when = "printed"),
        @ExitCodes.Code(
                value = ExitCode.USAGE,
                when = "no password, or longer than bcrypt's 72 bytes")
    })
    static class HashPassword implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String password;
            Console terminal = System.console();
            if (terminal != null) {
                char[] typed = terminal.readPassword("password: ");
                password = typed == null ? null : new String(typed);
            } else {
                password =
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                                .readLine();
            }
            if (password == null) {
                err.println("no password on standard input");
                return ExitCode.USAGE.code();
            }
            try {
                out.println(Users.hash(password));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return ExitCode.USAGE.code();
            }
            return ExitCode.OK.code();
        }
    }
}
