package io.rightsizer.job.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.PowerState;
import io.rightsizer.telemetry.SampleCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay files: JSON Lines and Avro container files, with exact line and record numbers. */
class SampleFileFormatTest {
    static final String SOURCE = "/data/replay.jsonl";

    @TempDir Path tmp;

    static String sample(String vm, long ts) {
        return "{\"vmId\": \"" + vm + "\", \"systemId\": \"sys-1\", \"timestamp\": " + ts + "}";
    }

    Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    static StreamFormat.Reader<Ingested> open(Path file) throws IOException {
        long len = Files.size(file);
        return new SampleFileFormat(SOURCE)
                .createReader(
                        new Configuration(), new LocalDataInputStream(file.toFile()), len, len);
    }

    static List<Ingested> readAll(StreamFormat.Reader<Ingested> r) throws IOException {
        List<Ingested> out = new ArrayList<>();
        Ingested i;
        while ((i = r.read()) != null) {
            out.add(i);
        }
        return out;
    }

    static List<Ingested> readAll(Path file) throws IOException {
        try (StreamFormat.Reader<Ingested> r = open(file)) {
            return readAll(r);
        }
    }

    /** "S line vmId" for a sample, "R line reason" for a rejected record. */
    static List<String> summary(List<Ingested> records) {
        List<String> out = new ArrayList<>();
        for (Ingested i : records) {
            if (i.isSample()) {
                out.add("S " + i.sample.sourceOffset + " " + i.sample.vmId);
            } else {
                out.add("R " + i.rejected.sourceOffset + " " + i.rejected.reason);
            }
        }
        return out;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- JSON Lines

    @Test
    void jsonLinesKeepTheirOneBasedLineNumbersAcrossBlankLinesAndCrlf() throws Exception {
        Path file =
                write(
                        "a.jsonl",
                        sample("vm-1", 1000)
                                + "\n"
                                + "\n"
                                + "{\"vmId\": \"vm-3\", \"systemId\": \"sys-1\", \"timestamp\":"
                                + " 3000, \"memoryTotalBytes\": 0}\n"
                                + "  \t \n"
                                + "not json\r\n"
                                + sample("vm-6", 6000)
                                + "\r\n"
                                + "\r\n"
                                + sample("vm-8", 8000));

        List<Ingested> records = readAll(file);

        assertThat(summary(records))
                .containsExactly(
                        "S 1 vm-1", "R 3 INVALID", "R 5 UNDECODABLE", "S 6 vm-6", "S 8 vm-8");

        Rejected invalid = records.get(1).rejected;
        assertThat(invalid.message).isEqualTo("memoryTotalBytes is 0");
        assertThat(invalid.vmId).isEqualTo("vm-3");
        assertThat(invalid.sampleTimestamp).isEqualTo(3000);
        assertThat(invalid.sourceTopic).isEqualTo(SOURCE);
        assertThat(invalid.sourcePartition).isEqualTo(-1);
        assertThat(utf8(invalid.payload))
                .isEqualTo(
                        "{\"vmId\": \"vm-3\", \"systemId\": \"sys-1\", \"timestamp\": 3000,"
                                + " \"memoryTotalBytes\": 0}");

        Rejected undecodable = records.get(2).rejected;
        assertThat(undecodable.message).startsWith("not valid JSON: Unrecognized token 'not'");
        assertThat(undecodable.vmId).isNull();
        assertThat(undecodable.sampleTimestamp).isEqualTo(Long.MIN_VALUE);
        assertThat(utf8(undecodable.payload)).isEqualTo("not json");

        Sample crlf = records.get(3).sample;
        assertThat(crlf.timestamp).isEqualTo(6000);
        assertThat(crlf.sourcePartition).isEqualTo(-1);
        assertThat(records.get(4).sample.timestamp).isEqualTo(8000);
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws Exception {
        Path file = write("b.jsonl", sample("vm-1", 1) + "\n" + sample("vm-2", 2));

        assertThat(summary(readAll(file))).containsExactly("S 1 vm-1", "S 2 vm-2");
    }

    @Test
    void fileOfBlankLinesOrEmptyHasNoRecords() throws Exception {
        Path blank = write("blank.jsonl", "\n  \n\r\n\t\n");
        Path empty = write("empty.jsonl", "");

        try (StreamFormat.Reader<Ingested> r = open(blank)) {
            assertThat(r.read()).isNull();
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 0));
        }
        assertThat(readAll(empty)).isEmpty();
    }

