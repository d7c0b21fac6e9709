package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.config.Allowed;
import io.rightsizer.config.Options;
import io.rightsizer.history.InfluxOptions;
import io.rightsizer.job.config.RightsizerOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.junit.jupiter.api.Test;

/**
 * {@link RightsizerOptions#all()} is derived from the classes that declare options: a class with
 * options that is not among {@link RightsizerOptions#DECLARING_CLASSES} fails here, so no option
 * can be left out of the known keys, the checks and the reference.
 */
class OptionClassesTest {

    /** Every compiled class of the job with a public static final ConfigOption field. */
    static List<Class<?>> classesWithOptions() throws Exception {
        Path root =
                Path.of(
                        RightsizerOptions.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name =
                        root.relativize(f)
                                .toString()
                                .replace(f.getFileSystem().getSeparator(), ".")
                                .replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, OptionClassesTest.class.getClassLoader());
                if (Arrays.stream(c.getDeclaredFields()).anyMatch(Options::isOption)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    @Test
    void everyClassThatDeclaresOptionsIsADeclaringClass() throws Exception {
        assertThat(classesWithOptions())
                .containsExactlyInAnyOrderElementsOf(RightsizerOptions.DECLARING_CLASSES);
    }

    @Test
    void everyDeclaredOptionIsKnownOnceInDeclarationOrder() throws Exception {
        List<ConfigOption<?>> all = RightsizerOptions.all();
        List<ConfigOption<?>> declared = new ArrayList<>();
        for (Class<?> c : RightsizerOptions.DECLARING_CLASSES) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    assertThat(Options.isOption(f)).as(c.getName() + "." + f.getName()).isTrue();
                    declared.add((ConfigOption<?>) f.get(null));
                }
            }
        }

        assertThat(all).containsExactlyElementsOf(declared);
        assertThat(all).extracting(ConfigOption::key).doesNotHaveDuplicates();
        assertThat(all)
                .contains(
                        RightsizerOptions.BOOTSTRAP_SERVERS,
                        RightsizerOptions.INVENTORY_WAIT,
                        InfluxOptions.URL,
                        InfluxOptions.EMBEDDED_DATA_DIR,
                        io.rightsizer.ingest.CollectdOptions.TOPIC,
                        io.rightsizer.ingest.TelegrafOptions.JSON_TIMESTAMP_UNITS);
        assertThat(all.get(0)).isSameAs(RightsizerOptions.BOOTSTRAP_SERVERS);
    }

    @Test
    void aDeclaredRangeIsTheCheckAndTheDocumentation() {
        Allowed<Duration> a = Allowed.of(RightsizerOptions.STATE_RETENTION);

        assertThat(a.range()).isEqualTo("8 d – 3660 d");
        assertThat(a.problem("state.retention", Duration.ofDays(8))).isNull();
        assertThat(a.problem("state.retention", Duration.ofDays(3660))).isNull();
        assertThat(a.problem("state.retention", Duration.ofDays(7)))
                .isEqualTo("state.retention is PT168H: allowed from PT192H to PT87840H");
        assertThat(Allowed.of(RightsizerOptions.GROUP_ID)).isNull();
        assertThat(Allowed.problem(RightsizerOptions.GROUP_ID, "")).isNull();
    }

    @Test
    void anOptionDeclaresItsAllowedValuesOnce() {
        ConfigOption<Integer> o =
                Allowed.declare(
                        ConfigOptions.key("x.twice").intType().defaultValue(1), Allowed.atLeast(1));

        assertThatThrownBy(() -> Allowed.declare(o, Allowed.atLeast(2)))
                .hasMessage("x.twice declares its allowed values twice");
        assertThat(Allowed.problem(o, 0)).isEqualTo("x.twice is 0: must be at least 1");
    }
}
