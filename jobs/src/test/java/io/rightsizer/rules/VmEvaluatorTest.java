package io.rightsizer.rules;

import static io.rightsizer.rules.Firing.firing;
import static io.rightsizer.rules.Fixtures.BERLIN;
import static io.rightsizer.rules.Fixtures.BOUND;
import static io.rightsizer.rules.Fixtures.DAY;
import static io.rightsizer.rules.Fixtures.HOUR;
import static io.rightsizer.rules.Fixtures.KOLKATA;
import static io.rightsizer.rules.Fixtures.MEMORY_TOTAL;
import static io.rightsizer.rules.Fixtures.MINUTE;
import static io.rightsizer.rules.Fixtures.NEW_YORK;
import static io.rightsizer.rules.Fixtures.STORAGE_TOTAL;
import static io.rightsizer.rules.Fixtures.SYSTEM;
import static io.rightsizer.rules.Fixtures.UNIT;
import static io.rightsizer.rules.Fixtures.VM;
import static io.rightsizer.rules.Fixtures.at;
import static io.rightsizer.rules.Fixtures.bytesOf;
import static io.rightsizer.rules.Fixtures.copy;
import static io.rightsizer.rules.Fixtures.defaults;
import static io.rightsizer.rules.Fixtures.defaultsIn;
import static io.rightsizer.rules.Fixtures.instant;
import static io.rightsizer.rules.Fixtures.parse;
import static io.rightsizer.rules.Fixtures.raisingWatermarkTo;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.runningAtCpu;
import static io.rightsizer.rules.Fixtures.runningBytes;
import static io.rightsizer.rules.Fixtures.runningWithoutCpu;
import static io.rightsizer.rules.Fixtures.runningWithoutMemory;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.rules.Fixtures.stopped;
import static io.rightsizer.rules.Fixtures.withStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.VmDriver.Suppression;
import io.rightsizer.rules.sizing.Catalog;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.Evidence;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.Resource;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The five per-VM rules of Article 26 at their edges, as rules/README.md defines them. */
class VmEvaluatorTest {

    // A week in Asia/Shanghai (UTC+8, no daylight saving): Monday 2 March 2026 00:00 +08:00.
    static final long MON_0000 = shanghai(2026, 3, 2, 0, 0);
    static final long TUE_1000 = shanghai(2026, 3, 3, 10, 0);
    static final long WED_1200 = shanghai(2026, 3, 4, 12, 0);
    static final long NEXT_MON_0000 = shanghai(2026, 3, 9, 0, 0);
    static final long SUN_2359_59_999 = NEXT_MON_0000 - 1;
    static final long MON_AFTER_NEXT_0000 = shanghai(2026, 3, 16, 0, 0);

    // Inactive spells in Asia/Shanghai.
    static final long NOV30_2025_1000 = shanghai(2025, 11, 30, 10, 0);
    static final long FEB28_2026_1000 = shanghai(2026, 2, 28, 10, 0);
    static final long NOV30_2027_1000 = shanghai(2027, 11, 30, 10, 0);
    static final long FEB29_2028_1000 = shanghai(2028, 2, 29, 10, 0);
    static final long JAN31_2026_1000 = shanghai(2026, 1, 31, 10, 0);
    static final long APR30_2026_1000 = shanghai(2026, 4, 30, 10, 0);

    static final String WEEKLY_AVERAGE = Rule.WEEKLY_AVERAGE.id();

    // ---------------------------------------------------------------- helpers

    static VmDriver driver() {
        return new VmDriver(defaults());
    }

    /** An active, counted sample that no rule fires on: 50 % memory, busy CPU, no storage. */
    static Sample neutral(long ts) {
        return running(ts, 50);
    }

