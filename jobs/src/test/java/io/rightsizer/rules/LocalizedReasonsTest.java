package io.rightsizer.rules;

import static io.rightsizer.rules.Fixtures.defaults;
import static io.rightsizer.rules.Fixtures.report;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.rules.Fixtures.stopped;
import static io.rightsizer.rules.Fixtures.withStorage;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.i18n.Messages;
import io.rightsizer.rules.sizing.Catalog;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.Recommendation;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every kind of reason, fired by the evaluators in English and in Chinese: the same records but for
 * reason and regulation, no message key or placeholder left in the text, and the Chinese reasons as
 * the data center reads them.
 */
class LocalizedReasonsTest {
    static final Messages EN = Messages.ENGLISH;
    static final Messages ZH = Messages.of(Messages.ZH_CN);
    static final long MON = shanghai(2026, 3, 2, 0, 0);
    static final long TUE_1000 = shanghai(2026, 3, 3, 10, 0);
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;

    /** A raw key ("reason.x"), a placeholder left ("{0}"), or an English word of a reason. */
    static final Pattern RAW =
            Pattern.compile("(reason|sizing|regulation|resource|duration)\\.[a-z]|\\{\\d");

    static final Pattern ENGLISH_WORD =
            Pattern.compile("\\b(?!GiB\\b|TiB\\b|MiB\\b|KiB\\b|CPU\\b)[A-Za-z]{3,}\\b");

    static VmDriver vm(Messages m) {
        return new VmDriver(defaults(), new Sizing(Catalog.defaults(), m));
    }

    /** A week of hourly samples at {@code pct} from MON, closed by the next Monday's sample. */
    static List<Recommendation> week(Messages m, double pct) {
        VmDriver d = vm(m);
        for (long t = MON; t < MON + 7 * 24 * HOUR; t += HOUR) {
            d.feed(running(t, pct));
        }
        d.feed(running(MON + 7 * 24 * HOUR + HOUR, pct));
        d.end();
        return d.recommendations();
    }

    static List<Recommendation> peaks(Messages m) {
        VmDriver d = vm(m);
        double[] pcts = {50, 85, 50, 85, 50, 85, 50};
        for (int i = 0; i < pcts.length; i++) {
            d.feed(running(TUE_1000 + i * 10 * MINUTE, pcts[i]));
        }
        d.end();
        return d.recommendations();
    }

    static List<Recommendation> memoryEmergency(Messages m) {
        VmDriver d = vm(m);
        for (int i = 0; i <= 4; i++) {
            d.feed(running(TUE_1000 + i * 5 * MINUTE, 96));
        }
        d.end();
        return d.recommendations();
    }

    static List<Recommendation> storage(Messages m, double pct) {
        VmDriver d = vm(m);
        d.feed(withStorage(running(TUE_1000, 50), pct));
        d.end();
        return d.recommendations();
    }

    static List<Recommendation> inactive(Messages m) {
        VmDriver d = vm(m);
        for (long t = MON; t <= MON + 100 * 24 * HOUR; t += 24 * HOUR) {
            d.feed(stopped(t));
        }
        d.end();
        return d.recommendations();
    }

    static List<Recommendation> noBusinessData(Messages m, long records) {
        SystemDriver d = new SystemDriver(defaults(), m);
        long reference = shanghai(2026, 1, 10, 10, 0);
        d.feed(report(reference, records));
        d.feed(report(Fixtures.raisingWatermarkTo(shanghai(2026, 2, 10, 10, 0)), 0));
        return d.recommendations();
    }

    interface Scenario {
        List<Recommendation> fire(Messages m);
    }

    static final List<Scenario> ALL =
            List.of(
                    m -> week(m, 75),
                    m -> week(m, 20),
                    LocalizedReasonsTest::peaks,
                    LocalizedReasonsTest::memoryEmergency,
                    m -> storage(m, 75),
                    m -> storage(m, 92),
                    LocalizedReasonsTest::inactive,
                    m -> noBusinessData(m, 1),
                    m -> noBusinessData(m, 0));

    /** The record without its two localized fields. */
    static Recommendation neutral(Recommendation r) {
        return Recommendation.newBuilder(r).setReason("").setRegulation("").build();
    }

    @Test
    void everyRuleFiresTheSameRecordsInBothLanguagesButForReasonAndRegulation() {
        java.util.Set<String> rules = new java.util.TreeSet<>();
        for (Scenario s : ALL) {
            List<Recommendation> en = s.fire(EN);
            List<Recommendation> zh = s.fire(ZH);
            assertThat(en).isNotEmpty();
            assertThat(zh.stream().map(LocalizedReasonsTest::neutral).toList())
                    .isEqualTo(en.stream().map(LocalizedReasonsTest::neutral).toList());
            for (Recommendation r : en) {
                rules.add(r.getRuleId());
                assertThat(r.getReason()).doesNotContainPattern(RAW);
                assertThat(r.getRegulation()).startsWith("Article 26");
            }
            for (Recommendation r : zh) {
                assertThat(r.getReason()).as(r.getReason()).doesNotContainPattern(RAW);
                assertThat(r.getReason()).as(r.getReason()).doesNotContainPattern(ENGLISH_WORD);
                assertThat(r.getRegulation()).startsWith("第二十六条");
            }
        }
        assertThat(rules)
                .containsExactlyInAnyOrder(
                        java.util.Arrays.stream(Rule.values())
                                .map(Rule::id)
                                .toArray(String[]::new));
    }

