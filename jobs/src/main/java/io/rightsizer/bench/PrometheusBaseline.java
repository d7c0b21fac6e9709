package io.rightsizer.bench;

import io.rightsizer.job.ReplayJob;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimRecord;
import io.rightsizer.sim.SimWriters;
import io.rightsizer.telemetry.SampleCodec;
import java.io.IOException;
import java.io.PrintStream;
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
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.configuration.Configuration;

/**
 * {@code rightsizer replay} against Prometheus itself on the same fleet, in one run: the replay of
 * the JSON Lines file end to end (MiniCluster start to sorted recommendations), the same samples as
 * an Avro container file, and Prometheus 2.x doing the two weekly memory rules (promtool backfill
 * of the samples as OpenMetrics, a server on the blocks, one PromQL query per rule and week). Both
 * sides must agree on the number of weekly scale-ups and underuse findings; the ratio is of samples
 * per second, each side's samples being the fleet's valid samples. Run alone with {@code
 * scripts/bench-replay}, or through {@link #run} from the bench.
 */
public final class PrometheusBaseline {
    /** The bench's replay fleet: same end, interval and seed as {@code scripts/bench}. */
    static final Instant END = Instant.parse("2026-11-23T00:00:00Z");

    static final long FLEET_SEED = 1;

    private PrometheusBaseline() {}

    /** One round's figures; Prometheus's are NaN / -1 when it was skipped. */
    public record Figures(
            long samples,
            int replayParallelism,
            double replaySeconds,
            double replayCpu,
            long replayScaleUps,
            long replayUnderuse,
            double avroSeconds,
            double avroCpu,
            double convertSeconds,
            long openMetricsPoints,
            double backfillSeconds,
            double serverStartSeconds,
            double querySeconds,
            double prometheusCpu,
            long promScaleUps,
            long promUnderuse) {
        public double replayRate() {
            return samples / replaySeconds;
        }

        public double avroRate() {
            return samples / avroSeconds;
        }

        /** Backfill + server start to ready + queries; the conversion to OpenMetrics excluded. */
        public double prometheusSeconds() {
            return backfillSeconds + serverStartSeconds + querySeconds;
        }

        public double prometheusRate() {
            return samples / prometheusSeconds();
        }

        public boolean prometheusRan() {
            return !Double.isNaN(backfillSeconds);
        }

        public double ratio() {
            return replayRate() / prometheusRate();
        }
    }

    /** The fleet file of {@code scripts/bench}: written once under {@code work}, then reused. */
    public static Path fleetFile(Path work, RuleSet rules, int vms, int days) throws IOException {
        Path file = work.resolve("fleet-" + vms + "vms-" + days + "d-5m.jsonl");
        if (!Files.exists(file)) {
            Files.createDirectories(work);
            SimWriters.writeJsonLines(fleet(rules, vms, days), file);
        }
        return file;
    }

    static FleetSimulator fleet(RuleSet rules, int vms, int days) {
        return new FleetSimulator(
                vms,
                END.minus(Duration.ofDays(days)),
                days,
                Duration.ofMinutes(5),
                FLEET_SEED,
                rules.zone());
    }

    /**
     * The same fleet's valid samples as an Avro object container file (the malformed records of the
     * JSON Lines file have no MetricSample form), written once.
     */
    static Path avroFile(Path work, RuleSet rules, int vms, int days) throws IOException {
        Path file = work.resolve("fleet-" + vms + "vms-" + days + "d-5m.avro");
        if (Files.exists(file)) {
            return file;
        }
        Path tmp = work.resolve(file.getFileName() + ".tmp");
        try (DataFileWriter<MetricSample> w =
                new DataFileWriter<>(new SpecificDatumWriter<>(MetricSample.class))) {
            w.setCodec(CodecFactory.nullCodec());
            w.create(MetricSample.getClassSchema(), tmp.toFile());
            fleet(rules, vms, days)
                    .records(
                            r -> {
                                if (r instanceof SimRecord.Valid v) {
                                    try {
                                        w.append(SampleCodec.toAvro(v.sample()));
                                    } catch (IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    }
                                }
                            });
        }
        Files.move(tmp, file);
        return file;
    }

