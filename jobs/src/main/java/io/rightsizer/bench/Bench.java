package io.rightsizer.bench;

import io.rightsizer.cli.SimulateCommand;
import io.rightsizer.job.JobConfig;
import io.rightsizer.job.ReplayJob;
import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.RightsizerOptions;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.LocalInfluxDb;
import io.rightsizer.local.TopicReader;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetParser;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.sim.Behaviour;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimWriters;
import io.rightsizer.telemetry.SampleCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark behind the figures in docs/performance.md (not a test): job vs bare consumer on one
 * preloaded topic, state bytes per VM, and replay speed over a uniform fleet file. Every ratio is
 * measured within one run, because these machines are shared and noisy. Run with {@code
 * scripts/bench}.
 */
public final class Bench {
    private static final Instant END = Instant.parse("2026-11-23T00:00:00Z");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        int vms = Integer.parseInt(a.getOrDefault("vms", "1000"));
        int days = Integer.parseInt(a.getOrDefault("days", "14"));
        int jobParallelism = Integer.parseInt(a.getOrDefault("job-parallelism", "2"));
        int replayVms = Integer.parseInt(a.getOrDefault("replay-vms", "1000"));
        int replayDays = Integer.parseInt(a.getOrDefault("replay-days", "28"));
        Path work = Paths.get(a.getOrDefault("work-dir", "target/bench"));
        boolean skipReplay = a.containsKey("skip-replay");
        boolean skipHistory = a.containsKey("skip-history");
        Files.createDirectories(work);
        RuleSet rules = RuleSetParser.parse(Paths.get("rules/article26.yaml"));
        Duration interval = Duration.ofMinutes(5);
        List<String> report = new ArrayList<>();

        FleetSimulator sim =
                new FleetSimulator(
                        vms, END.minus(Duration.ofDays(days)), days, interval, 42, rules.zone());
        report.add(
                String.format(
                        Locale.ROOT,
                        "fleet: %d VMs x %d days every 5 min = %,d samples (+%d malformed)",
                        vms,
                        days,
                        sim.validSampleCount(),
                        sim.invalidCount() + sim.undecodableCount()));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            String topic = "bench-metrics";
            kafka.createTopics(4, topic);
            kafka.createTopics(1, "bench-recommendations", "bench-dead-letters");
            kafka.createRulesTopics(
                    RightsizerOptions.RULES_TOPIC.defaultValue(),
                    RightsizerOptions.RULES_STATUS_TOPIC.defaultValue());
            // The job as deployed: its firings pass the approval lifecycle, whose audit trail
            // (and the notices) must have their topics.
            kafka.createApprovalTopics(
                    1,
                    RightsizerOptions.INVENTORY_TOPIC.defaultValue(),
                    RightsizerOptions.DECISIONS_TOPIC.defaultValue(),
                    RightsizerOptions.EVENTS_TOPIC.defaultValue(),
                    RightsizerOptions.NOTICES_TOPIC.defaultValue(),
                    RightsizerOptions.DATA_QUALITY_TOPIC.defaultValue());
            long t0 = System.nanoTime();
            SimWriters.Counts counts =
                    SimulateCommand.produce(sim, kafka.bootstrapServers(), topic);
            double preload = (System.nanoTime() - t0) / 1e9;
            report.add(
                    String.format(
                            Locale.ROOT,
                            "preload: %,d records in %.1f s",
                            counts.total(),
                            preload));

