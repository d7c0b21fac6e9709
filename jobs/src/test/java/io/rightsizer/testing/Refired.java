package io.rightsizer.testing;

import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import java.util.List;

/** A recommendation as another rule set fires it: for tests that compare two rule sets' output. */
public final class Refired {
    private Refired() {}

    /** {@code r} as rule set {@code version} fires it, with {@code reason}. */
    public static Recommendation withReason(Recommendation r, String version, String reason) {
        return Recommendation.newBuilder(r).setRuleSetVersion(version).setReason(reason).build();
    }

    /** {@code r} as rule set {@code version} fires it, with {@code overrides} in its evidence. */
    public static Recommendation withOverrides(
            Recommendation r, String version, List<String> overrides) {
        return Recommendation.newBuilder(r)
                .setRuleSetVersion(version)
                .setEvidence(Evidence.newBuilder(r.getEvidence()).setOverrides(overrides).build())
                .build();
    }
}
