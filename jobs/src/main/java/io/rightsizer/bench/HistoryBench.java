package io.rightsizer.bench;

import io.rightsizer.local.LocalInfluxDb;
import io.rightsizer.rules.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The cost of the utilization history: the live job with and without a local influxd. */
final class HistoryBench {
    private HistoryBench() {}

    /**
     * The full job with the utilization history written to a local influxd, alternating with runs
     * without it (after one uncounted warm-up run with it: with, without, with, without, ...;
     * alternating spreads the machine's drift over both), both means, the drop, the CPU each side
     * used, and what reached InfluxDB (the last run with history writes into a fresh database).
     *
     * <p>The figures are the means of the second half of the {@code pairs}, as the live rounds'
     * are: the runs without the history are warm from the live rounds, but the history's own code
     * (the lines, the HTTP client) is compiled during the first runs with it, and a job that runs
     * for months pays that once. In one run of three pairs the job's own CPU with the history fell
     * from 18.1 to 16.9 to 16.0 s while the runs without it stayed at 15.0-15.3 s. Every pair is
     * printed. All runs are on the live rounds' cluster ({@code cluster}), so that none pays a
     * cluster's start.
     */
    static List<String> withHistory(
            ClusterRun cluster,
            String bootstrap,
            String topic,
            RuleSet rules,
            long samples,
            int parallelism,
            double firstRate,
            int vms,
            int days,
            String checkpointInterval,
            int pairs)
            throws Exception {
        List<String> out = new ArrayList<>();
        if (LocalInfluxDb.binary().isEmpty()) {
            out.add("history: skipped, " + LocalInfluxDb.installHint());
            return out;
        }
        try (LocalInfluxDb influx = LocalInfluxDb.start(0, null, Duration.ofSeconds(60))) {
            // A first run with the history, not counted: the runs without it are warm already
            // (the live rounds above), and the history's code must be too.
            LiveBench.fullJob(
                    cluster,
                    bootstrap,
                    topic,
                    rules,
                    samples,
                    parallelism,
                    influx.url(),
                    "bench-history-warm-up",
                    checkpointInterval);
            double[] with = new double[pairs];
            double[] without = new double[pairs];
            double[] influxCpu = new double[pairs];
            double[] jvmCpuWith = new double[pairs];
            double[] jvmCpuWithout = new double[pairs];
            double[] ownWith = new double[pairs];
            double[] ownWithout = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                if (i == pairs - 1) {
                    influx.execute("DROP DATABASE " + LiveBench.HISTORY_DATABASE);
                }
                double cpuBefore = influx.cpuSeconds();
                double jvmBefore = jvmCpuSeconds();
                ThreadCpu.Reading others = ThreadCpu.read();
                with[i] =
                        LiveBench.fullJob(
                                cluster,
                                bootstrap,
                                topic,
                                rules,
                                samples,
                                parallelism,
                                influx.url(),
                                "bench-history-" + i,
                                checkpointInterval);
                influxCpu[i] = influx.cpuSeconds() - cpuBefore;
                jvmCpuWith[i] = jvmCpuSeconds() - jvmBefore;
                ownWith[i] = own(jvmCpuWith[i], others);
                jvmBefore = jvmCpuSeconds();
                others = ThreadCpu.read();
                without[i] =
                        LiveBench.fullJob(
                                cluster,
                                bootstrap,
                                topic,
                                rules,
                                samples,
                                parallelism,
                                null,
                                "bench-again-" + i,
                                checkpointInterval);
                jvmCpuWithout[i] = jvmCpuSeconds() - jvmBefore;
                ownWithout[i] = own(jvmCpuWithout[i], others);
            }
            int warmFrom = pairs / 2;
            double withMean = meanFrom(with, warmFrom);
            double withoutMean = meanFrom(without, warmFrom);
            String counted =
                    warmFrom == 0
                            ? "every pair"
                            : String.format(
                                    Locale.ROOT,
                                    "pairs %d-%d of %d, those before warming the history's code",
                                    warmFrom + 1,
                                    pairs,
                                    pairs);
            out.add(
                    String.format(
                            Locale.ROOT,
                            "full job with the InfluxDB history on: %s samples/s (mean %,.0f);"
                                    + " without, alternating with those: %s (mean %,.0f; the"
                                    + " live rounds above: %,.0f); means of %s",
                            list(with),
                            withMean,
                            list(without),
                            withoutMean,
                            firstRate,
                            counted));
            out.add(
                    String.format(
                            Locale.ROOT,
                            "CPU-seconds per run (broker and job share the JVM): JVM with history"
                                    + " %s, without %s; influxd on the same 2 cores %s",
                            list(jvmCpuWith),
                            list(jvmCpuWithout),
                            list(influxCpu)));
            out.add(
                    String.format(
                            Locale.ROOT,
                            "the history's cost in CPU: %.1f %% more in the JVM, plus influxd's"
                                    + " %.1f %% of the JVM's CPU without history",
                            100
                                    * (meanFrom(jvmCpuWith, warmFrom)
                                                    / meanFrom(jvmCpuWithout, warmFrom)
                                            - 1),
                            100
                                    * meanFrom(influxCpu, warmFrom)
                                    / meanFrom(jvmCpuWithout, warmFrom)));
            if (!Double.isNaN(mean(ownWith))) {
                double[] perPair = new double[pairs];
                for (int i = 0; i < pairs; i++) {
                    perPair[i] = 100 * (ownWith[i] / ownWithout[i] - 1);
                }
                out.add(
                        String.format(
                                Locale.ROOT,
                                "the job's own CPU-seconds (the JVM's less the embedded broker's"
                                        + " and the JIT compiler's threads) with history %s,"
                                        + " without %s (per pair %s %%): the history costs"
                                        + " %.1f %% of the job's own CPU (target <= 10 %%)",
                                list(ownWith),
                                list(ownWithout),
                                list(perPair),
                                100
                                        * (meanFrom(ownWith, warmFrom)
                                                        / meanFrom(ownWithout, warmFrom)
                                                - 1)));
            }
            out.add(
                    String.format(
                            Locale.ROOT,
                            "throughput drop with the history: %.1f %% of the mean without"
                                    + " (target <= 15 %%)",
                            100 * (1 - withMean / withoutMean)));
            long hours =
                    influx.single(
                            LiveBench.HISTORY_DATABASE, "SELECT count(samples) FROM vm_hourly");
            long weeks =
                    influx.single(
                            LiveBench.HISTORY_DATABASE, "SELECT count(samples) FROM vm_weekly");
            out.add(
                    String.format(
                            Locale.ROOT,
                            "history written: %,d VM-hours (%,d VMs x %d days = %,d expected),"
                                    + " %,d VM-weeks",
                            hours,
                            vms,
                            days,
                            (long) vms * days * 24,
                            weeks));
        }
        return out;
    }

    static double mean(double[] xs) {
        return meanFrom(xs, 0);
    }

    /** The mean of {@code xs[from..]}: the rounds after those that warm the JIT. */
    static double meanFrom(double[] xs, int from) {
        double sum = 0;
        for (int i = from; i < xs.length; i++) {
            sum += xs[i];
        }
        return sum / (xs.length - from);
    }

    static String list(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, x < 1000 ? "%.1f" : "%,.0f", x));
        }
        return b.toString();
    }

    /** A run's JVM CPU-seconds less its broker's and JIT compiler's since {@code before}. */
    static double own(double jvmSeconds, ThreadCpu.Reading before) {
        ThreadCpu.Reading now = ThreadCpu.read();
        if (now == null || before == null) {
            return Double.NaN;
        }
        ThreadCpu.Reading d = now.minus(before);
        return jvmSeconds - d.broker() - d.jit();
    }

    /** CPU time of this process (the job, the broker, the bench), user and system. */
    static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }
}
