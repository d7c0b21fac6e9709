package io.rightsizer.testing;

import io.rightsizer.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code rightsizer} command line in this JVM ({@link Main#execute}) with System.out and
 * System.err swapped for the duration of the run, and returns the exit code and what the command
 * printed. Everything printed still reaches the original streams too (the surefire output file).
 */
public final class Cli {
    static {
        // Log4j's console appender binds to System.out when logging is first configured: make
        // that happen now, so it never binds to a capture stream of a run.
        LoggerFactory.getLogger(Cli.class);
    }

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

    public static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream capOut = new PrintStream(new Tee(out, oldOut), true, StandardCharsets.UTF_8);
        PrintStream capErr = new PrintStream(new Tee(err, oldErr), true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        int rc;
        try {
            System.setOut(capOut);
            System.setErr(capErr);
            rc = Main.execute(args);
        } finally {
            capOut.flush();
            capErr.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new Run(
                rc,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                took);
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
