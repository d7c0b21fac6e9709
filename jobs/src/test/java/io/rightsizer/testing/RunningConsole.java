package io.rightsizer.testing;

import io.rightsizer.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code rightsizer console} in the test JVM, on a thread of its own, through the command line
 * exactly as a user starts it; its address is the one it prints ({@code console: http://...}). Also
 * makes the users file it signs in against, with the hashes {@code rightsizer console
 * hash-password} prints.
 */
public final class RunningConsole implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("console: (http://\\S+)");

    private final Thread thread;
    private final CompletableFuture<Integer> exit;
    private final String url;

    private RunningConsole(Thread thread, CompletableFuture<Integer> exit, String url) {
        this.thread = thread;
        this.exit = exit;
        this.url = url;
    }

    /** The address the console printed, without a trailing slash. */
    public String url() {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Runs {@code rightsizer console ARGS} and returns once it printed its address; fails with what
     * it printed if it ends first or prints nothing within {@code timeout}.
     */
    public static RunningConsole start(Duration timeout, String... args) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Cli.Tee copy = new Cli.Tee(captured, System.out);
        PrintStream tee = new PrintStream(copy, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        String[] argv = new String[args.length + 1];
        argv[0] = "console";
        System.arraycopy(args, 0, argv, 1, args.length);
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                exit.complete(
                                        new CommandLine(new Main())
                                                .setCaseInsensitiveEnumValuesAllowed(true)
                                                .setOut(new PrintWriter(tee, true))
                                                .setErr(new PrintWriter(tee, true))
                                                .execute(argv));
                            } catch (Throwable t) {
                                exit.completeExceptionally(t);
                            }
                        },
                        "rightsizer-console");
        thread.setDaemon(true);
        // The console prints its address through the command line's writer: watch it until then.
        thread.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m;
            synchronized (copy) {
                m = ADDRESS.matcher(captured.toString(StandardCharsets.UTF_8));
            }
            if (m.find()) {
                return new RunningConsole(thread, exit, m.group(1));
            }
            if (exit.isDone()) {
                break;
            }
            Thread.sleep(50);
        }
        String printed;
        synchronized (copy) {
            printed = captured.toString(StandardCharsets.UTF_8);
        }
        thread.interrupt();
        throw new AssertionError(
                (exit.isDone()
                                ? "rightsizer console ended (" + describe(exit) + ")"
                                : "rightsizer console printed no address within " + timeout)
                        + " without printing 'console: http://...'; it printed:\n"
                        + printed);
    }

    /**
     * A users file ({@code users: [{name, role, password}]}) for {@code roles} (name to role),
     * every user with the password {@code password}, hashed by {@code rightsizer console
     * hash-password} read from standard input as a person would type it.
     */
    public static Path usersFile(Path file, Map<String, String> roles, String password)
            throws Exception {
        StringBuilder yaml = new StringBuilder("users:\n");
        for (Map.Entry<String, String> e : roles.entrySet()) {
            yaml.append("  - name: ")
                    .append(e.getKey())
                    .append("\n    role: ")
                    .append(e.getValue())
                    .append("\n    password: \"")
                    .append(hashPassword(password))
                    .append("\"\n");
        }
        return Files.writeString(file, yaml.toString(), StandardCharsets.UTF_8);
    }

    /** What {@code rightsizer console hash-password} prints for {@code password} on stdin. */
    public static String hashPassword(String password) {
        InputStream originalIn = System.in;
        Cli.Run run;
        try {
            System.setIn(
                    new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            run = Cli.run("console", "hash-password");
        } finally {
            System.setIn(originalIn);
        }
        List<String> hashes =
                run.outLines().stream()
                        .map(String::strip)
                        .filter(l -> l.matches("(\\{bcrypt\\})?\\$2[aby]?\\$\\d\\d\\$\\S{53}"))
                        .toList();
        if (run.exitCode() != 0 || hashes.size() != 1) {
            throw new AssertionError(
                    "rightsizer console hash-password: exit code "
                            + run.exitCode()
                            + ", expected one bcrypt hash on stdout; stdout:\n"
                            + run.out()
                            + "stderr:\n"
                            + run.err());
        }
        String hash = hashes.get(0);
        return hash.startsWith("{bcrypt}") ? hash : "{bcrypt}" + hash;
    }

    /** Interrupts the console's thread and waits a little for it to end. */
    @Override
    public void close() throws Exception {
        thread.interrupt();
        thread.join(Duration.ofSeconds(10).toMillis());
    }

    private static String describe(CompletableFuture<Integer> exit) {
        try {
            return "exit code " + exit.getNow(null);
        } catch (RuntimeException e) {
            return "threw " + e.getCause();
        }
    }
}
