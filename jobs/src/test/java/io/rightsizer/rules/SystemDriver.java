package io.rightsizer.rules;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link SystemEvaluator} for one system with the job's bounded out-of-orderness watermark
 * (largest accepted timestamp − bound − 1 ms, emitted after each report).
 */
final class SystemDriver implements RuleListener {
    private final SystemEvaluator evaluator;
    private final String systemId;
    final SystemState state = new SystemState();
    private final List<Recommendation> fired = new ArrayList<>();
    private final List<Admission> admissions = new ArrayList<>();
    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;

    SystemDriver(RuleSet rules) {
        this.evaluator = new SystemEvaluator(rules);
        this.systemId = Fixtures.SYSTEM;
    }

    /** Writing the reasons in the language of {@code messages}. */
    SystemDriver(RuleSet rules, io.rightsizer.i18n.Messages messages) {
        this.evaluator = new SystemEvaluator(rules, messages);
        this.systemId = Fixtures.SYSTEM;
    }

    Admission feed(BusinessReport r) {
        Admission a = evaluator.admit(state, r, watermark);
        admissions.add(a);
        if (a == Admission.ACCEPTED && r.timestamp > maxTimestamp) {
            maxTimestamp = r.timestamp;
            watermark = maxTimestamp - Fixtures.BOUND - 1;
        }
        evaluator.advance(state, systemId, watermark, false, this);
        return a;
    }

    SystemDriver feedAll(BusinessReport... reports) {
        for (BusinessReport r : reports) {
            feed(r);
        }
        return this;
    }

    /**
     * Forwards an evaluated sample as the job does: only a sample that carries businessRecords
     * becomes a report for the system-level rule.
     */
    SystemDriver feedSample(Sample s) {
        if (s.hasBusinessRecords()) {
            feed(BusinessReport.of(s));
        }
        return this;
    }

    SystemDriver end() {
        evaluator.advance(state, systemId, watermark, true, this);
        return this;
    }

    List<Recommendation> recommendations() {
        return fired;
    }

    List<Firing> firings() {
        return fired.stream().map(Firing::of).toList();
    }

    List<Admission> admissions() {
        return admissions;
    }

    @Override
    public void fired(Recommendation recommendation) {
        fired.add(recommendation);
    }
}
