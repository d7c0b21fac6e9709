package io.rightsizer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The regulation cited in each language, sizes and ages formatted for it. */
class MessagesTest {
    private final Messages zh = Messages.of(Messages.ZH_CN);
    private final Messages en = Messages.of(Messages.EN);

    @Test
    void articlesAreCitedAsTheChineseRegulationWritesThem() {
        assertThat(zh.regulation("Article 26(1)1")).isEqualTo("第二十六条第一款第（一）项");
        assertThat(zh.regulation("Article 26(2)3")).isEqualTo("第二十六条第二款第（三）项");
        assertThat(zh.regulation("Article 22")).isEqualTo("第二十二条");
        assertThat(zh.regulation("Article 10")).isEqualTo("第十条");
        assertThat(zh.regulation("Article 37")).isEqualTo("第三十七条");
        assertThat(zh.regulation("Article 26 (emergency expansion)")).isEqualTo("第二十六条（紧急扩容）");
        assertThat(zh.regulation("local rule 7")).isEqualTo("local rule 7");
        assertThat(en.regulation("Article 26(1)1")).isEqualTo("Article 26(1)1");
    }

    @Test
    void sizesAndAgesFollowTheLocale() {
        assertThat(en.bytes(1536L * 1024 * 1024)).isEqualTo("1.5 GiB");
        assertThat(zh.bytes(1536L * 1024 * 1024)).isEqualTo("1.5 GiB");
        assertThat(en.bytes(null)).isEqualTo("–");
        assertThat(en.age(Duration.ofHours(50))).isEqualTo("2 d 2 h");
        assertThat(zh.age(Duration.ofHours(50))).isEqualTo("2天2小时");
        assertThat(zh.age(Duration.ofMinutes(5))).isEqualTo("5分钟");
        assertThat(en.get("no.such.key")).isEqualTo("??no.such.key??");
    }
}
