package io.rightsizer.rules;

import io.rightsizer.i18n.Messages;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.rules.calendar.EventCalendar;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Article 26(2)3 over one information system: fires when the watermark reaches the reference time
 * plus the configured calendar months with no business data since. Reports are evaluated in
 * timestamp order once the watermark passes them; a report whose timestamp equals the deadline is
 * evaluated first (business data at that very instant counts). Pure Java.
 */
public final class SystemEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RuleSet rules;
    private final EventCalendar calendar;
    private final Messages messages;

    /** Writing its reasons in English. */
    public SystemEvaluator(RuleSet rules) {
        this(rules, Messages.ENGLISH);
    }

    /** Writing its reasons in the language of {@code messages}. */
    public SystemEvaluator(RuleSet rules, Messages messages) {
        this.rules = rules;
        this.calendar = rules.calendar();
        this.messages = java.util.Objects.requireNonNull(messages, "messages");
    }

    public RuleSet rules() {
        return rules;
    }

    /**
     * Offers a report of a sample that the VM evaluator already accepted. Reports with equal
     * timestamps (several VMs of one system) are merged: the merged report carries records if any
     * did, and the smallest unitId among the reports that decide the reference.
     */
    public Admission admit(SystemState s, BusinessReport r, long watermark) {
        if (r.businessRecords < 0) {
            throw new IllegalArgumentException(
                    "only samples that report businessRecords are judged by this rule: " + r);
        }
        if (r.timestamp <= watermark) {
            // A positive report a VM held back for up to an hour (VmEvaluator
            // .BUSINESS_HOLD_MILLIS). It is older than every deadline not yet reached, and the
            // reference only ever takes the latest positive report, so applying it now gives
            // what in-order evaluation would have.
            apply(s, r);
            return Admission.ACCEPTED;
        }
        BusinessReport[] p = s.pending;
        int i = p.length;
        while (i > 0 && p[i - 1].timestamp > r.timestamp) {
            i--;
        }
        if (i > 0 && p[i - 1].timestamp == r.timestamp) {
            BusinessReport m = p[i - 1];
            boolean mPos = m.businessRecords > 0;
            boolean rPos = r.businessRecords > 0;
            if (rPos && !mPos) {
                p[i - 1] = copy(r);
            } else if (rPos == mPos && smaller(r.unitId, m.unitId)) {
                BusinessReport c = copy(m);
                c.unitId = r.unitId;
                p[i - 1] = c;
            }
            return Admission.ACCEPTED;
        }
        BusinessReport[] q = new BusinessReport[p.length + 1];
        System.arraycopy(p, 0, q, 0, i);
        q[i] = copy(r);
        System.arraycopy(p, i, q, i + 1, p.length - i);
        s.pending = q;
        return Admission.ACCEPTED;
    }

    public void advance(
            SystemState s, String systemId, long watermark, boolean endOfInput, RuleListener out) {
        while (true) {
            BusinessReport next = s.pending.length > 0 ? s.pending[0] : null;
            boolean reportDue = next != null && (endOfInput || next.timestamp <= watermark);
            long deadline = endOfInput ? Long.MAX_VALUE : nextDeadline(s);
            boolean deadlineDue = deadline != Long.MAX_VALUE && deadline <= watermark;
            if (reportDue && (!deadlineDue || next.timestamp <= deadline)) {
                s.pending =
                        s.pending.length == 1
                                ? new BusinessReport[0]
                                : Arrays.copyOfRange(s.pending, 1, s.pending.length);
                evaluate(s, next);
            } else if (deadlineDue) {
                s.fired = true;
                RuleSet r = rules.forSystem(systemId, s.referenceUnitId);
                if (r.noBusinessData().enabled()) {
                    out.fired(Recommendations.noBusinessData(r, messages, systemId, s, deadline));
                }
            } else {
                return;
            }
        }
    }

    public long nextDeadline(SystemState s) {
        return s.hasReference && !s.fired ? s.deadline : Long.MAX_VALUE;
    }

    public long nextPending(SystemState s) {
        return s.pending.length > 0 ? s.pending[0].timestamp : Long.MAX_VALUE;
    }

    private void evaluate(SystemState s, BusinessReport r) {
        s.lastEvaluatedAt = Math.max(s.lastEvaluatedAt, r.timestamp);
        apply(s, r);
    }

    /** The reference is the latest positive report, or before any, the earliest report. */
    private void apply(SystemState s, BusinessReport r) {
        if (r.businessRecords > 0) {
            if (!s.referencePositive
                    || r.timestamp > s.referenceAt
                    || (r.timestamp == s.referenceAt && smaller(r.unitId, s.referenceUnitId))) {
                setReference(s, r, true);
            }
        } else if (!s.hasReference
                || (!s.referencePositive
                        && (r.timestamp < s.referenceAt
                                || (r.timestamp == s.referenceAt
                                        && smaller(r.unitId, s.referenceUnitId))))) {
            setReference(s, r, false);
        }
    }

    private void setReference(SystemState s, BusinessReport r, boolean positive) {
        boolean moved = !s.hasReference || s.referenceAt != r.timestamp;
        s.hasReference = true;
        s.referenceAt = r.timestamp;
        s.referencePositive = positive;
        s.referenceUnitId = r.unitId;
        s.deadline =
                calendar.plusMonths(
                        r.timestamp,
                        rules.forSystem(r.systemId, r.unitId).noBusinessData().months());
        if (moved) {
            s.fired = false;
        }
    }

    private static boolean smaller(String a, String b) {
        if (a == null) {
            return false;
        }
        return b == null || a.compareTo(b) < 0;
    }

    private static BusinessReport copy(BusinessReport r) {
        return BusinessReport.of(r.systemId, r.unitId, r.timestamp, r.businessRecords);
    }
}
