package io.rightsizer.job;

import io.rightsizer.job.operators.SystemRuleFunction;
import io.rightsizer.job.operators.VmRuleFunction;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The topology's two judging stages: the per-VM rules (uid {@code vm-rules}, {@link
 * VmRuleFunction}) over what ingest keyed by vmId, then the system-level rule (uid {@code
 * system-rules}, {@link SystemRuleFunction}) over the business reports they pass on, keyed by
 * systemId. Both take their rule set from the same {@link RuleInput}.
 */
final class RulesStage {
    private RulesStage() {}

    /**
     * What vm-rules emits.
     *
     * @param firings the per-VM rules' recommendations
     * @param businessReports what the system-level rule needs (see
     *     VmEvaluator.BUSINESS_HOLD_MILLIS)
     * @param deadLetters samples behind the watermark (LATE) and records it failed on (FAILED)
     * @param ruleStatus the decision on each rule update; only runs that read rule updates have any
     * @param notices time-limit notices, when the run reads an inventory
     * @param dataQuality the data-quality watch's events, when the settings have a silence period
     * @param hours each VM's hour summaries, only emitted when the settings write the history
     * @param weeks each VM's week summaries, likewise
     */
    record VmVerdicts(
            SingleOutputStreamOperator<Recommendation> firings,
            DataStream<BusinessReport> businessReports,
            List<DataStream<Rejected>> deadLetters,
            DataStream<RuleSetStatus> ruleStatus,
            Optional<DataStream<TimeLimitNotice>> notices,
            Optional<DataStream<DataQualityEvent>> dataQuality,
            DataStream<HourSummary> hours,
            DataStream<WeekSummary> weeks) {}

    /**
     * What system-rules emits.
     *
     * @param firings the system-level rule's recommendations
     * @param deadLetters the reports it failed on (FAILED)
     */
    record SystemVerdicts(
            SingleOutputStreamOperator<Recommendation> firings,
            List<DataStream<Rejected>> deadLetters) {}

    static VmVerdicts judgeVms(
            IngestStage.Result ingested, RuleInput rules, RightsizerPipeline.Settings settings) {
        boolean inventory = ingested.inventory().isPresent();
        VmRuleFunction function =
                new VmRuleFunction(
                        settings.rules(),
                        settings.sizing(),
                        settings.retention(),
                        settings.sourceName(),
                        inventory ? settings.timeLimits() : null);
        function.withDataQuality(settings.silenceAfter()).withHistory(settings.writesHistory());
        SingleOutputStreamOperator<Recommendation> vmRules =
                rules.judge(ingested.byVm(), function).name("vm-rules").uid("vm-rules");
        return new VmVerdicts(
                vmRules,
                vmRules.getSideOutput(Tags.BUSINESS),
                List.of(vmRules.getSideOutput(Tags.LATE), vmRules.getSideOutput(Tags.FAILED)),
                vmRules.getSideOutput(Tags.RULE_STATUS),
                inventory ? Optional.of(vmRules.getSideOutput(Tags.NOTICES)) : Optional.empty(),
                settings.silenceAfter() == null
                        ? Optional.empty()
                        : Optional.of(vmRules.getSideOutput(Tags.DATA_QUALITY)),
                vmRules.getSideOutput(Tags.HOURLY),
                vmRules.getSideOutput(Tags.WEEKLY));
    }

    static SystemVerdicts judgeSystems(
            DataStream<BusinessReport> reports,
            RuleInput rules,
            RightsizerPipeline.Settings settings) {
        KeyedStream<BusinessReport, String> bySystem =
                RightsizerPipeline.byKey(reports, new RightsizerPipeline.BySystem(), settings);
        SingleOutputStreamOperator<Recommendation> systemRules =
                rules.judge(
                                bySystem,
                                new SystemRuleFunction(
                                        settings.rules(),
                                        settings.retention(),
                                        settings.sizing().messages()))
                        .name("system-rules")
                        .uid("system-rules");
        return new SystemVerdicts(systemRules, List.of(systemRules.getSideOutput(Tags.FAILED)));
    }
}
