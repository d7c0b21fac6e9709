package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.SystemRuleFunctionTest.RULE;
import static io.rightsizer.job.operators.SystemRuleFunctionTest.RULES;
import static io.rightsizer.job.operators.SystemRuleFunctionTest.T;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.schema.Recommendation;
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
 * system-rules in the operator the job runs it in ({@link HoldingOperators}), which holds business
 * reports ahead of the watermark on the heap, judges exactly as Flink's own operator does with
 * every report in keyed state and a timer at its instant: the same recommendations on the heap and
 * on RocksDB, across a snapshot taken while reports are held, restored into either operator.
 */
class SystemRulesHoldingTest {
    static final long STEP = 6 * HOUR;
    static final long BOUND = 5 * MINUTE;
    static final long END = T + 70 * DAY;
    static final long SNAPSHOT_AT = T + 20 * DAY;
    static final Duration RETENTION = Duration.ofDays(45);

    /**
     * Four systems of three units each, every 6 hours for 70 days, with the watermark the job's
     * generator emits: "busy" always has business data, "stops" until day 5, "never" none at all,
     * "gone" until day 3 and then reports nothing (its finding, then its retention); and each day
     * "busy" sends a report half an hour behind the watermark, as vm-rules passes on one it held
     * back.
     */
    static List<Object> reports() {
        List<Object> in = new ArrayList<>();
        long maxTs = Long.MIN_VALUE;
        for (long t = T; t < END; t += STEP) {
            List<BusinessReport> at = new ArrayList<>();
            for (String unit : List.of("u1", "u2", "u3")) {
                at.add(BusinessReport.of("busy", unit, t, 3));
                at.add(BusinessReport.of("stops", unit, t, t < T + 5 * DAY ? 2 : 0));
                at.add(BusinessReport.of("never", unit, t, 0));
                if (t < T + 3 * DAY) {
                    at.add(BusinessReport.of("gone", unit, t, 1));
                }
            }
            if ((t - T) % DAY == 0 && maxTs != Long.MIN_VALUE) {
                at.add(BusinessReport.of("busy", "u1", maxTs - BOUND - 30 * MINUTE, 4));
            }
            for (BusinessReport r : at) {
                in.add(r);
                if (r.timestamp > maxTs) {
                    maxTs = r.timestamp;
                    in.add(new Watermark(maxTs - BOUND - 1));
                }
            }
        }
        return in;
    }

    static KeyedBroadcastOperatorTestHarness<String, BusinessReport, RuleUpdate, Recommendation>
            harness(
                    SystemRuleFunction f,
                    boolean holding,
                    StateBackend backend,
                    OperatorSubtaskState restore)
                    throws Exception {
        return RuleHarnesses.onBackend(
                f, new RightsizerPipeline.BySystem(), backend, restore, holding);
    }

    static int feed(
            KeyedBroadcastOperatorTestHarness<String, BusinessReport, RuleUpdate, Recommendation> h,
            SystemRuleFunction f,
            List<Object> in)
            throws Exception {
        int most = 0;
        for (Object x : in) {
            if (x instanceof BusinessReport r) {
                h.processElement(new StreamRecord<>(r, r.timestamp));
            } else {
                h.processWatermark(((Watermark) x).getTimestamp());
            }
            most = Math.max(most, f.held());
        }
        return most;
    }

    /** The reports up to day 20, a snapshot, a restore, the rest; outputs and what was held. */
    static Map<String, List<Object>> run(
            boolean holdingBefore, boolean holdingAfter, StateBackend backend) throws Exception {
        List<Object> in = reports();
        int split = 0;
        while (!(in.get(split) instanceof BusinessReport r && r.timestamp >= SNAPSHOT_AT)) {
            split++;
        }
        Map<String, List<Object>> out = new TreeMap<>();
        OperatorSubtaskState snapshot;
        SystemRuleFunction first = new SystemRuleFunction(RULES, RETENTION);
        try (var h = harness(first, holdingBefore, backend, null)) {
            int most = feed(h, first, in.subList(0, split));
            VmRulesOnRocksDbTest.add(out, "held (most, at the snapshot)", List.of(most));
            VmRulesOnRocksDbTest.add(out, "held (most, at the snapshot)", List.of(first.held()));
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            VmRulesOnRocksDbTest.add(out, "held after the snapshot", List.of(first.held()));
            collect(h, out);
        }
        SystemRuleFunction second = new SystemRuleFunction(RULES, RETENTION);
        try (var h = harness(second, holdingAfter, backend, snapshot)) {
            feed(h, second, in.subList(split, in.size()));
            h.processWatermark(Long.MAX_VALUE);
            collect(h, out);
            VmRulesOnRocksDbTest.add(out, "timers left", List.of(h.numEventTimeTimers()));
        }
        return out;
    }

    static void collect(
            KeyedBroadcastOperatorTestHarness<String, BusinessReport, RuleUpdate, Recommendation> h,
            Map<String, List<Object>> into) {
        VmRulesOnRocksDbTest.add(into, "recommendations", h.extractOutputValues());
        List<Object> failed = new ArrayList<>();
        if (h.getSideOutput(Tags.FAILED) != null) {
            h.getSideOutput(Tags.FAILED).forEach(r -> failed.add(r.getValue()));
        }
        VmRulesOnRocksDbTest.add(into, "failed", failed);
    }

    static void assertSameJudging(Map<String, List<Object>> actual, Map<String, List<Object>> x) {
        for (String name : List.of("recommendations", "failed", "timers left")) {
            assertThat(actual.get(name))
                    .as(name)
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(x.get(name));
        }
    }

    static Map<String, List<Object>> keyedStatePath() throws Exception {
        Map<String, List<Object>> out = run(false, false, new HashMapStateBackend());
        // Not an empty comparison: "stops" and "never" are found, "gone" too.
        assertThat(out.get("recommendations"))
                .extracting(r -> ((Recommendation) r).getSystemId().toString())
                .containsExactlyInAnyOrder("stops", "never", "gone");
        assertThat(out.get("recommendations"))
                .extracting(r -> ((Recommendation) r).getRuleId().toString())
                .containsOnly(RULE);
        assertThat(out.get("failed")).isEmpty();
        return out;
    }

    @Test
    void holdingJudgesAsKeyedStateDoesOnTheHeapAcrossASnapshotTakenWhileHolding() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();

        Map<String, List<Object>> actual = run(true, true, new HashMapStateBackend());

        assertSameJudging(actual, expected);
        // A step's reports are held until the next step's first raises the watermark past them:
        // at most a step's twelve and that one. At the snapshot, the nine of "busy", "stops" and
        // "never" but one: "busy"'s late report of day 1 put its step in keyed state, with a timer
        // for the first of them, and from then on that timer's wake-up takes its first report of
        // the next step, which arrives just before the watermark that fires it.
        assertThat(actual.get("held (most, at the snapshot)")).containsExactly(13, 8);
        assertThat(actual.get("held after the snapshot")).containsExactly(0);
    }

    @Test
    void holdingJudgesAsKeyedStateDoesOnRocksDb() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();

        assertSameJudging(run(true, true, new EmbeddedRocksDBStateBackend()), expected);
    }

    @Test
    void aSnapshotTakenWhileHoldingRestoresIntoAnOperatorThatDoesNotHold() throws Exception {
        Map<String, List<Object>> expected = keyedStatePath();

        assertSameJudging(run(true, false, new HashMapStateBackend()), expected);
    }
}
