package io.rightsizer.report;

import java.util.Map;

/**
 * One line of a report table: a VM (vmId set), a system (systemId set, vmId empty), a unit (only
 * unitId) or the fleet (all empty).
 *
 * @param vms the VMs counted in the row (1 for a VM row)
 * @param systems the systems counted in the row (1 for a system row)
 * @param recommendationsByRule recommendations issued in the period, by rule id (only rules with at
 *     least one)
 * @param overProvisionedVms VMs over-provisioned in the period (0 or 1 for a VM row)
 * @param idleVms VMs idle in the period (0 or 1 for a VM row)
 */
public record Row(
        Subject subject,
        int vms,
        int systems,
        Figures figures,
        Map<String, Integer> recommendationsByRule,
        int overProvisionedVms,
        int idleVms) {

    public int recommendations() {
        return recommendationsByRule.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int recommendations(String rule) {
        return recommendationsByRule.getOrDefault(rule, 0);
    }
}
