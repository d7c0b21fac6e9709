package io.rightsizer.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.i18n.Messages;
import io.rightsizer.rules.sizing.Sizing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code locale} key: checked at start, and carried by the sizing into the job's functions. */
class LocaleOptionsTest {
    static final String BOOTSTRAP = "kafka.bootstrap-servers: 127.0.0.1:9092\n";

    @Test
    void defaultIsEnglish() throws Exception {
        JobConfig c = JobConfig.parse(BOOTSTRAP, "job.yaml");

        assertThat(c.get(LocaleOptions.LOCALE)).isEqualTo("en");
        assertThat(LocaleOptions.messages(c)).isSameAs(Messages.ENGLISH);
    }

    @Test
    void anUnknownLocaleIsRefusedAtStartNamingTheAllowedValues() {
        assertThatThrownBy(() -> JobConfig.parse(BOOTSTRAP + "locale: zh\n", "job.yaml"))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        "job.yaml: locale 'zh' is not one rightsizer writes in; allowed: en,"
                                + " zh-CN");
    }

    @Test
    void theJobsSizingWritesInTheConfiguredLocaleAndKeepsItThroughSerialization(@TempDir Path tmp)
            throws Exception {
        Path catalog = tmp.resolve("catalog.yaml");
        Files.writeString(catalog, "memory:\n  sizes: [4GiB, 8GiB]\nstorage:\n  sizes: [100GiB]\n");
        Sizing sizing =
                JobConfig.of(
                                Map.of(
                                        "kafka.bootstrap-servers", "k:9092",
                                        "catalog.file", catalog.toString(),
                                        "locale", "zh-CN"))
                        .sizing();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sizing);
        }
        Sizing copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Sizing) in.readObject();
        }

        assertThat(copy.messages().tag()).isEqualTo("zh-CN");
        assertThat(copy.memoryUp(8L << 30, 80, 90).reason()).isEqualTo("服务目录中没有大于当前 8 GiB 的内存规格");
    }
}
