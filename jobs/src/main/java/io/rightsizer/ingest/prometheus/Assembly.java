package io.rightsizer.ingest.prometheus;

import io.rightsizer.ingest.prometheus.PromMapping.Kind;
import io.rightsizer.ingest.prometheus.PromMapping.Mapped;
import io.rightsizer.model.Sample;
import io.rightsizer.telemetry.SampleValidator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Assembles the mapped values of one VM and one scrape into one sample. Prometheus stamps every
 * series of one scrape of one target with the same timestamp but spreads them over requests and
 * shards, so the values of a (vmId, timestamp) group are collected for a fixed wait after the
 * group's first value arrived; then the group is {@link #due due}: built into one sample and sent.
 * A value for a group that is being sent or was sent is late: counted, not used.
 *
 * <p>CPU utilization needs two readings of the idle counters: each VM keeps the counters of its
 * latest built group, and a group's CPU is computed against them. Thread-safe; the clock is passed
 * in, so tests drive it.
 */
public final class Assembly {
    /** Sent (or finished otherwise) timestamps remembered per VM, to tell a late value. */
    static final int REMEMBERED_PER_VM = 64;

    private final long waitMillis;
    private final int maxOpenGroups;
    private final int maxVms;
    private final long forgetVmAfterMillis;
    private final Function<String, Ids> inventory;
    private final Map<Key, Group> open = new HashMap<>();
    private final Map<String, Vm> vms = new HashMap<>();

    record Key(String vmId, long timestamp) {}

    /** A VM's systemId and unitId (null when none) as the inventory has them. */
    public record Ids(String systemId, String unitId) {}

    /**
     * @param waitMillis how long a group collects values after its first one
     * @param maxOpenGroups groups collecting or being sent at once; beyond, {@link #offer} refuses
     * @param maxVms VMs remembered (CPU counters, sent timestamps); beyond, a new VM is refused
     * @param forgetVmAfterMillis a VM with no value for this long is forgotten
     */
    public Assembly(long waitMillis, int maxOpenGroups, int maxVms, long forgetVmAfterMillis) {
        this(waitMillis, maxOpenGroups, maxVms, forgetVmAfterMillis, null);
    }

    /**
     * As above, with the inventory's ids of a VM (or null when it has none) for a VM whose series
     * carry no system or unit label; null: labels only.
     */
    public Assembly(
            long waitMillis,
            int maxOpenGroups,
            int maxVms,
            long forgetVmAfterMillis,
            Function<String, Ids> inventory) {
        this.inventory = inventory;
        this.waitMillis = waitMillis;
        this.maxOpenGroups = maxOpenGroups;
        this.maxVms = maxVms;
        this.forgetVmAfterMillis = forgetVmAfterMillis;
    }

    /** The values of one VM and one timestamp, and the promise that they were dealt with. */
    public static final class Group {
        final String vmId;
        final long timestamp;
        final long deadline;
        String systemId;
        String unitId;
        final Map<Kind, Double> single = new HashMap<>();
        final Map<String, double[]> filesystems = new TreeMap<>();
        final Map<String, Double> idle = new TreeMap<>();
        boolean sending;

        /**
         * Completes when the group's sample was acknowledged by Kafka or deliberately not produced
         * (counted); fails when it could not be produced.
         */
        public final CompletableFuture<Void> done = new CompletableFuture<>();

        Group(String vmId, long timestamp, long deadline) {
            this.vmId = vmId;
            this.timestamp = timestamp;
            this.deadline = deadline;
        }

        public String vmId() {
            return vmId;
        }

        public long timestamp() {
            return timestamp;
        }

        void add(Mapped m) {
            if (systemId == null) {
                systemId = m.systemId();
            }
            if (unitId == null) {
                unitId = m.unitId();
            }
            switch (m.kind()) {
                case FS_SIZE -> fs(m.instance())[0] = m.value();
                case FS_AVAIL -> fs(m.instance())[1] = m.value();
                case CPU_IDLE_SECONDS -> idle.put(m.instance(), m.value());
                default -> single.put(m.kind(), m.value());
            }
        }

        private double[] fs(String instance) {
            return filesystems.computeIfAbsent(
                    instance, k -> new double[] {Double.NaN, Double.NaN});
        }
    }

    /** What became of an offered value. */
    public record Offer(Group group, boolean late) {}