    @Test
    void fileShorterThanTheAvroMagicIsReadAsJson() throws Exception {
        Path file = write("tiny.jsonl", "{}\n");

        List<Ingested> records = readAll(file);

        assertThat(records)
                .extracting(
                        i -> i.rejected.sourceOffset,
                        i -> i.rejected.reason,
                        i -> i.rejected.message)
                .containsExactly(tuple(1L, DeadLetterReason.INVALID, "vmId is missing"));
    }

    @Test
    void linesLongerThan64KiBAreReadWhole() throws Exception {
        String pad = "x".repeat(100_000);
        String longValid =
                "{\"pad\": \""
                        + pad
                        + "\", \"vmId\": \"vm-2\", \"systemId\": \"sys-1\", \"timestamp\": 2}";
        String longInvalid =
                "{\"vmId\": \"vm-3\", \"pad\": \""
                        + pad
                        + pad
                        + "\", \"systemId\": \"sys-1\", \"timestamp\": -3}";
        Path file =
                write(
                        "long.jsonl",
                        sample("vm-1", 1)
                                + "\n"
                                + longValid
                                + "\n"
                                + longInvalid
                                + "\r\n"
                                + sample("vm-4", 4));

        List<Ingested> records = readAll(file);

        assertThat(summary(records))
                .containsExactly("S 1 vm-1", "S 2 vm-2", "R 3 INVALID", "S 4 vm-4");
        assertThat(records.get(2).rejected.message).isEqualTo("timestamp -3 is negative");
        // A dead letter carries the first 64 KiB of the line, and the size and hash of all of it.
        byte[] whole = longInvalid.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(records.get(2).rejected.payload)
                .isEqualTo(java.util.Arrays.copyOf(whole, Rejected.PAYLOAD_CAP));
        assertThat(records.get(2).rejected.payloadSize).isEqualTo(whole.length);
        assertThat(records.get(2).rejected.payloadSha256)
                .isEqualTo(
                        java.util.HexFormat.of()
                                .formatHex(
                                        java.security.MessageDigest.getInstance("SHA-256")
                                                .digest(whole)));
    }

