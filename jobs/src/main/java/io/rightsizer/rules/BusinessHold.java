package io.rightsizer.rules;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Sample;

/**
 * Which of a VM's business-record reports reach the system-level rule: its first report with
 * businessRecords, and of consecutive positive ones at most one per {@link
 * VmEvaluator#BUSINESS_HOLD_MILLIS}, the one held back passed on later (the reasoning is at that
 * constant). The VM's {@link VmState} keeps what is held.
 */
final class BusinessHold {
    private BusinessHold() {}

    /** Passes on, holds back or releases on an evaluated sample with business records. */
    static void offer(VmState s, Sample x, RuleListener out) {
        if (!s.businessReported) {
            s.businessReported = true;
            if (x.businessRecords > 0) {
                s.businessPassedAt = x.timestamp;
            }
            out.businessReport(BusinessReport.of(x));
        } else if (x.businessRecords > 0) {
            if (s.businessPassedAt == VmState.NONE
                    || x.timestamp - s.businessPassedAt >= VmEvaluator.BUSINESS_HOLD_MILLIS) {
                s.businessPassedAt = x.timestamp;
                s.businessHeldAt = VmState.NONE;
                s.businessHeldUnitId = null;
                s.businessHeldSystemId = null;
                out.businessReport(BusinessReport.of(x));
            } else {
                s.businessHeldAt = x.timestamp;
                s.businessHeldUnitId = x.unitId;
                s.businessHeldSystemId = x.systemId;
            }
        } else if (s.businessHeldAt != VmState.NONE) {
            passHeld(s, out);
        }
    }

    static void passHeld(VmState s, RuleListener out) {
        out.businessReport(
                BusinessReport.of(
                        s.businessHeldSystemId, s.businessHeldUnitId, s.businessHeldAt, 1));
        s.businessPassedAt = s.businessHeldAt;
        s.businessHeldAt = VmState.NONE;
        s.businessHeldUnitId = null;
        s.businessHeldSystemId = null;
    }
}
