package io.rightsizer.rules;

import static io.rightsizer.rules.Firing.firing;
import static io.rightsizer.rules.Fixtures.BOUND;
import static io.rightsizer.rules.Fixtures.DAY;
import static io.rightsizer.rules.Fixtures.HOUR;
import static io.rightsizer.rules.Fixtures.KOLKATA;
import static io.rightsizer.rules.Fixtures.MEMORY_TOTAL;
import static io.rightsizer.rules.Fixtures.MINUTE;
import static io.rightsizer.rules.Fixtures.STORAGE_TOTAL;
import static io.rightsizer.rules.Fixtures.SYSTEM;
import static io.rightsizer.rules.Fixtures.UNIT;
import static io.rightsizer.rules.Fixtures.VM;
import static io.rightsizer.rules.Fixtures.at;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.runningBytes;
import static io.rightsizer.rules.Fixtures.runningWithoutMemory;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.rules.Fixtures.stopped;
import static io.rightsizer.rules.Fixtures.withStorage;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.Recommendation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The utilization history the VM evaluator reports besides its firings: one summary per VM and
 * clock hour, one per VM and week (rules/README.md, "Utilization history").
 */
class VmHistoryTest {
    /** Monday 2026-03-02 00:00 in Shanghai = 2026-03-01T16:00Z, a whole UTC hour. */
    static final long MONDAY = shanghai(2026, 3, 2, 0, 0);

    static final long NEXT_MONDAY = MONDAY + 7 * DAY;
    static final long MONDAY_AFTER = NEXT_MONDAY + 7 * DAY;

    /** Tuesday 10:00 Shanghai = 02:00Z: the clock hour most tests summarize. */
    static final long TUESDAY_10 = shanghai(2026, 3, 3, 10, 0);

    static final long NEXT_HOUR = TUESDAY_10 + HOUR;

    /** The weekly rules judge any week with a counted sample: weeks without 84 hours of data. */
    static final RuleSet ANY_COVERED_HOUR =
            Fixtures.parse(
                    """
                    version: "history-test"
                    rules:
                      scale-up.memory.weekly-average: {min-covered-hours: 0}
                      reduce.memory.weekly-underuse: {min-covered-hours: 0}
                    """);

    static HourSummary hour(long start, int samples, int stopped) {
        HourSummary h = new HourSummary();
        h.vmId = VM;
        h.systemId = SYSTEM;
        h.unitId = UNIT;
        h.hourStart = start;
        h.samples = samples;
        h.stoppedSamples = stopped;
        return h;
    }

    static HourSummary withMemory(HourSummary h, int samples, double mean, double max) {
        h.memorySamples = samples;
        h.memoryMeanPct = mean;
        h.memoryMaxPct = max;
        h.memoryTotalBytes = MEMORY_TOTAL;
        return h;
    }

    static HourSummary withStorageMax(HourSummary h, int samples, double max) {
        h.storageSamples = samples;
        h.storageMaxPct = max;
        h.storageTotalBytes = STORAGE_TOTAL;
        return h;
    }

    static HourSummary withPeakStarts(HourSummary h, int peakStarts) {
        h.peakStarts = peakStarts;
        return h;
    }

    /** Every field of an hour, compared cheaply for long series. */
    static List<Object> fields(HourSummary h) {
        return Arrays.asList(
                h.vmId,
                h.systemId,
                h.unitId,
                h.hourStart,
                h.samples,
                h.stoppedSamples,
                h.memorySamples,
                h.memoryMeanPct,
                h.memoryMaxPct,
                h.storageSamples,
                h.storageMaxPct,
                h.peakStarts,
                h.memoryTotalBytes,
                h.storageTotalBytes);
    }

    static WeekSummary week(
            long start, double average, double peak, int coveredHours, long samples, boolean j) {
        WeekSummary w = new WeekSummary();
        w.vmId = VM;
        w.systemId = SYSTEM;
        w.unitId = UNIT;
        w.weekStart = start;
        w.weekEnd = start + 7 * DAY;
        w.averagePct = average;
        w.peakPct = peak;
        w.coveredHours = coveredHours;
        w.samples = samples;
        w.judged = j;
        return w;
    }

