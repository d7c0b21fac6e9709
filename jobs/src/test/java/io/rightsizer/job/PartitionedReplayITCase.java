package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.RecordJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay at parallelism > 1 (one reader per subtask, each keeping its VMs) gives exactly what one
 * reader gives: the same recommendations and the same dead letters, LATE ones included, even when a
 * sample is late only because of another VM's sample, read by another reader.
 */
class PartitionedReplayITCase {
    /** Monday 2026-03-02 00:00 in Asia/Shanghai. */
    private static final Instant WEEK = Instant.parse("2026-03-01T16:00:00Z");

    private static final long FIVE_MINUTES = 300_000L;
    private static final long GIB = 1L << 30;

    /** Where vm-b jumps two hours ahead: 3 days in. */
    private static final long JUMP = WEEK.toEpochMilli() + 3 * 24 * 3_600_000L;

    @TempDir Path tmp;

    @Test
    void aSampleLateOnlyBecauseOfAnotherReadersVmIsLateAtEveryParallelism() throws Exception {
        String[] vms = vmsOnDifferentSubtasks();
        String busy = vms[0];
        String idle = vms[1];
        List<String> lines = new ArrayList<>();
        // Ten days, both VMs every 5 minutes: the busy one at 80 % memory, the idle one at 20 %.
        long end = WEEK.toEpochMilli() + 10 * 24 * 3_600_000L;
        for (long t = WEEK.toEpochMilli(); t < end; t += FIVE_MINUTES) {
            lines.add(RecordJson.toJson(sample(busy, t, 80)));
            lines.add(RecordJson.toJson(sample(idle, t, 20)));
            if (t == JUMP) {
                // The idle VM reports two hours ahead (a skewed clock): the watermark jumps to
                // JUMP + 2 h - 5 min, and both VMs' next 23 samples (up to and
                // including that instant) are LATE.
                lines.add(RecordJson.toJson(sample(idle, JUMP + 2 * 3_600_000L + 1, 20)));
            }
            if (t == JUMP + 6 * FIVE_MINUTES) {
                lines.add("not json");
                lines.add(RecordJson.toJson(sample(busy, t, 150)));
            }
        }
        Path input = tmp.resolve("skewed.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);

        ReplayJob.Result one = replay(input, 1);
        ReplayJob.Result two = replay(input, 2);
        ReplayJob.Result three = replay(input, 3);

        assertThat(one.count(DeadLetterReason.LATE)).isEqualTo(46);
        assertThat(one.count(DeadLetterReason.UNDECODABLE)).isEqualTo(1);
        assertThat(one.count(DeadLetterReason.INVALID)).isEqualTo(1);
        assertThat(one.recommendations())
                .extracting(r -> r.getRuleId() + " " + r.getVmId() + " " + r.getFiredAt())
                .contains(
                        "scale-up.memory.weekly-average " + busy + " 2026-03-08T16:00:00Z",
                        "reduce.memory.weekly-underuse " + idle + " 2026-03-08T16:00:00Z");
        for (ReplayJob.Result other : List.of(two, three)) {
            assertThat(other.recommendations()).containsExactlyElementsOf(one.recommendations());
            assertThat(other.deadLetters().stream().map(ReplayJob::deadLetterToLine))
                    .containsExactlyElementsOf(
                            one.deadLetters().stream().map(ReplayJob::deadLetterToLine).toList());
        }
    }

    /** Two VM ids that keyBy(vmId) sends to different subtasks at parallelism 2 and 3. */
    private static String[] vmsOnDifferentSubtasks() {
        String first = "vm-1";
        for (int i = 2; i < 100; i++) {
            String id = "vm-" + i;
            if (subtask(id, 2) != subtask(first, 2) && subtask(id, 3) != subtask(first, 3)) {
                return new String[] {first, id};
            }
        }
        throw new IllegalStateException("no two VMs on different subtasks");
    }

    private static int subtask(String key, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(
                key,
                KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism),
                parallelism);
    }

    private static Sample sample(String vm, long t, long memPct) {
        Sample s = new Sample();
        s.vmId = vm;
        s.systemId = "sys-" + vm;
        s.unitId = "unit-1";
        s.timestamp = t;
        s.memoryTotalBytes = 16 * GIB;
        s.memoryUsedBytes = 16 * GIB * memPct / 100;
        s.storageTotalBytes = 100 * GIB;
        s.storageUsedBytes = 10 * GIB;
        s.cpuUtilizationPct = 30;
        s.businessRecords = 5;
        return s;
    }

    private static ReplayJob.Result replay(Path input, int parallelism) throws Exception {
        return ReplayJob.run(
                RuleSet.defaults("test"),
                RuleHarnesses.SIZING,
                input,
                parallelism,
                Duration.ofMinutes(5),
                Duration.ofDays(42),
                null,
                new Configuration());
    }
}
