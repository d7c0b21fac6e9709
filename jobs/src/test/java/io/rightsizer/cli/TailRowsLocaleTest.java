package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.i18n.Messages;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code rightsizer tail}'s table in Chinese: its words, and columns that still line up. */
class TailRowsLocaleTest {
    static final TailRows ZH = new TailRows(ZoneId.of("Asia/Shanghai"), Messages.of("zh-CN"));
    static final TailRows EN = new TailRows(ZoneId.of("Asia/Shanghai"), Messages.ENGLISH);
    static final Pattern RAW = Pattern.compile("\\b(tail|enum|article)\\.[a-zA-Z]|\\{\\d");

    @Test
    void chineseHeaderAndRowsLineUpInTerminalCells() {
        String header = ZH.header();
        String row = ZH.row(DataCenterRecords.memoryScaleUp());

        assertThat(header)
                .isEqualTo(
                        "时间 Asia/Shanghai   使用单位    信息系统      虚拟机        建议        "
                                + "      当前 → 建议            标记                原因");
        assertThat(row)
                .startsWith(
                        "2026-03-09 00:00:00  unit-01     sys-002       vm-00007      内存扩容    "
                                + "      16.0 GiB → 32.0 GiB    P2 重大变更         weekly");
        // Each column starts at the same terminal cell in the header and the row.
        assertThat(TailRows.cellsOf(header.substring(0, header.indexOf("标记"))))
                .isEqualTo(TailRows.cellsOf(row.substring(0, row.indexOf("P2"))));
    }

    @Test
    void chineseFlagsNoticesAndEvents() {
        assertThat(
                        TailRows.flags(
                                DataCenterRecords.storageEmergencyReminder(), Messages.of("zh-CN")))
                .containsExactly("P1", "紧急", "提醒");
        assertThat(ZH.row(DataCenterRecords.expansionEnding())).contains("扩容即将到期", "截止 ", "第二十二条");
        assertThat(ZH.eventHeader()).startsWith("时间 Asia/Shanghai   类型");
    }

    @Test
    void noKeyOrPlaceholderInEitherLanguage() {
        for (TailRows t : List.of(ZH, EN)) {
            for (String line :
                    List.of(
                            t.header(),
                            t.eventHeader(),
                            t.row(DataCenterRecords.memoryScaleUp()),
                            t.row(DataCenterRecords.storageEmergencyReminder()),
                            t.row(DataCenterRecords.systemReclaim()),
                            t.row(DataCenterRecords.expansionEnding()))) {
                assertThat(line).doesNotContainPattern(RAW);
            }
        }
    }

    @Test
    void aWideCharacterTakesTwoCells() {
        assertThat(TailRows.cellsOf("unit")).isEqualTo(4);
        assertThat(TailRows.cellsOf("使用单位")).isEqualTo(8);
        assertThat(TailRows.cellsOf("（→）")).isEqualTo(5);
    }
}
