package io.rightsizer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU-seconds of this JVM's threads that are not the job's: the embedded Kafka broker's and the JIT
 * compiler's, read from {@code /proc/self/task} (Linux). The bench's JVM runs the broker beside the
 * job, and a new job's code keeps a compiler thread busy for seconds in every run, so the process's
 * CPU time alone overstates what the job itself costs. Both kinds of thread live as long as the
 * JVM, so a reading at each end of a run gives their share of it; a thread that ended between two
 * readings is left out (its time then counts as the job's, never the other way).
 */
final class ThreadCpu {
    /** Thread names (as the kernel keeps them, 15 characters) of the embedded broker's threads. */
    private static final Pattern BROKER =
            Pattern.compile(
                    "data-plane-kafk.*|kafka-\\d.*|kafka-scheduler.*|kafka-log-clean.*"
                            + "|ExpirationReape.*|group-coordinat.*|share-coordinat.*"
                            + "|share-group-loc.*|controller-.*|broker-.*|quorum-controll.*"
                            + "|raft-expiration.*|transaction-log.*|persister-state.*"
                            + "|PersisterStateM.*|TxnMarkerSender.*|AddPartitionsTo.*"
                            + "|LogDirFailureHa.*|executor-Fetch.*|client-metrics-.*"
                            + "|metrics-meter-t.*|SensorExpiryThr.*");

    private static final Pattern JIT = Pattern.compile("C\\d CompilerThre.*");

    private static final double TICKS = 100.0;

    private ThreadCpu() {}

    /** The CPU-seconds so far of the broker's threads and of the compiler's; null off Linux. */
    static Reading read() {
        Path tasks = Paths.get("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        long broker = 0;
        long jit = 0;
        try (Stream<Path> ts = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) ts::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    if (BROKER.matcher(name).matches()) {
                        broker += ticks;
                    } else if (JIT.matcher(name).matches()) {
                        jit += ticks;
                    }
                } catch (IOException | RuntimeException ended) {
                    // The thread ended while the directory was read.
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Reading(broker / TICKS, jit / TICKS);
    }

    /** CPU-seconds of the broker's threads and of the JIT compiler's threads. */
    record Reading(double broker, double jit) {
        Reading minus(Reading before) {
            return new Reading(broker - before.broker, jit - before.jit);
        }
    }
}
