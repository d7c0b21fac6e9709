package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.format.RuleTests;
import io.rightsizer.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesTestCommandTest {
    private static final Path SHIPPED = Path.of("..", "rules", "tests", "article26_test.yaml");
    private static final Path RULES = Path.of("..", "rules", "article26.yaml").toAbsolutePath();

    @TempDir Path tmp;

    @Test
    void shippedRuleTestsPass() {
        Cli.Run run = Cli.run("rules", "test", SHIPPED.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).last().isEqualTo("14 passed, 0 failed");
        assertThat(run.outLines()).filteredOn(l -> l.startsWith("  FAIL")).isEmpty();
    }

    @Test
    void shippedOverrideExampleTestsPass() {
        Cli.Run run =
                Cli.run(
                        "rules",
                        "test",
                        Path.of("..", "rules", "tests", "scoped-overrides_test.yaml").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).last().isEqualTo("4 passed, 0 failed");
    }

    @Test
    void aYamlSyntaxErrorIsReportedWhereItIs() throws Exception {
        Path f = write("broken_test.yaml", "rule_file: x.yaml\ntests:\n  - name: a: b\n");

        Cli.Run run = Cli.run("rules", "test", f.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines())
                .contains(
                        f
                                + ":3:12: not valid YAML after key 'tests[0].name': mapping values"
                                + " are not allowed here");
    }

    @Test
    void failingTestShowsWhatWasMissingAndWhatWasUnexpected() throws Exception {
        Path f =
                write(
                        "wrong_test.yaml",
                        """
                        rule_file: %s
                        tests:
                          - name: expects the third peak start ten minutes too late
                            start: "2026-03-03T10:00:00+08:00"
                            interval: 10m
                            series:
                              - {vm: vm-1, system: sys-1, memory: "50 85 50 85 50 85 50"}
                            expect:
                              - {rule: scale-up.memory.hourly-peaks, subject: vm-1, firedAt: "2026-03-03T11:00:00+08:00"}
                        """
                                .formatted(RULES));

        Cli.Run run = Cli.run("rules", "test", f.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines())
                .containsExactly(
                        f.toString(),
                        "  FAIL  expects the third peak start ten minutes too late",
                        "        - missing    scale-up.memory.hourly-peaks vm-1"
                                + " 2026-03-03T03:00:00Z",
                        "        + unexpected scale-up.memory.hourly-peaks vm-1"
                                + " 2026-03-03T02:50:00Z",
                        "0 passed, 1 failed");
    }

    @Test
    void invalidTestFileIsReportedWithItsPlaceAndExitsTwo() throws Exception {
        Path f =
                write(
                        "invalid_test.yaml",
                        """
                        rule_file: %s
                        tests:
                          - name: bad
                            start: "next monday"
                            interval: 1h
                            series:
                              - {vm: vm-1, system: sys-1, memroy: "50"}
                            expect:
                              - {rule: scale-up.memory.everything, subject: vm-1, firedAt: "2026-03-03T11:00:00+08:00"}
                        """
                                .formatted(RULES));

        Cli.Run run = Cli.run("rules", "test", f.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines())
                .containsExactly(
                        f.toString(),
                        f
                                + ":4:12: 'next monday' is not an ISO-8601 instant such as"
                                + " 2026-03-02T00:00:00+08:00",
                        f + ":9:16: unknown rule 'scale-up.memory.everything'",
                        f
                                + ":7:35: unknown key 'memroy' in a series (known: vm, system,"
                                + " unit, memory, storage, cpu, state, businessRecords)",
                        "0 passed, 0 failed");
    }

    @Test
    void seriesNotationRepeatsValuesAndMarksMissingReadings() {
        assertThat(RuleTests.expand("50x3 85 _x2 70.5"))
                .containsExactly("50", "50", "50", "85", "_", "_", "70.5");
        assertThat(RuleTests.expand("  S  Rx2 ")).containsExactly("S", "R", "R");
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
