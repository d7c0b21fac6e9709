package io.rightsizer.history;

import static io.rightsizer.history.HistoryFixtures.FIRED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.RecordCaps;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each measurement of the #5 contract to the exact line, tags and fields sorted by name. */
class HistoryLinesTest {

    @Test
    void hourlyCarriesEveryFieldAndEscapesTheUnitTag() {
        assertThat(HistoryLines.hourly(HistoryFixtures.busyHour()))
                .isEqualTo(
                        "vm_hourly,systemId=sys-1,unitId=Unit\\ A\\,\\ Finance,vmId=vm-1"
                                + " memory_max=96.5,memory_mean=71.25,"
                                + "memory_total_bytes=17179869184i,peak_starts=1i,samples=12i,"
                                + "stopped_samples=2i,storage_max=40.0,"
                                + "storage_total_bytes=107374182400i 1772503200000");
    }

    @Test
    void hourlyLeavesOutReadingsAndSizesThatAreUnknownAndANullUnit() {
        assertThat(HistoryLines.hourly(HistoryFixtures.stoppedHour()))
                .isEqualTo(
                        "vm_hourly,systemId=sys-1,vmId=vm-1"
                                + " peak_starts=0i,samples=12i,stopped_samples=12i 1772503200000");
    }

    @Test
    void hourlyWithStorageButNoMemoryWritesOnlyTheStorageMax() {
        HourSummary h = HistoryFixtures.stoppedHour();
        h.storageSamples = 12;
        h.storageMaxPct = 55.5;

        assertThat(HistoryLines.hourly(h))
                .isEqualTo(
                        "vm_hourly,systemId=sys-1,vmId=vm-1 peak_starts=0i,samples=12i,"
                                + "stopped_samples=12i,storage_max=55.5 1772503200000");
    }

    @Test
    void weeklyWritesWholePercentagesAsFloats() {
        assertThat(HistoryLines.weekly(HistoryFixtures.judgedWeek()))
                .isEqualTo(
                        "vm_weekly,systemId=sys-1,unitId=Unit\\ A\\,\\ Finance,vmId=vm-1"
                                + " average=82.5,covered_hours=120i,judged=true,peak=100.0,"
                                + "samples=1440i 1772380800000");
    }

    @Test
    void anUnjudgedWeekSaysSo() {
        WeekSummary w = HistoryFixtures.judgedWeek();
        w.judged = false;
        w.averagePct = 0;
        w.unitId = null;

        assertThat(HistoryLines.weekly(w))
                .isEqualTo(
                        "vm_weekly,systemId=sys-1,vmId=vm-1 average=0.0,covered_hours=120i,"
                                + "judged=false,peak=100.0,samples=1440i 1772380800000");
    }

    @Test
    void aRecommendationCarriesItsRuleActionAndNumbersAtFiredAtToTheMillisecond() {
        assertThat(HistoryLines.recommendation(HistoryFixtures.weeklyScaleUp()))
                .contains(
                        "recommendations,action=SCALE_UP,rule=scale-up.memory.weekly-average,"
                                + "systemId=sys-1,unitId=Unit\\ A\\,\\ Finance,vmId=vm-1"
                                + " change_pct=100.0,covered_hours=120i,emergency=false,"
                                + "id=\"3f0c9a4be1d27c65\",major_change=true,"
                                + "memory_total_bytes=17179869184i,peak_starts=2i,priority=2i,"
                                + "proposed_memory_bytes=34359738368i,"
                                + "reason=\"weekly average 82.5% is above 70%: \\\"scale up\\\"\","
                                + "storage_total_bytes=107374182400i,weekly_average=82.5,"
                                + "weekly_peak=100.0 1773016215250");
    }

    @Test
    void aSystemLevelRecommendationHasNoVmTagAndOnlyItsOwnFields() {
        assertThat(HistoryLines.recommendation(HistoryFixtures.systemReclaim()))
                .contains(
                        "recommendations,action=RECLAIM,rule=reduce.system.no-business-data,"
                                + "systemId=sys-1 emergency=false,id=\"a1b2c3\","
                                + "major_change=false,priority=3i,reason=\"no business data\""
                                + " 1773016215250");
    }

    @Test
    void anEmergencyWithStorageAndMemoryReadingsWritesThem() {
        Recommendation r = HistoryFixtures.systemReclaim();
        r.setRuleId("scale-up.storage.emergency");
        r.setAction(io.rightsizer.schema.Action.SCALE_UP);
        r.setVmId("vm 2");
        r.setEmergency(true);
        r.setPriority(1);
        r.getEvidence().setStoragePct(91.0);
        r.getEvidence().setMemoryPct(12.5);
        r.setProposedStorageBytes(200 * HistoryFixtures.GIB);
        r.setReason("r");

        assertThat(HistoryLines.recommendation(r))
                .contains(
                        "recommendations,action=SCALE_UP,rule=scale-up.storage.emergency,"
                                + "systemId=sys-1,vmId=vm\\ 2 emergency=true,id=\"a1b2c3\","
                                + "major_change=false,memory_pct=12.5,priority=1i,"
                                + "proposed_storage_bytes=214748364800i,reason=\"r\","
                                + "storage_pct=91.0 1773016215250");
    }

    @Test
    void aReminderIsNotANewRecommendation() {
        assertThat(
                        HistoryLines.recommendation(
                                HistoryFixtures.reminderOf(HistoryFixtures.weeklyScaleUp())))
                .isEmpty();
    }

