package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Ingested;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each reader of a partitioned replay hands to its task: its own VMs' records, a rejected line
 * once (on the reader of the VM its bytes name, else on reader 0), and the file's watermark right
 * after the sample that raises it, whoever that sample belongs to.
 */
class PartitionedSampleFileReaderTest {
    private static final long BOUND = 300_000L;
    private static final long T0 = 1_772_409_600_000L;

    @TempDir Path tmp;

    @Test
    void eachReaderKeepsItsVmsAndPlacesTheWholeFilesWatermark() throws Exception {
        String a = vmOn(0);
        String b = vmOn(1);
        Path file = tmp.resolve("two.jsonl");
        Files.write(
                file,
                List.of(
                        line(a, T0),
                        line(b, T0),
                        "not json",
                        line(a, T0 + 300_000),
                        line(b, T0 + 600_000),
                        line(a, T0 + 100_000)),
                StandardCharsets.UTF_8);

        List<String> zero = read(file, 0);
        List<String> one = read(file, 1);

        assertThat(zero)
                .containsExactly(
                        a + "@1",
                        "W " + (T0 - BOUND - 1),
                        "UNDECODABLE@3",
                        a + "@4",
                        "W " + (T0 + 300_000 - BOUND - 1),
                        "W " + (T0 + 600_000 - BOUND - 1),
                        a + "@6");
        assertThat(one)
                .containsExactly(
                        "W " + (T0 - BOUND - 1),
                        b + "@2",
                        "W " + (T0 + 300_000 - BOUND - 1),
                        b + "@5",
                        "W " + (T0 + 600_000 - BOUND - 1));
    }

    @Test
    void aRejectedLineOfAVmIsReportedByThatVmsReaderAndOthersPassOverIt() throws Exception {
        String a = vmOn(0);
        String b = vmOn(1);
        Path file = tmp.resolve("rejected.jsonl");
        Files.write(
                file,
                List.of(
                        line(a, T0),
                        "{\"vmId\":\"" + b + "\",\"systemId\":\"s\",\"timestamp\":-1}",
                        line(b, T0 + 300_000),
                        line(a, T0 + 100_000)),
                StandardCharsets.UTF_8);

        assertThat(read(file, 0))
                .containsExactly(
                        a + "@1",
                        "W " + (T0 - BOUND - 1),
                        "W " + (T0 + 300_000 - BOUND - 1),
                        a + "@4");
        assertThat(read(file, 1))
                .containsExactly(
                        "W " + (T0 - BOUND - 1),
                        "INVALID@2",
                        b + "@3",
                        "W " + (T0 + 300_000 - BOUND - 1));
    }

    private static List<String> read(Path file, int group) throws Exception {
        PartitionedSampleFileReader.Fetch fetch =
                new PartitionedSampleFileReader.Fetch(
                        file.toUri().toString(), "two.jsonl", BOUND, maxParallelism());
        fetch.handleSplitsChanges(
                new SplitsAddition<>(List.of(new PartitionedSampleFileSource.Group(group, 2))));
        List<String> out = new ArrayList<>();
        boolean finished = false;
        while (!finished) {
            RecordsWithSplitIds<Object> batch = fetch.fetch();
            while (batch.nextSplit() != null) {
                Object e;
                while ((e = batch.nextRecordFromSplit()) != null) {
                    if (e instanceof PartitionedSampleFileReader.Tick t) {
                        out.add("W " + t.watermark());
                    } else {
                        Ingested i = (Ingested) e;
                        out.add(
                                i.sample != null
                                        ? i.sample.vmId + "@" + i.sample.sourceOffset
                                        : i.rejected.reason + "@" + i.rejected.sourceOffset);
                    }
                }
            }
            finished = !batch.finishedSplits().isEmpty();
            batch.recycle();
        }
        fetch.close();
        return out;
    }

    private static int maxParallelism() {
        return KeyGroupRangeAssignment.computeDefaultMaxParallelism(2);
    }

    private static String vmOn(int subtask) {
        for (int i = 1; ; i++) {
            String id = "vm-" + i;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(id, maxParallelism(), 2)
                    == subtask) {
                return id;
            }
        }
    }

    private static String line(String vm, long ts) {
        return "{\"vmId\":\"" + vm + "\",\"systemId\":\"s\",\"timestamp\":" + ts + "}";
    }
}