    /** More groups or VMs than the limits allow: the sender should retry later. */
    public static final class FullException extends Exception {
        private static final long serialVersionUID = 1L;

        FullException(String message) {
            super(message);
        }
    }

    private static final class Vm {
        final ArrayDeque<Long> finishedOrder = new ArrayDeque<>();
        final Set<Long> finished = new HashSet<>();
        long lastSeen;
        long cpuTimestamp = -1;
        Map<String, Double> idle = Map.of();
        boolean warned;

        void finish(long ts) {
            if (finished.add(ts)) {
                finishedOrder.addLast(ts);
                if (finishedOrder.size() > REMEMBERED_PER_VM) {
                    finished.remove(finishedOrder.removeFirst());
                }
            }
        }
    }

    /**
     * Adds a value to its group, opening the group if needed.
     *
     * @return the group the value went to (late = false), the group being sent when the value came
     *     too late for it (late = true), or no group when its group was already finished (late)
     * @throws FullException when a new group or VM would exceed the limits
     */
    public synchronized Offer offer(Mapped m, long now) throws FullException {
        Key key = new Key(m.vmId(), m.timestamp());
        Group g = open.get(key);
        Vm vm = vms.get(m.vmId());
        if (g == null) {
            if (vm != null && vm.finished.contains(m.timestamp())) {
                vm.lastSeen = now;
                return new Offer(null, true);
            }
            if (vm == null && vms.size() >= maxVms) {
                throw new FullException("more than " + maxVms + " VMs");
            }
            if (open.size() >= maxOpenGroups) {
                throw new FullException("more than " + maxOpenGroups + " samples being assembled");
            }
            g = new Group(m.vmId(), m.timestamp(), now + waitMillis);
            open.put(key, g);
        } else if (g.sending) {
            return new Offer(g, true);
        }
        if (vm == null) {
            vm = new Vm();
            vms.put(m.vmId(), vm);
        }
        vm.lastSeen = now;
        g.add(m);
        return new Offer(g, false);
    }

    public synchronized int openGroups() {
        return open.size();
    }

    public synchronized int vms() {
        return vms.size();
    }

    /** A due group, built: the sample to send, or why there is none. */
    public record Built(Group group, Sample sample, Problem problem, String message) {}