    @Test
    void deadLettersAreACountPerReasonAtTheMinutesEnd() {
        assertThat(HistoryLines.deadLetters("INVALID", 1772503260000L, 17))
                .isEqualTo("dead_letters,reason=INVALID count=17i 1772503260000");
    }

    @Test
    void aSilenceCarriesItsKindSubjectAndDurations() {
        assertThat(HistoryLines.dataQuality(HistoryFixtures.silence()))
                .isEqualTo(
                        "data_quality,kind=TELEMETRY_SILENT,systemId=sys-1,"
                                + "unitId=Unit\\ A\\,\\ Finance,vmId=vm-1 id=\"dq-1\","
                                + "last_sample_at=1772514000000i,silent_for_ms=3600000i"
                                + " 1772517600000");
    }

    @Test
    void aResumptionWithoutSystemOrUnitLeavesThoseTagsOut() {
        DataQualityEvent d = HistoryFixtures.silence();
        d.setKind(DataQualityKind.TELEMETRY_RESUMED);
        d.setSystemId(null);
        d.setUnitId(null);
        d.setDetectedAt(Instant.ofEpochMilli(FIRED));
        d.setSilentForMillis(FIRED - HistoryFixtures.LAST_SAMPLE);

        assertThat(HistoryLines.dataQuality(d))
                .isEqualTo(
                        "data_quality,kind=TELEMETRY_RESUMED,vmId=vm-1 id=\"dq-1\","
                                + "last_sample_at=1772514000000i,silent_for_ms=502215250i"
                                + " 1773016215250");
    }

    @Test
    void tagCharactersTheLineProtocolCannotCarryAreReplacedSoTheBatchStaysParsable() {
        HourSummary h = HistoryFixtures.stoppedHour();
        h.vmId = "vm\n1\tx\\";
        h.systemId = "sys\\1";

        assertThat(HistoryLines.hourly(h))
                .isEqualTo(
                        "vm_hourly,systemId=sys\\1,vmId=vm\uFFFD1\uFFFDx\uFFFD"
                                + " peak_starts=0i,samples=12i,stopped_samples=12i 1772503200000");
        assertThat(HistoryLines.safeTagValue("plain vm-1")).isSameAs("plain vm-1");
    }

    @Test
    void onlyPrintableAsciiWithinTheCapAndNothingToEscapeIsPlain() {
        assertThat(HistoryLines.plain("vm-00012.sys_1/a:b")).isTrue();
        assertThat(HistoryLines.plain("x".repeat(RecordCaps.TAG_CAP))).isTrue();
        assertThat(HistoryLines.plain("x".repeat(RecordCaps.TAG_CAP + 1))).isFalse();
        for (String s : new String[] {"a b", "a,b", "a=b", "a\\b", "a\u007Fb", "é", "a\nb"}) {
            assertThat(HistoryLines.plain(s)).as(s).isFalse();
        }
    }

    /**
     * The hourly line is written without the client's builder for speed: on many summaries (random
     * ids with characters to escape, every optional field present or not, percentages across and
     * beyond the fast formatting range) it is the client's line to the byte.
     */
    @Test
    void theFastHourlyLineIsTheClientsLineToTheByte() {
        java.util.Random random = new java.util.Random(26);
        String[] ids = {
            "vm-00012",
            "vm 1",
            "a,b",
            "k=v",
            "unit\\x",
            "trailing\\",
            "tab\tid",
            "",
            null,
            "é-ü",
            "del\u007Fid",
            "c1\u0085id",
            "x".repeat(RecordCaps.TAG_CAP),
            "y".repeat(RecordCaps.TAG_CAP + 1)
        };
        double[] specials = {
            0.0,
            100.0,
            50.0,
            1e-3,
            9.99e-4,
            1e-7,
            1e7,
            9_999_999.999,
            12_345_678.9,
            0.1 + 0.2,
            1.0 / 3
        };
        for (int i = 0; i < 20_000; i++) {
            io.rightsizer.rules.HourSummary h = new io.rightsizer.rules.HourSummary();
            h.vmId = ids[random.nextInt(ids.length)];
            h.systemId = ids[random.nextInt(ids.length)];
            h.unitId = ids[random.nextInt(ids.length)];
            h.hourStart = 1_700_000_000_000L + random.nextInt(1_000_000) * 3_600_000L;
            h.samples = random.nextInt(400);
            h.stoppedSamples = random.nextInt(h.samples + 1);
            h.memorySamples = random.nextInt(3);
            h.storageSamples = random.nextInt(3);
            h.memoryMeanPct = pct(random, specials);
            h.memoryMaxPct = pct(random, specials);
            h.storageMaxPct = pct(random, specials);
            h.peakStarts = random.nextInt(5);
            h.memoryTotalBytes = random.nextBoolean() ? -1 : random.nextLong() >>> 1;
            h.storageTotalBytes = random.nextBoolean() ? -1 : random.nextLong() >>> 1;
            assertThat(HistoryLines.hourly(h)).isEqualTo(HistoryLines.hourlyWithClient(h));
        }
    }

    private static double pct(java.util.Random random, double[] specials) {
        return random.nextInt(4) == 0
                ? specials[random.nextInt(specials.length)]
                : random.nextDouble() * 100;
    }
}
