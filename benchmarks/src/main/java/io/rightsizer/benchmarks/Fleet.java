package io.rightsizer.benchmarks;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.sim.Behaviour;
import io.rightsizer.sim.FleetSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples every benchmark reads: the simulator's fleet (the same generator the tests, the demo
 * and scripts/bench use), so the field values, id lengths and behaviours are the real ones.
 */
final class Fleet {
    /** Monday 00:00 in Asia/Shanghai, the shipped rules' zone: a week starts with the data. */
    static final Instant START = Instant.parse("2026-11-15T16:00:00Z");

    static final Duration INTERVAL = Duration.ofMinutes(5);

    /** Large enough that every behaviour has VMs (the simulator plants each on a share). */
    static final int VMS = 200;

    private Fleet() {}

    static FleetSimulator simulator(int days) {
        return new FleetSimulator(VMS, START, days, INTERVAL, 42, RuleSet.DEFAULT_ZONE);
    }

    /** The first {@code n} samples of the fleet, all VMs interleaved as a producer sends them. */
    static List<Sample> first(int n) {
        List<Sample> out = new ArrayList<>(n);
        simulator(1)
                .generate(
                        s -> {
                            if (out.size() < n) {
                                out.add(s);
                            }
                        });
        if (out.size() < n) {
            throw new IllegalStateException("the fleet has only " + out.size() + " samples");
        }
        return out;
    }

    /** Every sample of the first VM with {@code behaviour}, in timestamp order. */
    static List<Sample> ofOneVm(Behaviour behaviour, int days) {
        FleetSimulator sim = simulator(days);
        String vmId = null;
        for (int i = 0; i < sim.vms() && vmId == null; i++) {
            if (sim.behaviour(i) == behaviour) {
                vmId = sim.vmId(i);
            }
        }
        if (vmId == null) {
            throw new IllegalStateException("no " + behaviour + " VM in a fleet of " + VMS);
        }
        String id = vmId;
        List<Sample> out = new ArrayList<>();
        sim.generate(
                s -> {
                    if (s.vmId.equals(id)) {
                        out.add(s);
                    }
                });
        return out;
    }
}
