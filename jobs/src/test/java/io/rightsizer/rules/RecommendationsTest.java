package io.rightsizer.rules;

import static io.rightsizer.rules.Fixtures.SYSTEM;
import static io.rightsizer.rules.Fixtures.VM;
import static io.rightsizer.rules.Fixtures.defaults;
import static io.rightsizer.rules.Fixtures.raisingWatermarkTo;
import static io.rightsizer.rules.Fixtures.report;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.rules.Fixtures.withStorage;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.Recommendation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Recommendation ids: first 16 bytes of SHA-256 over "ruleId|subject|firedAt", lowercase hex. */
class RecommendationsTest {

    /** The README's definition, computed independently of the production code. */
    static String expectedId(String ruleId, String subject, long firedAt) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (ruleId + "|" + subject + "|" + firedAt)
                                            .getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                hex.append(String.format("%02x", digest[i] & 0xff));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void idOfTheReadmeExampleIsTheFirst16BytesOfItsSha256() {
        String id = Recommendations.id(Rule.STORAGE_USAGE, "vm-1", 1767225600000L);

        assertThat(id)
                .isEqualTo(expectedId("scale-up.storage.usage", "vm-1", 1767225600000L))
                .matches("[0-9a-f]{32}");
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void idOfEveryRuleFollowsTheDefinition(Rule rule) {
        assertThat(Recommendations.id(rule, "subject-7", 0L))
                .isEqualTo(expectedId(rule.id(), "subject-7", 0L));
        assertThat(Recommendations.id(rule, "subject-7", 1_800_000_000_123L))
                .isEqualTo(expectedId(rule.id(), "subject-7", 1_800_000_000_123L));
    }

    @Test
    void idIsDeterministic() {
        String first = Recommendations.id(Rule.HOURLY_PEAKS, VM, 1767225600000L);
        String second = Recommendations.id(Rule.HOURLY_PEAKS, VM, 1767225600000L);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void idChangesWithRuleSubjectAndInstant() {
        Set<String> ids = new HashSet<>();
        ids.add(Recommendations.id(Rule.STORAGE_USAGE, "vm-1", 1767225600000L));
        ids.add(Recommendations.id(Rule.HOURLY_PEAKS, "vm-1", 1767225600000L));
        ids.add(Recommendations.id(Rule.STORAGE_USAGE, "vm-2", 1767225600000L));
        ids.add(Recommendations.id(Rule.STORAGE_USAGE, "vm-1", 1767225600001L));

        assertThat(ids).hasSize(4);
    }

    @Test
    void subjectIsHashedAsUtf8() {
        String subject = "vm-数据-ü";

        assertThat(Recommendations.id(Rule.VM_INACTIVE, subject, 42L))
                .isEqualTo(expectedId("reduce.vm.inactive", subject, 42L));
    }

    @Test
    void vmRecommendationIdUsesTheVmIdAndFiredAt() {
        long t = shanghai(2026, 1, 1, 8, 0);
        VmDriver d = new VmDriver(defaults());
        d.feed(withStorage(running(t, 50), 85));
        d.end();

        assertThat(d.recommendations())
                .extracting(Recommendation::getRecommendationId)
                .containsExactly(expectedId("scale-up.storage.usage", VM, t));
    }

    @Test
    void systemRecommendationIdUsesTheSystemId() {
        long reference = shanghai(2026, 1, 10, 10, 0);
        long deadline = shanghai(2026, 2, 10, 10, 0);
        SystemDriver d = new SystemDriver(defaults());
        d.feed(report(reference, 1));
        d.feed(report(raisingWatermarkTo(deadline), 0));

        assertThat(d.recommendations())
                .extracting(Recommendation::getRecommendationId)
                .containsExactly(expectedId("reduce.system.no-business-data", SYSTEM, deadline));
    }

    @Test
    void sameFiringOnTwoRunsHasTheSameId() {
        long t = shanghai(2026, 1, 1, 8, 0);
        VmDriver first = new VmDriver(defaults());
        first.feed(withStorage(running(t, 50), 85));
        first.end();
        VmDriver second = new VmDriver(defaults());
        second.feed(withStorage(running(t, 50), 85));
        second.end();

        assertThat(second.recommendations()).isEqualTo(first.recommendations());
        assertThat(second.recommendations().get(0).getRecommendationId())
                .isEqualTo(first.recommendations().get(0).getRecommendationId());
    }
}
