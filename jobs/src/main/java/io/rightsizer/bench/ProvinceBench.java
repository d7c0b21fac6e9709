package io.rightsizer.bench;

import io.rightsizer.cli.SimulateCommand;
import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimWriters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A province on one machine: the live job over a large fleet on the RocksDB state backend
 * (incremental checkpoints) and on the heap, back to back in one run. Per backend: samples/s of a
 * run bounded at the topic's end; then an unbounded run until the job has committed the topic's end
 * (every VM's state is in its checkpoints), a checkpoint on request (its size, the size of
 * vm-rules' state per VM, its duration), and a restore from the checkpoint the cancelled job left
 * (seconds from submission until every task runs, against the same job started without state).
 */
final class ProvinceBench {
    static final String TOPIC = "bench-province";

    private ProvinceBench() {}

    /** What the province section measures, from the command line. */
    record Options(
            int vms,
            int days,
            Duration interval,
            int parallelism,
            String checkpointInterval,
            Map<String, String> rocksdb,
            boolean restore,
            int rounds,
            Duration silenceAfter) {}

    record Figures(ClusterRun.Checkpoint checkpoint, double startSeconds, double restoreSeconds) {}

    /** The RocksDB settings the bench uses unless told otherwise: the recommended ones. */
    static Map<String, String> recommendedRocksDb() {
        Map<String, String> m = new HashMap<>();
        m.put("state.backend.type", "rocksdb");
        m.put("execution.checkpointing.incremental", "true");
        m.put("state.backend.rocksdb.timer-service.factory", "HEAP");
        // A TaskManager sized as docs/cluster.md says, its managed memory (RocksDB's block cache
        // and write buffers) holding the VMs' state; a local cluster's default of 128 MB, shared
        // by every operator's RocksDB, kept the province's reads on disk.
        m.put("taskmanager.memory.managed.size", "1g");
        return m;
    }

    static List<String> run(EmbeddedKafka kafka, RuleSet rules, Options o, Path work)
            throws Exception {
        List<String> out = new ArrayList<>();
        FleetSimulator sim =
                new FleetSimulator(
                        o.vms(),
                        Bench.END.minus(Duration.ofDays(o.days())),
                        o.days(),
                        o.interval(),
                        7,
                        rules.zone());
        kafka.createTopics(4, TOPIC);
        long t0 = System.nanoTime();
        SimWriters.Counts counts = SimulateCommand.produce(sim, kafka.bootstrapServers(), TOPIC);
        out.add(
                String.format(
                        Locale.ROOT,
                        "province: %,d VMs x %d days every %d min = %,d samples, preloaded in %.1f"
                            + " s; parallelism %d, checkpoints every %s, data-quality.silence-after"
                            + " %s",
                        o.vms(),
                        o.days(),
                        o.interval().toMinutes(),
                        counts.valid(),
                        (System.nanoTime() - t0) / 1e9,
                        o.parallelism(),
                        o.checkpointInterval(),
                        DurationText.format(o.silenceAfter())));
        Map<String, String> heap = Map.of("state.backend.type", "hashmap");
        double[] heapRates = new double[o.rounds()];
        double[] rocksRates = new double[o.rounds()];
        for (int i = 0; i < o.rounds(); i++) {
            heapRates[i] = bounded(kafka, rules, o, heap, counts.valid(), work, "heap-" + i);
            rocksRates[i] =
                    bounded(kafka, rules, o, o.rocksdb(), counts.valid(), work, "rocksdb-" + i);
            progress("heap %,.0f samples/s, rocksdb %,.0f", heapRates[i], rocksRates[i]);
        }
        Figures h = null;
        Figures r = null;
        if (o.restore()) {
            h = checkpointAndRestore(kafka, rules, o, heap, work, "heap");
            progress("heap %s", h);
            r = checkpointAndRestore(kafka, rules, o, o.rocksdb(), work, "rocksdb");
            progress("rocksdb %s", r);
        }
        out.add(line("heap (hashmap)", heapRates, h, o.vms()));
        out.add(line("rocksdb " + describe(o.rocksdb()), rocksRates, r, o.vms()));
        // As for the live job: the first half of the rounds warms the JIT (a cold heap run was a
        // third of a warm one), the figures are the mean of the second half.
        int warm = o.rounds() / 2;
        double heapMean = HistoryBench.meanFrom(heapRates, warm);
        double rocksMean = HistoryBench.meanFrom(rocksRates, warm);
        out.add(
                String.format(
                        Locale.ROOT,
                        "ratio rocksdb/heap %.2f (rocksdb %,.0f samples/s, heap %,.0f, %,d VMs;"
                                + " %s; target >= 0.35 and >= 50,000 samples/s at 100,000 VMs)",
                        rocksMean / heapMean,
                        rocksMean,
                        heapMean,
                        o.vms(),
                        warm == 0
                                ? "one cold round"
                                : String.format(
                                        Locale.ROOT,
                                        "mean of rounds %d-%d, the first %d warming the JIT",
                                        warm + 1,
                                        o.rounds(),
                                        warm)));
        return out;
    }

    /** Each figure as soon as it is measured: a long run that fails later still leaves them. */
    private static void progress(String format, Object... args) {
        System.out.println("bench progress: " + String.format(Locale.ROOT, format, args));
    }

    private static String line(String backend, double[] rates, Figures f, int vms) {
        String s =
                String.format(Locale.ROOT, "%s: %s samples/s", backend, HistoryBench.list(rates));
        if (f == null) {
            return s;
        }
        ClusterRun.Checkpoint c = f.checkpoint();
        return s
                + String.format(
                        Locale.ROOT,
                        "; checkpoint of the whole state %,.1f MB (this one uploaded %,.1f MB),"
                                + " vm-rules %,d B per VM, in %,d ms; start without state %.1f s,"
                                + " restore from the checkpoint %.1f s",
                        c.stateBytes() / 1e6,
                        c.checkpointedBytes() / 1e6,
                        c.operatorBytes() / vms,
                        c.durationMs(),
                        f.startSeconds(),
                        f.restoreSeconds());
    }

    private static String describe(Map<String, String> rocksdb) {
        Map<String, String> shown = new java.util.TreeMap<>(rocksdb);
        shown.remove("state.backend.type");
        return shown.toString();
    }

    private static JobConfig config(
            EmbeddedKafka kafka,
            Options o,
            Map<String, String> backend,
            Path work,
            String run,
            boolean keepCheckpoints)
            throws Exception {
        Map<String, String> settings =
                LiveBench.settings(
                        kafka.bootstrapServers(),
                        TOPIC,
                        o.parallelism(),
                        null,
                        "bench-province-" + run,
                        o.checkpointInterval());
        settings.put("kafka.group-id", "bench-province-" + run);
        settings.put("data-quality.silence-after", DurationText.format(o.silenceAfter()));
        backend.forEach((k, v) -> settings.put("flink." + k, v));
        Path dir = Files.createDirectories(work.resolve("checkpoints").resolve(run));
        settings.put("flink.execution.checkpointing.dir", dir.toUri().toString());
        if (keepCheckpoints) {
            settings.put(
                    "flink.execution.checkpointing.externalized-checkpoint-retention",
                    "RETAIN_ON_CANCELLATION");
        }
        return JobConfig.of(settings);
    }

    private static org.apache.flink.streaming.api.graph.StreamGraph graph(
            Configuration conf, JobConfig cfg, RuleSet rules, String bootstrap, boolean bounded)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        RightsizerJob.configure(env, cfg);
        // A bounded run reads no inventory, so it watches no time limits; the live one does.
        RightsizerJob.define(
                env,
                cfg,
                rules,
                LiveBench.shippedCatalog(),
                bounded ? null : cfg.timeLimits(),
                bootstrap,
                bounded);
        return env.getStreamGraph();
    }

    private static double bounded(
            EmbeddedKafka kafka,
            RuleSet rules,
            Options o,
            Map<String, String> backend,
            long samples,
            Path work,
            String run)
            throws Exception {
        JobConfig cfg = config(kafka, o, backend, work, run, false);
        Configuration conf = RightsizerJob.flinkConfiguration(cfg);
        try (ClusterRun c = new ClusterRun(conf, o.parallelism())) {
            JobID job = c.submit(graph(conf, cfg, rules, kafka.bootstrapServers(), true));
            return samples / (c.awaitSuccess(job) / 1000.0);
        } finally {
            Bench.deleteTree(work.resolve("checkpoints").resolve(run));
        }
    }

    private static Figures checkpointAndRestore(
            EmbeddedKafka kafka,
            RuleSet rules,
            Options o,
            Map<String, String> backend,
            Path work,
            String name)
            throws Exception {
        String run = name + "-restore";
        JobConfig cfg = config(kafka, o, backend, work, run, true);
        Configuration conf = RightsizerJob.flinkConfiguration(cfg);
        try (ClusterRun c = new ClusterRun(conf, o.parallelism())) {
            long t0 = System.nanoTime();
            JobID job = c.submit(graph(conf, cfg, rules, kafka.bootstrapServers(), false));
            require(c.awaitRunning(job, Duration.ofMinutes(2)), "job running");
            double start = (System.nanoTime() - t0) / 1e9;
            awaitCommitted(kafka, "bench-province-" + run, Duration.ofMinutes(30));
            ClusterRun.Checkpoint checkpoint = c.checkpoint(job, "vm-rules");
            c.cancel(job);
            String retained = c.latestCheckpoint(job);

            Configuration restored = new Configuration(conf);
            restored.set(StateRecoveryOptions.SAVEPOINT_PATH, retained);
            long t1 = System.nanoTime();
            JobID again = c.submit(graph(restored, cfg, rules, kafka.bootstrapServers(), false));
            require(c.awaitRunning(again, Duration.ofMinutes(10)), "restored job running");
            double restore = (System.nanoTime() - t1) / 1e9;
            c.cancel(again);
            return new Figures(checkpoint, start, restore);
        } finally {
            Bench.deleteTree(work.resolve("checkpoints").resolve(run));
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("timed out waiting for: " + what);
        }
    }

    /**
     * Until the job's consumer group has committed the end of every partition of the topic: the job
     * commits on each completed checkpoint, so then every sample is in its state.
     */
    private static void awaitCommitted(EmbeddedKafka kafka, String group, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p = 0; p < 4; p++) {
                ask.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, i) -> end.put(tp, i.offset()));
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean all = true;
                for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                    OffsetAndMetadata m = committed.get(e.getKey());
                    all &= m != null && m.offset() >= e.getValue();
                }
                if (all) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the job did not commit the end of " + TOPIC);
    }
}
