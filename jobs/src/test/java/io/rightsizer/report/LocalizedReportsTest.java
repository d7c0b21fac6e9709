package io.rightsizer.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.i18n.Messages;
import java.time.Year;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monthly report (page and CSVs) and the yearly self-assessment CSV in both languages: no
 * message key shown raw, no placeholder left, and the Chinese headers as the agency reads them.
 */
class LocalizedReportsTest {
    static final Messages EN = Messages.ENGLISH;
    static final Messages ZH = Messages.of(Messages.ZH_CN);

    /** A key of the bundle ("report.card.vms") or a placeholder ("{0}") in the output. */
    static final Pattern RAW =
            Pattern.compile(
                    "\\b(report|csv|tail|enum|article|regulation|reason|sizing)\\.[a-z]|\\{\\d");

    static List<MonthlyReport> reports() {
        return List.of(MonthlyHtmlTest.fleetOf80(), ReportFixtures.october(Map.of(), List.of()));
    }

    static List<String> everything(MonthlyReport r, Messages m) {
        return List.of(
                MonthlyHtml.render(r, "InfluxDB database test", m),
                MonthlyCsv.units(r, m),
                MonthlyCsv.systems(r, m),
                MonthlyCsv.vms(r, m),
                MonthlyCsv.recommendations(r, m),
                YearlyCsv.render(Year.of(2026), List.of(r), m));
    }

    @Test
    void noKeyOrPlaceholderIsShownInEitherLanguage() {
        for (MonthlyReport r : reports()) {
            for (Messages m : List.of(EN, ZH)) {
                for (String out : everything(r, m)) {
                    assertThat(out).as(m + ": " + out).doesNotContainPattern(RAW);
                }
            }
        }
    }

    @Test
    void theChinesePageSaysItsLanguageAndHasChineseHeadings() {
        String html = MonthlyHtml.render(MonthlyHtmlTest.fleetOf80(), "db", ZH);

        assertThat(html)
                .contains(
                        "<html lang=\"zh-CN\">",
                        "<h1>云资源使用情况 — 2026年10月</h1>",
                        "月度资源使用情况报告（第二十七条），范围：全部使用单位 · 2026年10月1日 00:00 至"
                                + " 2026年11月1日 00:00 Asia/Shanghai · 规则集 2026.11.0 · 数据来源 db",
                        "<h2>概览</h2>",
                        "<h2>虚拟机热力图</h2>",
                        "<h2>建议</h2>",
                        "<th>使用单位</th><th>信息系统</th><th>虚拟机</th>",
                        "<h3>按规则和操作统计的建议</h3>",
                        "即达到第二十六条第一款第一项规定的扩容线");
        assertThat(html)
                .contains(
                        "各虚拟机每日内存平均使用率",
                        "虚拟机（信息系统）",
                        "（缩容，第二十六条第二款第一项）",
                        "按操作统计的每日建议数",
                        "2026-10 的日期（Asia/Shanghai）",
                        "<title>2026年10月1日 扩容: 1</title>");
        assertThat(html)
                .doesNotContain(
                        "Summary",
                        "Fleet heat map",
                        "None.",
                        "Daily mean memory",
                        "stopped all day",
                        "SCALE_UP",
                        "Article");
    }

    @Test
    void aChinesePageWithoutDataSaysSoInChinese() {
        String html = MonthlyHtml.render(ReportFixtures.october(Map.of(), List.of()), "db", ZH);

        assertThat(html).contains("<h2>本月无数据</h2>", "使用情况历史中没有全部使用单位在 2026-10 的小时数据");
    }

    @Test
    void chineseCsvHeaders() {
        MonthlyReport r = MonthlyHtmlTest.fleetOf80();

        assertThat(MonthlyCsv.units(r, ZH).lines().findFirst().orElseThrow())
                .startsWith(
                        "月份,使用单位,信息系统数,虚拟机数,内存平均使用率(%),内存峰值使用率(%),存储峰值使用率(%),"
                                + "有数据的虚拟机小时数,运行的虚拟机小时数,资源过剩虚拟机数,闲置虚拟机数,建议数");
        assertThat(MonthlyCsv.recommendations(r, ZH).lines().findFirst().orElseThrow())
                .isEqualTo("建议编号,时间,规则,建议操作,虚拟机,信息系统,使用单位,原因");
        assertThat(YearlyCsv.render(Year.of(2026), List.of(), ZH))
                .isEqualTo(
                        "年度,月份,层级,使用单位,信息系统,虚拟机,虚拟机数,内存平均使用率(%),内存峰值使用率(%),"
                                + "存储峰值使用率(%),有数据的小时数,运行小时数,资源过剩虚拟机数,闲置虚拟机数,建议数\r\n");
    }

    @Test
    void chineseCsvCellsSayYesAndNoAndTheLevelInChineseAndKeepTheFiguresNumbers() {
        MonthlyReport r = MonthlyHtmlTest.fleetOf80();

        assertThat(MonthlyCsv.vms(r, ZH)).contains(",否,").doesNotContain(",no,", ",yes,");
        assertThat(YearlyCsv.render(Year.of(2026), List.of(r), ZH))
                .contains(",信息系统,", ",虚拟机,", ",信息系统全年,")
                .doesNotContain(",system,", ",vm,", ",system-year,");
        assertThat(MonthlyCsv.vms(r, ZH).lines().skip(1).findFirst().orElseThrow())
                .as("the figures are the same numbers as in English")
                .endsWith(
                        MonthlyCsv.vms(r, EN)
                                .lines()
                                .skip(1)
                                .findFirst()
                                .orElseThrow()
                                .split(",", 5)[4]
                                .replace(",no,", ",否,")
                                .replace(",yes,", ",是,")
                                .replaceAll(",no$", ",否")
                                .replaceAll(",yes$", ",是"));
    }
}
