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

    /**
     * A VM's clock hour is complete: once per VM and hour with an evaluated sample, in hour order
     * (rules/README.md, "Utilization history"). The summary is a fresh object the listener may
     * keep.
     */
    default void hourClosed(HourSummary hour) {}

    /**
     * A VM's week is complete: at its close, judged by the weekly rules or not, or when it is
     * dropped without a close (rules/README.md, "Utilization history"). A fresh object.
     */
    default void weekClosed(WeekSummary week) {}
}
