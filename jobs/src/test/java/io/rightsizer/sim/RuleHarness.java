package io.rightsizer.sim;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Admission;
import io.rightsizer.rules.RuleListener;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.SystemEvaluator;
import io.rightsizer.rules.SystemState;
import io.rightsizer.rules.VmEvaluator;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.Recommendation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drives the pure evaluators like the job on a single ordered input: a sample is admitted against
 * the current watermark, an accepted sample that raises the largest timestamp moves the watermark
 * to {@code max ts − 5 min − 1 ms}, and every subject is then advanced to it. {@link #finish}
 * evaluates what is still pending without reaching any deadline, like the end of a replay.
 */
final class RuleHarness implements Consumer<Sample> {
    private static final long BOUND = FleetSimulator.WATERMARK_BOUND.toMillis();

    private final VmEvaluator vmEvaluator;
    private final SystemEvaluator systemEvaluator;
    private final Map<String, VmState> vms = new LinkedHashMap<>();
    private final Map<String, SystemState> systems = new LinkedHashMap<>();
    final List<Recommendation> fired = new ArrayList<>();
    private final RuleListener listener = fired::add;
    long watermark = Long.MIN_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    long accepted;
    long rejected;

    /**
     * Feeds the system rule every sample's business report directly: the reference the job's wiring
     * ({@link io.rightsizer.rules.InMemoryJudge}, VMs passing on few reports) is compared with.
     */
    RuleHarness(RuleSet rules) {
        vmEvaluator = new VmEvaluator(rules);
        systemEvaluator = new SystemEvaluator(rules);
    }

    @Override
    public void accept(Sample x) {
        VmState s = vms.computeIfAbsent(x.vmId, k -> new VmState());
        Admission a = vmEvaluator.admit(s, x, watermark);
        if (a != Admission.ACCEPTED) {
            rejected++;
            return;
        }
        accepted++;
        if (x.hasBusinessRecords()) {
            SystemState sys = systems.computeIfAbsent(x.systemId, k -> new SystemState());
            systemEvaluator.admit(sys, BusinessReport.of(x), watermark);
        }
        if (x.timestamp > maxTimestamp) {
            maxTimestamp = x.timestamp;
            long w = maxTimestamp - BOUND - 1;
            if (w > watermark) {
                watermark = w;
                advance(false);
            }
        }
    }

    void finish() {
        advance(true);
    }

    private void advance(boolean endOfInput) {
        for (Map.Entry<String, VmState> e : vms.entrySet()) {
            vmEvaluator.advance(e.getValue(), e.getKey(), watermark, endOfInput, listener);
        }
        for (Map.Entry<String, SystemState> e : systems.entrySet()) {
            systemEvaluator.advance(e.getValue(), e.getKey(), watermark, endOfInput, listener);
        }
    }
}
