package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.T;
import static io.rightsizer.job.operators.VmRuleFunctionTest.VM;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_END;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleUpdates;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.testing.RuleFiles;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The broadcast side of the rules operators: an accepted update judges every later evaluation, a
 * rejected one changes nothing and says why, and the rule set in force survives a restore.
 */
class RuleBroadcastTest {
    static final Duration RETENTION = Duration.ofDays(42);
    static final long PUBLISHED = Instant.parse("2026-03-04T08:00:00Z").toEpochMilli();

    static String document(String version, int averageAbovePct) {
        return RuleFiles.weeklyAnyHour(version, averageAbovePct);
    }

    static final RuleSet CONFIGURED = parse(document("2026.11.0", 70));

    static RuleSet parse(String yaml) {
        return RuleFiles.parse(yaml);
    }

    static RuleUpdate update(String version, int averageAbovePct) {
        String doc = document(version, averageAbovePct);
        RuleUpdate u =
                RuleUpdate.of(version, "ops@example", PUBLISHED, doc, RuleUpdates.sha256Hex(doc));
        u.sourcePartition = 0;
        u.sourceOffset = 7;
        return u;
    }

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> vmRules()
            throws Exception {
        return vmRules(1, 0);
    }

    /** The {@code subtask}-th of {@code parallelism} instances. */
    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> vmRules(
            int parallelism, int subtask) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.co
                                .CoBroadcastWithKeyedOperator<>(
                                new VmRuleFunction(
                                        CONFIGURED, RuleHarnesses.SIZING, RETENTION, SOURCE),
                                List.of(Tags.RULES)),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        parallelism == 1 ? 1 : 128,
                        parallelism,
                        subtask);
        h.open();
        return RuleHarnesses.withIdleRuleUpdates(h);
    }

    /** A week at 65 % memory: above a 60 % threshold, not above the configured 70 %. */
    static void weekAt65(
            KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h)
            throws Exception {
        Sample s = Samples.running(VM, SYSTEM, T, 65);
        h.processElement(VmInput.of(s), s.timestamp);
    }

    static List<RuleSetStatus> status(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        List<RuleSetStatus> out = new ArrayList<>();
        var q = h.getSideOutput(Tags.RULE_STATUS);
        if (q != null) {
            q.forEach((StreamRecord<RuleSetStatus> r) -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void withoutAnUpdateTheConfiguredRuleSetJudges() throws Exception {
        try (var h = vmRules()) {
            weekAt65(h);
            h.processWatermark(WEEK_END - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(status(h)).isEmpty();
        }
    }

    @Test
    void anAcceptedUpdateJudgesTheNextEvaluationAndIsConfirmed() throws Exception {
        try (var h = vmRules()) {
            weekAt65(h);
            h.processWatermark(T);
            h.processBroadcastElement(update("2026.12.0", 60), PUBLISHED);
            h.processWatermark(WEEK_END - 1);

            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getRuleSetVersion)
                    .containsExactly(tuple("scale-up.memory.weekly-average", "2026.12.0"));
            assertThat(status(h))
                    .extracting(
                            RuleSetStatus::getOutcome,
                            RuleSetStatus::getVersion,
                            RuleSetStatus::getAuthor,
                            RuleSetStatus::getPreviousVersion,
                            RuleSetStatus::getInForceVersion,
                            RuleSetStatus::getReason,
                            RuleSetStatus::getSourceOffset)
                    .containsExactly(
                            tuple(
                                    RuleUpdateOutcome.ACCEPTED,
                                    "2026.12.0",
                                    "ops@example",
                                    "2026.11.0",
                                    "2026.12.0",
                                    null,
                                    7L));
            assertThat(h.getBroadcastState(Tags.RULES).get(RulesInForce.KEY).version)
                    .isEqualTo("2026.12.0");
            // No per-VM state was lost: the VM is still tracked (its record: its rules' state and
            // bookkeeping).
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
        }
    }

    @Test
    void aRejectedUpdateChangesNothingAndSaysWhy() throws Exception {
        try (var h = vmRules()) {
            weekAt65(h);
            RuleUpdate older = update("2026.10.0", 60);
            RuleUpdate broken = update("2026.12.0", 60);
            broken.document = broken.document.replace("60", "160");
            broken.sha256 = RuleUpdates.sha256Hex(broken.document);
            h.processBroadcastElement(older, PUBLISHED);
            h.processBroadcastElement(broken, PUBLISHED);
            h.processBroadcastElement(RuleUpdate.undecodable("garbage"), PUBLISHED);
            h.processWatermark(WEEK_END - 1);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(status(h))
                    .extracting(
                            RuleSetStatus::getOutcome,
                            RuleSetStatus::getVersion,
                            RuleSetStatus::getInForceVersion,
                            RuleSetStatus::getReason)
                    .containsExactly(
                            tuple(
                                    RuleUpdateOutcome.REJECTED,
                                    "2026.10.0",
                                    "2026.11.0",
                                    "version '2026.10.0' is older than the version in force"
                                            + " ('2026.11.0'): a published rule set needs a newer"
                                            + " version (see rules/README.md, Versions)"),
                            tuple(
                                    RuleUpdateOutcome.REJECTED,
                                    "2026.12.0",
                                    "2026.11.0",
                                    "the rule file fails validation (1 problem):\n"
                                            + "rule set 2026.12.0:6:24:"
                                            + " scale-up.memory.weekly-average.average-above-pct"
                                            + " is 160: a percentage must be from 0 to 100"),
                            tuple(
                                    RuleUpdateOutcome.REJECTED,
                                    null,
                                    "2026.11.0",
                                    "the record could not be decoded: garbage"));
            assertThat(h.getBroadcastState(Tags.RULES).get(RulesInForce.KEY)).isNull();
        }
    }

    @Test
    void onlyTheFirstParallelInstanceReportsButEveryInstanceApplies() throws Exception {
        try (var first = vmRules(2, 0);
                var second = vmRules(2, 1)) {
            for (var h : List.of(first, second)) {
                h.processBroadcastElement(update("2026.12.0", 60), PUBLISHED);
            }
            assertThat(status(first)).hasSize(1);
            assertThat(status(second)).isEmpty();
            assertThat(second.getBroadcastState(Tags.RULES).get(RulesInForce.KEY).version)
                    .isEqualTo("2026.12.0");
        }
    }

    /**
     * An operator that accepted 2026.12.0 and holds a week at 65 %, snapshotted and restored with
     * {@code configured} as the rule set of its settings.
     */
    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation>
            restoredAfterUpdateTo2026_12_0(RuleSet configured) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = vmRules()) {
            h.processBroadcastElement(update("2026.12.0", 60), PUBLISHED);
            weekAt65(h);
            snapshot = h.snapshot(1, 1);
        }
        return RuleHarnesses.restored(
                new VmRuleFunction(configured, RuleHarnesses.SIZING, RETENTION, SOURCE),
                new RightsizerPipeline.ByVm(),
                snapshot);
    }

    @Test
    void theRuleSetInForceSurvivesARestoreFromASnapshot() throws Exception {
        try (var restored = restoredAfterUpdateTo2026_12_0(CONFIGURED)) {
            restored.processWatermark(WEEK_END - 1);
            assertThat(restored.extractOutputValues())
                    .extracting(Recommendation::getRuleSetVersion)
                    .containsExactly("2026.12.0");
            // An older update after the restore is still refused against the restored version.
            restored.processBroadcastElement(update("2026.11.5", 60), PUBLISHED);
            assertThat(status(restored))
                    .extracting(RuleSetStatus::getOutcome, RuleSetStatus::getPreviousVersion)
                    .containsExactly(tuple(RuleUpdateOutcome.REJECTED, "2026.12.0"));
        }
    }

    @Test
    void aRestartWithANewerConfiguredRuleSetUsesItAndRecordsTheChange() throws Exception {
        RuleSet redeployed = parse(document("2027.1.0", 64));
        try (var restored = restoredAfterUpdateTo2026_12_0(redeployed)) {
            restored.processWatermark(WEEK_END - 1);
            assertThat(restored.extractOutputValues())
                    .extracting(Recommendation::getRuleSetVersion)
                    .containsExactly("2027.1.0");
            assertThat(status(restored))
                    .extracting(
                            RuleSetStatus::getOutcome,
                            RuleSetStatus::getVersion,
                            RuleSetStatus::getAuthor,
                            RuleSetStatus::getPreviousVersion,
                            RuleSetStatus::getInForceVersion,
                            RuleSetStatus::getReason)
                    .containsExactly(
                            tuple(
                                    RuleUpdateOutcome.ACCEPTED,
                                    "2027.1.0",
                                    "configuration (rules.file)",
                                    "2026.12.0",
                                    "2027.1.0",
                                    "on restore, the configured rule set 2027.1.0 is newer than"
                                            + " the restored 2026.12.0"));
        }
    }

    @Test
    void theSystemRuleFollowsTheSameUpdatesWithoutReportingThem() throws Exception {
        try (var h =
                RuleHarnesses.withIdleRuleUpdates(
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new SystemRuleFunction(CONFIGURED, RETENTION),
                                new RightsizerPipeline.BySystem(),
                                Types.STRING,
                                Tags.RULES))) {
            String doc =
                    "version: \"2026.12.0\"\nrules:\n  reduce.system.no-business-data:\n"
                            + "    enabled: false\n";
            h.processBroadcastElement(
                    RuleUpdate.of("2026.12.0", "ops", PUBLISHED, doc, RuleUpdates.sha256Hex(doc)),
                    PUBLISHED);
            h.processElement(BusinessReport.of(SYSTEM, "unit-1", T, 0), T);
            h.processWatermark(T + Duration.ofDays(40).toMillis());
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(Tags.RULE_STATUS)).isNull();
        }
    }
}
