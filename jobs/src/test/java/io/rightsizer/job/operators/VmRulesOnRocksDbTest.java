package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.RETENTION;
import static io.rightsizer.job.operators.VmRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.STORAGE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEKLY_AVERAGE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.side;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.MINUTE;
import static io.rightsizer.testing.Samples.MON_2026_03_02;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * vm-rules on RocksDB (the province's backend; docs/cluster.md) judges exactly as on the heap
 * backend the other tests use: the same recommendations, hours, weeks, business reports, late
 * samples and data-quality events, across a snapshot and restore. (The VMs' outputs interleave in
 * another order: with RocksDB's default timer service, timers of one instant fire in the order of
 * their keys' bytes.)
 */
class VmRulesOnRocksDbTest {
    static final long START = MON_2026_03_02;
    static final long STEP = 30 * MINUTE;
    static final long BOUND = 5 * MINUTE;
    static final String WEEKLY_UNDERUSE = "reduce.memory.weekly-underuse";

    /** Up to here fed before the snapshot, the rest after the restore. */
    static final long SNAPSHOT_AT = START + 5 * DAY;

    static final long END = START + 10 * DAY;

    /**
     * Five VMs every 30 minutes for 10 days, in timestamp order as the job's source reads them,
     * with the watermark the job's generator emits (max − 5 min − 1 ms, on the sample that raises
     * it): "busy" above 70 % memory all week (the weekly average), "full" at 80 % storage (storage
     * usage), "stopping" at 20 % for three days, then stopped for a day (the week's underuse, the
     * deadman), then silent; "silent" at 50 % for two days, then silent for four (the deadman's
     * event, and another when it resumes); "short" for days 3 and 4 only; "busy" reports business
     * data every 6 hours; plus a duplicate and a late sample of "busy" each day.
     */
    static List<Object> fleet() {
        List<Object> in = new ArrayList<>();
        long maxTs = Long.MIN_VALUE;
        for (long t = START; t < END; t += STEP) {
            List<Sample> at = new ArrayList<>();
            Sample busy = Samples.running("busy", "sys-a", t, 75 + (t / STEP) % 10);
            at.add((t - START) % (6 * 60 * MINUTE) == 0 ? Samples.withBusiness(busy, 7) : busy);
            at.add(Samples.withStorage(Samples.running("full", "sys-a", t, 40), 80));
            if (t < START + 2 * DAY || t >= START + 6 * DAY) {
                at.add(Samples.running("silent", "sys-b", t, 50));
            }
            if (t < START + 3 * DAY) {
                at.add(Samples.running("stopping", "sys-b", t, 20));
            } else if (t < START + 4 * DAY) {
                at.add(Samples.stopped("stopping", "sys-b", t));
            }
            if (t >= START + 2 * DAY && t < START + 4 * DAY) {
                at.add(Samples.running("short", "sys-b", t, 50));
            }
            if ((t - START) % DAY == 12 * 60 * MINUTE) {
                at.add(Samples.running("busy", "sys-a", t, 99));
                at.add(Samples.running("busy", "sys-a", t - 2 * DAY, 99));
            }
            for (Sample s : at) {
                in.add(s);
                if (s.timestamp > maxTs) {
                    maxTs = s.timestamp;
                    in.add(new Watermark(maxTs - BOUND - 1));
                }
            }
        }
        return in;
    }

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            StateBackend backend, OperatorSubtaskState restore) throws Exception {
        VmRuleFunction f =
                new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE)
                        .withDataQuality(Duration.ofHours(1))
                        .withHistory(true);
        return RuleHarnesses.onBackend(f, new RightsizerPipeline.ByVm(), backend, restore);
    }

    static void feed(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            List<Object> in)
            throws Exception {
        for (Object x : in) {
            if (x instanceof Sample s) {
                h.processElement(new StreamRecord<>(VmInput.of(s), s.timestamp));
            } else if (x instanceof VmInput v) {
                h.processElement(new StreamRecord<>(v, v.receivedAt));
            } else {
                h.processWatermark(((Watermark) x).getTimestamp());
            }
        }
    }

    static void collect(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            Map<String, List<Object>> into) {
        add(into, "recommendations", h.extractOutputValues());
        add(into, "hours", side(h, Tags.HOURLY));
        add(into, "weeks", side(h, Tags.WEEKLY));
        add(into, "business", side(h, Tags.BUSINESS));
        add(into, "late", side(h, Tags.LATE));
        add(into, "data-quality", side(h, Tags.DATA_QUALITY));
        add(into, "failed", side(h, Tags.FAILED));
    }

    static void add(Map<String, List<Object>> into, String name, List<?> xs) {
        into.computeIfAbsent(name, k -> new ArrayList<>()).addAll(xs);
    }

    /** The fleet, a snapshot at {@link #SNAPSHOT_AT}, a restore, the rest, the end of input. */
    static Map<String, List<Object>> run(StateBackend backend) throws Exception {
        List<Object> in = fleet();
        int split = 0;
        while (!(in.get(split) instanceof Sample s && s.timestamp >= SNAPSHOT_AT)) {
            split++;
        }
        Map<String, List<Object>> outputs = new TreeMap<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, null)) {
            feed(h, in.subList(0, split));
            snapshot = h.snapshot(1, 1);
            collect(h, outputs);
        }
        try (var h = harness(backend, snapshot)) {
            feed(h, in.subList(split, in.size()));
            h.processWatermark(Long.MAX_VALUE);
            collect(h, outputs);
        }
        return outputs;
    }

    @Test
    void rocksDbJudgesAsTheHeapDoesAcrossARestore() throws Exception {
        Map<String, List<Object>> heap = run(new HashMapStateBackend());
        Map<String, List<Object>> rocks = run(new EmbeddedRocksDBStateBackend());

        assertThat(rocks.keySet()).isEqualTo(heap.keySet());
        for (String name : heap.keySet()) {
            assertThat(rocks.get(name))
                    .as(name)
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(heap.get(name));
        }
        // Not an empty comparison: every part of the judging was exercised.
        assertThat(
                        heap.get("recommendations").stream()
                                .map(r -> ((Recommendation) r).getRuleId().toString())
                                .distinct())
                .containsExactlyInAnyOrder(STORAGE, WEEKLY_AVERAGE, WEEKLY_UNDERUSE);
        // busy and full 10 days, stopping 4, silent 2 + 4, short 2 (hours of 30-minute samples).
        assertThat(heap.get("hours")).hasSize((10 + 10 + 4 + 6 + 2) * 24);
        assertThat(heap.get("weeks")).hasSize(5);
        assertThat(heap.get("business")).hasSize(10 * 4);
        assertThat(heap.get("late")).hasSize(10);
        // silent's silence and its end, short's silence
        assertThat(heap.get("data-quality")).hasSize(3);
        assertThat(heap.get("failed")).isEmpty();
    }
}