    @Test
    void manyLinesAcrossBufferRefillsKeepExactNumbers() throws Exception {
        StringBuilder b = new StringBuilder();
        int lines = 5000;
        for (int i = 1; i <= lines; i++) {
            b.append(i % 7 == 0 ? "" : sample("vm-" + i, i)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path file = write("many.jsonl", b.toString());
        assertThat(Files.size(file)).isGreaterThan(3 * 65_536L);

        List<Ingested> records = readAll(file);

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            if (i % 7 != 0) {
                expected.add("S " + i + " vm-" + i);
            }
        }
        assertThat(summary(records)).isEqualTo(expected);
    }

    @Test
    void checkpointedPositionCountsTheRecordsReadWithoutAByteOffset() throws Exception {
        Path file =
                write(
                        "c.jsonl",
                        "\n" + sample("vm-1", 1) + "\n\n" + "bad\n" + sample("vm-3", 3) + "\n\n");

        try (StreamFormat.Reader<Ingested> r = open(file)) {
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 0));
            r.read();
            r.read();
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2));
            r.read();
            assertThat(r.read()).isNull();
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3));
        }
    }

    @Test
    void restoredReaderStartsAtTheBeginningSoSkippingTheCountResumesExactly() throws Exception {
        Path file =
                write(
                        "d.jsonl",
                        sample("vm-1", 1)
                                + "\n\n"
                                + "bad\n"
                                + sample("vm-4", 4)
                                + "\n\n"
                                + sample("vm-6", 6)
                                + "\n");
        CheckpointedPosition pos;
        List<String> rest;
        try (StreamFormat.Reader<Ingested> r = open(file)) {
            r.read();
            r.read();
            pos = r.getCheckpointedPosition();
            rest = summary(readAll(r));
        }
        assertThat(rest).containsExactly("S 4 vm-4", "S 6 vm-6");

        long len = Files.size(file);
        try (StreamFormat.Reader<Ingested> r =
                new SampleFileFormat(SOURCE)
                        .restoreReader(
                                new Configuration(),
                                new LocalDataInputStream(file.toFile()),
                                pos.getOffset(),
                                len,
                                len)) {
            for (long i = 0; i < pos.getRecordsAfterOffset(); i++) {
                r.read();
            }
            assertThat(summary(readAll(r))).isEqualTo(rest);
        }
    }

    // ---------------------------------------------------------------- Avro container files

    static MetricSample avro(String vm, long ts) {
        return MetricSample.newBuilder()
                .setVmId(vm)
                .setSystemId("sys-1")
                .setUnitId("unit-1")
                .setTimestamp(Instant.ofEpochMilli(ts))
                .setMemoryUsedBytes(512L)
                .setMemoryTotalBytes(1024L)
                .setCpuUtilizationPct(12.5)
                .build();
    }

    Path writeAvro(String name, MetricSample... records) throws IOException {
        Path p = tmp.resolve(name);
        try (DataFileWriter<MetricSample> w =
                new DataFileWriter<>(new SpecificDatumWriter<>(MetricSample.class))) {
            w.create(MetricSample.getClassSchema(), p.toFile());
            for (MetricSample m : records) {
                w.append(m);
            }
        }
        return p;
    }

    @Test
    void avroContainerFileIsReadWithRecordNumbers() throws Exception {
        MetricSample invalid = avro("vm-2", 2000);
        invalid.setMemoryUsedBytes(-1L);
        MetricSample stopped = avro("vm-3", 3000);
        stopped.setPowerState(PowerState.STOPPED);
        Path file = writeAvro("a.avro", avro("vm-1", 1000), invalid, stopped);

        List<Ingested> records = readAll(file);

        assertThat(summary(records)).containsExactly("S 1 vm-1", "R 2 INVALID", "S 3 vm-3");
        Sample first = records.get(0).sample;
        assertThat(first.timestamp).isEqualTo(1000);
        assertThat(first.unitId).isEqualTo("unit-1");
        assertThat(first.memoryUsedBytes).isEqualTo(512);
        assertThat(first.memoryTotalBytes).isEqualTo(1024);
        assertThat(first.cpuUtilizationPct).isEqualTo(12.5);
        assertThat(first.stopped).isFalse();
        assertThat(records.get(2).sample.stopped).isTrue();

        Rejected r = records.get(1).rejected;
        assertThat(r.message).isEqualTo("memoryUsedBytes -1 is negative");
        assertThat(r.vmId).isEqualTo("vm-2");
        assertThat(r.sampleTimestamp).isEqualTo(2000);
        assertThat(r.sourceTopic).isEqualTo(SOURCE);
        assertThat(SampleCodec.decode(r.payload).message)
                .isEqualTo("memoryUsedBytes -1 is negative");
    }

    @Test
    void avroReaderReportsTheRecordCountAsItsPosition() throws Exception {
        Path file = writeAvro("b.avro", avro("vm-1", 1), avro("vm-2", 2), avro("vm-3", 3));

        try (StreamFormat.Reader<Ingested> r = open(file)) {
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 0));
            r.read();
            r.read();
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2));
            assertThat(r.read().sample.vmId).isEqualTo("vm-3");
            assertThat(r.read()).isNull();
            assertThat(r.getCheckpointedPosition())
                    .isEqualTo(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3));
        }
    }

    @Test
    void emptyAvroContainerFileHasNoRecords() throws Exception {
        assertThat(readAll(writeAvro("empty.avro"))).isEmpty();
    }
}
