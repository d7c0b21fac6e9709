package io.rightsizer.rules;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules over an in-memory sequence of samples, wired exactly as the job wires them: one
 * watermark (newest timestamp − bound − 1 ms, raised after the sample that raises it), VM
 * evaluators keyed by vmId passing business reports to system evaluators keyed by systemId. For
 * rule tests and small backtests; the job itself runs the same evaluators in Flink operators.
 */
public final class InMemoryJudge {
    private final VmEvaluator vmEvaluator;
    private final SystemEvaluator systemEvaluator;
    private final long boundMillis;
    private final Map<String, VmState> vms = new LinkedHashMap<>();
    private final Map<String, SystemState> systems = new LinkedHashMap<>();
    private final List<Recommendation> fired = new ArrayList<>();
    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long systemWatermark = Long.MIN_VALUE;
    private long late;

    private final RuleListener listener =
            new RuleListener() {
                @Override
                public void fired(Recommendation r) {
                    fired.add(r);
                }

                @Override
                public void businessReport(BusinessReport r) {
                    // As in the job: a VM's reports reach the system rule before the watermark
                    // that released them does.
                    SystemState s = systems.computeIfAbsent(r.systemId, k -> new SystemState());
                    systemEvaluator.admit(s, r, systemWatermark);
                }
            };

    public InMemoryJudge(RuleSet rules, long boundMillis) {
        this.vmEvaluator = new VmEvaluator(rules);
        this.systemEvaluator = new SystemEvaluator(rules);
        this.boundMillis = boundMillis;
    }

    /** Offers one sample, as if it arrived now. */
    public Admission offer(Sample x) {
        VmState s = vms.computeIfAbsent(x.vmId, k -> new VmState());
        Admission a = vmEvaluator.admit(s, x, watermark);
        if (a == Admission.LATE) {
            late++;
        }
        if (a == Admission.ACCEPTED && x.timestamp > maxTimestamp) {
            maxTimestamp = x.timestamp;
            advanceTo(maxTimestamp - boundMillis - 1);
        }
        return a;
    }

    /** Moves event time on to {@code newWatermark} (if later), reaching what falls due. */
    public void advanceTo(long newWatermark) {
        if (newWatermark <= watermark) {
            return;
        }
        watermark = newWatermark;
        advance(false);
    }

    /** The end of the input: pending samples are evaluated, no further deadline is reached. */
    public List<Recommendation> finish() {
        advance(true);
        return fired;
    }

    public List<Recommendation> fired() {
        return fired;
    }

    public long late() {
        return late;
    }

    private void advance(boolean endOfInput) {
        for (Map.Entry<String, VmState> e : vms.entrySet()) {
            vmEvaluator.advance(e.getValue(), e.getKey(), watermark, endOfInput, listener);
        }
        for (Map.Entry<String, SystemState> e : systems.entrySet()) {
            systemEvaluator.advance(e.getValue(), e.getKey(), watermark, endOfInput, listener);
        }
        systemWatermark = watermark;
    }
}