    static String reason(List<Recommendation> rs, Rule rule) {
        return rs.stream()
                .filter(r -> r.getRuleId().equals(rule.id()))
                .findFirst()
                .orElseThrow()
                .getReason();
    }

    @Test
    void chineseReasonOfEachRule() {
        assertThat(reason(week(ZH, 75), Rule.WEEKLY_AVERAGE))
                .isEqualTo(
                        "本周内存平均使用率 75.0% > 70%（2026年3月2日至2026年3月9"
                                + "日，覆盖 168 小时）；建议调整为内存 2 GiB：预计周平均使用率 34.9"
                                + "%（不高于 60%），峰值 34.9%（不高于 80%）；变更量 1147483"
                                + "648 B 超过当前 1 GB 的 50%，须按第二十二条履行完整的上云申请程序");
        assertThat(reason(week(ZH, 20), Rule.WEEKLY_UNDERUSE))
                .isEqualTo(
                        "本周内存平均使用率 20.0% ≤ 30%，且本周峰值 20.0% ≤ 50%（"
                                + "2026年3月2日至2026年3月9日，覆盖 168 小时）；未提出目标规格：服"
                                + "务目录中没有小于当前 1 GB 的内存规格");
        assertThat(reason(peaks(ZH), Rule.HOURLY_PEAKS))
                .isEqualTo(
                        "内存使用率在 1 小时内 3 次超过 80%（2026年3月3日 10:10、1"
                                + "0:30、10:50）；当前 85.0%；本周自 2026年3月2日 起至今：平"
                                + "均 67.5%，峰值 85.0%；建议调整为内存 2 GiB：预计周平均使用率 "
                                + "31.4%（不高于 60%），峰值 39.6%（不高于 80%）；变更量 114"
                                + "7483648 B 超过当前 1 GB 的 50%，须按第二十二条履行完整的上云"
                                + "申请程序");
        assertThat(reason(memoryEmergency(ZH), Rule.MEMORY_EMERGENCY))
                .isEqualTo(
                        "内存使用率连续 15 分钟不低于 95%（自 2026年3月3日 10:00 起"
                                + "）；当前 96.0%；紧急扩容须经主管部门和使用单位同意（第二十六条）；本周自 "
                                + "2026年3月2日 起至今：平均 96.0%，峰值 96.0%；建议调整为内存 "
                                + "2 GiB：预计周平均使用率 44.7%（不高于 60%），峰值 44.7%（不"
                                + "高于 80%）；变更量 1147483648 B 超过当前 1 GB 的 50%"
                                + "，须按第二十二条履行完整的上云申请程序");
        assertThat(reason(storage(ZH, 75), Rule.STORAGE_USAGE))
                .isEqualTo(
                        "存储使用率 75.0% > 70%（已用 715.3 MiB，共 953.7 M"
                                + "iB）；建议调整为存储 50 GiB：预计使用率 1.4%（不高于 60%）；变"
                                + "更量 52687091200 B 超过当前 1 GB 的 50%，须按第二十二条"
                                + "履行完整的上云申请程序");
        assertThat(reason(storage(ZH, 92), Rule.STORAGE_EMERGENCY))
                .isEqualTo(
                        "存储使用率 92.0% 不低于 90%（已用 877.4 MiB，共 953.7"
                                + " MiB）；紧急扩容须经主管部门和使用单位同意（第二十六条）；建议调整为存储 5"
                                + "0 GiB：预计使用率 1.7%（不高于 60%）；变更量 5268709120"
                                + "0 B 超过当前 1 GB 的 50%，须按第二十二条履行完整的上云申请程序");
        assertThat(reason(inactive(ZH), Rule.VM_INACTIVE))
                .isEqualTo("自 2026年3月2日 00:00 起连续停机或空闲（CPU 不高于 5%）已满" + " 3 个月");
        assertThat(reason(noBusinessData(ZH, 1), Rule.NO_BUSINESS_DATA))
                .isEqualTo("该信息系统自 2026年1月10日 10:00 最后一次产生业务数据以来，1 个" + "月未产生业务数据");
        assertThat(reason(noBusinessData(ZH, 0), Rule.NO_BUSINESS_DATA))
                .isEqualTo("该信息系统自 2026年1月10日 10:00 开始上报业务数据以来，1 个月未" + "产生业务数据（至今没有）");
    }

    @Test
    void chineseSizingReasonsWhenNoSizeFits() {
        Sizing zh = new Sizing(Catalog.defaults(), ZH);
        List<Long> sizes = Catalog.defaults().memorySizes();
        long largest = sizes.get(sizes.size() - 1);

        assertThat(zh.memoryUp(largest, 80, 90).reason()).isEqualTo("服务目录中没有大于当前 256 GiB 的内存规格");
        assertThat(zh.memoryDown(sizes.get(0), 10, 20).reason())
                .isEqualTo("服务目录中没有小于当前 1 GiB 的内存规格");
        assertThat(zh.memoryUp(sizes.get(0), 100_000, 100_000).reason())
                .isEqualTo("服务目录中直至 256 GiB 的规格均无法使预计周平均使用率不高于 60%且预" + "计周峰值不高于 80%");
    }
}
