package io.rightsizer.rules;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;

/** Receives what an evaluator decides, in event-time order per subject. */
public interface RuleListener {
    void fired(Recommendation recommendation);

    /** A rule's condition held but its repeat rule (cooldown) kept it quiet. */
    default void suppressed(Rule rule, long at) {}

    /** A sample was evaluated (the watermark passed it, or the input ended). */
    default void evaluated(Sample sample) {}

    /**
     * A report the system-level rule needs (see {@link VmEvaluator#BUSINESS_HOLD_MILLIS}): far
     * fewer than one per sample.
     */
    default void businessReport(BusinessReport report) {}
}
