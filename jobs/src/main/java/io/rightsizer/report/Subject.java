package io.rightsizer.report;

import java.util.Comparator;

/**
 * Where a row of figures belongs: a VM with its system and unit as tagged in InfluxDB (empty
 * strings for an absent tag). A VM whose system or unit changed within the period is two subjects.
 */
public record Subject(String unitId, String systemId, String vmId) {
    public static final Comparator<Subject> ORDER =
            Comparator.comparing(Subject::unitId)
                    .thenComparing(Subject::systemId)
                    .thenComparing(Subject::vmId);

    public Subject {
        unitId = unitId == null ? "" : unitId;
        systemId = systemId == null ? "" : systemId;
        vmId = vmId == null ? "" : vmId;
    }

    public Subject system() {
        return new Subject(unitId, systemId, "");
    }

    public Subject unit() {
        return new Subject(unitId, "", "");
    }
}