    /**
     * Runs {@code rounds} rounds (replay of JSON Lines, replay of Avro, Prometheus), prints each
     * round's raw figures and the {@code ratio replay/prometheus} line to {@code out}, and returns
     * the figures. Prometheus is skipped, with a message, when promtool or prometheus is missing.
     */
    public static List<Figures> run(
            Path work,
            RuleSet rules,
            Sizing sizing,
            int vms,
            int days,
            int replayParallelism,
            int rounds,
            PrintStream out)
            throws Exception {
        Path json = fleetFile(work, rules, vms, days);
        Path avro = avroFile(work, rules, vms, days);
        long samples = fleet(rules, vms, days).validSampleCount();
        out.printf(
                Locale.ROOT,
                "replay fleet: %s (%,d MB, %,d valid samples); %s (%,d MB)%n",
                json,
                Files.size(json) / 1_000_000,
                samples,
                avro.getFileName(),
                Files.size(avro) / 1_000_000);
        var missing = PrometheusSide.missing();
        PrometheusSide.Converted om = null;
        Path omFile = work.resolve(json.getFileName() + ".om");
        double convert = Double.NaN;
        if (missing.isEmpty()) {
            long t0 = System.nanoTime();
            om = PrometheusSide.openMetrics(json, omFile);
            convert = (System.nanoTime() - t0) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "openmetrics: %,d points (counted memory samples) in %.1f s (0 when"
                            + " written by an earlier run), not counted in Prometheus's time%n",
                    om.points(),
                    convert);
        } else {
            out.println("prometheus: " + missing.get());
        }
        List<Figures> all = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double c0 = jvmCpuSeconds();
            long t0 = System.nanoTime();
            ReplayJob.Result r = replay(rules, sizing, json, replayParallelism);
            double replaySecs = (System.nanoTime() - t0) / 1e9;
            double replayCpu = jvmCpuSeconds() - c0;
            Map<String, Long> perRule = perRule(r.recommendations());
            c0 = jvmCpuSeconds();
            t0 = System.nanoTime();
            ReplayJob.Result ra = replay(rules, sizing, avro, replayParallelism);
            double avroSecs = (System.nanoTime() - t0) / 1e9;
            double avroCpu = jvmCpuSeconds() - c0;
            if (!perRule(ra.recommendations()).equals(perRule)) {
                throw new IllegalStateException(
                        "the Avro replay disagrees with the JSON Lines replay: "
                                + perRule(ra.recommendations())
                                + " vs "
                                + perRule);
            }
            double backfill = Double.NaN;
            double start = Double.NaN;
            double query = Double.NaN;
            double promCpu = Double.NaN;
            long promUp = -1;
            long promUnder = -1;
            if (om != null) {
                Path tsdb = work.resolve("prometheus-tsdb");
                PrometheusSide.deleteRecursively(tsdb);
                Files.createDirectories(tsdb);
                backfill =
                        PrometheusSide.backfill(
                                omFile, tsdb, Duration.ofDays(31), work.resolve("promtool.log"));
                t0 = System.nanoTime();
                try (PrometheusSide.Server s =
                        PrometheusSide.Server.start(tsdb, work, Duration.ofMinutes(2))) {
                    start = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    promUp = 0;
                    promUnder = 0;
                    for (PrometheusSide.Week w :
                            PrometheusSide.weeks(om.minTs(), om.maxTs(), rules.zone())) {
                        PrometheusSide.WeekQueries q =
                                new PrometheusSide.WeekQueries(
                                        w,
                                        rules.weeklyAverage().averageAbovePct(),
                                        rules.weeklyAverage().minCoveredHours(),
                                        rules.weeklyUnderuse().averageAtMostPct(),
                                        rules.weeklyUnderuse().peakAtMostPct());
                        promUp += s.count(q.scaleUp, w.end());
                        promUnder += s.count(q.underuse, w.end());
                    }
                    query = (System.nanoTime() - t0) / 1e9;
                    promCpu = PrometheusSide.lastBackfillCpu + s.cpuSeconds();
                }
            }
            Figures f =
                    new Figures(
                            samples,
                            replayParallelism,
                            replaySecs,
                            replayCpu,
                            perRule.getOrDefault(Rule.WEEKLY_AVERAGE.id(), 0L),
                            perRule.getOrDefault(Rule.WEEKLY_UNDERUSE.id(), 0L),
                            avroSecs,
                            avroCpu,
                            convert,
                            om == null ? -1 : om.points(),
                            backfill,
                            start,
                            query,
                            promCpu,
                            promUp,
                            promUnder);
            print(round, f, out);
            all.add(f);
        }
        return all;
    }

    private static ReplayJob.Result replay(
            RuleSet rules, Sizing sizing, Path input, int parallelism) throws Exception {
        // The arguments of `rightsizer replay` with its defaults but the parallelism.
        return ReplayJob.run(
                rules,
                sizing,
                input,
                parallelism,
                FleetSimulator.WATERMARK_BOUND,
                Duration.ofDays(42),
                null,
                new Configuration());
    }

    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    static Map<String, Long> perRule(List<Recommendation> recs) {
        Map<String, Long> m = new HashMap<>();
        for (Recommendation r : recs) {
            m.merge(r.getRuleId(), 1L, Long::sum);
        }
        return m;
    }

    static void print(int round, Figures f, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "round %d: replay (parallelism %d) JSON Lines %.2f s = %,.0f samples/s, %.1f"
                        + " CPU-s (%d weekly scale-ups, %d underuse); Avro container %.2f s ="
                        + " %,.0f samples/s, %.1f CPU-s%n",
                round,
                f.replayParallelism(),
                f.replaySeconds(),
                f.replayRate(),
                f.replayCpu(),
                f.replayScaleUps(),
                f.replayUnderuse(),
                f.avroSeconds(),
                f.avroRate(),
                f.avroCpu());
        if (!f.prometheusRan()) {
            out.println("ratio replay/prometheus n/a (Prometheus skipped)");
            return;
        }
        out.printf(
                Locale.ROOT,
                "round %d: prometheus backfill %.2f s + server start %.2f s + PromQL %.2f s ="
                        + " %.2f s = %,.0f samples/s, %.1f CPU-s (%d weekly scale-ups, %d"
                        + " underuse)%n",
                round,
                f.backfillSeconds(),
                f.serverStartSeconds(),
                f.querySeconds(),
                f.prometheusSeconds(),
                f.prometheusRate(),
                f.prometheusCpu(),
                f.promScaleUps(),
                f.promUnderuse());
        boolean same =
                f.promScaleUps() == f.replayScaleUps() && f.promUnderuse() == f.replayUnderuse();
        out.printf(
                Locale.ROOT,
                "ratio replay/prometheus %.2f (target >= 1.5; findings %s; CPU-seconds"
                        + " prometheus/replay %.2f)%n",
                f.ratio(),
                same ? "agree" : "DISAGREE",
                f.prometheusCpu() / f.replayCpu());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        RuleSet rules =
                RuleSetParser.parse(Paths.get(a.getOrDefault("rules", "rules/article26.yaml")));
        List<Figures> figures =
                run(
                        Paths.get(a.getOrDefault("work-dir", "target/bench")),
                        rules,
                        LiveBench.shippedCatalog(),
                        Integer.parseInt(a.getOrDefault("replay-vms", "1000")),
                        Integer.parseInt(a.getOrDefault("replay-days", "28")),
                        Integer.parseInt(a.getOrDefault("replay-parallelism", "2")),
                        Integer.parseInt(a.getOrDefault("rounds", "2")),
                        System.out);
        for (Figures f : figures) {
            if (f.prometheusRan()
                    && (f.promScaleUps() != f.replayScaleUps()
                            || f.promUnderuse() != f.replayUnderuse())) {
                System.exit(1);
            }
        }
    }
}
