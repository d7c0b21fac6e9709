package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.sim.GroundTruth;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rightsizer simulate --out FILE}, in process. */
class SimulateCommandTest {
    private static final Pattern SUMMARY =
            Pattern.compile(
                    "simulate: 12 VMs, 2026-02-09T00:00:00Z to 2026-03-01T00:00:00Z every 30m,"
                            + " seed 3: (\\d+) samples, (\\d+) invalid and (\\d+) undecodable"
                            + " records -> (.*)");

    @TempDir Path tmp;

    private static Cli.Run simulate(Path out, String interval) {
        return Cli.run(
                "simulate",
                "--vms",
                "12",
                "--days",
                "20",
                "--interval",
                interval,
                "--seed",
                "3",
                "--end",
                "2026-03-01T00:00:00Z",
                "--out",
                out.toString());
    }

    @Test
    void writesTheSamplesAndTheGroundTruthNextToThem() throws Exception {
        Path out = tmp.resolve("fleet.jsonl");
        Path truthFile = tmp.resolve("fleet.jsonl.truth.json");

        Cli.Run run = simulate(out, "30m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out).isRegularFile();
        assertThat(truthFile).isRegularFile();
        assertThat(run.errLines()).hasSize(1);
        Matcher m = SUMMARY.matcher(run.errLines().get(0));
        assertThat(m.matches()).as(run.errLines().get(0)).isTrue();
        long valid = Long.parseLong(m.group(1));
        long invalid = Long.parseLong(m.group(2));
        long undecodable = Long.parseLong(m.group(3));
        assertThat(m.group(4)).isEqualTo(out + " (ground truth: " + truthFile + ")");

        // 12 VMs x 20 days x 48 samples a day = 11 520 grid samples, plus the peaky VMs'
        // 5-minute burst samples (interval above 10 minutes); malformed records as documented:
        // max(3, N*K/2000) = 5 INVALID and max(3, N*K/10000) = 3 UNDECODABLE.
        GroundTruth truth = GroundTruth.read(truthFile);
        GroundTruth.Generator g = truth.generator();
        assertThat(valid).isEqualTo(11_520 + g.extraSamples());
        assertThat(g.extraSamples()).isPositive();
        assertThat(invalid).isEqualTo(5);
        assertThat(undecodable).isEqualTo(3);
        assertThat(g.vms()).isEqualTo(12);
        assertThat(g.days()).isEqualTo(20);
        assertThat(g.seed()).isEqualTo(3);
        assertThat(g.start()).isEqualTo("2026-02-09T00:00:00Z");
        assertThat(g.zone()).isEqualTo("Asia/Shanghai");
        assertThat(g.validSamples()).isEqualTo(valid);
        assertThat(g.firstTimestamp())
                .isEqualTo(Instant.parse("2026-02-09T00:00:00Z").toEpochMilli());
        assertThat(g.lastTimestamp())
                .isEqualTo(Instant.parse("2026-02-28T23:30:00Z").toEpochMilli());
        assertThat(truth.malformed()).isEqualTo(new GroundTruth.Malformed(5, 3));
        assertThat(truth.subjects())
                .filteredOn(s -> s.kind().equals(GroundTruth.KIND_VM))
                .hasSize(12);

        // Every line is one record, and the printed counts are what the lines hold.
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize((int) (valid + invalid + undecodable));
        long ok = 0;
        long inv = 0;
        long undec = 0;
        for (String line : lines) {
            SampleJson.Result r = SampleJson.parse(line);
            if (r.ok()) {
                ok++;
            } else if (r.reason == DeadLetterReason.INVALID) {
                inv++;
            } else {
                undec++;
            }
        }
        assertThat(new long[] {ok, inv, undec}).containsExactly(valid, invalid, undecodable);
    }

    @Test
    void sameArgumentsGiveByteIdenticalFiles() throws Exception {
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");

        Cli.Run first = simulate(a, "30m");
        Cli.Run second = simulate(b, "30m");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(Files.size(a)).isPositive();
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readAllBytes(tmp.resolve("b.jsonl.truth.json")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("a.jsonl.truth.json")));
    }

    @Test
    void unparsableIntervalExitsTwoAndWritesNothing() {
        Path out = tmp.resolve("never.jsonl");

        Cli.Run run = simulate(out, "half an hour");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("simulate: --interval takes a duration such as 5m, 15m, 1h");
        assertThat(out).doesNotExist();
        assertThat(tmp.resolve("never.jsonl.truth.json")).doesNotExist();
    }

    @Test
    void intervalOutsideTheSimulatorsRangeExitsTwo() {
        Path out = tmp.resolve("never.jsonl");

        Cli.Run run = simulate(out, "2d");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "simulate: interval must be whole milliseconds from 1s to 1d, got PT48H");
        assertThat(out).doesNotExist();
    }
}
