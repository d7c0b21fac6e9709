package io.rightsizer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deciding a published rule-set update, and the order of versions. */
class RuleUpdatesTest {
    static final RuleSet IN_FORCE = RuleSet.defaults("2026.11.0");

    static String document(String version, double averageAbove) {
        return "version: \""
                + version
                + "\"\nrules:\n  scale-up.memory.weekly-average:\n    average-above-pct: "
                + averageAbove
                + "\n";
    }

    static RuleUpdates.Decision decide(String version, String document) {
        return RuleUpdates.decide(IN_FORCE, version, document, RuleUpdates.sha256Hex(document));
    }

    @Nested
    class Decisions {
        @Test
        void aValidNewerRuleSetIsAcceptedAndPutInForce() {
            RuleUpdates.Decision d = decide("2026.12.0", document("2026.12.0", 60));
            assertThat(d.accepted()).isTrue();
            assertThat(d.reason()).isNull();
            assertThat(d.inForce().version()).isEqualTo("2026.12.0");
            assertThat(d.inForce().weeklyAverage().averageAbovePct()).isEqualTo(60.0);
        }

        @Test
        void anInvalidRuleSetIsRejectedWithEveryProblemAndTheOldOneStays() {
            String doc =
                    "version: \"2026.12.0\"\nrules:\n  scale-up.storage.usage:\n"
                            + "    usage-above-pct: 170\n    colour: red\n";
            RuleUpdates.Decision d = decide("2026.12.0", doc);
            assertThat(d.accepted()).isFalse();
            assertThat(d.inForce()).isSameAs(IN_FORCE);
            assertThat(d.reason())
                    .isEqualTo(
                            "the rule file fails validation (2 problems):\n"
                                    + "rule set 2026.12.0:4:22: scale-up.storage.usage"
                                    + ".usage-above-pct is 170: a percentage must be from 0 to"
                                    + " 100\n"
                                    + "rule set 2026.12.0:5:5: unknown key 'colour' in"
                                    + " scale-up.storage.usage (known: enabled, usage-above-pct,"
                                    + " cooldown)");
        }

        @Test
        void theVersionInForceAgainIsRejected() {
            RuleUpdates.Decision d = decide("2026.11.0", document("2026.11.0", 60));
            assertThat(d.accepted()).isFalse();
            assertThat(d.reason())
                    .isEqualTo(
                            "version '2026.11.0' is the version in force ('2026.11.0'): a"
                                    + " published rule set needs a newer version (see"
                                    + " rules/README.md, Versions)");
        }

        @Test
        void anOlderVersionIsRejected() {
            RuleUpdates.Decision d = decide("2026.9.5", document("2026.9.5", 60));
            assertThat(d.accepted()).isFalse();
            assertThat(d.reason())
                    .startsWith("version '2026.9.5' is older than the version in force");
        }

        @Test
        void aDocumentThatDoesNotMatchItsChecksumIsRejected() {
            String doc = document("2026.12.0", 60);
            RuleUpdates.Decision d =
                    RuleUpdates.decide(
                            IN_FORCE, "2026.12.0", doc, RuleUpdates.sha256Hex(doc + " "));
            assertThat(d.accepted()).isFalse();
            assertThat(d.reason())
                    .isEqualTo(
                            "the document does not match its sha256 (envelope "
                                    + RuleUpdates.sha256Hex(doc + " ")
                                    + ", document "
                                    + RuleUpdates.sha256Hex(doc)
                                    + "): it was altered or truncated");
        }

        @Test
        void anEnvelopeVersionDifferentFromTheFilesIsRejected() {
            RuleUpdates.Decision d = decide("2026.12.1", document("2026.12.0", 60));
            assertThat(d.accepted()).isFalse();
            assertThat(d.reason())
                    .isEqualTo(
                            "the envelope's version '2026.12.1' differs from the rule file's"
                                    + " version '2026.12.0'");
        }

        @Test
        void anEmptyDocumentIsRejected() {
            assertThat(decide("2026.12.0", " ").reason())
                    .isEqualTo("the update carries no rule file");
        }

        @Test
        void sha256IsTheLowercaseHexDigestOfTheUtf8Bytes() {
            assertThat(RuleUpdates.sha256Hex("abc"))
                    .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        }

        @Test
        void afterARestartTheRestoredRuleSetStaysUnlessTheConfigurationIsNewer() {
            RuleSet configured = RuleSet.defaults("2026.11.0");
            RuleSet restored = RuleSet.defaults("2026.12.0");
            assertThat(RuleUpdates.onRestore(configured, restored)).isSameAs(restored);
            assertThat(RuleUpdates.onRestore(configured, null)).isSameAs(configured);
            RuleSet upgraded = RuleSet.defaults("2027.1.0");
            assertThat(RuleUpdates.onRestore(upgraded, restored)).isSameAs(upgraded);
            assertThat(RuleUpdates.onRestore(RuleSet.defaults("2026.12.0"), restored))
                    .isSameAs(restored);
        }
    }

    @Nested
    class Versions {
        @ParameterizedTest(name = "{0} is newer than {1}")
        @CsvSource({
            "2026.11.10, 2026.11.9",
            "2026.12.0, 2026.11.31",
            "2026.11.0.1, 2026.11.0",
            "2027, 2026.12.31",
            "2026-11-27.1, 2026-11-26.9",
            "v10, v9",
            "1.0-rc2, 1.0-rc1",
            "b, a",
            // No pre-release rule: whatever follows is newer.
            "2026.11.0-beta, 2026.11.0",
            // A digit run is newer than other characters at the same place.
            "2026.11.0, release-1"
        })
        void newer(String newer, String older) {
            assertThat(RuleSetVersions.compare(newer, older)).isPositive();
            assertThat(RuleSetVersions.compare(older, newer)).isNegative();
            assertThat(RuleSetVersions.isNewer(newer, older)).isTrue();
            assertThat(RuleSetVersions.isNewer(older, newer)).isFalse();
        }

        @ParameterizedTest(name = "{0} is the same version as {1}")
        @CsvSource({"2026.11.0, 2026.11.0", "1.01, 1.1", "007, 7"})
        void same(String a, String b) {
            assertThat(RuleSetVersions.compare(a, b)).isZero();
            assertThat(RuleSetVersions.isNewer(a, b)).isFalse();
        }
    }
}
