package io.rightsizer.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundTruthTest {

    @Test
    void jsonRoundTrips() {
        GroundTruth t =
                new FleetSimulator(
                                30,
                                Instant.parse("2026-03-04T05:06:07Z"),
                                40,
                                Duration.ofMinutes(10),
                                5,
                                ZoneId.of("Asia/Shanghai"))
                        .groundTruth();
        String json = t.toJson();
        GroundTruth back = GroundTruth.fromJson(json);
        assertThat(back.subjects()).isEqualTo(t.subjects());
        assertThat(back.malformed()).isEqualTo(t.malformed());
        assertThat(back.generator()).isEqualTo(t.generator());
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(json)
                .contains(
                        "{\"subject\":\"vm-00001\",\"kind\":\"VM\",\"behaviour\":\"",
                        "\"malformed\": {\"invalid\":");
    }

    @Test
    void readsTheMinimalFormat() {
        GroundTruth t =
                GroundTruth.fromJson(
                        "{\"subjects\":[{\"subject\":\"vm-00001\",\"kind\":\"VM\","
                                + "\"behaviour\":\"busy\",\"expectedRules\":"
                                + "[\"scale-up.memory.weekly-average\"]}],"
                                + "\"malformed\":{\"invalid\":2,\"undecodable\":1}}");
        assertThat(t.generator()).isNull();
        assertThat(t.subjects())
                .containsExactly(
                        new GroundTruth.Subject(
                                "vm-00001",
                                "VM",
                                "busy",
                                null,
                                null,
                                List.of("scale-up.memory.weekly-average")));
        assertThat(t.malformed()).isEqualTo(new GroundTruth.Malformed(2, 1));
    }

    @Test
    void checkReportsMissingAndUnexpectedPairs() {
        GroundTruth t =
                new GroundTruth(
                        null,
                        List.of(
                                new GroundTruth.Subject(
                                        "vm-00001",
                                        "VM",
                                        "busy",
                                        "sys-001",
                                        null,
                                        List.of("scale-up.memory.weekly-average")),
                                new GroundTruth.Subject(
                                        "vm-00002",
                                        "VM",
                                        "peaky",
                                        "sys-001",
                                        0L,
                                        List.of("scale-up.memory.hourly-peaks")),
                                new GroundTruth.Subject(
                                        "sys-002",
                                        "SYSTEM",
                                        "no-business",
                                        "sys-002",
                                        0L,
                                        List.of("reduce.system.no-business-data"))),
                        new GroundTruth.Malformed(0, 0));
        GroundTruth.Report r =
                t.check(
                        List.of(
                                rec("scale-up.memory.weekly-average", "vm-00001", "sys-001", 1),
                                rec("scale-up.memory.weekly-average", "vm-00001", "sys-001", 2),
                                rec("reduce.system.no-business-data", null, "sys-002", 3),
                                rec("scale-up.storage.usage", "vm-00002", "sys-001", 4),
                                rec("reduce.vm.inactive", "vm-00099", "sys-001", 5)));
        assertThat(r.passed()).isFalse();
        assertThat(r.expected())
                .containsExactly(
                        new GroundTruth.Outcome(
                                "scale-up.memory.weekly-average", "vm-00001", "busy", 2),
                        new GroundTruth.Outcome(
                                "scale-up.memory.hourly-peaks", "vm-00002", "peaky", 0),
                        new GroundTruth.Outcome(
                                "reduce.system.no-business-data", "sys-002", "no-business", 1));
        assertThat(r.missing())
                .extracting(GroundTruth.Outcome::subject)
                .containsExactly("vm-00002");
        assertThat(r.unexpected())
                .containsExactly(
                        new GroundTruth.Unexpected("reduce.vm.inactive", "vm-00099", "unknown", 1),
                        new GroundTruth.Unexpected(
                                "scale-up.storage.usage", "vm-00002", "peaky", 1));
        assertThat(r.summary())
                .startsWith("FAILED: 2 of 3")
                .contains("missing    scale-up.memory.hourly-peaks vm-00002 (peaky)");
    }

    private static Recommendation rec(String rule, String vm, String system, long at) {
        return Recommendation.newBuilder()
                .setRecommendationId("x")
                .setRuleId(rule)
                .setRuleSetVersion("t")
                .setRegulation("r")
                .setAction(Action.SCALE_UP)
                .setResource(Resource.MEMORY)
                .setVmId(vm)
                .setSystemId(system)
                .setFiredAt(Instant.ofEpochMilli(at))
                .setEvidence(Evidence.newBuilder().build())
                .setReason("r")
                .build();
    }
}
