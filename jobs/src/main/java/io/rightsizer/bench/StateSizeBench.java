package io.rightsizer.bench;

import io.rightsizer.job.VmWakeUp;
import io.rightsizer.job.state.VmStateSerializer;
import io.rightsizer.job.state.VmWakeUpSerializer;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.sim.Behaviour;
import io.rightsizer.sim.FleetSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** State bytes per VM, on the heap and serialized, after weeks of samples. */
final class StateSizeBench {
    private static final Instant END = Bench.END;

    private StateSizeBench() {}

    /** Runs the fleet through the same evaluator the operator uses and sizes what it keeps. */
    static List<String> stateSize(RuleSet rules, int vms) {
        FleetSimulator sim =
                new FleetSimulator(
                        vms,
                        END.minus(Duration.ofDays(21)),
                        21,
                        Duration.ofMinutes(5),
                        42,
                        rules.zone());
        VmEvaluator ev = new VmEvaluator(rules);
        Map<String, VmState> states = new HashMap<>();
        long[] max = {Long.MIN_VALUE};
        long[] watermark = {Long.MIN_VALUE};
        RuleListener none = r -> {};
        sim.generate(
                (Sample s) -> {
                    VmState st = states.computeIfAbsent(s.vmId, k -> new VmState());
                    if (ev.admit(st, s, watermark[0]) == Admission.ACCEPTED) {
                        ev.advance(st, s.vmId, watermark[0], false, none);
                    }
                    if (s.timestamp > max[0]) {
                        max[0] = s.timestamp;
                        watermark[0] = max[0] - Duration.ofMinutes(5).toMillis() - 1;
                    }
                });
        for (Map.Entry<String, VmState> e : states.entrySet()) {
            ev.advance(e.getValue(), e.getKey(), watermark[0], false, none);
        }
        TypeSerializer<VmState> pojo =
                TypeInformation.of(VmState.class).createSerializer(new SerializerConfigImpl());
        long pojoNormal = 0;
        long serNormal = 0;
        long heapNormal = 0;
        int normal = 0;
        long serMax = 0;
        long heapMax = 0;
        long recordNormal = 0;
        long recordMax = 0;
        for (int i = 0; i < vms; i++) {
            VmState st = states.get(sim.vmId(i));
            int size = serializedSize(VmStateSerializer.INSTANCE, st);
            int record = serializedSize(VmWakeUpSerializer.INSTANCE, recordOf(st));
            recordMax = Math.max(recordMax, record);
            long heap = HeapSize.of(st);
            serMax = Math.max(serMax, size);
            heapMax = Math.max(heapMax, heap);
            if (sim.behaviour(i) == Behaviour.NORMAL) {
                serNormal += size;
                recordNormal += record;
                pojoNormal += serializedSize(pojo, st);
                heapNormal += heap;
                normal++;
            }
        }
        List<VmState> sample = new java.util.ArrayList<>();
        for (int i = 0; i < vms; i++) {
            sample.add(states.get(sim.vmId(i)));
        }
        // What RocksDB pays per sample: the VM's state read and written once. Alternating the two
        // serializers twice spreads the machine's drift over both; the first pass warms both up.
        double[] pojoNs = new double[3];
        double[] ownNs = new double[3];
        for (int round = 0; round < 3; round++) {
            pojoNs[round] = roundTripNanos(pojo, sample);
            ownNs[round] = roundTripNanos(VmStateSerializer.INSTANCE, sample);
        }
        double pojoMean = (pojoNs[1] + pojoNs[2]) / 2;
        double ownMean = (ownNs[1] + ownNs[2]) / 2;
        return List.of(
                String.format(
                        Locale.ROOT,
                        "VM state written and read back (what RocksDB does per sample): %.0f ns"
                                + " with the hand-written serializer, %.0f ns with Flink's POJO"
                                + " serializer (%.1fx)",
                        ownMean,
                        pojoMean,
                        pojoMean / ownMean),
                String.format(
                        Locale.ROOT,
                        "state per VM (after 21 days of 5-min samples, %d VMs): normal VM %d B on"
                                + " the heap, %d B serialized (checkpoints, RocksDB; %d B with"
                                + " Flink's POJO serializer); largest (any behaviour) %d B heap,"
                                + " %d B serialized; as vm-rules keeps it, in the VM's record with"
                                + " its bookkeeping (vm-wakeup), %d B serialized, largest %d B;"
                                + " plus one timer of ~%d B (target <= 512 B serialized)",
                        vms,
                        heapNormal / Math.max(1, normal),
                        serNormal / Math.max(1, normal),
                        pojoNormal / Math.max(1, normal),
                        heapMax,
                        serMax,
                        recordNormal / Math.max(1, normal),
                        recordMax,
                        40 + 8 + 16));
    }

    /**
     * The VM's record as vm-rules keeps it between samples: its wake-up armed, the retention check
     * set, nothing buffered, no inventory record, and the rules' state.
     */
    private static VmWakeUp recordOf(VmState st) {
        VmWakeUp w = VmWakeUp.ofNewVm();
        w.lastEvaluatedAt = st.lastEvaluatedAt;
        w.wakeUp = st.lastEvaluatedAt + Duration.ofHours(1).toMillis();
        w.expiryAt = st.lastEvaluatedAt + Duration.ofDays(30).toMillis();
        w.trackedBy = System.currentTimeMillis();
        w.keepRules(st);
        return w;
    }

    /** Mean nanoseconds to serialize and deserialize one state, over 200,000 of them. */
    private static double roundTripNanos(TypeSerializer<VmState> ser, List<VmState> states) {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        org.apache.flink.core.memory.DataInputDeserializer in =
                new org.apache.flink.core.memory.DataInputDeserializer();
        int n = 200_000;
        long sink = 0;
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                out.clear();
                ser.serialize(states.get(i % states.size()), out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                sink += ser.deserialize(in).weekSamples;
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        double ns = (System.nanoTime() - t0) / (double) n;
        return sink == Long.MIN_VALUE ? -1 : ns;
    }

    private static <T> int serializedSize(TypeSerializer<T> ser, T st) {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        try {
            ser.serialize(st, out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.length();
    }
}