            double consumerRate = bareConsumer(kafka.bootstrapServers(), topic, counts.valid());
            double jobRate =
                    fullJob(
                            kafka.bootstrapServers(),
                            topic,
                            rules,
                            counts.valid(),
                            jobParallelism,
                            null,
                            "bench");
            report.add(
                    String.format(
                            Locale.ROOT,
                            "bare consumer (poll + decode): %,.0f samples/s",
                            consumerRate));
            report.add(
                    String.format(
                            Locale.ROOT,
                            "full job (Kafka in, rules, exactly-once Kafka out, parallelism %d):"
                                    + " %,.0f samples/s",
                            jobParallelism,
                            jobRate));
            report.add(
                    String.format(
                            Locale.ROOT,
                            "ratio job / bare consumer: %.2f (target >= 0.50)",
                            jobRate / consumerRate));
            if (!skipHistory) {
                report.addAll(
                        withHistory(
                                kafka.bootstrapServers(),
                                topic,
                                rules,
                                counts.valid(),
                                jobParallelism,
                                jobRate,
                                vms,
                                days));
            }
        }

        report.addAll(stateSize(rules, vms));

        if (!skipReplay) {
            Path file = work.resolve("fleet-" + replayVms + "vms-" + replayDays + "d-5m.jsonl");
            FleetSimulator big =
                    new FleetSimulator(
                            replayVms,
                            END.minus(Duration.ofDays(replayDays)),
                            replayDays,
                            interval,
                            1,
                            rules.zone());
            if (!Files.exists(file)) {
                SimWriters.writeJsonLines(big, file);
            }
            long t0 = System.nanoTime();
            ReplayJob.Result r =
                    ReplayJob.run(
                            rules,
                            shippedCatalog(),
                            file,
                            1,
                            Duration.ofMinutes(5),
                            Duration.ofDays(42),
                            null,
                            new Configuration());
            double secs = (System.nanoTime() - t0) / 1e9;
            report.add(
                    String.format(
                            Locale.ROOT,
                            "replay: %,d samples (%,d MB JSON Lines) in %.1f s end to end ="
                                    + " %,.0f samples/s (target >= 350,000); %d recommendations",
                            big.validSampleCount(),
                            Files.size(file) / 1_000_000,
                            secs,
                            big.validSampleCount() / secs,
                            r.recommendations().size()));
        }
        System.out.println();
        System.out.println("rightsizer bench, " + Instant.now());
        report.forEach(l -> System.out.println("  " + l));
    }

    static double bareConsumer(String bootstrap, String topic, long expected) {
        Properties p = TopicReader.properties(bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long t0 = System.nanoTime();
        long valid = 0;
        try (KafkaConsumer<byte[], byte[]> c = TopicReader.fromBeginning(p, topic)) {
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            while (!TopicReader.atEnd(c, end)) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (SampleCodec.decode(r.value()).ok()) {
                        valid++;
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (valid != expected) {
            throw new IllegalStateException("consumer decoded " + valid + " of " + expected);
        }
        return valid / secs;
    }

    /**
     * The full job with the utilization history written to a local influxd, alternating with runs
     * without it (after one uncounted warm-up run with it: with, without, with, without, ...;
     * alternating spreads the machine's drift over both), both means, the drop, the CPU each side
     * used, and what reached InfluxDB (the last run with history writes into a fresh database).
     */
    static List<String> withHistory(
            String bootstrap,
            String topic,
            RuleSet rules,
            long samples,
            int parallelism,
            double firstRate,
            int vms,
            int days)
            throws Exception {
        List<String> out = new ArrayList<>();
        if (LocalInfluxDb.binary().isEmpty()) {
            out.add("history: skipped, " + LocalInfluxDb.installHint());
            return out;
        }
        try (LocalInfluxDb influx = LocalInfluxDb.start(0, null, Duration.ofSeconds(60))) {
            // A first run with the history, not counted: the runs without it are warm already
            // (the cold run above), and the history's code must be too.
            fullJob(
                    bootstrap,
                    topic,
                    rules,
                    samples,
                    parallelism,
                    influx.url(),
                    "bench-history-warm-up");
            int pairs = 3;
            double[] with = new double[pairs];
            double[] without = new double[pairs];
            double[] influxCpu = new double[pairs];
            double[] jvmCpuWith = new double[pairs];
            double[] jvmCpuWithout = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                if (i == pairs - 1) {
                    influx.execute("DROP DATABASE " + HISTORY_DATABASE);
                }
                double cpuBefore = influx.cpuSeconds();
                double jvmBefore = jvmCpuSeconds();
                with[i] =
                        fullJob(
                                bootstrap,
                                topic,
                                rules,
                                samples,
                                parallelism,
                                influx.url(),
                                "bench-history-" + i);
                influxCpu[i] = influx.cpuSeconds() - cpuBefore;
                jvmCpuWith[i] = jvmCpuSeconds() - jvmBefore;
                jvmBefore = jvmCpuSeconds();
                without[i] =
                        fullJob(
                                bootstrap,
                                topic,
                                rules,
                                samples,
                                parallelism,
                                null,
                                "bench-again-" + i);
                jvmCpuWithout[i] = jvmCpuSeconds() - jvmBefore;
            }
            double withMean = mean(with);
            double withoutMean = mean(without);
            out.add(
                    String.format(
                            Locale.ROOT,
                            "full job with the InfluxDB history on: %s samples/s (mean %,.0f);"
                                    + " without, alternating with those: %s (mean %,.0f; the"
                                    + " first, cold run above: %,.0f)",
                            list(with),
                            withMean,
                            list(without),
                            withoutMean,
                            firstRate));
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
                            100 * (mean(jvmCpuWith) / mean(jvmCpuWithout) - 1),
                            100 * mean(influxCpu) / mean(jvmCpuWithout)));
            out.add(
                    String.format(
                            Locale.ROOT,
                            "throughput drop with the history: %.1f %% of the mean without"
                                    + " (target <= 15 %%)",
                            100 * (1 - withMean / withoutMean)));
            long hours = influx.single(HISTORY_DATABASE, "SELECT count(samples) FROM vm_hourly");
            long weeks = influx.single(HISTORY_DATABASE, "SELECT count(samples) FROM vm_weekly");
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

    private static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    private static String list(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, x < 1000 ? "%.1f" : "%,.0f", x));
        }
        return b.toString();
    }

    /** CPU time of this process (the job, the broker, the bench), user and system. */
    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    static final String HISTORY_DATABASE = "bench";

    static double fullJob(
            String bootstrap,
            String topic,
            RuleSet rules,
            long samples,
            int parallelism,
            String influxUrl,
            String transactionalIdPrefix)
            throws Exception {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("kafka.bootstrap-servers", bootstrap);
        settings.put("kafka.topics.metrics", topic);
        settings.put("kafka.topics.recommendations", "bench-recommendations");
        settings.put("kafka.topics.dead-letters", "bench-dead-letters");
        settings.put("kafka.starting-offsets", "earliest");
        settings.put("kafka.transactional-id-prefix", transactionalIdPrefix);
        settings.put("checkpoint.interval", "2 s");
        settings.put("parallelism", String.valueOf(parallelism));
        if (influxUrl != null) {
            settings.put("influxdb.enabled", "true");
            settings.put("influxdb.url", influxUrl);
            settings.put("influxdb.database", HISTORY_DATABASE);
        }
        JobConfig cfg = JobConfig.of(settings);
        Configuration conf = RightsizerJob.flinkConfiguration(cfg);
        RightsizerJob.useLocalCheckpointDir(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        RightsizerJob.configure(env, cfg);
        // A bounded run reads no inventory, so no time limits are watched.
        RightsizerJob.define(env, cfg, rules, shippedCatalog(), null, bootstrap, true);
        JobExecutionResult r = env.execute("bench");
        return samples / (r.getNetRuntime() / 1000.0);
    }

    /** The repository's catalog: the bench runs from the repository root, like the demo. */
    static io.rightsizer.rules.Sizing shippedCatalog() throws Exception {
        return new io.rightsizer.rules.Sizing(
                io.rightsizer.rules.CatalogParser.parse(Paths.get("config/catalog.yaml")));
    }

    /** Runs the fleet through the same evaluator the operator uses and sizes what it keeps. */
    static List<String> stateSize(RuleSet rules, int vms) {
        FleetSimulator sim =
                new FleetSimulator(
                        vms,
                        END.minus(Duration.ofDays(21)),
                        21,
                        Duration.ofMinutes(5),
                        42,
                        rules.zone());
        VmEvaluator ev = new VmEvaluator(rules);
        Map<String, VmState> states = new HashMap<>();
        long[] max = {Long.MIN_VALUE};
        long[] watermark = {Long.MIN_VALUE};
        RuleListener none = r -> {};
        sim.generate(
                (Sample s) -> {
                    VmState st = states.computeIfAbsent(s.vmId, k -> new VmState());
                    if (ev.admit(st, s, watermark[0]) == Admission.ACCEPTED) {
                        ev.advance(st, s.vmId, watermark[0], false, none);
                    }
                    if (s.timestamp > max[0]) {
                        max[0] = s.timestamp;
                        watermark[0] = max[0] - Duration.ofMinutes(5).toMillis() - 1;
                    }
                });
        for (Map.Entry<String, VmState> e : states.entrySet()) {
            ev.advance(e.getValue(), e.getKey(), watermark[0], false, none);
        }
        TypeSerializer<VmState> ser =
                TypeInformation.of(VmState.class).createSerializer(new SerializerConfigImpl());
        long serNormal = 0;
        long heapNormal = 0;
        int normal = 0;
        long serMax = 0;
        long heapMax = 0;
        DataOutputSerializer out = new DataOutputSerializer(1024);
        for (int i = 0; i < vms; i++) {
            VmState st = states.get(sim.vmId(i));
            out.clear();
            try {
                ser.serialize(st, out);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            long heap = HeapSize.of(st);
            serMax = Math.max(serMax, out.length());
            heapMax = Math.max(heapMax, heap);
            if (sim.behaviour(i) == Behaviour.NORMAL) {
                serNormal += out.length();
                heapNormal += heap;
                normal++;
            }
        }
        return List.of(
                String.format(
                        Locale.ROOT,
                        "state per VM (after 21 days of 5-min samples, %d VMs): normal VM %d B on"
                                + " the heap, %d B serialized in a checkpoint; largest (any"
                                + " behaviour) %d B heap, %d B serialized; plus ~3 timers of"
                                + " ~%d B (target <= 1 KB)",
                        vms,
                        heapNormal / Math.max(1, normal),
                        serNormal / Math.max(1, normal),
                        heapMax,
                        serMax,
                        40 + 8 + 16));
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