    /** RUNNING at {@code pct} of a memory total of {@code total} bytes. */
    static Sample runningOf(long ts, double pct, long total) {
        return runningBytes(VM, ts, Math.round(pct * (total / 100)), total);
    }

    /** One counted sample at {@code pct} at the start of each of {@code hours} hours. */
    static List<Sample> hourly(long from, int hours, double pct) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < hours; i++) {
            samples.add(running(from + i * HOUR, pct));
        }
        return samples;
    }

    @Test
    void anHourReportsItsSamplesStoppedSamplesMemoryStorageAndPeakStarts() {
        VmDriver d = new VmDriver(Fixtures.defaults());

        d.feedAll(
                withStorage(running(TUESDAY_10, 40), 60),
                running(TUESDAY_10 + 15 * MINUTE, 90), // a peak starts
                running(TUESDAY_10 + 20 * MINUTE, 85), // the same peak
                stopped(TUESDAY_10 + 25 * MINUTE), // ends it
                withStorage(running(TUESDAY_10 + 30 * MINUTE, 95), 65.5), // a new peak
                runningWithoutMemory(TUESDAY_10 + 45 * MINUTE),
                running(NEXT_HOUR, 50),
                running(NEXT_HOUR + BOUND + 1, 50));

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        withPeakStarts(
                                withStorageMax(
                                        withMemory(hour(TUESDAY_10, 6, 1), 4, 77.5, 95.0), 2, 65.5),
                                2));
        assertThat(d.firings()).isEmpty();
    }

    @Test
    void peakStartsAreCountedWhileTheHourlyPeaksRuleIsDisabled() {
        RuleSet disabled =
                Fixtures.parse(
                        """
                        version: "peaks-off"
                        rules:
                          scale-up.memory.hourly-peaks: {enabled: false}
                        """);
        VmDriver d = new VmDriver(disabled);

        d.feedAll(
                running(TUESDAY_10, 81),
                running(TUESDAY_10 + 5 * MINUTE, 80),
                running(TUESDAY_10 + 10 * MINUTE, 81),
                running(TUESDAY_10 + 15 * MINUTE, 79),
                running(TUESDAY_10 + 20 * MINUTE, 81),
                running(NEXT_HOUR, 50),
                running(NEXT_HOUR + BOUND + 1, 50));

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        withPeakStarts(withMemory(hour(TUESDAY_10, 5, 0), 5, 80.4, 81.0), 3));
        assertThat(d.firings()).isEmpty();
    }

    @Test
    void theHoursLastMillisecondBelongsToItAndTheNextMillisecondToTheNextHour() {
        VmDriver d = new VmDriver(Fixtures.defaults());

        d.feedAll(
                running(TUESDAY_10, 10),
                running(NEXT_HOUR - 1, 20),
                running(NEXT_HOUR, 30),
                running(NEXT_HOUR + BOUND + 1, 40));

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(withMemory(hour(TUESDAY_10, 2, 0), 2, 15.0, 20.0));

        d.end();

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        withMemory(hour(TUESDAY_10, 2, 0), 2, 15.0, 20.0),
                        withMemory(hour(NEXT_HOUR, 2, 0), 2, 35.0, 40.0));
    }

    @Test
    void anHourWithoutReadingsReportsOnlyItsSamplesAndAnUnknownAllocation() {
        VmDriver d = new VmDriver(Fixtures.defaults());

        d.feedAll(stopped(TUESDAY_10), runningWithoutMemory(TUESDAY_10 + MINUTE)).end();

        HourSummary expected = hour(TUESDAY_10, 2, 1);
        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(expected);
        assertThat(d.hours().get(0).hasMemory()).isFalse();
        assertThat(d.hours().get(0).hasStorage()).isFalse();
        assertThat(d.hours().get(0).memoryTotalBytes).isEqualTo(-1);
    }

    @Test
    void eachHourReportsTheIdsAndAllocationOfItsOwnLastSampleNotOfTheSampleThatClosesIt() {
        VmDriver d = new VmDriver(Fixtures.defaults());
        Sample moved = runningOf(NEXT_HOUR, 50, 2 * MEMORY_TOTAL);
        moved.systemId = "sys-2";
        moved.unitId = "unit-2";

        d.feedAll(running(TUESDAY_10, 50), moved, running(NEXT_HOUR + HOUR, 50)).end();

        HourSummary elsewhere = withMemory(hour(NEXT_HOUR, 1, 0), 1, 50.0, 50.0);
        elsewhere.systemId = "sys-2";
        elsewhere.unitId = "unit-2";
        elsewhere.memoryTotalBytes = 2 * MEMORY_TOTAL;
        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        withMemory(hour(TUESDAY_10, 1, 0), 1, 50.0, 50.0),
                        elsewhere,
                        withMemory(hour(NEXT_HOUR + HOUR, 1, 0), 1, 50.0, 50.0));
    }

    @Test
    void anHourClosedByALaterSampleCarriesTheAllocationItEndedWith() {
        VmDriver d = new VmDriver(Fixtures.defaults());

        d.feedAll(
                running(TUESDAY_10, 50),
                runningOf(TUESDAY_10 + 30 * MINUTE, 25, 2 * MEMORY_TOTAL),
                running(NEXT_HOUR, 50),
                running(NEXT_HOUR + BOUND + 1, 50));

        HourSummary resized = withMemory(hour(TUESDAY_10, 2, 0), 2, 37.5, 50.0);
        resized.memoryTotalBytes = 2 * MEMORY_TOTAL;
        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(resized);
    }

    @Test
    void aSilentVmsLastHourIsWrittenWhenItsWeekCloses() {
        VmDriver d = new VmDriver(Fixtures.defaults());
        d.feedAll(running(TUESDAY_10, 50), running(TUESDAY_10 + 30 * MINUTE, 60));

        d.advanceTo(NEXT_MONDAY - 2);

        assertThat(d.hours()).isEmpty();
        assertThat(d.weeks()).isEmpty();

        d.advanceTo(NEXT_MONDAY - 1);

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(withMemory(hour(TUESDAY_10, 2, 0), 2, 55.0, 60.0));
        assertThat(d.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(week(MONDAY, 55.0, 60.0, 1, 2, false));
        assertThat(d.state.hourStart).isEqualTo(VmState.NONE);
        assertThat(d.state.weekStart).isEqualTo(VmState.NONE);
    }

    @Test
    void theWeeksLastHourIsWrittenAtTheWeeksCloseWhichIsItsLastMillisecond() {
        long lastHour = NEXT_MONDAY - HOUR;
        VmDriver d = new VmDriver(Fixtures.defaults());
        d.feedAll(running(lastHour, 50), running(NEXT_MONDAY - 1, 70));

        d.advanceTo(NEXT_MONDAY - 2);

        assertThat(d.evaluated()).hasSize(1);
        assertThat(d.hours()).isEmpty();

        d.advanceTo(NEXT_MONDAY - 1);

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(withMemory(hour(lastHour, 2, 0), 2, 60.0, 70.0));
        assertThat(d.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(week(MONDAY, 60.0, 70.0, 1, 2, false));
    }

    @Test
    void theOperatorClosesTheOpenHourOfAVmItForgetsOnce() {
        VmEvaluator evaluator = new VmEvaluator(Fixtures.defaults());
        VmDriver d = new VmDriver(Fixtures.defaults());
        d.feedAll(runningWithoutMemory(TUESDAY_10), runningWithoutMemory(TUESDAY_10 + 10 * MINUTE));
        d.advanceTo(TUESDAY_10 + 30 * DAY);

        assertThat(d.hours()).isEmpty();
        assertThat(evaluator.nextDeadline(d.state)).isEqualTo(Long.MAX_VALUE);

        List<HourSummary> written = new ArrayList<>();
        RuleListener out =
                new RuleListener() {
                    @Override
                    public void fired(Recommendation recommendation) {}

                    @Override
                    public void hourClosed(HourSummary hour) {
                        written.add(hour);
                    }
                };
        evaluator.closeOpenHour(d.state, VM, out);
        evaluator.closeOpenHour(d.state, VM, out);

        assertThat(written)
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(hour(TUESDAY_10, 2, 0));
        assertThat(d.state.hourStart).isEqualTo(VmState.NONE);
    }

    @Test
    void aStoppedVmsLastHourIsWrittenWhenItsInactiveSpellEnds() {
        VmDriver d = new VmDriver(Fixtures.defaults());
        long spellEnd = shanghai(2026, 6, 3, 10, 0); // three calendar months later
        d.feedAll(stopped(TUESDAY_10), stopped(TUESDAY_10 + 15 * MINUTE));

        d.advanceTo(spellEnd - 1);

        assertThat(d.hours()).isEmpty();
        assertThat(d.weeks()).isEmpty();

        d.advanceTo(spellEnd);

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(hour(TUESDAY_10, 2, 2));
        assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, spellEnd));
    }

    @Test
    void anHourAcrossAWeekBoundaryStaysOpenUntilItEndsAndIsWrittenOnce() {
        // Kolkata is UTC+05:30: its week ends at Sunday 18:30Z, inside the UTC hour 18:00Z.
        VmDriver d = new VmDriver(Fixtures.defaultsIn(KOLKATA));
        long weekStart = at(KOLKATA, 2026, 3, 2, 0, 0);
        long weekEnd = at(KOLKATA, 2026, 3, 9, 0, 0);
        long hourStart = weekEnd - 30 * MINUTE;

        d.feedAll(running(weekEnd - 20 * MINUTE, 40), running(weekEnd + 10 * MINUTE, 60));

        assertThat(d.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(week(weekStart, 40.0, 40.0, 1, 1, false));
        assertThat(d.hours()).isEmpty();

        d.feedAll(running(hourStart + HOUR, 50), running(hourStart + HOUR + BOUND + 1, 50));

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(withMemory(hour(hourStart, 2, 0), 2, 50.0, 60.0));
    }

    @Test
    void theEndOfABoundedInputWritesTheOpenHourOnceAfterThePendingSamples() {
        VmDriver d = new VmDriver(Fixtures.defaults());
        d.feedAll(running(TUESDAY_10, 50), running(TUESDAY_10 + 2 * MINUTE, 70));

        assertThat(d.state.pendingCount).isEqualTo(2);
        assertThat(d.hours()).isEmpty();

        d.end();
        d.end();

        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(withMemory(hour(TUESDAY_10, 2, 0), 2, 60.0, 70.0));
        assertThat(d.weeks()).isEmpty();
        assertThat(d.state.hourStart).isEqualTo(VmState.NONE);
        assertThat(d.state.hourSamples).isZero();
    }

    @Test
    void theEndOfABoundedInputWritesAnEarlierWeekItCouldNotCloseAsNotJudged() {
        VmDriver d = new VmDriver(ANY_COVERED_HOUR);

        d.feedAll(running(NEXT_MONDAY - MINUTE, 80), running(NEXT_MONDAY + MINUTE, 20)).end();

        assertThat(d.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(week(MONDAY, 80.0, 80.0, 1, 1, false));
        assertThat(d.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        withMemory(hour(NEXT_MONDAY - HOUR, 1, 0), 1, 80.0, 80.0),
                        withMemory(hour(NEXT_MONDAY, 1, 0), 1, 20.0, 20.0));
        assertThat(d.firings()).isEmpty();
    }

    @Test
    void aWeekInWhichTheVmWasResizedIsWrittenAsNotJudged() {
        VmDriver d = new VmDriver(ANY_COVERED_HOUR);

        d.feedAll(
                runningOf(MONDAY + DAY, 75, MEMORY_TOTAL),
                runningOf(MONDAY + 2 * DAY, 75, 2 * MEMORY_TOTAL),
                runningOf(NEXT_MONDAY + DAY, 75, 2 * MEMORY_TOTAL),
                runningOf(MONDAY_AFTER + BOUND + 1, 50, 2 * MEMORY_TOTAL));

        assertThat(d.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        week(MONDAY, 75.0, 75.0, 2, 2, false),
                        week(NEXT_MONDAY, 75.0, 75.0, 1, 1, true));
        assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, MONDAY_AFTER));
    }

    @Test
    void aWeekUnderTheMinimumOfCoveredHoursIsNotJudgedAndOneAtItIs() {
        VmDriver under = new VmDriver(Fixtures.defaults());
        under.feedAll(hourly(MONDAY, 83, 75)).advanceTo(NEXT_MONDAY - 1);
        VmDriver at = new VmDriver(Fixtures.defaults());
        at.feedAll(hourly(MONDAY, 84, 75)).advanceTo(NEXT_MONDAY - 1);

        assertThat(under.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(week(MONDAY, 75.0, 75.0, 83, 83, false));
        assertThat(under.firings()).isEmpty();
        assertThat(at.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(week(MONDAY, 75.0, 75.0, 84, 84, true));
        assertThat(at.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MONDAY));
    }

    @Test
    void aWeekIsJudgedWhenOneEnabledWeeklyRuleHasItsCoveredHours() {
        RuleSet underuseOnly =
                Fixtures.parse(
                        """
                        version: "underuse-only"
                        rules:
                          scale-up.memory.weekly-average: {enabled: false, min-covered-hours: 0}
                          reduce.memory.weekly-underuse: {min-covered-hours: 2}
                        """);
        RuleSet neither =
                Fixtures.parse(
                        """
                        version: "neither"
                        rules:
                          scale-up.memory.weekly-average: {enabled: false, min-covered-hours: 0}
                          reduce.memory.weekly-underuse: {enabled: false, min-covered-hours: 0}
                        """);

        assertThat(closedWeek(underuseOnly, 1).judged).isFalse();
        assertThat(closedWeek(underuseOnly, 2).judged).isTrue();
        assertThat(closedWeek(neither, 168).judged).isFalse();
    }

    static WeekSummary closedWeek(RuleSet rules, int hours) {
        VmDriver d = new VmDriver(rules);
        d.feedAll(hourly(MONDAY, hours, 75)).advanceTo(NEXT_MONDAY - 1);
        assertThat(d.weeks()).hasSize(1);
        return d.weeks().get(0);
    }

    @Test
    void theWeeksAverageIsExactlyTheOneItsRecommendationCarries() {
        VmDriver d = new VmDriver(Fixtures.defaults());
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 168; i++) {
            // Percentages that are not exact binary fractions, so the sum rounds.
            samples.add(
                    runningBytes(
                            VM,
                            MONDAY + i * HOUR,
                            700_000_001L + 7_777_777L * (i % 13),
                            999_999_937L));
        }
        d.feedAll(samples).advanceTo(NEXT_MONDAY - 1);

        assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MONDAY));
        Recommendation r = d.recommendations().get(0);
        assertThat(d.weeks()).hasSize(1);
        WeekSummary w = d.weeks().get(0);
        assertThat(w.averagePct).isEqualTo(r.getEvidence().getWeeklyAveragePct());
        assertThat(w.peakPct).isEqualTo(r.getEvidence().getWeeklyPeakPct());
        assertThat(w.coveredHours).isEqualTo(r.getEvidence().getCoveredHours());
        assertThat(w.samples).isEqualTo((long) r.getEvidence().getSampleCount());
        assertThat(w.judged).isTrue();
    }

    @Test
    void theHoursMaximaAreThePercentagesTheRulesSaw() {
        VmDriver d = new VmDriver(Fixtures.defaults());
        Sample odd = runningBytes(VM, TUESDAY_10, 987_654_321L, 999_999_937L);
        odd.storageUsedBytes = 712_345_679L;
        odd.storageTotalBytes = 1_000_000_007L;

        d.feedAll(odd).end();

        Recommendation storage = d.recommendations().get(0);
        assertThat(d.firings()).containsExactly(firing(Rule.STORAGE_USAGE, TUESDAY_10));
        assertThat(d.hours().get(0).storageMaxPct).isEqualTo(storage.getEvidence().getStoragePct());
        assertThat(d.hours().get(0).memoryMaxPct).isEqualTo(Percent.of(987_654_321L, 999_999_937L));
        assertThat(d.hours().get(0).memoryMeanPct)
                .isEqualTo(Percent.of(987_654_321L, 999_999_937L));
    }

    @Test
    void samplesOutOfOrderWithinTheBoundAreSummarizedInTimestampOrder() {
        Sample first = running(TUESDAY_10, 50);
        Sample peak1 = running(TUESDAY_10 + 2 * MINUTE, 90);
        Sample dip = running(TUESDAY_10 + 4 * MINUTE, 50);
        Sample peak2 = runningOf(TUESDAY_10 + 6 * MINUTE, 90, 2 * MEMORY_TOTAL);
        Sample nextHour = running(NEXT_HOUR, 50);
        Sample closer = running(NEXT_HOUR + BOUND + 1, 50);
        VmDriver inOrder = new VmDriver(Fixtures.defaults());
        inOrder.feedAll(first, peak1, dip, peak2, nextHour, closer);
        VmDriver shuffled = new VmDriver(Fixtures.defaults());
        shuffled.feedAll(first, dip, peak2, peak1, nextHour, closer);

        assertThat(shuffled.admissions()).containsOnly(Admission.ACCEPTED);
        HourSummary expected = withPeakStarts(withMemory(hour(TUESDAY_10, 4, 0), 4, 70.0, 90.0), 2);
        expected.memoryTotalBytes = 2 * MEMORY_TOTAL;
        assertThat(shuffled.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(expected);
        assertThat(inOrder.hours())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(expected);
    }

    @Test
    void everyEvaluatedSampleIsInExactlyOneHourWrittenOnceInHourOrderWhateverTheArrivalOrder() {
        Random random = new Random(26);
        long silentFrom = MONDAY + 3 * DAY;
        long silentUntil = MONDAY + 4 * DAY + 30 * MINUTE;
        List<Sample> series = new ArrayList<>();
        for (long t = MONDAY; t < MONDAY + 10 * DAY; t += 2 * MINUTE + random.nextInt(60_000)) {
            if (t >= silentFrom && t < silentUntil) {
                continue;
            }
            int kind = random.nextInt(10);
            series.add(
                    kind == 0
                            ? stopped(t)
                            : kind == 1
                                    ? runningWithoutMemory(t)
                                    : withStorage(
                                            running(t, random.nextInt(1001) / 10.0),
                                            random.nextInt(1001) / 10.0));
        }
        // Neighbours are at most 3 minutes apart, so swapping them stays within the bound.
        List<Sample> arrival = new ArrayList<>(series);
        for (int i = 0; i + 1 < arrival.size(); i++) {
            if (random.nextInt(3) == 0) {
                Collections.swap(arrival, i, i + 1);
                i++;
            }
        }
        VmDriver inOrder = new VmDriver(Fixtures.defaults());
        inOrder.feedAll(series).end();
        VmDriver shuffled = new VmDriver(Fixtures.defaults());
        shuffled.feedAll(arrival).end();

        assertThat(arrival).isNotEqualTo(series);
        assertThat(shuffled.admissions()).containsOnly(Admission.ACCEPTED);
        assertThat(shuffled.hours().stream().map(VmHistoryTest::fields).toList())
                .containsExactlyElementsOf(
                        inOrder.hours().stream().map(VmHistoryTest::fields).toList());
        assertThat(shuffled.weeks())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(inOrder.weeks());

        Map<Long, Long> samplesPerHour =
                series.stream()
                        .collect(
                                Collectors.groupingBy(
                                        x -> Math.floorDiv(x.timestamp, HOUR) * HOUR,
                                        TreeMap::new,
                                        Collectors.counting()));
        assertThat(inOrder.hours().stream().map(h -> h.hourStart).toList())
                .containsExactlyElementsOf(samplesPerHour.keySet());
        assertThat(inOrder.hours().stream().map(h -> (long) h.samples).toList())
                .containsExactlyElementsOf(samplesPerHour.values());

        List<Sample> countedInFirstWeek =
                series.stream()
                        .filter(x -> !x.stopped && x.hasMemory() && x.timestamp < NEXT_MONDAY)
                        .toList();
        long coveredHours =
                countedInFirstWeek.stream()
                        .map(x -> Math.floorDiv(x.timestamp, HOUR))
                        .distinct()
                        .count();
        assertThat(inOrder.weeks()).hasSize(1);
        WeekSummary first = inOrder.weeks().get(0);
        assertThat(first.weekStart).isEqualTo(MONDAY);
        assertThat(first.samples).isEqualTo(countedInFirstWeek.size());
        assertThat((long) first.coveredHours).isEqualTo(coveredHours);
        assertThat(first.judged).isTrue();
    }
}
