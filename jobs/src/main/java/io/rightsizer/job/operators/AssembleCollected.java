package io.rightsizer.job.operators;

import io.rightsizer.ingest.IntervalAssembly;
import io.rightsizer.ingest.IntervalAssembly.Allocation;
import io.rightsizer.ingest.IntervalAssembly.Bucket;
import io.rightsizer.ingest.Reading;
import io.rightsizer.job.CollectedWatermarks;
import io.rightsizer.job.Tags;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.VmAllocation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;

/**
 * Assembles each VM's collector readings into one sample per collection interval (keyed by vmId;
 * input 1 the readings, input 2 the inventory's allocations). The semantics are in rules/README.md,
 * "Samples assembled from collectors":
 *
 * <ul>
 *   <li>a reading goes to the bucket of the interval ending e ({@link
 *       IntervalAssembly#intervalEnd}); a bucket is closed by an event-time timer at e − H (H =
 *       ingest.inventory-wait), when the collectors' watermark (which trails their readings by H
 *       more than the native one, {@link CollectedWatermarks}) says no on-time reading for it can
 *       still come; a reading for a closed bucket is a LATE dead letter;
 *   <li>at close, with the VM's allocation known, the sample stamped e is emitted (on time
 *       downstream: the watermark is below e until the timer at e could fire);
 *   <li>otherwise the bucket is held, until the allocation arrives (then emitted) or until the
 *       watermark reaches e (then an INVALID dead letter naming the VM).
 * </ul>
 *
 * <p>The output is {@link Ingested}: a sample or a dead letter, counted like the native ones by the
 * {@link IngestRouter} that follows. Buckets are removed when emitted or dead-lettered, so a VM
 * keeps only its allocation's few fields once its readings stop.
 */
public class AssembleCollected extends KeyedCoProcessFunction<String, Reading, VmInput, Ingested> {
    private static final long serialVersionUID = 1L;

    private final long waitMillis;

    private transient ValueState<Allocation> allocation;
    private transient MapState<Long, Bucket> buckets;
    private transient RecordFailures failures;

    /**
     * @param inventoryWait H, ingest.inventory-wait
     */
    public AssembleCollected(Duration inventoryWait) {
        this.waitMillis = inventoryWait.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        allocation = getRuntimeContext().getState(Tags.collectedAllocation());
        buckets = getRuntimeContext().getMapState(Tags.collectedBuckets());
        failures =
                new RecordFailures(
                        getRuntimeContext().getMetricGroup().addGroup("rightsizer"),
                        "assemble-collected");
    }

    @Override
    public void processElement1(Reading r, Context ctx, Collector<Ingested> out) throws Exception {
        try {
            reading(r, ctx, out);
            failures.succeeded();
        } catch (RuntimeException | StackOverflowError e) {
            failed(
                    e,
                    "collector value of " + ctx.getCurrentKey(),
                    RecordFailures.ofReading(r),
                    out);
        }
    }

