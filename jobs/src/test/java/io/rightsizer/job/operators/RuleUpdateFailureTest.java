package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.RuleBroadcastTest.CONFIGURED;
import static io.rightsizer.job.operators.RuleBroadcastTest.PUBLISHED;
import static io.rightsizer.job.operators.RuleBroadcastTest.RETENTION;
import static io.rightsizer.job.operators.RuleBroadcastTest.status;
import static io.rightsizer.job.operators.RuleBroadcastTest.update;
import static io.rightsizer.job.operators.RuleBroadcastTest.weekAt65;
import static io.rightsizer.job.operators.VmRuleFunctionTest.SOURCE;
import static io.rightsizer.job.operators.VmRuleFunctionTest.WEEK_END;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RightsizerPipeline;
import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The escape of the rules operators' broadcast side (docs/failures.md): a rule update whose
 * decision fails for a reason nobody foresaw is refused (the rule set in force stays), becomes one
 * FAILED dead letter with its coordinates, is counted and reported REJECTED, and the next update is
 * decided as usual, with no exception out of the operator.
 *
 * <p>The failure is injected through {@link RulesInForce#beforeDecide}, a hook production never
 * sets; what runs around it is the production code.
 */
class RuleUpdateFailureTest {
    static final String RULES_TOPIC = "rightsizing-rules";
    static final String FAILING = "2026.12.0";
    static final String NEXT = "2026.12.1";

    static RuleUpdate failing() {
        RuleUpdate u = update(FAILING, 60);
        u.sourceTopic = RULES_TOPIC;
        return u;
    }

    static void failOn(RulesInForce<?> rules, String version) {
        rules.beforeDecide =
                u -> {
                    if (version.equals(u.version)) {
                        throw new IllegalStateException("injected: deciding this update fails");
                    }
                };
    }

    static KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> vmRules(
            VmRuleFunction fn, int parallelism, int subtask) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, VmInput, RuleUpdate, Recommendation> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(fn, List.of(Tags.RULES)),
                        new RightsizerPipeline.ByVm(),
                        Types.STRING,
                        parallelism == 1 ? 1 : 128,
                        parallelism,
                        subtask);
        h.open();
        return RuleHarnesses.withIdleRuleUpdates(h);
    }

    static List<Rejected> failed(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        var q = h.getSideOutput(Tags.FAILED);
        return q == null
                ? List.of()
                : q.stream().map(r -> ((StreamRecord<Rejected>) r).getValue()).toList();
    }

    @Test
    void anUpdateWhoseDecisionFailsIsRefusedDeadLetteredAndReportedAndTheNextIsDecided()
            throws Exception {
        VmRuleFunction fn = new VmRuleFunction(CONFIGURED, RuleHarnesses.SIZING, RETENTION, SOURCE);
        failOn(fn.rules, FAILING);
        try (var h = vmRules(fn, 1, 0)) {
            weekAt65(h);
            assertThatCode(
                            () -> {
                                h.processBroadcastElement(failing(), PUBLISHED);
                                h.processBroadcastElement(update(NEXT, 60), PUBLISHED + 1);
                            })
                    .doesNotThrowAnyException();
            h.processWatermark(WEEK_END - 1);

            assertThat(failed(h))
                    .extracting(
                            r -> r.reason,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset,
                            r -> r.sampleTimestamp,
                            r -> r.vmId)
                    .containsExactly(
                            tuple(DeadLetterReason.FAILED, RULES_TOPIC, 0, 7L, PUBLISHED, null));
            Rejected letter = failed(h).get(0);
            assertThat(letter.message)
                    .startsWith(
                            "vm-rules-updates: rule update 2026.12.0:"
                                    + " java.lang.IllegalStateException: injected: deciding this"
                                    + " update fails\n\tat ");
            assertThat(new String(letter.payload, StandardCharsets.UTF_8))
                    .isEqualTo(failing().document);
            assertThat(HarnessCounters.recordsFailed(h, "vm-rules-updates")).isEqualTo(1);
            assertThat(status(h))
                    .extracting(
                            RuleSetStatus::getOutcome,
                            RuleSetStatus::getVersion,
                            RuleSetStatus::getPreviousVersion,
                            RuleSetStatus::getInForceVersion,
                            RuleSetStatus::getSourceOffset)
                    .containsExactly(
                            tuple(
                                    RuleUpdateOutcome.REJECTED,
                                    FAILING,
                                    "2026.11.0",
                                    "2026.11.0",
                                    7L),
                            tuple(RuleUpdateOutcome.ACCEPTED, NEXT, "2026.11.0", NEXT, 7L));
            assertThat(status(h).get(0).getReason())
                    .isEqualTo(
                            "the job failed deciding it (the dead letter FAILED at this topic,"
                                    + " partition and offset has the details):"
                                    + " java.lang.IllegalStateException: injected: deciding this"
                                    + " update fails");
            // The next update is in force and judges: 65 % is above its 60 %.
            assertThat(h.extractOutputValues())
                    .extracting(Recommendation::getRuleId, Recommendation::getRuleSetVersion)
                    .containsExactly(tuple("scale-up.memory.weekly-average", NEXT));
            assertThat(h.getBroadcastState(Tags.RULES).get(RulesInForce.KEY).version)
                    .isEqualTo(NEXT);
            assertThat(HarnessCounters.recordsFailed(h, "vm-rules")).isEqualTo(0);
        }
    }

    @Test
    void theOtherParallelInstancesRefuseItQuietly() throws Exception {
        VmRuleFunction fn = new VmRuleFunction(CONFIGURED, RuleHarnesses.SIZING, RETENTION, SOURCE);
        failOn(fn.rules, FAILING);
        try (var h = vmRules(fn, 2, 1)) {
            h.processBroadcastElement(failing(), PUBLISHED);

            assertThat(failed(h)).isEmpty();
            assertThat(status(h)).isEmpty();
            assertThat(fn.rules.version()).isEqualTo("2026.11.0");
            assertThat(h.getBroadcastState(Tags.RULES).get(RulesInForce.KEY)).isNull();

            h.processBroadcastElement(update(NEXT, 60), PUBLISHED + 1);
            assertThat(fn.rules.version()).isEqualTo(NEXT);
        }
    }

    @Test
    void systemRulesRefusesItDeadLettersItAndDecidesTheNext() throws Exception {
        SystemRuleFunction fn = new SystemRuleFunction(CONFIGURED, RETENTION);
        failOn(fn.rules, FAILING);
        try (var h =
                RuleHarnesses.withIdleRuleUpdates(
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                fn, new RightsizerPipeline.BySystem(), Types.STRING, Tags.RULES))) {
            assertThatCode(() -> h.processBroadcastElement(failing(), PUBLISHED))
                    .doesNotThrowAnyException();
            assertThat(fn.rules.version()).isEqualTo("2026.11.0");

            h.processBroadcastElement(update(NEXT, 60), PUBLISHED + 1);

            assertThat(failed(h))
                    .extracting(
                            r -> r.reason,
                            r -> r.sourceTopic,
                            r -> r.sourcePartition,
                            r -> r.sourceOffset)
                    .containsExactly(tuple(DeadLetterReason.FAILED, RULES_TOPIC, 0, 7L));
            assertThat(failed(h).get(0).message)
                    .startsWith(
                            "system-rules-updates: rule update 2026.12.0:"
                                    + " java.lang.IllegalStateException");
            assertThat(HarnessCounters.recordsFailed(h, "system-rules-updates")).isEqualTo(1);
            assertThat(fn.rules.version()).isEqualTo(NEXT);
        }
    }

    @Test
    void anOutOfMemoryErrorDecidingAnUpdateStillFailsTheTask() throws Exception {
        VmRuleFunction fn = new VmRuleFunction(CONFIGURED, RuleHarnesses.SIZING, RETENTION, SOURCE);
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        fn.rules.beforeDecide =
                u -> {
                    throw oom;
                };
        try (var h = vmRules(fn, 1, 0)) {
            assertThatThrownBy(() -> h.processBroadcastElement(failing(), PUBLISHED)).isSameAs(oom);

            assertThat(failed(h)).isEmpty();
            assertThat(HarnessCounters.recordsFailed(h, "vm-rules-updates")).isEqualTo(0);
        }
    }
}
