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
import io.rightsizer.job.config.RightsizerOptions;
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
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * vm-rules on RocksDB, where it caches the VMs' wake-up records on the heap ({@link
 * CachedValueState}), judges exactly as on the heap backend: the same recommendations, hours,
 * weeks, business reports, late samples, dead letters and data-quality events, across a snapshot
 * and restore and a record that fails; and the cache serves the reads it should. (The VMs' outputs
 * interleave in another order: with RocksDB's default timer service, timers of one instant fire in
 * the order of their keys' bytes.)
 */
class VmRulesOnRocksDbTest {
    static final long START = MON_2026_03_02;
    static final long STEP = 30 * MINUTE;
    static final long BOUND = 5 * MINUTE;
    static final int CACHED = RightsizerOptions.DEFAULT_CACHED_VMS;
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
     * event, and another when it resumes); "vm-bad" for days 3 and 4, one of its samples failing
     * its judgement (the operator's escape: a dead letter, the VM starts over); "busy" reports
     * business data every 6 hours; plus a duplicate and a late sample of "busy" each day.
     */
    static List<Object> fleet(boolean failing) {
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
                at.add(
                        failing && t == START + 3 * DAY
                                ? VmRuleFailureTest.unjudgeable(t)
                                : Samples.running(VmRuleFailureTest.BAD, "sys-b", t, 50));
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

    record Run(
            Map<String, List<Object>> outputs, long cacheHits, long stateReads, boolean caching) {}

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> harness(
            StateBackend backend, OperatorSubtaskState restore, int cachedVms) throws Exception {
        VmRuleFunction f =
                new VmRuleFunction(RULES, RuleHarnesses.SIZING, RETENTION, SOURCE)
                        .withDataQuality(Duration.ofHours(1))
                        .withHistory(true)
                        .withCachedVms(cachedVms);
        return RuleHarnesses.onBackend(f, new RightsizerPipeline.ByVm(), backend, restore);
    }

    static VmRuleFunction function(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h) {
        @SuppressWarnings("unchecked")
        CoBroadcastWithKeyedOperator<String, VmInput, RuleUpdate, Recommendation> op =
                (CoBroadcastWithKeyedOperator<String, VmInput, RuleUpdate, Recommendation>)
                        h.getTwoInputOperator();
        return (VmRuleFunction) op.getUserFunction();
    }

    static void feed(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h,
            List<Object> in)
            throws Exception {
        for (Object x : in) {
            if (x instanceof Sample s) {
                h.processElement(new StreamRecord<>(VmInput.of(s), s.timestamp));
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
    static Run run(StateBackend backend, int cachedVms, boolean failing) throws Exception {
        List<Object> in = fleet(failing);
        int split = 0;
        while (!(in.get(split) instanceof Sample s && s.timestamp >= SNAPSHOT_AT)) {
            split++;
        }
        Map<String, List<Object>> outputs = new TreeMap<>();
        OperatorSubtaskState snapshot;
        long hits;
        long reads;
        boolean caching;
        try (var h = harness(backend, null, cachedVms)) {
            feed(h, in.subList(0, split));
            snapshot = h.snapshot(1, 1);
            collect(h, outputs);
            hits = function(h).vm.wakeUps.hits();
            reads = function(h).vm.wakeUps.reads();
        }
        try (var h = harness(backend, snapshot, cachedVms)) {
            feed(h, in.subList(split, in.size()));
            h.processWatermark(Long.MAX_VALUE);
            collect(h, outputs);
            hits += function(h).vm.wakeUps.hits();
            reads += function(h).vm.wakeUps.reads();
            caching = function(h).vm.wakeUps.caching();
        }
        return new Run(outputs, hits, reads, caching);
    }

    @Test
    void rocksDbJudgesAsTheHeapDoesAcrossARestore() throws Exception {
        Run heap = run(new HashMapStateBackend(), CACHED, true);
        Run rocks = run(new EmbeddedRocksDBStateBackend(), CACHED, true);

        assertThat(heap.caching()).isFalse();
        assertThat(heap.cacheHits()).isZero();
        assertThat(rocks.caching()).isTrue();
        assertThat(rocks.outputs().keySet()).isEqualTo(heap.outputs().keySet());
        for (String name : heap.outputs().keySet()) {
            assertThat(rocks.outputs().get(name))
                    .as(name)
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(heap.outputs().get(name));
        }
        // Not an empty comparison: every part of the judging was exercised.
        assertThat(
                        heap.outputs().get("recommendations").stream()
                                .map(r -> ((Recommendation) r).getRuleId().toString())
                                .distinct())
                .containsExactlyInAnyOrder(STORAGE, WEEKLY_AVERAGE, WEEKLY_UNDERUSE);
        // busy and full 10 days, stopping 4, silent 2 + 4, vm-bad 2 (hours of 30-minute samples).
        assertThat(heap.outputs().get("hours")).hasSize((10 + 10 + 4 + 6 + 2) * 24);
        assertThat(heap.outputs().get("weeks")).hasSize(5);
        assertThat(heap.outputs().get("business")).hasSize(10 * 4);
        assertThat(heap.outputs().get("late")).hasSize(10);
        assertThat(heap.outputs().get("data-quality")).hasSize(3);
        assertThat(heap.outputs().get("failed")).hasSize(1);

        // The same reads of the wake-up records, served from the cache on RocksDB but the first
        // of each VM in each operator instance (5 VMs, before and after the restore) and vm-bad's
        // after its failure cleared it.
        assertThat(rocks.stateReads()).isEqualTo(5 * 2 + 1);
        assertThat(rocks.cacheHits() + rocks.stateReads()).isEqualTo(heap.stateReads());
    }

    @Test
    void withoutTheCacheRocksDbReadsEveryRecordAndJudgesAlike() throws Exception {
        // Without the failing record: the test's injected failure is an object's, and a record read
        // back from RocksDB is a plain sample.
        Run heap = run(new HashMapStateBackend(), CACHED, false);
        Run uncached = run(new EmbeddedRocksDBStateBackend(), 0, false);
        Run tiny = run(new EmbeddedRocksDBStateBackend(), 2, false);

        assertThat(uncached.caching()).isFalse();
        assertThat(uncached.stateReads()).isEqualTo(heap.stateReads());
        // Two VMs cached in each operator instance: busy and full, the first two written at every
        // instant; silent, stopping and vm-bad are read from RocksDB at every access.
        assertThat(tiny.caching()).isTrue();
        assertThat(tiny.stateReads()).isEqualTo(1162);
        assertThat(tiny.cacheHits() + tiny.stateReads()).isEqualTo(heap.stateReads());
        for (Run r : List.of(uncached, tiny)) {
            for (String name : heap.outputs().keySet()) {
                assertThat(r.outputs().get(name))
                        .as(name)
                        .usingRecursiveFieldByFieldElementComparator()
                        .containsExactlyInAnyOrderElementsOf(heap.outputs().get(name));
            }
        }
    }
}
