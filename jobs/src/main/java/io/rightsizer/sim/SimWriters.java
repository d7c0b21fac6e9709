package io.rightsizer.sim;

import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.telemetry.SampleCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Writes a simulated fleet to a JSON Lines file or to a Kafka-like sink. */
public final class SimWriters {
    private SimWriters() {}

    /** What was written. */
    public record Counts(long valid, long invalid, long undecodable) {
        public long total() {
            return valid + invalid + undecodable;
        }
    }

    /**
     * Where {@link #writeJsonLines(FleetSimulator, Path)} puts the ground truth: FILE.truth.json.
     */
    public static Path truthFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".truth.json");
    }

    /**
     * Writes every record as one JSON line (valid samples via {@link RecordJson#toJson(
     * io.rightsizer.model.Sample)}, malformed ones as their raw line) to {@code out}, and the
     * ground truth to {@link #truthFile}. Replaces both files.
     */
    public static Counts writeJsonLines(FleetSimulator sim, Path out) throws IOException {
        Counts c;
        try (Writer w =
                new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8),
                        1 << 20)) {
            c = writeJsonLines(sim, w);
        }
        sim.groundTruth().write(truthFile(out));
        return c;
    }

    /** Writes every record as one JSON line ("\n"-terminated); the caller closes the writer. */
    public static Counts writeJsonLines(FleetSimulator sim, Writer w) throws IOException {
        long[] n = new long[3];
        try {
            sim.records(
                    r -> {
                        String line;
                        if (r instanceof SimRecord.Valid v) {
                            line = RecordJson.toJson(v.sample());
                        } else {
                            line = ((SimRecord.Malformed) r).jsonLine();
                        }
                        count(n, r);
                        try {
                            w.write(line);
                            w.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Counts(n[0], n[1], n[2]);
    }

    /**
     * Sends every record as (key, value): valid samples keyed by vmId with the value in Avro
     * single-object encoding ({@link SampleCodec#encode(io.rightsizer.model.Sample)}), malformed
     * ones with the vmId they pretend to come from and their raw bytes. Plug a KafkaProducer in as
     * {@code (k, v) -> producer.send(new ProducerRecord<>(topic, k, v))}; the records arrive in
     * timestamp order, so a single partition (or key-hashed partitions) sees no late samples.
     */
    public static Counts writeAvro(FleetSimulator sim, BiConsumer<String, byte[]> send) {
        long[] n = new long[3];
        sim.records(
                r -> {
                    count(n, r);
                    if (r instanceof SimRecord.Valid v) {
                        send.accept(v.sample().vmId, SampleCodec.encode(v.sample()));
                    } else {
                        SimRecord.Malformed m = (SimRecord.Malformed) r;
                        send.accept(m.key(), m.kafkaValue());
                    }
                });
        return new Counts(n[0], n[1], n[2]);
    }

    private static void count(long[] n, SimRecord r) {
        if (r instanceof SimRecord.Malformed m) {
            n[m.defect() == SimRecord.Defect.INVALID ? 1 : 2]++;
        } else {
            n[0]++;
        }
    }
}
