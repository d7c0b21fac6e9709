package io.rightsizer.cli;

import static io.rightsizer.cli.DataCenterRecords.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TailRowsTest {
    private static final TailRows UTC = new TailRows(ZoneId.of("UTC"));

    @Test
    void sizesAreInTheLargestBinaryUnitWithOneDecimal() {
        assertThat(TailRows.size(16 * GIB)).isEqualTo("16.0 GiB");
        assertThat(TailRows.size(1536 * GIB)).isEqualTo("1.5 TiB");
        assertThat(TailRows.size(1023L)).isEqualTo("1023 B");
        assertThat(TailRows.size(1024L)).isEqualTo("1.0 KiB");
        assertThat(TailRows.size(GIB - 1)).isEqualTo("1024.0 MiB");
        assertThat(TailRows.size(null)).isEqualTo("—");
    }

    @Test
    void currentAndProposedFollowTheResource() {
        assertThat(TailRows.sizes(DataCenterRecords.memoryScaleUp()))
                .isEqualTo("16.0 GiB → 32.0 GiB");
        assertThat(TailRows.sizes(DataCenterRecords.storageEmergencyReminder()))
                .as("no catalog size fits")
                .isEqualTo("1.5 TiB → —");
        assertThat(TailRows.sizes(DataCenterRecords.systemReclaim())).isEqualTo("—");
        Recommendation unknownCurrent =
                Recommendation.newBuilder(DataCenterRecords.memoryScaleUp())
                        .setMemoryTotalBytes(null)
                        .build();
        assertThat(TailRows.sizes(unknownCurrent)).isEqualTo("— → 32.0 GiB");
    }

    @Test
    void flagsStartWithThePriority() {
        assertThat(TailRows.flags(DataCenterRecords.memoryScaleUp()))
                .containsExactly("P2", "MAJOR");
        assertThat(TailRows.flags(DataCenterRecords.storageEmergencyReminder()))
                .containsExactly("P1", "EMERGENCY", "REMINDER");
        assertThat(TailRows.flags(DataCenterRecords.systemReclaim())).containsExactly("P3");
    }

    @Test
    void rowsLineUpUnderTheHeader() {
        assertThat(UTC.header())
                .isEqualTo(
                        "time (UTC)           unit        system        vm            action    "
                                + "        current → proposed     flags               reason");
        assertThat(UTC.row(DataCenterRecords.memoryScaleUp()))
                .isEqualTo(
                        "2026-03-08 16:00:00  unit-01     sys-002       vm-00007      SCALE_UP"
                                + " MEMORY   16.0 GiB → 32.0 GiB    P2 MAJOR            weekly"
                                + " average memory 74.2% > 70% (2026-03-02 to 2026-03-09, 168 h"
                                + " covered)");
        assertThat(UTC.row(DataCenterRecords.systemReclaim()))
                .isEqualTo(
                        "2026-04-01 00:00:00  —           sys-009       —             RECLAIM"
                                + " SYSTEM    —                      P3                  no"
                                + " business data since 2026-03-01");
        assertThat(UTC.row(DataCenterRecords.expansionEnding()))
                .isEqualTo(
                        "2026-09-23 16:00:00  unit-01     sys-001       vm-00003     "
                                + " EXPANSION_ENDING  until 2026-10-12 16:00:00  Article 22   "
                                + "       the temporary expansion of vm-00003 ends on"
                                + " 2026-10-13; ask for an extension by then (Article 22)");
    }

    @Test
    void timesAreShownInTheZoneTheHeaderNames() {
        TailRows shanghai = new TailRows(ZoneId.of("Asia/Shanghai"));

        assertThat(shanghai.header()).startsWith("time (Asia/Shanghai)  unit");
        assertThat(shanghai.row(DataCenterRecords.memoryScaleUp()))
                .startsWith("2026-03-09 00:00:00  unit-01");
        assertThat(shanghai.row(DataCenterRecords.expansionEnding()))
                .contains("EXPANSION_ENDING  until 2026-10-13 00:00:00  Article 22");
    }

    @Test
    void anUndecodableRecordSaysWhereItIsAndWhy() {
        assertThat(TailRows.undecodableRow("rightsizing-recommendations", 3, 41, "not a thing"))
                .isEqualTo(
                        "undecodable record on rightsizing-recommendations partition 3 offset 41:"
                                + " not a thing");
        assertThat(TailRows.undecodableJson("t", 0, 7, 1_000L, "why"))
                .isEqualTo(
                        "{\"type\":\"undecodable\",\"topic\":\"t\",\"partition\":0,\"offset\":7,"
                                + "\"timestamp\":1000,\"reason\":\"why\"}");
    }

    @Test
    void jsonNamesTheTypeThenTheSchemaFields() {
        assertThat(TailRows.json(DataCenterRecords.expansionEnding()))
                .isEqualTo(
                        "{\"type\":\"notice\",\"noticeId\":\"5d41402abc4b2a76b9719d911017c592\","
                                + "\"kind\":\"EXPANSION_ENDING\",\"regulation\":\"Article 22\","
                                + "\"vmId\":\"vm-00003\",\"systemId\":\"sys-001\","
                                + "\"unitId\":\"unit-01\",\"issuedAt\":1790179200000,"
                                + "\"from\":1785542400000,\"until\":1791820800000,"
                                + "\"limitEnd\":1793462400000,\"memoryBytes\":8589934592,"
                                + "\"storageBytes\":0,\"reason\":\"the temporary expansion of"
                                + " vm-00003 ends on 2026-10-13; ask for an extension by then"
                                + " (Article 22)\"}");
        String rec = TailRows.json(DataCenterRecords.storageEmergencyReminder());
        assertThat(rec).startsWith("{\"type\":\"recommendation\",\"recommendationId\":\"");
        assertThat(rec)
                .endsWith(
                        "\"memoryTotalBytes\":8589934592,\"storageTotalBytes\":1649267441664,"
                                + "\"proposedMemoryBytes\":null,\"proposedStorageBytes\":null,"
                                + "\"projectedAveragePct\":null,\"projectedPeakPct\":null,"
                                + "\"projectedStoragePct\":null,\"changePct\":null,"
                                + "\"majorChange\":false,\"emergency\":true,\"priority\":1,"
                                + "\"reminder\":true}");
    }

    @Test
    void eventRowsLineUpUnderTheirHeaderOneForEachKind() {
        assertThat(UTC.eventHeader())
                .isEqualTo(
                        "time (UTC)           kind               recommendation id                "
                                + " from → to                by            reason");
        assertThat(UTC.row(AuditEvents.opened()))
                .isEqualTo(
                        "2026-03-08 16:00:00  OPENED             "
                                + AuditEvents.SCALE_UP_ID
                                + "  — → OPEN                 rightsizer    sent for approval:"
                                + " weekly average memory 74.2% > 70% (2026-03-02 to"
                                + " 2026-03-09, 168 h covered)");
        assertThat(UTC.row(AuditEvents.approved()))
                .as("the decider's comment follows the reason")
                .isEqualTo(
                        "2026-03-10 01:30:00  TRANSITION         "
                                + AuditEvents.SCALE_UP_ID
                                + "  OPEN → APPROVED          alice         approved (comment:"
                                + " before the quarter ends)");
        assertThat(UTC.row(AuditEvents.emergencyReminded()))
                .isEqualTo(
                        "2026-03-23 02:15:30  REMINDED           "
                                + AuditEvents.EMERGENCY_ID
                                + "  OPEN → OPEN              rightsizer    re-sent as a reminder:"
                                + " no decision 14 days after it fired");
        assertThat(UTC.row(AuditEvents.lateRejectionRefused()))
                .as("to the second: the 125 ms are cut, not rounded")
                .isEqualTo(
                        "2026-03-11 02:00:00  DECISION_REJECTED  "
                                + AuditEvents.SCALE_UP_ID
                                + "  APPROVED → REJECTED      bob           decision rejected:"
                                + " APPROVED -> REJECTED is not a transition of the lifecycle (a"
                                + " decision is taken on an OPEN or DEFERRED recommendation)");
    }

    @Test
    void aStateOrIdTheEventHasNoneOfIsADash() {
        assertThat(UTC.row(AuditEvents.unknownIdRefused()))
                .isEqualTo(
                        "2026-03-12 00:00:00  DECISION_REJECTED  ffffffffffffffffffffffffffffffff"
                                + "  — → APPROVED             carol         decision rejected:"
                                + " unknown recommendationId: no recommendation with this id"
                                + " fired before 2026-03-12T00:00:00Z, or its decision window"
                                + " has ended");
        assertThat(UTC.row(AuditEvents.garbledDecisionRefused()))
                .isEqualTo(
                        "2026-03-12 08:00:00  DECISION_REJECTED  —                                "
                                + " — → —                    rightsizer    decision rejected: not"
                                + " a Decision: not Avro single-object encoding (no complete C3"
                                + " 01 header and fingerprint)");
        assertThat(TailRows.transition(AuditEvents.opened())).isEqualTo("— → OPEN");
    }

    @Test
    void anEmptyCommentAddsNothing() {
        RecommendationEvent noComment =
                RecommendationEvent.newBuilder(AuditEvents.approved()).setComment("").build();

        assertThat(UTC.row(noComment)).endsWith("alice         approved");
    }

    @Test
    void eventTimesAreShownInTheZoneTheHeaderNames() {
        TailRows shanghai = new TailRows(ZoneId.of("Asia/Shanghai"));

        assertThat(shanghai.eventHeader()).startsWith("time (Asia/Shanghai)  kind");
        assertThat(shanghai.row(AuditEvents.approved()))
                .startsWith("2026-03-10 09:30:00  TRANSITION         ");
    }

    @Test
    void eventJsonIsTypedWithEveryFieldNullsIncluded() {
        assertThat(TailRows.json(AuditEvents.approved()))
                .isEqualTo(
                        "{\"type\":\"event\",\"eventId\":\"1d2e3f405162738495a6b7c8d9eaf0b1\","
                                + "\"kind\":\"TRANSITION\",\"recommendationId\":\""
                                + AuditEvents.SCALE_UP_ID
                                + "\",\"ruleId\":\"scale-up.memory.weekly-average\","
                                + "\"vmId\":\"vm-00007\",\"systemId\":\"sys-002\","
                                + "\"unitId\":\"unit-01\",\"fromState\":\"OPEN\","
                                + "\"toState\":\"APPROVED\",\"at\":1773106200000,"
                                + "\"by\":\"alice\",\"comment\":\"before the quarter ends\","
                                + "\"reason\":\"approved\"}");
        assertThat(TailRows.json(AuditEvents.unknownIdRefused()))
                .isEqualTo(
                        "{\"type\":\"event\",\"eventId\":\"405162738495a6b7c8d9eaf0b1c2d3e4\","
                                + "\"kind\":\"DECISION_REJECTED\","
                                + "\"recommendationId\":\"ffffffffffffffffffffffffffffffff\","
                                + "\"ruleId\":null,\"vmId\":null,\"systemId\":null,"
                                + "\"unitId\":null,\"fromState\":null,"
                                + "\"toState\":\"APPROVED\",\"at\":1773273600000,"
                                + "\"by\":\"carol\",\"comment\":null,\"reason\":\"decision"
                                + " rejected: unknown recommendationId: no recommendation with"
                                + " this id fired before 2026-03-12T00:00:00Z, or its decision"
                                + " window has ended\"}");
    }
}