    /** One RUNNING sample per hour, from {@code start}, all at {@code memPct}. */
    static List<Sample> hourly(long start, int hours, double memPct) {
        List<Sample> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            out.add(running(start + h * HOUR, memPct));
        }
        return out;
    }

    /** One RUNNING sample per hour, alternating between {@code even} and {@code odd}. */
    static List<Sample> hourlyAlternating(long start, int hours, double even, double odd) {
        List<Sample> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            out.add(running(start + h * HOUR, h % 2 == 0 ? even : odd));
        }
        return out;
    }

    /** Raises the watermark to exactly {@code weekEnd − 1 ms} with a sample of the next week. */
    static void closeWeek(VmDriver d, long weekEnd) {
        d.feed(neutral(raisingWatermarkTo(weekEnd - 1)));
        assertThat(d.watermark()).isEqualTo(weekEnd - 1);
    }

    static Sample stoppedWithMemory(long ts, double memPct) {
        Sample s = stopped(ts);
        s.memoryUsedBytes = bytesOf(memPct, MEMORY_TOTAL);
        s.memoryTotalBytes = MEMORY_TOTAL;
        return s;
    }

    static Sample storage(Sample s, double pct) {
        return withStorage(s, pct);
    }

    static Recommendation only(VmDriver d) {
        assertThat(d.recommendations()).hasSize(1);
        return d.recommendations().get(0);
    }

    // ---------------------------------------------------------------- weekly average

    @Nested
    class WeeklyAverage {
        @Test
        void averageOfExactly70DoesNotFire() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 70));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.evaluated()).hasSize(84);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void averageJustAbove70Fires() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 70.0000001));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            Evidence ev = only(d).getEvidence();
            assertThat(ev.getWeekStart()).isEqualTo(instant(MON_0000));
            assertThat(ev.getWeekEnd()).isEqualTo(instant(NEXT_MON_0000));
            assertThat(ev.getCoveredHours()).isEqualTo(84);
            assertThat(ev.getSampleCount()).isEqualTo(84L);
            assertThat(ev.getWeeklyAveragePct())
                    .isGreaterThan(70.0)
                    .isCloseTo(70.0000001, within(1e-9));
            assertThat(ev.getWeeklyPeakPct()).isEqualTo(100.0 * 700_000_001L / MEMORY_TOTAL);
        }

        @Test
        void meanOfMixedSamplesExactly70DoesNotFire() {
            VmDriver d = driver();
            d.feedAll(hourlyAlternating(MON_0000, 84, 69, 71));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void meanOfMixedSamplesJustAbove70Fires() {
            VmDriver d = driver();
            d.feedAll(hourlyAlternating(MON_0000, 84, 69, 71.0000002));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getWeeklyPeakPct()).isEqualTo(71.0000002);
        }

        /**
         * Memory byte counts (of {@link Fixtures#MEMORY_TOTAL}) whose exact mean is 70 %. Summed
         * naively in this order the percentages average 70.00000000000001; with Neumaier
         * compensation, as the README requires, exactly 70.0.
         */
        static final long[] USED_MEAN_EXACTLY_70 = {
            462724864L, 717966699L, 752553498L, 734057925L, 411352783L, 663319808L,
            504767332L, 768533386L, 574749835L, 631466614L, 682064771L, 870123134L,
            612627585L, 973329158L, 892709903L, 825250165L, 517639697L, 619374147L,
            603625894L, 659984671L, 848371509L, 418533349L, 609705790L, 866849153L,
            787372415L, 641833236L, 661521158L, 529876866L, 516994115L, 933625561L,
            833172911L, 863449641L, 533150847L, 781174502L, 757411821L, 431209201L,
            738478842L, 736680192L, 507290097L, 804242166L, 448036595L, 777365251L,
            595757834L, 800524028L, 968790799L, 551628491L, 566827089L, 722610584L,
            790294210L, 599475972L, 970157703L, 882360303L, 951963405L, 740015329L,
            895232668L, 981466651L, 988647217L, 929323848L, 426670842L, 535270230L,
            429842297L, 536550359L, 766786708L, 633213292L, 682033301L, 677389416L,
            603915980L, 405734392L, 717935229L, 780625853L, 466374439L, 470676152L,
            994265608L, 665942075L, 647446502L, 618825498L, 758166764L, 796374106L,
            796084020L, 642588179L, 864729770L, 937275136L, 622634749L, 883005885L,
        };

        @Test
        void compensatedMeanOfExactly70DoesNotFire() {
            VmDriver d = driver();
            for (int h = 0; h < USED_MEAN_EXACTLY_70.length; h++) {
                d.feed(
                        runningBytes(
                                VM, MON_0000 + h * HOUR, USED_MEAN_EXACTLY_70[h], MEMORY_TOTAL));
            }
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.evaluated()).hasSize(84);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void eightyThreeCoveredHoursDoNotFire() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void eightyFourCoveredHoursFire() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
        }

        @Test
        void severalSamplesInOneClockHourCoverOneHour() {
            VmDriver d = driver();
            List<Sample> samples = new ArrayList<>();
            for (int h = 0; h < 83; h++) {
                samples.add(running(MON_0000 + h * HOUR, 75));
                samples.add(running(MON_0000 + h * HOUR + 30 * MINUTE, 75));
                samples.add(running(MON_0000 + h * HOUR + HOUR - 1, 75));
            }
            d.feedAll(samples);
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.evaluated()).hasSize(3 * 83);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void coveredHoursAreUtcClockHoursNotLocalOnes() {
            // Asia/Kolkata is UTC+05:30: local 00:10 and 00:40 are 18:40Z and 19:10Z, two UTC
            // hours within one local hour. 42 local hours, 84 UTC hours.
            long monday = at(KOLKATA, 2026, 3, 2, 0, 0);
            VmDriver d = new VmDriver(defaultsIn(KOLKATA));
            for (int h = 0; h < 84; h += 2) {
                d.feed(running(monday + h * HOUR + 10 * MINUTE, 75));
                d.feed(running(monday + h * HOUR + 40 * MINUTE, 75));
            }
            long nextMonday = at(KOLKATA, 2026, 3, 9, 0, 0);
            closeWeek(d, nextMonday);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, nextMonday));
            assertThat(only(d).getEvidence().getCoveredHours()).isEqualTo(84);
        }

        @Test
        void stoppedSamplesWithMemoryReadingsAreNotCounted() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 70));
            for (int h = 90; h < 100; h++) {
                d.feed(stoppedWithMemory(MON_0000 + h * HOUR, 100));
            }
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void runningSamplesWithoutMemoryAreNotCounted() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 75));
            d.feed(runningWithoutMemory(MON_0000 + 100 * HOUR));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void firesOncePerWeekForEachQualifyingWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 75));
            d.feedAll(hourly(NEXT_MON_0000, 84, 75));
            closeWeek(d, MON_AFTER_NEXT_0000);

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000),
                            firing(Rule.WEEKLY_AVERAGE, MON_AFTER_NEXT_0000));
            assertThat(d.recommendations().get(1).getEvidence().getWeekStart())
                    .isEqualTo(instant(NEXT_MON_0000));
        }

        @Test
        void weekStartIsMondayMidnightEvenWhenTheFirstSampleIsMidWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(WED_1200, 84, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getWeekStart()).isEqualTo(instant(MON_0000));
        }

        @Test
        void disabledRuleDoesNotFire() {
            RuleSet rules =
                    Fixtures.parse(
                            """
                            version: t
                            rules:
                              scale-up.memory.weekly-average:
                                enabled: false
                            """);
            VmDriver d = new VmDriver(rules);
            d.feedAll(hourly(MON_0000, 84, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- weekly underuse

    @Nested
    class WeeklyUnderuse {
        @Test
        void averageExactly30AndPeakExactly50Fire() {
            VmDriver d = driver();
            d.feedAll(hourlyAlternating(MON_0000, 84, 50, 10));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_UNDERUSE, NEXT_MON_0000));
            Evidence ev = only(d).getEvidence();
            assertThat(ev.getWeeklyAveragePct()).isEqualTo(30.0);
            assertThat(ev.getWeeklyPeakPct()).isEqualTo(50.0);
            assertThat(ev.getCoveredHours()).isEqualTo(84);
            assertThat(ev.getSampleCount()).isEqualTo(84L);
            assertThat(ev.getWeekStart()).isEqualTo(instant(MON_0000));
            assertThat(ev.getWeekEnd()).isEqualTo(instant(NEXT_MON_0000));
            assertThat(only(d).getAction()).isEqualTo(Action.SCALE_DOWN);
            assertThat(only(d).getResource()).isEqualTo(Resource.MEMORY);
        }

        @Test
        void averageJustAbove30DoesNotFire() {
            VmDriver d = driver();
            d.feedAll(hourlyAlternating(MON_0000, 84, 50, 10.0000002));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void peakJustAbove50DoesNotFire() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 10));
            d.feed(running(MON_0000 + 83 * HOUR, 50.0000001));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void peakExactly50WithLowAverageFires() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 10));
            d.feed(running(MON_0000 + 83 * HOUR, 50));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_UNDERUSE, NEXT_MON_0000));
        }

        @Test
        void eightyThreeCoveredHoursDoNotFire() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 20));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void eightyFourCoveredHoursFire() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 20));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_UNDERUSE, NEXT_MON_0000));
        }

        @Test
        void weekWithoutCountedSamplesIsNotJudgedEvenWithoutCoverageRequirement() {
            RuleSet rules =
                    Fixtures.parse(
                            """
                            version: t
                            rules:
                              scale-up.memory.weekly-average:
                                min-covered-hours: 0
                              reduce.memory.weekly-underuse:
                                min-covered-hours: 0
                            """);
            VmDriver d = new VmDriver(rules);
            for (int h = 0; h < 168; h += 6) {
                d.feed(
                        h % 12 == 0
                                ? stopped(MON_0000 + h * HOUR)
                                : runningWithoutMemory(MON_0000 + h * HOUR));
            }
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- week boundaries

    @Nested
    class WeekBoundaries {
        @Test
        void sampleAtSunday235959999BelongsToTheEndingWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 75));
            d.feed(running(SUN_2359_59_999, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getCoveredHours()).isEqualTo(84);
            assertThat(only(d).getEvidence().getSampleCount()).isEqualTo(84L);
        }

        @Test
        void sampleAtMonday0000BelongsToTheNewWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 75));
            d.feed(running(NEXT_MON_0000, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void mondaySampleIsCountedInTheNewWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 75));
            // The new week's first hour is covered by the sample at exactly Monday 00:00.
            d.feedAll(hourly(NEXT_MON_0000, 84, 75));
            closeWeek(d, MON_AFTER_NEXT_0000);

            assertThat(d.recommendations())
                    .extracting(r -> r.getEvidence().getSampleCount())
                    .containsExactly(84L, 84L);
        }

        @Test
        void weekIsNotClosedWhileWatermarkIsBelowWeekEndMinusOne() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 75));
            d.feed(neutral(raisingWatermarkTo(NEXT_MON_0000 - 2)));

            assertThat(d.watermark()).isEqualTo(NEXT_MON_0000 - 2);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void weekIsClosedOnceWatermarkReachesWeekEndMinusOne() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 75));
            d.feed(running(SUN_2359_59_999, 75));
            d.feed(neutral(raisingWatermarkTo(NEXT_MON_0000 - 2)));
            assertThat(d.firings()).isEmpty();

            d.feed(neutral(raisingWatermarkTo(NEXT_MON_0000 - 1)));

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getSampleCount()).isEqualTo(84L);
        }

        @Test
        void sundaySampleArrivingAfterAMondaySampleWithinTheBoundStillCountsForItsWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 83, 75));
            d.feed(running(NEXT_MON_0000 + MINUTE, 75));

            assertThat(d.feed(running(SUN_2359_59_999, 75))).isEqualTo(Admission.ACCEPTED);
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getCoveredHours()).isEqualTo(84);
        }

        @Test
        void weekBeginsAtMondayMidnightInTheZoneNotInUtc() {
            // Monday 00:00 +08:00 is Sunday 16:00 UTC: a sample at Sunday 20:00 UTC is Monday.
            VmDriver d = driver();
            d.feed(running(MON_0000 + 4 * HOUR, 75));
            d.feedAll(hourly(MON_0000 + 5 * HOUR, 83, 75));
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getWeekStart())
                    .isEqualTo(
                            OffsetDateTime.of(2026, 3, 1, 16, 0, 0, 0, ZoneOffset.UTC).toInstant());
        }
    }

    // ---------------------------------------------------------------- hourly peaks

    @Nested
    class HourlyPeaks {
        static final long P = TUE_1000;

        @Test
        void threePeakStartsWithin59MinutesFire() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 90),
                    running(P + 30 * MINUTE, 50),
                    running(P + 59 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 59 * MINUTE));
            Evidence ev = only(d).getEvidence();
            assertThat(ev.getPeakStarts())
                    .containsExactly(
                            instant(P), instant(P + 20 * MINUTE), instant(P + 59 * MINUTE));
            assertThat(ev.getMemoryPct()).isEqualTo(90.0);
        }

        @Test
        void startExactly60MinutesBeforeDoesNotCount() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 90),
                    running(P + 30 * MINUTE, 50),
                    running(P + 60 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void windowSlidesToTheNextStart() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 90),
                    running(P + 30 * MINUTE, 50),
                    running(P + 60 * MINUTE, 90),
                    running(P + 65 * MINUTE, 50),
                    running(P + 70 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 70 * MINUTE));
            assertThat(only(d).getEvidence().getPeakStarts())
                    .containsExactly(
                            instant(P + 20 * MINUTE),
                            instant(P + 60 * MINUTE),
                            instant(P + 70 * MINUTE));
        }

        @Test
        void memoryExactlyAtThresholdIsNotAPeakAndEndsOne() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 80),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 80),
                    running(P + 30 * MINUTE, 50),
                    running(P + 40 * MINUTE, 80),
                    // three real starts, separated by samples at exactly 80 %
                    running(P + 50 * MINUTE, 90),
                    running(P + 52 * MINUTE, 80),
                    running(P + 54 * MINUTE, 90),
                    running(P + 56 * MINUTE, 80),
                    running(P + 58 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 58 * MINUTE));
            assertThat(only(d).getEvidence().getPeakStarts())
                    .containsExactly(
                            instant(P + 50 * MINUTE),
                            instant(P + 54 * MINUTE),
                            instant(P + 58 * MINUTE));
        }

        @Test
        void memoryJustAboveThresholdIsAPeak() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 80.0000001),
                    running(P + 10 * MINUTE, 80),
                    running(P + 20 * MINUTE, 80.0000001),
                    running(P + 30 * MINUTE, 80),
                    running(P + 40 * MINUTE, 80.0000001));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 40 * MINUTE));
        }

        @Test
        void stoppedSampleEndsAPeak() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    stopped(P + 10 * MINUTE),
                    running(P + 20 * MINUTE, 90),
                    stopped(P + 30 * MINUTE),
                    running(P + 40 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 40 * MINUTE));
            assertThat(only(d).getEvidence().getPeakStarts())
                    .containsExactly(
                            instant(P), instant(P + 20 * MINUTE), instant(P + 40 * MINUTE));
        }

        @Test
        void runningSamplesWithoutMemoryDoNotEndAPeak() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    runningWithoutMemory(P + 10 * MINUTE),
                    running(P + 20 * MINUTE, 90),
                    runningWithoutMemory(P + 30 * MINUTE),
                    running(P + 40 * MINUTE, 90),
                    running(P + 45 * MINUTE, 50),
                    running(P + 50 * MINUTE, 90),
                    running(P + 52 * MINUTE, 50),
                    running(P + 55 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 55 * MINUTE));
            assertThat(only(d).getEvidence().getPeakStarts())
                    .containsExactly(
                            instant(P), instant(P + 50 * MINUTE), instant(P + 55 * MINUTE));
        }

        @Test
        void gapInTheDataDoesNotEndAPeak() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 90),
                    // nothing for 30 minutes, then still above the threshold
                    running(P + 50 * MINUTE, 90),
                    running(P + 55 * MINUTE, 50),
                    running(P + 58 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 58 * MINUTE));
            assertThat(only(d).getEvidence().getPeakStarts())
                    .containsExactly(
                            instant(P), instant(P + 20 * MINUTE), instant(P + 58 * MINUTE));
        }

        @Test
        void dipBetweenSamplesStartsANewPeak() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 90),
                    running(P + 40 * MINUTE, 50),
                    running(P + 50 * MINUTE, 90));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, P + 50 * MINUTE));
        }

        @Test
        void peakContinuingAfterADaysLongGapIsNotANewStart() {
            VmDriver d = driver();
            d.feedAll(
                    running(P, 90),
                    running(P + 10 * MINUTE, 50),
                    running(P + 20 * MINUTE, 90),
                    running(P + 2 * DAY, 90),
                    running(P + 2 * DAY + 10 * MINUTE, 50),
                    running(P + 2 * DAY + 20 * MINUTE, 90),
                    running(P + 2 * DAY + 30 * MINUTE, 50),
                    running(P + 2 * DAY + 40 * MINUTE, 90),
                    running(P + 2 * DAY + 50 * MINUTE, 50),
                    running(P + 2 * DAY + 55 * MINUTE, 90));
            d.end();

            assertThat(d.firings())
                    .containsExactly(firing(Rule.HOURLY_PEAKS, P + 2 * DAY + 55 * MINUTE));
            assertThat(only(d).getEvidence().getPeakStarts())
                    .containsExactly(
                            instant(P + 2 * DAY + 20 * MINUTE),
                            instant(P + 2 * DAY + 40 * MINUTE),
                            instant(P + 2 * DAY + 55 * MINUTE));
        }

        /** {@code count} peak starts 40 s apart (above, then back to 50 % 20 s later). */
        List<Sample> rapidStarts(int count) {
            List<Sample> out = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                out.add(running(P + k * 40 * Fixtures.SECOND, 90));
                out.add(running(P + k * 40 * Fixtures.SECOND + 20 * Fixtures.SECOND, 50));
            }
            return out;
        }

        RuleSet minPeaks(int n) {
            return Fixtures.parse(
                    "version: t\nrules:\n  scale-up.memory.hourly-peaks:\n    min-peaks: "
                            + n
                            + "\n");
        }

        @Test
        void sixtyFourStartsInTheSpanFireWithMinPeaks64() {
            VmDriver d = new VmDriver(minPeaks(64));
            d.feedAll(rapidStarts(64));
            d.end();

            long t64 = P + 63 * 40 * Fixtures.SECOND;
            assertThat(d.firings()).containsExactly(firing(Rule.HOURLY_PEAKS, t64));
        }

        @Test
        void evidenceListsAtMost64PeakStartsTheLatestOnes() {
            RuleSet rules =
                    Fixtures.parse(
                            """
                            version: t
                            rules:
                              scale-up.memory.hourly-peaks:
                                cooldown: 0ms
                            """);
            VmDriver d = new VmDriver(rules);
            d.feedAll(rapidStarts(70));
            d.end();

            assertThat(d.recommendations()).hasSize(68);
            List<java.time.Instant> last =
                    d.recommendations().get(67).getEvidence().getPeakStarts();
            assertThat(last).hasSize(64);
            assertThat(last.get(63)).isEqualTo(instant(P + 69 * 40 * Fixtures.SECOND));
            assertThat(last.get(0)).isEqualTo(instant(P + 6 * 40 * Fixtures.SECOND));
        }
    }

    // ---------------------------------------------------------------- cooldowns

    @Nested
    class Cooldown {
        static final long B = TUE_1000;

        /** Three peak starts 20 minutes apart; the third, at {@code start + 40 min}, fires. */
        static List<Sample> burst(long start) {
            return List.of(
                    running(start, 90),
                    running(start + 10 * MINUTE, 50),
                    running(start + 20 * MINUTE, 90),
                    running(start + 30 * MINUTE, 50),
                    running(start + 40 * MINUTE, 90),
                    running(start + 50 * MINUTE, 50));
        }

        @Test
        void peaksFireAgainExactlySevenDaysAfterThePreviousFiring() {
            VmDriver d = driver();
            d.feedAll(burst(B));
            d.feedAll(burst(B + 7 * DAY));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.HOURLY_PEAKS, B + 40 * MINUTE),
                            firing(Rule.HOURLY_PEAKS, B + 7 * DAY + 40 * MINUTE));
            assertThat(d.suppressions()).isEmpty();
        }

        @Test
        void peaksOneMillisecondShortOfSevenDaysAreSuppressedAndDoNotRestartTheCooldown() {
            VmDriver d = driver();
            d.feedAll(burst(B));
            d.feedAll(burst(B + 7 * DAY - 1));
            d.feedAll(burst(B + 7 * DAY + 2 * HOUR));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.HOURLY_PEAKS, B + 40 * MINUTE),
                            firing(Rule.HOURLY_PEAKS, B + 7 * DAY + 2 * HOUR + 40 * MINUTE));
            assertThat(d.suppressions())
                    .containsExactly(
                            new Suppression(Rule.HOURLY_PEAKS, B + 7 * DAY - 1 + 40 * MINUTE));
        }

        @Test
        void storageFiresAgainExactlySevenDaysLater() {
            VmDriver d = driver();
            d.feedAll(storage(neutral(B), 85), storage(neutral(B + 7 * DAY), 85));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.STORAGE_USAGE, B), firing(Rule.STORAGE_USAGE, B + 7 * DAY));
            assertThat(d.suppressions()).isEmpty();
        }

        @Test
        void storageOneMillisecondShortOfSevenDaysIsSuppressedAndDoesNotRestartTheCooldown() {
            VmDriver d = driver();
            d.feedAll(
                    storage(neutral(B), 85),
                    storage(neutral(B + HOUR), 85),
                    storage(neutral(B + 7 * DAY - 1), 85),
                    storage(neutral(B + 7 * DAY), 85));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.STORAGE_USAGE, B), firing(Rule.STORAGE_USAGE, B + 7 * DAY));
            assertThat(d.suppressions())
                    .containsExactly(
                            new Suppression(Rule.STORAGE_USAGE, B + HOUR),
                            new Suppression(Rule.STORAGE_USAGE, B + 7 * DAY - 1));
        }

        @Test
        void cooldownsOfPeaksAndStorageAreIndependent() {
            VmDriver d = driver();
            List<Sample> burst = new ArrayList<>(burst(B));
            burst.set(4, storage(running(B + 40 * MINUTE, 90), 85));
            d.feedAll(burst);
            d.feed(storage(neutral(B + 2 * HOUR), 85));
            d.end();

            assertThat(d.firings())
                    .containsExactlyInAnyOrder(
                            firing(Rule.HOURLY_PEAKS, B + 40 * MINUTE),
                            firing(Rule.STORAGE_USAGE, B + 40 * MINUTE));
            assertThat(d.suppressions())
                    .containsExactly(new Suppression(Rule.STORAGE_USAGE, B + 2 * HOUR));
        }
    }

    // ---------------------------------------------------------------- storage

    @Nested
    class StorageUsage {
        static final long T = TUE_1000;

        @Test
        void storageAbove70OnAStoppedSampleFires() {
            VmDriver d = driver();
            d.feed(storage(stopped(T), 70.0000001));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.STORAGE_USAGE, T));
            assertThat(only(d).getEvidence().getStoragePct()).isEqualTo(70.0000001);
        }

        @Test
        void storageExactly70DoesNotFire() {
            VmDriver d = driver();
            d.feedAll(storage(stopped(T), 70), storage(neutral(T + HOUR), 70));
            d.end();

            assertThat(d.evaluated()).hasSize(2);
            assertThat(d.firings()).isEmpty();
            assertThat(d.suppressions()).isEmpty();
        }

        @Test
        void storageAbove70OnARunningSampleFiresWithAFullRecommendation() {
            VmDriver d = driver();
            d.feed(storage(neutral(T), 85));
            d.end();

            Recommendation r = only(d);
            assertThat(r.getRuleId()).isEqualTo("scale-up.storage.usage");
            assertThat(r.getRegulation()).isEqualTo("Article 26(1)3");
            assertThat(r.getAction()).isEqualTo(Action.SCALE_UP);
            assertThat(r.getResource()).isEqualTo(Resource.STORAGE);
            assertThat(r.getVmId()).isEqualTo(VM);
            assertThat(r.getSystemId()).isEqualTo(SYSTEM);
            assertThat(r.getUnitId()).isEqualTo(UNIT);
            assertThat(r.getRuleSetVersion()).isEqualTo("test");
            assertThat(r.getFiredAt()).isEqualTo(instant(T));
            assertThat(r.getEvidence().getStoragePct()).isEqualTo(85.0);
            assertThat(r.getStorageTotalBytes()).isEqualTo(STORAGE_TOTAL);
            assertThat(r.getMemoryTotalBytes()).isEqualTo(MEMORY_TOTAL);
            assertThat(r.getRecommendationId())
                    .isEqualTo(Recommendations.id(Rule.STORAGE_USAGE, VM, T));
        }

        @Test
        void withoutCooldownEverySampleAboveTheThresholdFires() {
            RuleSet rules =
                    Fixtures.parse(
                            """
                            version: t
                            rules:
                              scale-up.storage.usage:
                                cooldown: 0ms
                            """);
            VmDriver d = new VmDriver(rules);
            d.feedAll(
                    storage(neutral(T), 75),
                    storage(neutral(T + MINUTE), 60),
                    storage(stopped(T + 2 * MINUTE), 75),
                    storage(neutral(T + 3 * MINUTE), 75));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.STORAGE_USAGE, T),
                            firing(Rule.STORAGE_USAGE, T + 2 * MINUTE),
                            firing(Rule.STORAGE_USAGE, T + 3 * MINUTE));
        }

        @Test
        void onlyOneOfTheStorageFieldsDoesNotFire() {
            VmDriver d = driver();
            Sample usedOnly = neutral(T);
            usedOnly.storageUsedBytes = STORAGE_TOTAL;
            d.feed(usedOnly);
            d.end();

            assertThat(d.evaluated()).hasSize(1);
            assertThat(d.firings()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- inactive

    @Nested
    class Inactive {
        @Test
        void firesAtExactlySpellStartPlusThreeMonthsNov30ToFeb28() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000 - 1)));
            assertThat(d.firings()).isEmpty();

            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, FEB28_2026_1000));
            Recommendation r = only(d);
            assertThat(r.getEvidence().getInactiveSince()).isEqualTo(instant(NOV30_2025_1000));
            assertThat(r.getAction()).isEqualTo(Action.RECLAIM);
            assertThat(r.getResource()).isEqualTo(Resource.VM);
            assertThat(r.getVmId()).isEqualTo(VM);
        }

        @Test
        void nov30PlusThreeMonthsIsFeb29InALeapYear() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2027_1000));
            d.feed(stopped(raisingWatermarkTo(FEB29_2028_1000 - 1)));
            assertThat(d.firings()).isEmpty();

            d.feed(stopped(raisingWatermarkTo(FEB29_2028_1000)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, FEB29_2028_1000));
        }

        @Test
        void jan31PlusThreeMonthsIsApr30() {
            VmDriver d = driver();
            d.feed(stopped(JAN31_2026_1000));
            d.feed(stopped(raisingWatermarkTo(APR30_2026_1000 - 1)));
            assertThat(d.firings()).isEmpty();

            d.feed(stopped(raisingWatermarkTo(APR30_2026_1000)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, APR30_2026_1000));
        }

        @Test
        void activeSampleAtExactlyTheDeadlineBreaksTheSpellFirst() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(neutral(FEB28_2026_1000));
            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000)));
            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000 + DAY)));

            assertThat(d.evaluated()).extracting(s -> s.timestamp).contains(FEB28_2026_1000);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void inactiveSampleAtExactlyTheDeadlineKeepsTheSpell() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(stopped(FEB28_2026_1000));
            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, FEB28_2026_1000));
        }

        @Test
        void cpuExactly5IsIdle() {
            VmDriver d = driver();
            d.feed(runningAtCpu(NOV30_2025_1000, 5));
            d.feed(runningAtCpu(raisingWatermarkTo(FEB28_2026_1000), 5));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, FEB28_2026_1000));
        }

        @Test
        void cpuJustAbove5IsActive() {
            VmDriver d = driver();
            d.feed(runningAtCpu(NOV30_2025_1000, 5.0000001));
            d.feed(runningAtCpu(raisingWatermarkTo(FEB28_2026_1000 + DAY), 5.0000001));

            assertThat(d.evaluated()).hasSize(1);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void runningWithoutCpuIsActiveAndBreaksTheSpell() {
            long dec15 = shanghai(2025, 12, 15, 10, 0);
            long dec16 = shanghai(2025, 12, 16, 10, 0);
            long mar16 = shanghai(2026, 3, 16, 10, 0);
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(runningWithoutCpu(dec15, 50));
            d.feed(stopped(dec16));
            d.feed(stopped(raisingWatermarkTo(mar16 - 1)));
            assertThat(d.firings()).as("the spell from Nov 30 was broken").isEmpty();

            d.feed(stopped(raisingWatermarkTo(mar16)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, mar16));
            assertThat(only(d).getEvidence().getInactiveSince()).isEqualTo(instant(dec16));
        }

        @Test
        void runningWithoutMemoryButIdleCpuIsInactive() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(runningAtCpu(shanghai(2025, 12, 15, 10, 0), 0));
            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, FEB28_2026_1000));
        }

        @Test
        void spellStartsAtTheFirstInactiveSampleAfterAnActiveOne() {
            long dec1 = shanghai(2025, 12, 1, 10, 0);
            long mar1 = shanghai(2026, 3, 1, 10, 0);
            VmDriver d = driver();
            d.feed(neutral(NOV30_2025_1000));
            d.feed(stopped(dec1));
            d.feed(stopped(dec1 + HOUR));
            d.feed(stopped(raisingWatermarkTo(mar1 - 1)));
            assertThat(d.firings()).isEmpty();

            d.feed(stopped(raisingWatermarkTo(mar1)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, mar1));
            assertThat(only(d).getEvidence().getInactiveSince()).isEqualTo(instant(dec1));
        }

        @Test
        void firesOncePerSpell() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            for (int month = 3; month <= 10; month++) {
                d.feed(stopped(shanghai(2026, month, 1, 0, 0)));
            }

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, FEB28_2026_1000));
        }

        @Test
        void newSpellAfterAnActiveSampleFiresAgain() {
            long mar1 = shanghai(2026, 3, 1, 10, 0);
            long mar2 = shanghai(2026, 3, 2, 10, 0);
            long jun2 = shanghai(2026, 6, 2, 10, 0);
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(neutral(mar1));
            d.feed(stopped(mar2));
            d.feed(stopped(raisingWatermarkTo(jun2)));

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.VM_INACTIVE, FEB28_2026_1000),
                            firing(Rule.VM_INACTIVE, jun2));
            assertThat(d.recommendations().get(1).getEvidence().getInactiveSince())
                    .isEqualTo(instant(mar2));
        }
    }

    // ---------------------------------------------------------------- zones

    @Nested
    class Zones {
        /** A VM stopped from {@code start} fires vm-inactive at {@code deadline}, not before. */
        void assertInactiveFiresExactlyAt(ZoneId zone, long start, long deadline) {
            VmDriver d = new VmDriver(defaultsIn(zone));
            d.feed(stopped(start));
            d.feed(stopped(raisingWatermarkTo(deadline - 1)));
            assertThat(d.firings()).isEmpty();

            d.feed(stopped(raisingWatermarkTo(deadline)));

            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, deadline));
        }

        /** Hourly samples at 75 % over the whole week [start, end). */
        void fillWeek(VmDriver d, long start, long end) {
            for (long t = start; t < end; t += HOUR) {
                d.feed(running(t, 75));
            }
        }

        @Test
        void berlinWeekWithTheSpringForwardChangeHas167Hours() {
            long monday = at(BERLIN, 2026, 3, 23, 0, 0); // +01:00
            long nextMonday = at(BERLIN, 2026, 3, 30, 0, 0); // +02:00
            VmDriver d = new VmDriver(defaultsIn(BERLIN));
            fillWeek(d, monday, nextMonday);
            closeWeek(d, nextMonday);

            assertThat(nextMonday - monday).isEqualTo(167 * HOUR);
            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, nextMonday));
            Evidence ev = only(d).getEvidence();
            assertThat(ev.getCoveredHours()).isEqualTo(167);
            assertThat(ev.getSampleCount()).isEqualTo(167L);
            assertThat(ev.getWeekStart())
                    .isEqualTo(
                            OffsetDateTime.of(2026, 3, 23, 0, 0, 0, 0, ZoneOffset.ofHours(1))
                                    .toInstant());
            assertThat(ev.getWeekEnd())
                    .isEqualTo(
                            OffsetDateTime.of(2026, 3, 30, 0, 0, 0, 0, ZoneOffset.ofHours(2))
                                    .toInstant());
        }

        @Test
        void berlinWeekWithTheFallBackChangeHas169Hours() {
            long monday = at(BERLIN, 2026, 10, 19, 0, 0);
            long nextMonday = at(BERLIN, 2026, 10, 26, 0, 0);
            VmDriver d = new VmDriver(defaultsIn(BERLIN));
            fillWeek(d, monday, nextMonday);
            closeWeek(d, nextMonday);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, nextMonday));
            assertThat(only(d).getEvidence().getCoveredHours()).isEqualTo(169);
            assertThat(only(d).getEvidence().getWeekEnd())
                    .isEqualTo(
                            OffsetDateTime.of(2026, 10, 26, 0, 0, 0, 0, ZoneOffset.ofHours(1))
                                    .toInstant());
        }

        @Test
        void shanghaiWeekAlwaysHas168Hours() {
            VmDriver d = driver();
            fillWeek(d, MON_0000, NEXT_MON_0000);
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getCoveredHours()).isEqualTo(168);
        }

        @Test
        void newYorkMonthsKeepTheLocalTimeAcrossTheDaylightSavingChange() {
            long start = at(NEW_YORK, 2026, 1, 15, 9, 0); // 09:00 EST = 14:00Z
            long deadline =
                    OffsetDateTime.of(2026, 4, 15, 9, 0, 0, 0, ZoneOffset.ofHours(-4))
                            .toInstant()
                            .toEpochMilli(); // 09:00 EDT = 13:00Z
            assertInactiveFiresExactlyAt(NEW_YORK, start, deadline);
        }

        @Test
        void newYorkDeadlineInTheSpringGapMovesForwardByTheGap() {
            long start = at(NEW_YORK, 2025, 12, 8, 2, 30); // EST
            // 2026-03-08 02:30 does not exist in New York: it becomes 03:30 EDT.
            long deadline =
                    OffsetDateTime.of(2026, 3, 8, 3, 30, 0, 0, ZoneOffset.ofHours(-4))
                            .toInstant()
                            .toEpochMilli();
            assertInactiveFiresExactlyAt(NEW_YORK, start, deadline);
        }

        @Test
        void newYorkDeadlineInTheAutumnOverlapKeepsTheEarlierOffset() {
            long start = at(NEW_YORK, 2026, 8, 1, 1, 30); // EDT
            // 2026-11-01 01:30 happens twice in New York: the earlier one is 01:30 EDT.
            long deadline =
                    OffsetDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneOffset.ofHours(-4))
                            .toInstant()
                            .toEpochMilli();
            assertInactiveFiresExactlyAt(NEW_YORK, start, deadline);
        }

        @Test
        void monthsInAZoneWithoutDaylightSavingAreWholeLocalDays() {
            long start = shanghai(2026, 1, 15, 9, 0);
            long deadline =
                    OffsetDateTime.of(2026, 4, 15, 9, 0, 0, 0, ZoneOffset.ofHours(8))
                            .toInstant()
                            .toEpochMilli();
            VmDriver d = driver();
            d.feed(stopped(start));
            d.feed(stopped(raisingWatermarkTo(deadline)));

            assertThat(deadline - start).isEqualTo(90 * DAY);
            assertThat(d.firings()).containsExactly(firing(Rule.VM_INACTIVE, deadline));
        }
    }

    // ---------------------------------------------------------------- arrival order, late,
    // duplicates

    /**
     * Two weeks of two-minute samples (week 1 high memory with peak bursts on two days and storage
     * growing past 70 %, week 2 underused), then the VM stopped, hourly, for over three months.
     */
    static List<Sample> richScenario() {
        List<Sample> out = new ArrayList<>();
        long step = 2 * MINUTE;
        long t = MON_0000;
        for (; t < NEXT_MON_0000; t += step) {
            long day = (t - MON_0000) / DAY;
            long minuteOfHour = (t - MON_0000) / MINUTE % 60;
            boolean burst =
                    (day == 1 || day == 4)
                            && (minuteOfHour == 10 || minuteOfHour == 30 || minuteOfHour == 50);
            double storage = 60 + 3.0 * (t - MON_0000) / DAY;
            out.add(withStorage(running(t, burst ? 90 : 75), storage));
        }
        for (; t < MON_AFTER_NEXT_0000; t += step) {
            out.add(withStorage(running(t, t / step % 2 == 0 ? 20 : 40), 60));
        }
        long end = shanghai(2026, 6, 20, 0, 0);
        for (; t < end; t += HOUR) {
            out.add(withStorage(stopped(t), 80));
        }
        return out;
    }

    static VmDriver run(List<Sample> arrivals) {
        VmDriver d = driver();
        for (Sample s : arrivals) {
            d.feed(copy(s));
        }
        return d.end();
    }

    @Nested
    class ArrivalOrder {
        @Test
        void outOfOrderWithinTheBoundGivesExactlyTheInOrderRecommendations() {
            List<Sample> inOrder = richScenario();
            // Each sample arrives up to the bound late: when it arrives, no sample more than the
            // bound newer has arrived, so none is late.
            Random random = new Random(20260302L);
            record Arrival(long key, Sample sample) {}
            List<Arrival> arrivals = new ArrayList<>();
            for (Sample s : inOrder) {
                arrivals.add(new Arrival(s.timestamp + random.nextInt((int) BOUND + 1), s));
            }
            arrivals.sort(Comparator.comparingLong(Arrival::key));
            List<Sample> shuffled = arrivals.stream().map(Arrival::sample).toList();
            assertThat(shuffled).isNotEqualTo(inOrder);

            VmDriver expected = run(inOrder);
            VmDriver actual = run(shuffled);

            assertThat(actual.admissions()).containsOnly(Admission.ACCEPTED);
            assertThat(expected.firings())
                    .extracting(Firing::ruleId)
                    .containsOnly(
                            Rule.WEEKLY_AVERAGE.id(),
                            Rule.WEEKLY_UNDERUSE.id(),
                            Rule.HOURLY_PEAKS.id(),
                            Rule.STORAGE_USAGE.id(),
                            Rule.VM_INACTIVE.id())
                    .contains(
                            Rule.WEEKLY_AVERAGE.id(),
                            Rule.WEEKLY_UNDERUSE.id(),
                            Rule.HOURLY_PEAKS.id(),
                            Rule.STORAGE_USAGE.id(),
                            Rule.VM_INACTIVE.id());
            assertThat(actual.recommendations()).isEqualTo(expected.recommendations());
            assertThat(actual.suppressions()).isEqualTo(expected.suppressions());
            assertThat(actual.evaluated()).isEqualTo(expected.evaluated());
        }

        @Test
        void reversedArrivalWithinTheBoundGivesTheInOrderRecommendations() {
            long p = TUE_1000;
            List<Sample> inOrder =
                    List.of(
                            running(p, 90),
                            running(p + MINUTE, 50),
                            running(p + 2 * MINUTE, 90),
                            running(p + 3 * MINUTE, 50),
                            storage(running(p + 4 * MINUTE, 90), 85),
                            running(p + 5 * MINUTE, 50));
            List<Sample> reversed = new ArrayList<>(inOrder);
            java.util.Collections.reverse(reversed);

            VmDriver expected = run(inOrder);
            VmDriver actual = run(reversed);

            assertThat(actual.admissions()).containsOnly(Admission.ACCEPTED);
            assertThat(expected.firings())
                    .containsExactlyInAnyOrder(
                            firing(Rule.HOURLY_PEAKS, p + 4 * MINUTE),
                            firing(Rule.STORAGE_USAGE, p + 4 * MINUTE));
            assertThat(actual.recommendations()).isEqualTo(expected.recommendations());
        }

        @Test
        void sampleExactlyTheBoundOlderThanTheNewestIsOnTime() {
            VmDriver d = driver();
            d.feed(neutral(TUE_1000));

            assertThat(d.feed(storage(neutral(TUE_1000 - BOUND), 85)))
                    .isEqualTo(Admission.ACCEPTED);
            d.end();
            assertThat(d.firings()).containsExactly(firing(Rule.STORAGE_USAGE, TUE_1000 - BOUND));
        }

        @Test
        void sampleAtTheWatermarkIsLateAndChangesNothing() {
            VmDriver d = driver();
            d.feed(neutral(TUE_1000));
            assertThat(d.watermark()).isEqualTo(TUE_1000 - BOUND - 1);

            assertThat(d.feed(storage(stopped(TUE_1000 - BOUND - 1), 95)))
                    .isEqualTo(Admission.LATE);
            d.end();

            assertThat(d.evaluated()).extracting(s -> s.timestamp).containsExactly(TUE_1000);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void lateSamplesLeaveEveryRuleAsIfTheyHadNeverArrived() {
            List<Sample> base = new ArrayList<>(hourly(MON_0000, 84, 70));
            base.add(stopped(raisingWatermarkTo(NEXT_MON_0000 - 1)));
            List<Sample> withLate = new ArrayList<>();
            for (Sample s : base) {
                withLate.add(s);
                if (s.timestamp > MON_0000 + 10 * HOUR && s.timestamp < MON_0000 + 20 * HOUR) {
                    // behind the watermark: would push the average over 70, start peaks,
                    // fire storage and start an inactive spell
                    withLate.add(storage(running(s.timestamp - BOUND - 30 * MINUTE, 100), 99));
                    withLate.add(stopped(s.timestamp - 2 * HOUR + 1));
                }
            }

            VmDriver expected = run(base);
            VmDriver actual = run(withLate);

            assertThat(actual.admissions())
                    .filteredOn(a -> a != Admission.ACCEPTED)
                    .containsOnly(Admission.LATE)
                    .hasSize(withLate.size() - base.size());
            assertThat(expected.firings()).isEmpty();
            assertThat(actual.firings()).isEmpty();
            assertThat(actual.evaluated()).isEqualTo(expected.evaluated());
        }

        @Test
        void repeatOfAPendingSampleIsADuplicateWhateverItsValues() {
            VmDriver d = driver();
            d.feed(storage(neutral(TUE_1000), 10));

            assertThat(d.feed(storage(stopped(TUE_1000), 95))).isEqualTo(Admission.DUPLICATE);
            d.end();

            assertThat(d.evaluated()).hasSize(1);
            assertThat(d.evaluated().get(0).stopped).isFalse();
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void repeatOfAnOutOfOrderPendingSampleIsADuplicate() {
            VmDriver d = driver();
            d.feed(neutral(TUE_1000 + MINUTE));
            d.feed(neutral(TUE_1000));
            d.feed(neutral(TUE_1000 + 2 * MINUTE));

            assertThat(d.feed(storage(neutral(TUE_1000), 95))).isEqualTo(Admission.DUPLICATE);
            assertThat(d.feed(storage(neutral(TUE_1000 + MINUTE), 95)))
                    .isEqualTo(Admission.DUPLICATE);
            d.end();

            assertThat(d.evaluated()).hasSize(3);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void repeatOfTheLatestEvaluatedSampleIsADuplicateNotLate() {
            VmDriver d = driver();
            d.feed(neutral(TUE_1000));
            d.feed(neutral(raisingWatermarkTo(TUE_1000)));
            assertThat(d.evaluated()).extracting(s -> s.timestamp).containsExactly(TUE_1000);

            assertThat(d.feed(storage(neutral(TUE_1000), 95))).isEqualTo(Admission.DUPLICATE);
            d.end();

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void repeatOfAnOlderEvaluatedSampleIsLate() {
            VmDriver d = driver();
            d.feed(neutral(TUE_1000));
            d.feed(neutral(TUE_1000 + MINUTE));
            d.feed(neutral(raisingWatermarkTo(TUE_1000 + MINUTE)));
            assertThat(d.evaluated())
                    .extracting(s -> s.timestamp)
                    .containsExactly(TUE_1000, TUE_1000 + MINUTE);

            assertThat(d.feed(neutral(TUE_1000))).isEqualTo(Admission.LATE);
        }

        @Test
        void duplicatesAreNotCountedTwiceInTheWeek() {
            VmDriver d = driver();
            for (Sample s : hourly(MON_0000, 84, 75)) {
                d.feed(s);
                assertThat(d.feed(copy(s))).isEqualTo(Admission.DUPLICATE);
            }
            closeWeek(d, NEXT_MON_0000);

            assertThat(d.firings()).containsExactly(firing(Rule.WEEKLY_AVERAGE, NEXT_MON_0000));
            assertThat(only(d).getEvidence().getSampleCount()).isEqualTo(84L);
        }
    }

    // ---------------------------------------------------------------- end of input

    @Nested
    class EndOfInput {
        @Test
        void pendingSamplesAreEvaluatedAndSampleRulesFire() {
            VmDriver d = driver();
            d.feed(neutral(TUE_1000));
            d.feed(storage(stopped(TUE_1000 + MINUTE), 85));
            assertThat(d.firings()).isEmpty();

            d.end();

            assertThat(d.evaluated())
                    .extracting(s -> s.timestamp)
                    .containsExactly(TUE_1000, TUE_1000 + MINUTE);
            assertThat(d.firings()).containsExactly(firing(Rule.STORAGE_USAGE, TUE_1000 + MINUTE));
        }

        @Test
        void pendingPeakStartsAreEvaluatedAndFire() {
            VmDriver d = driver();
            d.feedAll(
                    running(TUE_1000, 90),
                    running(TUE_1000 + MINUTE, 50),
                    running(TUE_1000 + 2 * MINUTE, 90),
                    running(TUE_1000 + 3 * MINUTE, 50),
                    running(TUE_1000 + 4 * MINUTE, 90));
            assertThat(d.evaluated()).isEmpty();

            d.end();

            assertThat(d.firings())
                    .containsExactly(firing(Rule.HOURLY_PEAKS, TUE_1000 + 4 * MINUTE));
        }

        @Test
        void endOfInputDoesNotCloseTheWeek() {
            VmDriver d = driver();
            d.feedAll(hourly(MON_0000, 84, 75));
            d.feed(running(SUN_2359_59_999, 75));
            d.feed(running(NEXT_MON_0000 + MINUTE, 75));

            d.end();

            assertThat(d.evaluated()).hasSize(86);
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void endOfInputDoesNotReachTheSpellDeadline() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(stopped(raisingWatermarkTo(FEB28_2026_1000 - 1)));

            d.end();

            assertThat(d.evaluated())
                    .extracting(s -> s.timestamp)
                    .containsExactly(NOV30_2025_1000, raisingWatermarkTo(FEB28_2026_1000 - 1));
            assertThat(d.firings()).isEmpty();
        }

        @Test
        void deadlinesReachedBeforeTheEndStillFired() {
            VmDriver d = driver();
            d.feed(stopped(NOV30_2025_1000));
            d.feed(storage(stopped(raisingWatermarkTo(FEB28_2026_1000)), 85));

            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.VM_INACTIVE, FEB28_2026_1000),
                            firing(Rule.STORAGE_USAGE, raisingWatermarkTo(FEB28_2026_1000)));
        }
    }

    @Test
    void samplesOfOtherSizesStillGiveExactPercentages() {
        // 7 GiB of 10 GiB is exactly 70 %: the weekly average does not fire.
        VmDriver d = driver();
        for (int h = 0; h < 84; h++) {
            d.feed(runningBytes(VM, MON_0000 + h * HOUR, 7L << 30, 10L << 30));
        }
        closeWeek(d, NEXT_MON_0000);

        assertThat(d.firings()).isEmpty();
    }

    // ---------------------------------------------------------------- emergency expansion

    @Nested
    class MemoryEmergency {
        static final long T = TUE_1000;

        /** Judged with the emergency rule alone, so no other rule's firing gets in the way. */
        VmDriver emergencyOnly() {
            return new VmDriver(
                    parse(
                            "version: t\nrules:\n"
                                    + "  scale-up.memory.hourly-peaks: {enabled: false}\n"));
        }

        List<Firing> emergencies(VmDriver d) {
            return d.firings().stream()
                    .filter(f -> f.ruleId().equals(Rule.MEMORY_EMERGENCY.id()))
                    .toList();
        }

        @Test
        void runOfExactlyFifteenMinutesFires() {
            VmDriver d = emergencyOnly();
            d.feedAll(running(T, 96), running(T + 5 * MINUTE, 97), running(T + 15 * MINUTE, 96));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 15 * MINUTE));
            Recommendation r = only(d);
            assertThat(r.getEmergency()).isTrue();
            assertThat(r.getPriority()).isEqualTo(Recommendations.PRIORITY_EMERGENCY);
            assertThat(r.getAction()).isEqualTo(io.rightsizer.schema.Action.SCALE_UP);
            assertThat(r.getResource()).isEqualTo(io.rightsizer.schema.Resource.MEMORY);
            assertThat(r.getRegulation()).isEqualTo("Article 26 (emergency expansion)");
            assertThat(r.getEvidence().getMemoryPct()).isEqualTo(96.0);
            // 1e9 bytes: 2 GiB keeps the week to date (96.3 % average, 97 % peak) at 44.8 %.
            assertThat(r.getProposedMemoryBytes()).isEqualTo(2 * Catalog.GIB);
            assertThat(r.getReason())
                    .startsWith(
                            "memory at or above 95% for 15m without a break (since 10:00 on"
                                    + " 2026-03-03); now 96.0%; an emergency expansion needs the"
                                    + " consent of the agency and of the using unit (Article"
                                    + " 26); week to date since 2026-03-02: average 96.3%, peak"
                                    + " 97.0%; proposed memory 2 GiB: ");
        }

        @Test
        void runOneMillisecondShortOfFifteenMinutesDoesNotFire() {
            VmDriver d = emergencyOnly();
            d.feedAll(running(T, 96), running(T + 15 * MINUTE - 1, 96));
            d.end();

            assertThat(d.firings()).isEmpty();
            assertThat(d.state.emergencyRunStart).isEqualTo(T);
            assertThat(d.state.emergencyRunLast).isEqualTo(T + 15 * MINUTE - 1);
        }

        @Test
        void exactlyTheThresholdCountsAndJustBelowBreaksTheRun() {
            VmDriver d = emergencyOnly();
            d.feedAll(
                    running(T, 95),
                    running(T + 5 * MINUTE, 94.9999999),
                    running(T + 10 * MINUTE, 95),
                    running(T + 20 * MINUTE, 95),
                    running(T + 25 * MINUTE, 95));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 25 * MINUTE));
        }

        @Test
        void stoppedSampleBreaksTheRun() {
            VmDriver d = emergencyOnly();
            d.feedAll(
                    running(T, 96),
                    stopped(T + 5 * MINUTE),
                    running(T + 10 * MINUTE, 96),
                    running(T + 15 * MINUTE, 96),
                    running(T + 25 * MINUTE, 96));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 25 * MINUTE));
        }

        @Test
        void gapOfExactlyMaxGapKeepsTheRun() {
            VmDriver d = emergencyOnly();
            d.feedAll(running(T, 96), running(T + 15 * MINUTE, 96));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 15 * MINUTE));
        }

        @Test
        void gapOneMillisecondLongerThanMaxGapStartsANewRun() {
            VmDriver d = emergencyOnly();
            d.feedAll(
                    running(T, 96),
                    running(T + 15 * MINUTE + 1, 96),
                    running(T + 30 * MINUTE, 96),
                    running(T + 30 * MINUTE + 1, 96));
            d.end();

            assertThat(d.firings())
                    .containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 30 * MINUTE + 1));
        }

        @Test
        void samplesWithoutMemoryReadingsNeitherBreakNorBridgeTheRun() {
            VmDriver d = emergencyOnly();
            d.feedAll(
                    running(T, 96),
                    runningWithoutMemory(T + 10 * MINUTE),
                    running(T + 15 * MINUTE, 96));
            d.end();
            assertThat(d.firings()).containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 15 * MINUTE));

            VmDriver bridged = emergencyOnly();
            bridged.feedAll(
                    running(T, 96),
                    runningWithoutMemory(T + 10 * MINUTE),
                    running(T + 20 * MINUTE, 96));
            bridged.end();
            assertThat(bridged.firings()).isEmpty();
        }

        @Test
        void runFiresAgainExactlyOneCooldownLaterAndSuppressesInBetween() {
            VmDriver d = emergencyOnly();
            long first = T + 15 * MINUTE;
            List<Sample> run = new ArrayList<>();
            for (long t = T; t <= first + DAY; t += 15 * MINUTE) {
                run.add(running(t, 96));
                if (t == first + DAY - 15 * MINUTE) {
                    run.add(running(first + DAY - 1, 96));
                }
            }
            d.feedAll(run);
            d.end();

            assertThat(emergencies(d))
                    .containsExactly(
                            firing(Rule.MEMORY_EMERGENCY, first),
                            firing(Rule.MEMORY_EMERGENCY, first + DAY));
            // Every sample of the run in between was held back, the one 1 ms short included.
            assertThat(d.suppressions()).hasSize(96);
            assertThat(d.suppressions().get(95))
                    .isEqualTo(new Suppression(Rule.MEMORY_EMERGENCY, first + DAY - 1));
        }

        @Test
        void disabledRuleDoesNotFireButOverridesCanTuneIt() {
            VmDriver off =
                    new VmDriver(
                            parse(
                                    "version: t\nrules: {scale-up.memory.emergency: {enabled:"
                                            + " false}}"));
            off.feedAll(running(T, 99), running(T + 15 * MINUTE, 99));
            off.end();
            assertThat(off.firings()).isEmpty();

            VmDriver tuned =
                    new VmDriver(
                            parse(
                                    "version: t\noverrides:\n  - name: fast\n    match: {vmId:"
                                            + " vm-1}\n    set: {scale-up.memory.emergency:"
                                            + " {usage-at-least-pct: 90, for: 5m}}"));
            tuned.feedAll(running(T, 91), running(T + 5 * MINUTE, 91));
            tuned.end();
            assertThat(tuned.firings())
                    .containsExactly(firing(Rule.MEMORY_EMERGENCY, T + 5 * MINUTE));
            assertThat(only(tuned).getEvidence().getOverrides()).containsExactly("fast");
        }

        @Test
        void emergencyAndHourlyPeaksFireIndependentlyAtTheSameInstant() {
            VmDriver d = driver();
            d.feedAll(
                    running(T, 96),
                    running(T + 5 * MINUTE, 50),
                    running(T + 10 * MINUTE, 96),
                    running(T + 15 * MINUTE, 50),
                    running(T + 20 * MINUTE, 96),
                    running(T + 35 * MINUTE, 96));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.HOURLY_PEAKS, T + 20 * MINUTE),
                            firing(Rule.MEMORY_EMERGENCY, T + 35 * MINUTE));
        }
    }

    @Nested
    class StorageEmergency {
        static final long T = TUE_1000;

        @Test
        void exactlyNinetyPercentFiresTheEmergencyAndTheOrdinaryRule() {
            VmDriver d = driver();
            d.feed(storage(neutral(T), 90));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.STORAGE_USAGE, T), firing(Rule.STORAGE_EMERGENCY, T));
            Recommendation e = d.recommendations().get(1);
            assertThat(e.getEmergency()).isTrue();
            assertThat(e.getPriority()).isEqualTo(Recommendations.PRIORITY_EMERGENCY);
            assertThat(e.getProposedStorageBytes()).isEqualTo(50 * Catalog.GIB);
            assertThat(e.getReason())
                    .isEqualTo(
                            "storage usage 90.0% at or above 90% (858.3 MiB of 953.7 MiB used);"
                                    + " an emergency expansion needs the consent of the agency"
                                    + " and of the using unit (Article 26); proposed storage 50"
                                    + " GiB: projected usage 1.7% (at most 60%); the change of"
                                    + " 52687091200 B is more than 50% of the current 1 GB, so it"
                                    + " must go through the full onboarding application (Article"
                                    + " 22)");
        }

        @Test
        void justBelowNinetyPercentFiresOnlyTheOrdinaryRule() {
            VmDriver d = driver();
            d.feed(storage(neutral(T), 89.9999999));
            d.end();

            assertThat(d.firings()).containsExactly(firing(Rule.STORAGE_USAGE, T));
        }

        @Test
        void stoppedVmStillFiresAndCooldownIsOneDayOfItsOwn() {
            VmDriver d = driver();
            d.feedAll(
                    storage(stopped(T), 95),
                    storage(stopped(T + DAY - 1), 95),
                    storage(stopped(T + DAY), 95));
            d.end();

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.STORAGE_USAGE, T),
                            firing(Rule.STORAGE_EMERGENCY, T),
                            firing(Rule.STORAGE_EMERGENCY, T + DAY));
            assertThat(d.suppressions())
                    .containsExactly(
                            new Suppression(Rule.STORAGE_USAGE, T + DAY - 1),
                            new Suppression(Rule.STORAGE_EMERGENCY, T + DAY - 1),
                            new Suppression(Rule.STORAGE_USAGE, T + DAY));
        }
    }
}
