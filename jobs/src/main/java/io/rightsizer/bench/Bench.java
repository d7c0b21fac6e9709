package io.rightsizer.bench;

import io.rightsizer.cli.SimulateCommand;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimWriters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark behind the figures in docs/performance.md (not a test): job vs bare consumer on one
 * preloaded topic, state bytes per VM, a province on RocksDB beside the heap, and replay speed over
 * a uniform fleet file. Every ratio is measured within one run, because these machines are shared
 * and noisy; each is printed on its own line ({@code ratio job/bare 0.xx}). Run with {@code
 * scripts/bench}; its header lists the options.
 */
public final class Bench {
    static final Instant END = Instant.parse("2026-11-23T00:00:00Z");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        // Every bounded run ends with checkpoints its closing tasks decline, each logged with a
        // stack trace; the bench checks each job's result itself.
        org.apache.logging.log4j.core.config.Configurator.setLevel(
                "org.apache.flink.runtime.checkpoint.CheckpointFailureManager",
                org.apache.logging.log4j.Level.ERROR);
        Map<String, String> a = parse(args);
        int vms = Integer.parseInt(a.getOrDefault("vms", "1000"));
        int days = Integer.parseInt(a.getOrDefault("days", "14"));
        int jobParallelism = Integer.parseInt(a.getOrDefault("job-parallelism", "2"));
        int replayVms = Integer.parseInt(a.getOrDefault("replay-vms", "1000"));
        int replayDays = Integer.parseInt(a.getOrDefault("replay-days", "28"));
        Path work = Paths.get(a.getOrDefault("work-dir", "target/bench"));
        boolean provinceOnly = a.containsKey("province");
        boolean skipLive = provinceOnly || a.containsKey("skip-live");
        boolean skipReplay = provinceOnly || a.containsKey("skip-replay");
        boolean skipHistory = provinceOnly || a.containsKey("skip-history");
        boolean skipProvince = a.containsKey("skip-province");
        // 2 s, not the job's 10 s: the bounded run ends with a checkpoint that waits for the next
        // trigger, which would add up to the interval to a run of 20-30 s. More frequent
        // checkpoints cost the job copy-on-write state on the heap instead (a profile: 12 % of
        // the task thread); --job-checkpoint-interval trades one for the other.
        String jobCheckpoints = a.getOrDefault("job-checkpoint-interval", "2 s");
        // The first half of the rounds warms the JVM; the ratio is the second half's (see live()).
        // Ten: in rounds 3-5 of five the C2 compiler still took 4-8 CPU-s of a ~9 s round on the
        // two cores; it takes 1-3 from round 7 on (docs/performance.md).
        int liveRounds = Integer.parseInt(a.getOrDefault("live-rounds", "10"));
        if (liveRounds < 1) {
            throw new IllegalArgumentException("--live-rounds must be at least 1");
        }
        // The same for the history's pairs of runs with and without it (see HistoryBench).
        int historyPairs = Integer.parseInt(a.getOrDefault("history-pairs", "4"));
        if (historyPairs < 1) {
            throw new IllegalArgumentException("--history-pairs must be at least 1");
        }
        Files.createDirectories(work);
        RuleSet rules = RuleSetParser.parse(Paths.get("rules/article26.yaml"));
        List<String> report = new ArrayList<>();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            createTopics(kafka);
            if (!skipLive) {
                report.addAll(
                        live(
                                kafka,
                                rules,
                                vms,
                                days,
                                jobParallelism,
                                jobCheckpoints,
                                skipHistory,
                                liveRounds,
                                historyPairs));
            }
            if (!skipProvince) {
                report.addAll(
                        ProvinceBench.run(kafka, rules, provinceOptions(a, jobParallelism), work));
            }
        }
        if (!provinceOnly) {
            report.addAll(StateSizeBench.stateSize(rules, vms));
        }
        if (!skipReplay) {
            report.add(ReplayBench.replay(rules, work, replayVms, replayDays));
        }
        if (!skipReplay && !a.containsKey("skip-prometheus")) {
            // The same fleet backfilled into Prometheus and queried with PromQL, in the same run;
            // prints `ratio replay/prometheus` (skipped with a message without promtool).
            PrometheusBaseline.run(
                    work,
                    rules,
                    LiveBench.shippedCatalog(),
                    replayVms,
                    replayDays,
                    Integer.parseInt(a.getOrDefault("replay-parallelism", "1")),
                    1,
                    System.out);
        }
        System.out.println();
        System.out.println("rightsizer bench, " + Instant.now());
        report.forEach(l -> System.out.println("  " + l));
    }

    private static void createTopics(EmbeddedKafka kafka) throws Exception {
        kafka.createTopics(1, "bench-recommendations", "bench-dead-letters");
        // The job as deployed: its firings pass the approval lifecycle, whose audit trail
        // (and the notices) must have their topics.
        kafka.createDefaultJobTopics();
    }

    /** The live job against a bare consumer on one preloaded topic, and the history's cost. */
    private static List<String> live(
            EmbeddedKafka kafka,
            RuleSet rules,
            int vms,
            int days,
            int jobParallelism,
            String checkpointInterval,
            boolean skipHistory,
            int rounds,
            int historyPairs)
            throws Exception {
        List<String> report = new ArrayList<>();
        FleetSimulator sim =
                new FleetSimulator(
                        vms,
                        END.minus(Duration.ofDays(days)),
                        days,
                        Duration.ofMinutes(5),
                        42,
                        rules.zone());
        report.add(
                String.format(
                        Locale.ROOT,
                        "fleet: %d VMs x %d days every 5 min = %,d samples (+%d malformed)",
                        vms,
                        days,
                        sim.validSampleCount(),
                        sim.invalidCount() + sim.undecodableCount()));
        String topic = "bench-metrics";
        kafka.createTopics(4, topic);
        long t0 = System.nanoTime();
        SimWriters.Counts counts = SimulateCommand.produce(sim, kafka.bootstrapServers(), topic);
        report.add(
                String.format(
                        Locale.ROOT,
                        "preload: %,d records in %.1f s",
                        counts.total(),
                        (System.nanoTime() - t0) / 1e9));
        // Alternating rounds in one JVM and, for the job, on one cluster: the first rounds pay the
        // JIT for the job's code (a C2 compiler thread took a quarter of the two cores through a
        // cold 16 s run, and compiled for 24, 12, 6, 4 and 4 s in five rounds), which a job that
        // runs for months pays once. The ratio is the mean of the second half of the rounds; every
        // round is printed with its compilation time.
        double[] bare = new double[rounds];
        double[] job = new double[rounds];
        // The job's own CPU per sample (the JVM's less the broker's and the compiler's threads,
        // as the history's cost is measured): what a change to the job's code costs or saves,
        // less swayed than samples/s by how the two cores were shared in that round.
        double[] jobCpu = new double[rounds];
        // The bare consumer's thread's CPU per sample (it polls and decodes on this thread), and
        // the share of the two cores that the embedded broker's and the JIT compiler's threads
        // took while the job ran: the bare consumer leaves a core to them, the job does not.
        // Shares are of the cores over the job's net runtime, while its CPU is counted from
        // submission to result (the job graph is built on this thread): the idle rest is, if
        // anything, understated.
        double[] bareCpu = new double[rounds];
        double[] jobShare = new double[rounds];
        double[] harnessShare = new double[rounds];
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        java.lang.management.CompilationMXBean jit =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        try (ClusterRun cluster =
                LiveBench.cluster(
                        kafka.bootstrapServers(), topic, jobParallelism, checkpointInterval)) {
            for (int i = 0; i < rounds; i++) {
                long jitBefore = jit.getTotalCompilationTime();
                long bareCpuBefore = threads.getCurrentThreadCpuTime();
                bare[i] = LiveBench.bareConsumer(kafka.bootstrapServers(), topic, counts.valid());
                bareCpu[i] =
                        (threads.getCurrentThreadCpuTime() - bareCpuBefore) / 1e3 / counts.valid();
                double cpuBefore = HistoryBench.jvmCpuSeconds();
                ThreadCpu.Reading othersBefore = ThreadCpu.read();
                job[i] =
                        LiveBench.fullJob(
                                cluster,
                                kafka.bootstrapServers(),
                                topic,
                                rules,
                                counts.valid(),
                                jobParallelism,
                                null,
                                "bench",
                                checkpointInterval);
                double jvmSeconds = HistoryBench.jvmCpuSeconds() - cpuBefore;
                double ownSeconds = HistoryBench.own(jvmSeconds, othersBefore);
                double coreSeconds = cores * counts.valid() / job[i];
                jobCpu[i] = ownSeconds / counts.valid() * 1e6;
                jobShare[i] = ownSeconds / coreSeconds;
                harnessShare[i] = (jvmSeconds - ownSeconds) / coreSeconds;
                System.out.printf(
                        Locale.ROOT,
                        "bench: live round %d of %d: bare %,.0f samples/s (its thread's CPU %.2f µs"
                            + " a sample), job %,.0f (%.2f), the job's own CPU %.2f µs a sample;"
                            + " JIT compilation %.1f s; the broker and the compiler took %.0f %% of"
                            + " the cores while the job ran%n",
                        i + 1,
                        rounds,
                        bare[i],
                        bareCpu[i],
                        job[i],
                        job[i] / bare[i],
                        jobCpu[i],
                        (jit.getTotalCompilationTime() - jitBefore) / 1000.0,
                        100 * harnessShare[i]);
            }
            int warmFrom = rounds / 2;
            double consumerRate = HistoryBench.meanFrom(bare, warmFrom);
            double jobRate = HistoryBench.meanFrom(job, warmFrom);
            report.add(
                    String.format(
                            Locale.ROOT,
                            "bare consumer (poll + decode): %,.0f samples/s%s",
                            consumerRate,
                            roundsNote(bare, warmFrom)));
            report.add(
                    String.format(
                            Locale.ROOT,
                            "full job (Kafka in, rules, exactly-once Kafka out, parallelism %d,"
                                    + " checkpoints every %s): %,.0f samples/s%s",
                            jobParallelism,
                            checkpointInterval,
                            jobRate,
                            roundsNote(job, warmFrom)));
            report.add(
                    String.format(
                            Locale.ROOT,
                            "the job's own CPU (the JVM's less the broker's and the JIT compiler's"
                                    + " threads): %.2f µs a sample (rounds %s)",
                            HistoryBench.meanFrom(jobCpu, warmFrom),
                            twoDecimals(jobCpu)));
            double own = HistoryBench.meanFrom(jobShare, warmFrom);
            double harness = HistoryBench.meanFrom(harnessShare, warmFrom);
            report.add(
                    String.format(
                            Locale.ROOT,
                            "the bare consumer's thread: %.2f µs a sample; of the %d cores while"
                                    + " the job ran: the job's own threads %.0f %%, the broker's"
                                    + " and the JIT compiler's %.0f %% (rounds %s), idle %.0f %%",
                            HistoryBench.meanFrom(bareCpu, warmFrom),
                            cores,
                            100 * own,
                            100 * harness,
                            twoDecimals(harnessShare),
                            100 * (1 - own - harness)));
            report.add(
                    String.format(
                            Locale.ROOT,
                            "ratio job/bare %.2f (target >= 0.6 at the default parallelism, >= 0.7"
                                    + " at 1)%s",
                            jobRate / consumerRate,
                            rounds > 1
                                    ? String.format(
                                            Locale.ROOT,
                                            "; cold JVM (round 1): %.2f",
                                            job[0] / bare[0])
                                    : ""));
            if (!skipHistory) {
                report.addAll(
                        HistoryBench.withHistory(
                                cluster,
                                kafka.bootstrapServers(),
                                topic,
                                rules,
                                counts.valid(),
                                jobParallelism,
                                jobRate,
                                vms,
                                days,
                                checkpointInterval,
                                historyPairs));
            }
        }
        return report;
    }

    /** Every round's figure, "a, b, c", with two decimals. */
    private static String twoDecimals(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return b.toString();
    }

    /** "", or the rounds behind a mean: "(mean of rounds 3-5: a, b, c; round 1, cold: d)". */
    private static String roundsNote(double[] xs, int from) {
        if (xs.length == 1) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (mean of rounds ").append(from + 1);
        b.append(xs.length - 1 > from ? "-" + xs.length : "").append(':');
        for (int i = from; i < xs.length; i++) {
            b.append(String.format(Locale.ROOT, "%s %,.0f", i > from ? "," : "", xs[i]));
        }
        return b.append(String.format(Locale.ROOT, "; round 1, cold JVM: %,.0f)", xs[0]))
                .toString();
    }

    private static ProvinceBench.Options provinceOptions(Map<String, String> a, int parallelism) {
        Map<String, String> rocksdb = ProvinceBench.recommendedRocksDb();
        if (a.containsKey("rocksdb-timers")) {
            rocksdb.put(
                    "state.backend.rocksdb.timer-service.factory",
                    a.get("rocksdb-timers").toUpperCase(Locale.ROOT));
        }
        for (String kv : a.getOrDefault("rocksdb-conf", "").split(";")) {
            if (!kv.isBlank()) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException(
                            "--rocksdb-conf takes key=value;key=value, got " + kv);
                }
                rocksdb.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        Duration interval =
                Duration.ofMinutes(
                        Long.parseLong(a.getOrDefault("province-interval-minutes", "60")));
        // The deadman as a deployment that samples this coarsely would set it: twice the
        // interval. With the job's default (1 h) every VM of a fleet sampled every 4 h is reported
        // silent and resumed between any two samples, two data-quality records per sample that a
        // fleet sampled every minute, which the province stands for, never writes.
        Duration silenceAfter =
                a.containsKey("province-silence-after")
                        ? io.rightsizer.rules.format.DurationText.parse(
                                a.get("province-silence-after"))
                        : interval.multipliedBy(2);
        return new ProvinceBench.Options(
                Integer.parseInt(a.getOrDefault("province-vms", "100000")),
                Integer.parseInt(a.getOrDefault("province-days", "1")),
                interval,
                parallelism,
                a.getOrDefault("province-checkpoint-interval", "10 s"),
                rocksdb,
                !a.containsKey("skip-restore"),
                Integer.parseInt(a.getOrDefault("province-rounds", "3")),
                silenceAfter);
    }

    /** Removes a directory the bench wrote, best effort. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover under target/bench does no harm.
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String k = args[i].substring(2);
                if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    m.put(k, args[++i]);
                } else {
                    m.put(k, "");
                }
            }
        }
        return m;
    }
}
