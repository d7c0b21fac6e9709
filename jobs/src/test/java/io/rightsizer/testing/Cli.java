package io.rightsizer.testing;

import io.rightsizer.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs the {@code rightsizer} command line in this JVM ({@link Main#commandLine}) with writers of
 * its own for out and err, and returns the exit code and what the command printed. Everything
 * printed still reaches System.out and System.err too (the surefire output file).
 */
public final class Cli {
    private Cli() {}

    /** The outcome of one command. */
    public record Run(int exitCode, String out, String err, Duration took) {
        public List<String> outLines() {
            return lines(out);
        }

        public List<String> errLines() {
            return lines(err);
        }

        private static List<String> lines(String s) {
            return s.lines().toList();
        }
    }

    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintWriter capOut = writer(new Tee(out, System.out));
        PrintWriter capErr = writer(new Tee(err, System.err));
        long started = System.nanoTime();
        int rc;
        try {
            rc = Main.commandLine().setOut(capOut).setErr(capErr).execute(args);
        } finally {
            capOut.flush();
            capErr.flush();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new Run(
                rc,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                took);
    }

    /** A command running on a thread of its own, whose output can be read while it runs. */
    public static final class Background {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Tee errTee = new Tee(err, System.err);
        private final Tee outTee = new Tee(out, System.out);
        private final java.util.concurrent.CompletableFuture<Integer> exit =
                new java.util.concurrent.CompletableFuture<>();
        private final Thread thread;
        private final long started = System.nanoTime();

        private Background(String... args) {
            PrintWriter capOut = writer(outTee);
            PrintWriter capErr = writer(errTee);
            thread =
                    new Thread(
                            () -> {
                                try {
                                    exit.complete(
                                            Main.commandLine()
                                                    .setOut(capOut)
                                                    .setErr(capErr)
                                                    .execute(args));
                                } catch (Throwable t) {
                                    exit.completeExceptionally(t);
                                } finally {
                                    capOut.flush();
                                    capErr.flush();
                                }
                            },
                            "cli-" + args[0]);
            thread.start();
        }

        /** What the command has printed on err so far. */
        public String err() {
            synchronized (errTee) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        /** Interrupts the command's thread: what Enter or Ctrl-C would do to a waiting command. */
        public void interrupt() {
            thread.interrupt();
        }

        /** Waits for the command to end and returns what it printed. */
        public Run await(Duration timeout) throws Exception {
            int rc = exit.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            String o;
            synchronized (outTee) {
                o = out.toString(StandardCharsets.UTF_8);
            }
            return new Run(rc, o, err(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Starts a command on a thread of its own. */
    public static Background start(String... args) {
        return new Background(args);
    }

    private static PrintWriter writer(OutputStream to) {
        return new PrintWriter(new OutputStreamWriter(to, StandardCharsets.UTF_8), true);
    }

    /**
     * Copies what is written to a capture and to the original stream; its writes hold its lock, so
     * a reader of the capture synchronizes on it.
     */
    static final class Tee extends OutputStream {
        private final ByteArrayOutputStream capture;
        private final OutputStream original;

        Tee(ByteArrayOutputStream capture, OutputStream original) {
            this.capture = capture;
            this.original = original;
        }

        @Override
        public synchronized void write(int b) {
            capture.write(b);
            try {
                original.write(b);
            } catch (java.io.IOException e) {
                // The copy to the original stream is a convenience only.
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            capture.write(b, off, len);
            try {
                original.write(b, off, len);
            } catch (java.io.IOException e) {
                // The copy to the original stream is a convenience only.
            }
        }

        @Override
        public void flush() {
            try {
                original.flush();
            } catch (java.io.IOException e) {
                // ignore
            }
        }
    }
}
