package io.rightsizer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.RecordJson;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSimulatorTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    private static FleetSimulator sim(int vms, int days, Duration interval, long seed) {
        return new FleetSimulator(vms, START, days, interval, seed, SHANGHAI);
    }

    @Test
    void sampleAtFollowsTheVmsPlanInsideTheRangeAndAfterIt() {
        FleetSimulator sim = sim(20, 14, Duration.ofHours(1), 7);
        List<Sample> stream = new ArrayList<>();
        sim.generate(stream::add);
        for (int i = 0; i < sim.vms(); i++) {
            // The stream's first sample of a VM is drawn from the VM's fresh noise.
            java.util.SplittableRandom noise =
                    new java.util.SplittableRandom(FleetSimulator.mix(7, 2L * i + 1));
            assertThat(sim.sampleAt(i, START.toEpochMilli(), noise))
                    .usingRecursiveComparison()
                    .isEqualTo(stream.get(i));
        }
        long after = sim.lastTimestamp() + Duration.ofDays(3).toMillis() + 1;
        for (int i = 0; i < sim.vms(); i++) {
            Sample s = sim.sampleAt(i, after, new java.util.SplittableRandom(i));
            assertThat(s.vmId).isEqualTo(sim.vmId(i));
            assertThat(s.timestamp).isEqualTo(after);
            // A VM stopped in the history stays stopped after it; the others report memory.
            assertThat(s.stopped).isEqualTo(sim.behaviour(i) == Behaviour.STOPPED);
        }
    }

    @Test
    void sameArgumentsGiveByteIdenticalOutput() throws Exception {
        FleetSimulator a = sim(30, 10, Duration.ofMinutes(15), 42);
        FleetSimulator b = sim(30, 10, Duration.ofMinutes(15), 42);
        assertThat(jsonDigest(a)).isEqualTo(jsonDigest(b));
        // The same instance twice: generation keeps no state between runs.
        assertThat(jsonDigest(a)).isEqualTo(jsonDigest(a));
        assertThat(avroDigest(a)).isEqualTo(avroDigest(b));
        assertThat(a.groundTruth().toJson()).isEqualTo(b.groundTruth().toJson());

        assertThat(jsonDigest(sim(30, 10, Duration.ofMinutes(15), 43))).isNotEqualTo(jsonDigest(a));
    }

    @Test
    void vmsAreIndependentOfEachOther() {
        // A VM keeps its readings when the fleet grows, as long as its behaviour stays the same:
        // its randomness comes only from (seed, index).
        FleetSimulator small = sim(40, 2, Duration.ofMinutes(10), 7);
        FleetSimulator large = sim(41, 2, Duration.ofMinutes(10), 7);
        int compared = 0;
        for (int i = 0; i < 40; i++) {
            if (small.behaviour(i) == large.behaviour(i)
                    && small.behaviour(i) == Behaviour.NORMAL) {
                compared++;
                String id = small.vmId(i);
                List<Sample> x = samplesOf(small, id);
                List<Sample> y = samplesOf(large, id);
                assertThat(x).hasSize(y.size());
                for (int k = 0; k < x.size(); k++) {
                    assertThat(x.get(k).memoryUsedBytes).isEqualTo(y.get(k).memoryUsedBytes);
                    assertThat(x.get(k).storageUsedBytes).isEqualTo(y.get(k).storageUsedBytes);
                    assertThat(x.get(k).cpuUtilizationPct).isEqualTo(y.get(k).cpuUtilizationPct);
                }
            }
        }
        assertThat(compared).isPositive();
    }

    @Test
    void sampleCountIsGridTimesVmsWithoutExtrasAtTenMinutes() {
        FleetSimulator s = sim(25, 7, Duration.ofMinutes(10), 1);
        long[] n = new long[1];
        s.generate(x -> n[0]++);
        assertThat(s.gridSteps()).isEqualTo(7 * 24 * 6);
        assertThat(s.extraSampleCount()).isZero();
        assertThat(n[0]).isEqualTo(25L * 7 * 24 * 6).isEqualTo(s.validSampleCount());
    }

    @Test
    void coarseIntervalsAddFiveMinuteBurstSamplesOfPeakyVmsOnly() {
        for (Duration interval : List.of(Duration.ofMinutes(15), Duration.ofHours(1))) {
            FleetSimulator s = sim(25, 7, interval, 3);
            long step = interval.toMillis();
            long start = s.firstTimestamp();
            long[] grid = new long[1];
            long[] extra = new long[1];
            Set<String> extraVms = new HashSet<>();
            s.generate(
                    x -> {
                        if ((x.timestamp - start) % step == 0) {
                            grid[0]++;
                        } else {
                            extra[0]++;
                            extraVms.add(x.vmId);
                            assertThat((x.timestamp - start) % 300_000).isZero();
                            assertThat(x.timestamp).isLessThan(s.lastTimestamp());
                        }
                    });
            assertThat(grid[0]).isEqualTo(25L * 7 * 24 * 60 * 60_000 / step);
            assertThat(extra[0]).isPositive().isEqualTo(s.extraSampleCount());
            assertThat(grid[0] + extra[0]).isEqualTo(s.validSampleCount());
            for (String vm : extraVms) {
                assertThat(s.behaviour(Integer.parseInt(vm.substring(3)) - 1))
                        .isEqualTo(Behaviour.PEAKY);
            }
            // Two bursts a day, 5 lattice samples each, minus those on the grid (15 min: 1).
            long perBurst = interval.toMinutes() == 15 ? 4 : 5;
            int peaky = 0;
            for (int i = 0; i < 25; i++) {
                peaky += s.behaviour(i) == Behaviour.PEAKY ? 1 : 0;
            }
            assertThat(extra[0]).isBetween((long) peaky * 13 * perBurst, peaky * 14 * perBurst);
        }
    }

    @Test
    void recordsComeInGlobalTimestampOrderWithVmsInIndexOrder() {
        FleetSimulator s = sim(20, 5, Duration.ofMinutes(20), 5);
        long[] prev = {Long.MIN_VALUE};
        String[] prevVm = {""};
        s.generate(
                x -> {
                    assertThat(x.timestamp).isGreaterThanOrEqualTo(prev[0]);
                    if (x.timestamp == prev[0]) {
                        assertThat(x.vmId).isGreaterThan(prevVm[0]);
                    }
                    prev[0] = x.timestamp;
                    prevVm[0] = x.vmId;
                });
        assertThat(prev[0]).isEqualTo(s.lastTimestamp());
    }

    @Test
    void everyBehaviourIsPlantedWithTenOrMoreVms() {
        for (int n : new int[] {10, 11, 20, 60, 257}) {
            FleetSimulator s = sim(n, 120, Duration.ofHours(1), n);
            EnumSet<Behaviour> seen = EnumSet.noneOf(Behaviour.class);
            for (int i = 0; i < n; i++) {
                seen.add(s.behaviour(i));
            }
            assertThat(seen).as("n=%d", n).containsExactlyInAnyOrder(Behaviour.values());
            Map<String, Set<String>> rulesByBehaviour = new HashMap<>();
            for (GroundTruth.Subject sub : s.groundTruth().subjects()) {
                rulesByBehaviour
                        .computeIfAbsent(sub.behaviour(), k -> new HashSet<>())
                        .addAll(sub.expectedRules());
            }
            assertThat(rulesByBehaviour)
                    .containsEntry("busy", Set.of("scale-up.memory.weekly-average"))
                    .containsEntry("peaky", Set.of("scale-up.memory.hourly-peaks"))
                    .containsEntry("storage-full", Set.of("scale-up.storage.usage"))
                    .containsEntry("underused", Set.of("reduce.memory.weekly-underuse"))
                    .containsEntry("stopped", Set.of("reduce.vm.inactive"))
                    .containsEntry("idle", Set.of("reduce.vm.inactive"))
                    .containsEntry("no-business", Set.of("reduce.system.no-business-data"))
                    .containsEntry("normal", Set.of());
        }
    }

    @Test
    void systemsAndIdsFollowTheNamingScheme() {
        FleetSimulator s = sim(60, 1, Duration.ofMinutes(10), 9);
        GroundTruth truth = s.groundTruth();
        Map<String, Set<String>> behavioursBySystem = new HashMap<>();
        for (GroundTruth.Subject sub : truth.subjects()) {
            if (sub.kind().equals(GroundTruth.KIND_VM)) {
                assertThat(sub.subject()).matches("vm-\\d{5}");
                assertThat(sub.systemId()).matches("sys-\\d{3}");
                behavioursBySystem
                        .computeIfAbsent(sub.systemId(), k -> new HashSet<>())
                        .add(sub.behaviour());
            } else {
                assertThat(sub.subject()).matches("sys-\\d{3}");
            }
        }
        for (GroundTruth.Subject sub : truth.subjects()) {
            if (sub.kind().equals(GroundTruth.KIND_SYSTEM)) {
                Set<String> members = behavioursBySystem.get(sub.subject());
                if (sub.behaviour().equals("no-business")) {
                    assertThat(members).containsExactly("no-business");
                } else {
                    assertThat(members).doesNotContain("no-business").hasSizeGreaterThan(0);
                }
            }
        }
        s.generate(x -> assertThat(x.unitId).matches("unit-\\d{2}"));
    }

    @Test
    void malformedRecordsAreRejectedWithTheirReasonByBothDecoders() {
        FleetSimulator s = sim(40, 3, Duration.ofMinutes(10), 11);
        List<SimRecord.Malformed> bad = new ArrayList<>();
        long[] valid = new long[1];
        s.records(
                r -> {
                    if (r instanceof SimRecord.Malformed m) {
                        bad.add(m);
                    } else {
                        Sample x = ((SimRecord.Valid) r).sample();
                        valid[0]++;
                        // Valid samples survive both encodings unchanged.
                        assertThat(SampleJson.parse(RecordJson.toJson(x)).sample).isEqualTo(x);
                        assertThat(SampleCodec.decode(SampleCodec.encode(x)).sample).isEqualTo(x);
                    }
                });
        long base = 40L * 3 * 144;
        assertThat(valid[0]).isEqualTo(base);
        long invalid = bad.stream().filter(m -> m.defect() == SimRecord.Defect.INVALID).count();
        long undecodable = bad.size() - invalid;
        assertThat(invalid).isEqualTo(Math.max(3, base / 2000)).isEqualTo(s.invalidCount());
        assertThat(undecodable).isEqualTo(3).isEqualTo(s.undecodableCount());
        assertThat(s.groundTruth().malformed())
                .isEqualTo(new GroundTruth.Malformed(invalid, undecodable));
        for (SimRecord.Malformed m : bad) {
            DeadLetterReason want =
                    m.defect() == SimRecord.Defect.INVALID
                            ? DeadLetterReason.INVALID
                            : DeadLetterReason.UNDECODABLE;
            SampleJson.Result fromLine = SampleJson.parse(m.jsonLine());
            SampleJson.Result fromBytes = SampleCodec.decode(m.kafkaValue());
            assertThat(fromLine.ok()).as(m.description()).isFalse();
            assertThat(fromLine.reason).as(m.description() + ": " + m.jsonLine()).isEqualTo(want);
            assertThat(fromBytes.ok()).as(m.description()).isFalse();
            assertThat(fromBytes.reason)
                    .as(m.description() + ": " + fromBytes.message)
                    .isEqualTo(want);
            assertThat(m.jsonLine()).doesNotContain("\n").isNotBlank();
            assertThat(m.key()).matches("vm-\\d{5}");
        }
    }

    @Test
    void smallRunsHaveNoMalformedRecords() {
        FleetSimulator s = sim(3, 1, Duration.ofHours(1), 1);
        assertThat(s.invalidCount() + s.undecodableCount()).isZero();
        assertThat(s.recordCount()).isEqualTo(72);
    }

    @Test
    void jsonLinesFileAndTruthFileAreWritten(@TempDir Path dir) throws IOException {
        FleetSimulator s = sim(20, 2, Duration.ofMinutes(10), 2);
        Path out = dir.resolve("fleet.jsonl");
        SimWriters.Counts c = SimWriters.writeJsonLines(s, out);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize((int) s.recordCount());
        assertThat(c.total()).isEqualTo(s.recordCount());
        assertThat(c.valid()).isEqualTo(s.validSampleCount());
        long ok = lines.stream().filter(l -> SampleJson.parse(l).ok()).count();
        assertThat(ok).isEqualTo(s.validSampleCount());
        Path truth = dir.resolve("fleet.jsonl.truth.json");
        assertThat(SimWriters.truthFile(out)).isEqualTo(truth);
        GroundTruth read = GroundTruth.read(truth);
        assertThat(read.subjects()).isEqualTo(s.groundTruth().subjects());
        assertThat(read.malformed()).isEqualTo(s.groundTruth().malformed());
    }

    @Test
    void avroWriterKeysValidSamplesByVmId() {
        FleetSimulator s = sim(20, 2, Duration.ofMinutes(10), 2);
        long[] n = new long[3];
        SimWriters.Counts c =
                SimWriters.writeAvro(
                        s,
                        (key, value) -> {
                            SampleJson.Result r = SampleCodec.decode(value);
                            if (r.ok()) {
                                assertThat(key).isEqualTo(r.sample.vmId);
                                n[0]++;
                            } else {
                                n[r.reason == DeadLetterReason.INVALID ? 1 : 2]++;
                            }
                        });
        assertThat(c).isEqualTo(new SimWriters.Counts(n[0], n[1], n[2]));
        assertThat(n[0]).isEqualTo(s.validSampleCount());
        assertThat(n[1]).isEqualTo(s.invalidCount());
        assertThat(n[2]).isEqualTo(s.undecodableCount());
    }

    @Test
    void rejectsArgumentsTheGroundTruthCannotHandle() {
        assertThatThrownBy(() -> sim(0, 1, Duration.ofMinutes(10), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim(5, 0, Duration.ofMinutes(10), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim(5, 10, Duration.ofDays(2), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim(5, 10, Duration.ofMillis(500), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Sample> samplesOf(FleetSimulator s, String vmId) {
        List<Sample> out = new ArrayList<>();
        s.generate(
                x -> {
                    if (x.vmId.equals(vmId)) {
                        out.add(x);
                    }
                });
        return out;
    }

    private static String jsonDigest(FleetSimulator s) throws Exception {
        StringWriter w = new StringWriter();
        SimWriters.writeJsonLines(s, w);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        return java.util.HexFormat.of()
                .formatHex(d.digest(w.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String avroDigest(FleetSimulator s) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        SimWriters.writeAvro(
                s,
                (k, v) -> {
                    d.update(k.getBytes(StandardCharsets.UTF_8));
                    d.update(v);
                });
        return java.util.HexFormat.of().formatHex(d.digest());
    }
}