    @Override
    public void processElement2(VmInput in, Context ctx, Collector<Ingested> out) throws Exception {
        try {
            allocated(in, ctx, out);
            failures.succeeded();
        } catch (RuntimeException | StackOverflowError e) {
            failed(
                    e,
                    "allocation of " + ctx.getCurrentKey(),
                    RecordFailures.of(null, ctx.getCurrentKey()),
                    out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Ingested> out)
            throws Exception {
        try {
            close(timestamp, ctx, out);
            failures.succeeded();
        } catch (RuntimeException | StackOverflowError e) {
            Rejected letter = RecordFailures.of(null, ctx.getCurrentKey());
            letter.sampleTimestamp = timestamp;
            failed(
                    e,
                    "timer of " + ctx.getCurrentKey() + " at " + Instant.ofEpochMilli(timestamp),
                    letter,
                    out);
        }
    }

    /**
     * After a failure the VM's open and held intervals go (docs/failures.md: the key starts over);
     * their timers fire on nothing. The FAILED letter goes out with the other dead letters.
     */
    private void failed(Throwable e, String what, Rejected letter, Collector<Ingested> out) {
        out.collect(Ingested.rejected(failures.failed(e, what, letter)));
        buckets.clear();
    }

    private void reading(Reading r, Context ctx, Collector<Ingested> out) throws Exception {
        long end = IntervalAssembly.intervalEnd(r.timestamp, r.intervalMillis);
        long watermark = ctx.timerService().currentWatermark();
        if (end - waitMillis <= watermark) {
            out.collect(
                    Ingested.rejected(
                            letter(
                                    DeadLetterReason.LATE,
                                    "vm "
                                            + r.vmId
                                            + ": "
                                            + r.format
                                            + " value of the interval ending "
                                            + Instant.ofEpochMilli(end)
                                            + " arrived after the interval was closed (the"
                                            + " collectors' watermark "
                                            + Instant.ofEpochMilli(watermark)
                                            + " had passed its end − ingest.inventory-wait)",
                                    r.vmId,
                                    end,
                                    List.of(r))));
            return;
        }
        Bucket b = buckets.get(end);
        if (b == null) {
            b = new Bucket();
            ctx.timerService().registerEventTimeTimer(end - waitMillis);
        }
        b.add(r);
        buckets.put(end, b);
    }

    private void allocated(VmInput in, Context ctx, Collector<Ingested> out) throws Exception {
        VmAllocation a = in.allocation;
        if (a == null) {
            return;
        }
        Allocation known = new Allocation(a.getSystemId(), a.getUnitId(), a.getMemoryBytes());
        allocation.update(known);
        List<Long> released = new ArrayList<>();
        for (Map.Entry<Long, Bucket> e : buckets.entries()) {
            if (e.getValue().held) {
                released.add(e.getKey());
            }
        }
        released.sort(null);
        for (long end : released) {
            emit(ctx.getCurrentKey(), end, buckets.get(end), known, out);
            buckets.remove(end);
            ctx.timerService().deleteEventTimeTimer(end);
        }
    }

    private void close(long timestamp, OnTimerContext ctx, Collector<Ingested> out)
            throws Exception {
        String vmId = ctx.getCurrentKey();
        long closing = timestamp + waitMillis;
        Bucket b = buckets.get(closing);
        if (b != null && !b.held) {
            Allocation known = allocation.value();
            if (known != null) {
                emit(vmId, closing, b, known, out);
                buckets.remove(closing);
            } else if (closing <= timestamp) {
                unknown(vmId, closing, b, out);
                buckets.remove(closing);
            } else {
                b.held = true;
                buckets.put(closing, b);
                ctx.timerService().registerEventTimeTimer(closing);
            }
        }
        Bucket held = buckets.get(timestamp);
        if (held != null && held.held) {
            unknown(vmId, timestamp, held, out);
            buckets.remove(timestamp);
        }
    }

    private void emit(String vmId, long end, Bucket b, Allocation known, Collector<Ingested> out) {
        IntervalAssembly.Result r = IntervalAssembly.assemble(vmId, end, b.readings(), known);
        if (out instanceof TimestampedCollector<Ingested> t) {
            // Stamped like a native sample, by its own timestamp, not the timer's.
            t.setAbsoluteTimestamp(end);
        }
        if (r.ok()) {
            out.collect(Ingested.of(r.sample()));
        } else {
            out.collect(
                    Ingested.rejected(
                            letter(
                                    DeadLetterReason.INVALID,
                                    r.problem(),
                                    vmId,
                                    end,
                                    b.readings())));
        }
    }

    private void unknown(String vmId, long end, Bucket b, Collector<Ingested> out) {
        out.collect(
                Ingested.rejected(
                        letter(
                                DeadLetterReason.INVALID,
                                "vm "
                                        + vmId
                                        + " is not in the inventory (kafka.topics.inventory); "
                                        + b.readings[0].format
                                        + " sample of interval ending "
                                        + Instant.ofEpochMilli(end)
                                        + " held for ingest.inventory-wait ("
                                        + Duration.ofMillis(waitMillis)
                                        + ") and dropped",
                                vmId,
                                end,
                                b.readings())));
    }

    /**
     * A dead letter of the assembly. It has no record of its own: the payload is what arrived
     * ({@link IntervalAssembly#arrived}), as UTF-8 text.
     */
    private static Rejected letter(
            DeadLetterReason reason, String message, String vmId, long end, List<Reading> rs) {
        Rejected r =
                Rejected.of(
                        reason,
                        message,
                        IntervalAssembly.arrived(rs).getBytes(StandardCharsets.UTF_8));
        r.vmId = Rejected.cap(vmId, Rejected.ID_CAP);
        r.sampleTimestamp = end;
        return r;
    }
}