    /** Why a due group gives no sample. */
    public enum Problem {
        /** No label with the systemId on any of its series. */
        NO_SYSTEM,
        /** Only CPU counters, and no earlier reading to compute a rate from (or nothing usable). */
        EMPTY,
        /** The values make a sample the validator refuses. */
        INVALID;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The groups whose wait has passed at {@code now}, oldest timestamp first, each built into a
     * sample (CPU against the VM's previous counters) and marked as being sent; forgets VMs idle
     * longer than the limit. Call {@link #sent} or {@link #failed} for each.
     */
    public synchronized List<Built> due(long now) {
        List<Group> ready = new ArrayList<>();
        for (Group g : open.values()) {
            if (!g.sending && g.deadline <= now) {
                ready.add(g);
            }
        }
        ready.sort(Comparator.comparingLong((Group g) -> g.timestamp).thenComparing(g -> g.vmId));
        List<Built> out = new ArrayList<>(ready.size());
        for (Group g : ready) {
            g.sending = true;
            out.add(build(g, vms.get(g.vmId), inventory));
        }
        Iterator<Map.Entry<String, Vm>> it = vms.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Vm> e = it.next();
            if (now - e.getValue().lastSeen > forgetVmAfterMillis && !hasOpen(e.getKey())) {
                it.remove();
            }
        }
        return out;
    }

    private boolean hasOpen(String vmId) {
        for (Key k : open.keySet()) {
            if (k.vmId().equals(vmId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this is the VM's first problem (the first NO_SYSTEM or INVALID of a VM is logged, the
     * rest only counted).
     */
    public synchronized boolean firstWarning(String vmId) {
        Vm vm = vms.get(vmId);
        if (vm == null) {
            return true;
        }
        boolean first = !vm.warned;
        vm.warned = true;
        return first;
    }

    /** The group's sample was acknowledged, or it had none: later values for it are late. */
    public synchronized void finished(Group g) {
        open.remove(new Key(g.vmId, g.timestamp));
        Vm vm = vms.get(g.vmId);
        if (vm != null) {
            vm.finish(g.timestamp);
        }
        g.done.complete(null);
    }

    /** The group's sample could not be produced: a retried request opens the group again. */
    public synchronized void failed(Group g, Throwable why) {
        open.remove(new Key(g.vmId, g.timestamp));
        g.done.completeExceptionally(why);
    }

    private static Built build(Group g, Vm vm, Function<String, Ids> inventory) {
        Double cpu = cpu(g, vm);
        Long memTotal = null;
        Long memUsed = null;
        Double total = g.single.get(Kind.MEM_TOTAL);
        Double available = g.single.get(Kind.MEM_AVAILABLE);
        if (total != null && available != null) {
            memTotal = Math.round(total);
            memUsed = Math.max(0, Math.round(total - available));
        } else {
            Double max = g.single.get(Kind.LIBVIRT_MAX_MEMORY);
            Double guest = g.single.get(Kind.LIBVIRT_GUEST_AVAILABLE);
            Double usable = g.single.get(Kind.LIBVIRT_GUEST_USABLE);
            if (max != null && guest != null && usable != null) {
                memTotal = Math.round(max);
                memUsed = Math.min(memTotal, Math.max(0, Math.round(guest - usable)));
            }
        }
        long size = 0;
        long used = 0;
        for (double[] fs : g.filesystems.values()) {
            if (!Double.isNaN(fs[0]) && !Double.isNaN(fs[1]) && fs[0] > 0) {
                size += Math.round(fs[0]);
                used += Math.max(0, Math.round(fs[0] - fs[1]));
            }
        }
        Double state = g.single.get(Kind.LIBVIRT_STATE);
        boolean stopped = state != null && state == 5.0;
        String systemId = g.systemId;
        String unitId = g.unitId;
        if ((systemId == null || unitId == null) && inventory != null) {
            Ids ids = inventory.apply(g.vmId);
            if (ids != null) {
                systemId = systemId != null ? systemId : ids.systemId();
                unitId = unitId != null ? unitId : ids.unitId();
            }
        }
        if (systemId == null) {
            return new Built(
                    g,
                    null,
                    Problem.NO_SYSTEM,
                    "VM "
                            + g.vmId
                            + ": no systemId label on its series"
                            + (inventory == null ? "" : " and no allocation in the inventory"));
        }
        if (memTotal == null && size == 0 && cpu == null && !stopped) {
            return new Built(g, null, Problem.EMPTY, "VM " + g.vmId + ": nothing to report yet");
        }
        Sample s = new Sample();
        String error =
                SampleValidator.validate(
                        g.vmId,
                        systemId,
                        unitId,
                        g.timestamp,
                        stopped ? "STOPPED" : "RUNNING",
                        memUsed,
                        memTotal,
                        size > 0 ? used : null,
                        size > 0 ? size : null,
                        cpu,
                        null,
                        s);
        if (error != null) {
            return new Built(g, null, Problem.INVALID, "VM " + g.vmId + ": " + error);
        }
        return new Built(g, s, null, null);
    }

    /**
     * Utilization over the time since the VM's previous counters: 100 × (1 − Σ Δidle / (cpus × Δt))
     * over the CPUs in both, clamped to 0–100; none after a counter reset or without a previous
     * reading. The group's counters become the VM's when the group is newer.
     */
    private static Double cpu(Group g, Vm vm) {
        if (g.idle.isEmpty() || vm == null) {
            return null;
        }
        Double pct = null;
        if (vm.cpuTimestamp >= 0 && g.timestamp > vm.cpuTimestamp) {
            double seconds = (g.timestamp - vm.cpuTimestamp) / 1000.0;
            double idle = 0;
            int cpus = 0;
            boolean reset = false;
            for (Map.Entry<String, Double> e : g.idle.entrySet()) {
                Double before = vm.idle.get(e.getKey());
                if (before != null) {
                    double d = e.getValue() - before;
                    reset |= d < 0;
                    idle += d;
                    cpus++;
                }
            }
            if (cpus > 0 && !reset) {
                pct = Math.min(100.0, Math.max(0.0, 100.0 * (1 - idle / (cpus * seconds))));
            }
        }
        if (g.timestamp > vm.cpuTimestamp) {
            vm.cpuTimestamp = g.timestamp;
            vm.idle = Map.copyOf(g.idle);
        }
        return pct;
    }

    @Override
    public synchronized String toString() {
        return "Assembly[" + open.size() + " open, " + vms.size() + " VMs]";
    }
}
