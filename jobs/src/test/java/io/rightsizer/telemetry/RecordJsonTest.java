package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.LifecycleState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RecommendationEventKind;
import io.rightsizer.schema.Resource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The #4 fields of a recommendation in JSON Lines (replay, rules diff, tail --json). */
class RecordJsonTest {
    private static final Instant FIRED = Instant.parse("2026-03-08T16:00:00Z");

    private static Recommendation.Builder scaleUp() {
        return Recommendation.newBuilder()
                .setRecommendationId("0123456789abcdef0123456789abcdef")
                .setRuleId("scale-up.memory.weekly-average")
                .setRuleSetVersion("2026.11.0")
                .setRegulation("Article 26(1)1")
                .setAction(Action.SCALE_UP)
                .setResource(Resource.MEMORY)
                .setVmId("vm-1")
                .setSystemId("sys-1")
                .setUnitId(null)
                .setFiredAt(FIRED)
                .setEvidence(Evidence.newBuilder().setWeeklyAveragePct(74.2).build())
                .setReason("weekly average memory 74.2% > 70%")
                .setMemoryTotalBytes(16L << 30)
                .setStorageTotalBytes(null);
    }

    @Test
    void theSizingAndLifecycleFieldsRoundTrip() {
        Recommendation r =
                scaleUp()
                        .setProposedMemoryBytes(32L << 30)
                        .setProposedStorageBytes(null)
                        .setProjectedAveragePct(37.1)
                        .setProjectedPeakPct(40.5)
                        .setProjectedStoragePct(null)
                        .setChangePct(100.0)
                        .setMajorChange(true)
                        .setEmergency(true)
                        .setPriority(1)
                        .setReminder(true)
                        .build();

        String line = RecordJson.toJson(r);

        assertThat(line)
                .endsWith(
                        "\"memoryTotalBytes\":17179869184,\"storageTotalBytes\":null,"
                            + "\"proposedMemoryBytes\":34359738368,\"proposedStorageBytes\":null,"
                            + "\"projectedAveragePct\":37.1,\"projectedPeakPct\":40.5,"
                            + "\"projectedStoragePct\":null,\"changePct\":100.0,"
                            + "\"majorChange\":true,\"emergency\":true,\"priority\":1,"
                            + "\"reminder\":true}");
        assertThat(RecordJson.recommendation(line)).isEqualTo(r);
        assertThat(RecordJson.toJson(r, "recommendation"))
                .isEqualTo("{\"type\":\"recommendation\"," + line.substring(1));
    }

    @Test
    void aLineWrittenBeforeTheFieldsExistedReadsAsTheSchemaDefaultsWithThePriorityOfItsAction() {
        String full = RecordJson.toJson(scaleUp().setPriority(2).build());
        String old = full.substring(0, full.indexOf(",\"proposedMemoryBytes\"")) + "}";

        Recommendation r = RecordJson.recommendation(old);

        assertThat(r).isEqualTo(scaleUp().setPriority(2).build());
        assertThat(r.getPriority()).isEqualTo(2);
        assertThat(r.getMajorChange()).isFalse();
        assertThat(r.getReminder()).isFalse();
    }

    @Test
    void anEventHasEveryFieldOfItsSchemaWithAbsentStatesAsNull() {
        RecommendationEvent opened =
                RecommendationEvent.newBuilder()
                        .setEventId("0c1f6b6a2b0e4d8e9a7f3c5d1e2f4a6b")
                        .setKind(RecommendationEventKind.OPENED)
                        .setRecommendationId("0123456789abcdef0123456789abcdef")
                        .setRuleId("scale-up.memory.weekly-average")
                        .setVmId("vm-1")
                        .setSystemId("sys-1")
                        .setToState(LifecycleState.OPEN)
                        .setAt(FIRED)
                        .setBy("rightsizer")
                        .setReason("sent for approval")
                        .build();

        assertThat(RecordJson.toJson(opened, null))
                .isEqualTo(
                        "{\"eventId\":\"0c1f6b6a2b0e4d8e9a7f3c5d1e2f4a6b\",\"kind\":\"OPENED\","
                                + "\"recommendationId\":\"0123456789abcdef0123456789abcdef\","
                                + "\"ruleId\":\"scale-up.memory.weekly-average\","
                                + "\"vmId\":\"vm-1\",\"systemId\":\"sys-1\",\"unitId\":null,"
                                + "\"fromState\":null,\"toState\":\"OPEN\","
                                + "\"at\":1772985600000,\"by\":\"rightsizer\",\"comment\":null,"
                                + "\"reason\":\"sent for approval\"}");
    }
}
