package io.rightsizer.job;

import io.rightsizer.job.codec.SampleFileFormat;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the live job's pipeline over a bounded file of samples on a local Flink MiniCluster and
 * returns its recommendations in a stable order (by firedAt, ruleId, subject), so a replay gives
 * byte-identical output on every run and at any parallelism.
 */
public final class ReplayJob {
    private ReplayJob() {}

    /** What a replay produced. */
    public record Result(List<Recommendation> recommendations, List<Rejected> deadLetters) {
        public long count(DeadLetterReason reason) {
            return deadLetters.stream().filter(r -> r.reason == reason).count();
        }
    }

    public static final Comparator<Recommendation> ORDER =
            Comparator.<Recommendation>comparingLong(r -> r.getFiredAt().toEpochMilli())
                    .thenComparing(Recommendation::getRuleId)
                    .thenComparing(r -> r.getVmId() != null ? r.getVmId() : r.getSystemId())
                    .thenComparing(Recommendation::getRecommendationId)
                    // With --with-lifecycle a reminder repeats its recommendation's id.
                    .thenComparing(Recommendation::getReminder);

    public static Result run(
            RuleSet rules,
            Sizing sizing,
            Path input,
            int parallelism,
            Duration outOfOrderness,
            Duration retention,
            LifecycleStage.Settings lifecycle,
            Configuration flinkConf)
            throws Exception {
        Path work = Files.createTempDirectory("rightsizer-replay");
        try {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(PipelineOptions.OBJECT_REUSE, true);
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            conf.addAll(flinkConf);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
            env.setParallelism(parallelism);
            define(env, rules, sizing, input, work, outOfOrderness, retention, lifecycle);
            env.execute("rightsizer replay " + input.getFileName());
            List<Recommendation> recs = new ArrayList<>();
            for (Path p : parts(work, "recommendations")) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    recs.add(RecordJson.recommendation(line));
                }
            }
            recs.sort(ORDER);
            List<Rejected> dead = new ArrayList<>();
            for (Path p : parts(work, "dead-letters")) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    Rejected r = deadLetterFromLine(line);
                    r.sourceTopic = input.toAbsolutePath().toString();
                    dead.add(r);
                }
            }
            dead.sort(Comparator.comparingLong((Rejected r) -> r.sourceOffset));
            return new Result(recs, dead);
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * The replay topology: the shared pipeline between a file source and local JSON sinks.
     *
     * @param lifecycle null to write the rules' firings (what replay and rules diff report by
     *     default); else what the approval lifecycle lets through, without decisions or inventory
     */
    public static void define(
            StreamExecutionEnvironment env,
            RuleSet rules,
            Sizing sizing,
            Path input,
            Path workDir,
            Duration outOfOrderness,
            Duration retention,
            LifecycleStage.Settings lifecycle) {
        String sourceName = input.toAbsolutePath().toString();
        int parallelism = env.getParallelism();
        RightsizerPipeline.Inputs inputs;
        if (parallelism == 1) {
            // One reader in file order: the watermark, and so every LATE verdict, is a function
            // of the file alone.
            FileSource<io.rightsizer.model.Ingested> source =
                    FileSource.forRecordStreamFormat(
                                    new SampleFileFormat(sourceName),
                                    new org.apache.flink.core.fs.Path(input.toUri()))
                            .build();
            inputs = RightsizerPipeline.Inputs.of(source, new SampleWatermarks(outOfOrderness));
        } else {
            // A reader per subtask, each keeping its subtask's VMs and emitting the same
            // file-order watermark: the rules run chained to the parsing on every core, and no
            // sample crosses a shuffle.
            int maxParallelism = env.getMaxParallelism();
            if (maxParallelism <= 0) {
                maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
                env.setMaxParallelism(maxParallelism);
            }
            inputs =
                    RightsizerPipeline.Inputs.of(
                            new PartitionedSampleFileSource(
                                    input.toUri().toString(),
                                    sourceName,
                                    outOfOrderness,
                                    maxParallelism),
                            PartitionedSampleFileSource.watermarks());
        }
        RightsizerPipeline.defineWorkflow(
                env,
                // A replay judges the whole history with one rule set (no rule updates) and reads
                // no inventory.
                inputs,
                new RightsizerPipeline.Settings(rules, retention, sourceName, parallelism, sizing)
                        .withLifecycle(lifecycle),
                new RightsizerPipeline.Sinks() {
                    @Override
                    public void recommendations(DataStream<Recommendation> s) {
                        s.sinkTo(
                                        new JsonLinesSink<>(
                                                workDir, "recommendations", RecordJson::toJson))
                                .name("recommendations-file")
                                .uid("recommendations-file-sink");
                    }

                    @Override
                    public void deadLetters(DataStream<Rejected> s) {
                        s.sinkTo(
                                        new JsonLinesSink<>(
                                                workDir,
                                                "dead-letters",
                                                ReplayJob::deadLetterToLine))
                                .name("dead-letters-file")
                                .uid("dead-letters-file-sink");
                    }
                });
    }

    /**
     * A tab-separated line: reason, line number, vmId, timestamp, base64 payload (capped), the
     * whole value's size and SHA-256, message.
     */
    static String deadLetterToLine(Rejected r) {
        return r.reason
                + "\t"
                + r.sourceOffset
                + "\t"
                + (r.vmId == null ? "" : r.vmId.replace('\t', ' '))
                + "\t"
                + r.sampleTimestamp
                + "\t"
                + Base64.getEncoder().encodeToString(r.payload == null ? new byte[0] : r.payload)
                + "\t"
                + r.payloadSize
                + "\t"
                + (r.payloadSha256 == null ? "" : r.payloadSha256)
                + "\t"
                + r.message.replace('\n', ' ').replace('\t', ' ');
    }

    static Rejected deadLetterFromLine(String line) {
        String[] f = line.split("\t", 8);
        Rejected r =
                Rejected.of(DeadLetterReason.valueOf(f[0]), f[7], Base64.getDecoder().decode(f[4]));
        // The payload in the line is already capped: its size and hash are the whole value's.
        r.payloadSize = Long.parseLong(f[5]);
        r.payloadSha256 = f[6].isEmpty() ? null : f[6];
        r.sourceOffset = Long.parseLong(f[1]);
        r.vmId = f[2].isEmpty() ? null : f[2];
        r.sampleTimestamp = Long.parseLong(f[3]);
        return r;
    }

    private static List<Path> parts(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix + "-"))
                    .sorted()
                    .toList();
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
