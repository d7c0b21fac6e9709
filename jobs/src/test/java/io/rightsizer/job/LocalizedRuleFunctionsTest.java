package io.rightsizer.job;

import static io.rightsizer.testing.Samples.shanghai;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.i18n.Messages;
import io.rightsizer.job.operators.SystemRuleFunction;
import io.rightsizer.job.operators.VmRuleFunction;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.sizing.Catalog;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The rule operators with {@code locale: zh-CN} on Flink's keyed test harness: the reason and
 * regulation in Chinese, every other field as in English.
 */
class LocalizedRuleFunctionsTest {
    static final RuleSet RULES = RuleSet.defaults("operator-test");
    static final Messages ZH = Messages.of(Messages.ZH_CN);

    /** Tuesday 3 March 2026 10:00 in Asia/Shanghai, and one calendar month later. */
    static final long T = shanghai(2026, 3, 3, 10, 0);

    static final long T_PLUS_ONE_MONTH = shanghai(2026, 4, 3, 10, 0);

    static Recommendation systemRule(Messages m) throws Exception {
        try (var h =
                RuleHarnesses.withIdleRuleUpdates(
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new SystemRuleFunction(RULES, Duration.ofDays(42), m),
                                new RightsizerPipeline.BySystem(),
                                Types.STRING,
                                Tags.RULES))) {
            h.processElement(BusinessReport.of("sys-1", "unit-1", T, 5), T);
            h.processWatermark(T_PLUS_ONE_MONTH);
            assertThat(h.extractOutputValues()).hasSize(1);
            return h.extractOutputValues().get(0);
        }
    }

    static Recommendation storageRule(Messages m) throws Exception {
        try (var h =
                RuleHarnesses.withIdleRuleUpdates(
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new VmRuleFunction(
                                        RULES,
                                        new Sizing(Catalog.defaults(), m),
                                        Duration.ofDays(42),
                                        "metrics"),
                                new RightsizerPipeline.ByVm(),
                                Types.STRING,
                                Tags.RULES))) {
            var s = Samples.withStorage(Samples.running("vm-1", "sys-1", T, 50), 75);
            h.processElement(VmInput.of(s), s.timestamp);
            h.processWatermark(T + 3_600_000L);
            assertThat(h.extractOutputValues()).hasSize(1);
            return h.extractOutputValues().get(0);
        }
    }

    static Recommendation neutral(Recommendation r) {
        return Recommendation.newBuilder(r).setReason("").setRegulation("").build();
    }

    @Test
    void theSystemRuleWritesItsReasonInChinese() throws Exception {
        Recommendation zh = systemRule(ZH);
        Recommendation en = systemRule(Messages.ENGLISH);

        assertThat(zh.getReason()).isEqualTo("该信息系统自 2026年3月3日 10:00 最后一次产生业务数据以来，1 个月未产生业务数据");
        assertThat(zh.getRegulation()).isEqualTo("第二十六条第二款第三项");
        assertThat(en.getReason())
                .isEqualTo(
                        "the information system produced no business data for 1 month since its"
                                + " last business data at 2026-03-03 10:00");
        assertThat(neutral(zh)).isEqualTo(neutral(en));
    }

    @Test
    void theVmRulesWriteTheirReasonInTheSizingsLanguage() throws Exception {
        Recommendation zh = storageRule(ZH);
        Recommendation en = storageRule(Messages.ENGLISH);

        assertThat(zh.getReason())
                .startsWith("存储使用率 75.0% > 70%（已用 75.0 GiB，共 100.0 GiB）；建议调整为存储 ");
        assertThat(zh.getRegulation()).isEqualTo("第二十六条第一款第三项");
        assertThat(en.getReason())
                .startsWith(
                        "storage usage 75.0% > 70% (75.0 GiB of 100.0 GiB used); proposed storage"
                                + " ");
        assertThat(neutral(zh)).isEqualTo(neutral(en));
    }
}
