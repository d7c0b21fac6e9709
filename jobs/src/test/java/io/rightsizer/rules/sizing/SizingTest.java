package io.rightsizer.rules.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.sizing.Sizing.Kind;
import io.rightsizer.rules.sizing.Sizing.Proposal;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Target sizes from the catalog: every edge of the limits, the catalog and majorChange. */
class SizingTest {

    static final long MIB = 1L << 20;
    static final long GIB = Catalog.GIB;
    static final long TIB = Catalog.TIB;

    /** The shipped catalog: memory 1, 2, 4, ... 256 GiB; storage every 50 GiB up to 16 TiB. */
    static final Sizing SHIPPED = new Sizing(Catalog.defaults());

    /** Fine memory steps, so that the limits can be hit exactly: 4, 5, 6, 8, 10, 12, 16 GiB. */
    static final Sizing FINE =
            new Sizing(
                    new Catalog(
                            List.of(
                                    4 * GIB, 5 * GIB, 6 * GIB, 8 * GIB, 10 * GIB, 12 * GIB,
                                    16 * GIB),
                            new Catalog.Steps(50 * GIB, 50 * GIB, 16 * TIB),
                            Catalog.DEFAULT_MEMORY_SCALE_UP,
                            Catalog.DEFAULT_MEMORY_SCALE_DOWN,
                            Catalog.DEFAULT_STORAGE_USAGE_AT_MOST_PCT,
                            Catalog.DEFAULT_MAJOR_CHANGE_ABOVE_PCT));

    /** Storage as a list of sizes. */
    static final Sizing LISTED_STORAGE =
            new Sizing(
                    new Catalog(
                            Catalog.defaults().memorySizes(),
                            new Catalog.Sizes(List.of(100 * GIB, 250 * GIB, 500 * GIB, TIB)),
                            Catalog.DEFAULT_MEMORY_SCALE_UP,
                            Catalog.DEFAULT_MEMORY_SCALE_DOWN,
                            Catalog.DEFAULT_STORAGE_USAGE_AT_MOST_PCT,
                            Catalog.DEFAULT_MAJOR_CHANGE_ABOVE_PCT));

    /** Storage steps of 50 GiB from a minimum that is not a multiple: 100 GiB to 1000 GiB. */
    static final Sizing OFFSET_STEPS =
            new Sizing(
                    new Catalog(
                            Catalog.defaults().memorySizes(),
                            new Catalog.Steps(50 * GIB, 60 * GIB, 1020 * GIB),
                            Catalog.DEFAULT_MEMORY_SCALE_UP,
                            Catalog.DEFAULT_MEMORY_SCALE_DOWN,
                            Catalog.DEFAULT_STORAGE_USAGE_AT_MOST_PCT,
                            Catalog.DEFAULT_MAJOR_CHANGE_ABOVE_PCT));

    /** Just above an exact value, far beyond double rounding. */
    static final double JUST_ABOVE = 1e-4;

    @Nested
    class MemoryUp {
        @Test
        void averageAndPeakExactlyAtTheirLimitsFit() {
            // 75% and 100% of 8 GiB are 60% and 80% of 10 GiB.
            Proposal p = FINE.memoryUp(8 * GIB, 75, 100);

            assertThat(p)
                    .isEqualTo(
                            new Proposal(
                                    Kind.MEMORY_UP,
                                    8 * GIB,
                                    10 * GIB,
                                    60.0,
                                    80.0,
                                    null,
                                    25.0,
                                    false,
                                    "memory 10 GiB: projected weekly average 60.0% (at most 60%),"
                                            + " peak 80.0% (at most 80%)"));
        }

        @Test
        void averageJustAboveItsLimitTakesTheNextSize() {
            Proposal p = FINE.memoryUp(8 * GIB, 75 + JUST_ABOVE, 100);

            assertThat(p.proposedBytes()).isEqualTo(12 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo((75 + JUST_ABOVE) * 8 / 12);
        }

        @Test
        void peakJustAboveItsLimitTakesTheNextSize() {
            Proposal p = FINE.memoryUp(8 * GIB, 75, 100 + JUST_ABOVE);

            assertThat(p.proposedBytes()).isEqualTo(12 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo(50.0);
        }

        @Test
        void theSmallestLargerSizeIsProposedEvenWhenALargerOneWouldAlsoFit() {
            Proposal p = SHIPPED.memoryUp(8 * GIB, 75, 90);

            assertThat(p.proposedBytes()).isEqualTo(16 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo(37.5);
            assertThat(p.projectedPeakPct()).isEqualTo(45.0);
        }

        @Test
        void largestSizeNotKeepingTheAverageProposesNothing() {
            Proposal p = SHIPPED.memoryUp(200 * GIB, 90, 99);

            assertThat(p)
                    .isEqualTo(
                            new Proposal(
                                    Kind.MEMORY_UP,
                                    200 * GIB,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    false,
                                    "no catalog size up to 256 GiB keeps the projected weekly"
                                            + " average at or below 60%"));
        }

        @Test
        void largestSizeNotKeepingThePeakSaysSo() {
            assertThat(SHIPPED.memoryUp(240 * GIB, 50, 90).reason())
                    .isEqualTo(
                            "no catalog size up to 256 GiB keeps the projected weekly peak at or"
                                    + " below 80%");
        }

        @Test
        void largestSizeKeepingNeitherNamesBoth() {
            assertThat(SHIPPED.memoryUp(240 * GIB, 70, 90).reason())
                    .isEqualTo(
                            "no catalog size up to 256 GiB keeps the projected weekly average at"
                                    + " or below 60% and the projected weekly peak at or below"
                                    + " 80%");
        }

        @Test
        void anAllocationOfLongMaxValueBytesProposesNothingWithoutOverflow() {
            Proposal up = SHIPPED.memoryUp(Long.MAX_VALUE, 75, 90);
            Proposal down = SHIPPED.memoryDown(Long.MAX_VALUE, 10, 20);
            Proposal storage = SHIPPED.storageUp(Long.MAX_VALUE, 80);

            assertThat(up.proposed()).isFalse();
            assertThat(down.proposed()).isFalse();
            assertThat(storage.proposed()).isFalse();
            assertThat(up.reason())
                    .startsWith("no catalog memory size is larger than the current ");
            assertThat(down.reason()).startsWith("no catalog size below ");
            assertThat(storage.reason())
                    .startsWith("no catalog storage size is larger than the current ");
        }

        @Test
        void currentAtTheLargestSizeProposesNothing() {
            Proposal p = SHIPPED.memoryUp(256 * GIB, 75, 90);

            assertThat(p.proposed()).isFalse();
            assertThat(p.reason())
                    .isEqualTo("no catalog memory size is larger than the current 256 GiB");
        }

        @Test
        void currentThatIsNotACatalogSizeIsTheBaseOfTheProjection() {
            // 80% of 6 GiB is 60% of 8 GiB.
            Proposal p = SHIPPED.memoryUp(6 * GIB, 80, 90);

            assertThat(p.proposedBytes()).isEqualTo(8 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo(60.0);
            assertThat(p.projectedPeakPct()).isEqualTo(67.5);
            assertThat(p.changePct()).isEqualTo(100.0 / 3);
            assertThat(p.majorChange()).isFalse();
        }
    }

    @Nested
    class MemoryDown {
        @Test
        void peakExactlyAtItsLimitFits() {
            // 40% of 16 GiB is 80% of 8 GiB; at 6 GiB it would be 106.7%.
            Proposal p = FINE.memoryDown(16 * GIB, 20, 40);

            assertThat(p)
                    .isEqualTo(
                            new Proposal(
                                    Kind.MEMORY_DOWN,
                                    16 * GIB,
                                    8 * GIB,
                                    40.0,
                                    80.0,
                                    null,
                                    50.0,
                                    false,
                                    "memory 8 GiB: projected weekly average 40.0% (at most 70%),"
                                            + " peak 80.0% (at most 80%)"));
        }

        @Test
        void peakJustAboveItsLimitTakesTheNextLargerSize() {
            Proposal p = FINE.memoryDown(16 * GIB, 20, 40 + JUST_ABOVE);

            assertThat(p.proposedBytes()).isEqualTo(10 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo(32.0);
        }

        @Test
        void averageExactlyAtItsLimitFits() {
            Proposal p = FINE.memoryDown(16 * GIB, 35, 35);

            assertThat(p.proposedBytes()).isEqualTo(8 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo(70.0);
        }

        @Test
        void averageJustAboveItsLimitTakesTheNextLargerSize() {
            Proposal p = FINE.memoryDown(16 * GIB, 35 + JUST_ABOVE, 35);

            assertThat(p.proposedBytes()).isEqualTo(10 * GIB);
            assertThat(p.projectedPeakPct()).isEqualTo(56.0);
        }

        @Test
        void noSmallerSizeKeepingThePeakProposesNothing() {
            Proposal p = FINE.memoryDown(5 * GIB, 50, 90);

            assertThat(p)
                    .isEqualTo(
                            new Proposal(
                                    Kind.MEMORY_DOWN,
                                    5 * GIB,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    false,
                                    "no catalog size below 5 GiB keeps the projected weekly peak at"
                                            + " or below 80%"));
        }

        @Test
        void currentAtTheSmallestSizeProposesNothing() {
            assertThat(SHIPPED.memoryDown(GIB, 10, 20).reason())
                    .isEqualTo("no catalog memory size is smaller than the current 1 GiB");
        }

        @Test
        void currentThatIsNotACatalogSizeIsTheBaseOfTheProjection() {
            // 30% of 6 GiB is 90% of 2 GiB and 45% of 4 GiB.
            Proposal p = SHIPPED.memoryDown(6 * GIB, 20, 30);

            assertThat(p.proposedBytes()).isEqualTo(4 * GIB);
            assertThat(p.projectedAveragePct()).isEqualTo(30.0);
            assertThat(p.projectedPeakPct()).isEqualTo(45.0);
        }

        @Test
        void aReductionNeverMakesTheScaleUpRulesFireOnTheSameEvidence() {
            RuleSet rules = RuleSet.defaults("t");
            int proposals = 0;
            for (long current : Catalog.defaults().memorySizes()) {
                for (int avg = 0; avg <= 50; avg++) {
                    for (int peak = avg; peak <= 100; peak++) {
                        Proposal p = SHIPPED.memoryDown(current, avg, peak);
                        if (!p.proposed()) {
                            continue;
                        }
                        proposals++;
                        assertThat(p.projectedAveragePct())
                                .isLessThanOrEqualTo(rules.weeklyAverage().averageAbovePct());
                        assertThat(p.projectedPeakPct())
                                .isLessThanOrEqualTo(rules.hourlyPeaks().peakAbovePct());
                        // ... and it is the smallest size that keeps both.
                        int i = Catalog.defaults().memorySizes().indexOf(p.proposedBytes());
                        if (i > 0) {
                            long smaller = Catalog.defaults().memorySizes().get(i - 1);
                            assertThat(
                                            Sizing.projectedPct(avg, current, smaller) > 70
                                                    || Sizing.projectedPct(peak, current, smaller)
                                                            > 80)
                                    .isTrue();
                        }
                    }
                }
            }
            assertThat(proposals).isEqualTo(6_768);
        }
    }

    @Nested
    class MajorChange {
        @Test
        void exactlyFiftyPercentIsNotMajor() {
            Proposal p = SHIPPED.memoryDown(16 * GIB, 30, 38);

            assertThat(p.proposedBytes()).isEqualTo(8 * GIB);
            assertThat(p.changePct()).isEqualTo(50.0);
            assertThat(p.majorChange()).isFalse();
        }

        @Test
        void justAboveFiftyPercentIsMajorAndTheReasonSaysSo() {
            Proposal p = SHIPPED.memoryDown(16 * GIB + MIB, 30, 38);

            assertThat(p.proposedBytes()).isEqualTo(8 * GIB);
            assertThat(p.changePct()).isEqualTo(100.0 * (8 * GIB + MIB) / (16 * GIB + MIB));
            assertThat(p.majorChange()).isTrue();
            assertThat(p.reason())
                    .isEqualTo(
                            "memory 8 GiB: projected weekly average 60.0% (at most 70%), peak"
                                    + " 76.0% (at most 80%); the change of 8193 MiB is more than"
                                    + " 50% of the current 16385 MiB, so it must go through the"
                                    + " full onboarding application (Article 22)");
        }

        @Test
        void doublingIsMajor() {
            Proposal p = SHIPPED.memoryUp(8 * GIB, 75, 90);

            assertThat(p.changePct()).isEqualTo(100.0);
            assertThat(p.majorChange()).isTrue();
        }

        @Test
        void scaleUpByExactlyHalfIsNotMajor() {
            Proposal p = FINE.memoryUp(8 * GIB, 80, 90);

            assertThat(p.proposedBytes()).isEqualTo(12 * GIB);
            assertThat(p.changePct()).isEqualTo(50.0);
            assertThat(p.majorChange()).isFalse();
        }
    }

    @Nested
    class StorageUp {
        @Test
        void usageExactlyAtTheLimitFits() {
            // 90% of 100 GiB is 60% of 150 GiB.
            Proposal p = SHIPPED.storageUp(100 * GIB, 90);

            assertThat(p)
                    .isEqualTo(
                            new Proposal(
                                    Kind.STORAGE_UP,
                                    100 * GIB,
                                    150 * GIB,
                                    null,
                                    null,
                                    60.0,
                                    50.0,
                                    false,
                                    "storage 150 GiB: projected usage 60.0% (at most 60%)"));
        }

        @Test
        void usageJustAboveTheLimitTakesTheNextStep() {
            Proposal p = SHIPPED.storageUp(100 * GIB, 90 + JUST_ABOVE);

            assertThat(p.proposedBytes()).isEqualTo(200 * GIB);
            assertThat(p.majorChange()).isTrue();
        }

        @Test
        void sizeNeededBetweenTwoStepsRoundsUpToTheNextStep() {
            // 80% of 120 GiB is 96 GiB, which needs 160 GiB: the next step is 200 GiB.
            Proposal p = SHIPPED.storageUp(120 * GIB, 80);

            assertThat(p.proposedBytes()).isEqualTo(200 * GIB);
            assertThat(p.projectedUsagePct()).isEqualTo(48.0);
        }

        @Test
        void currentBetweenStepsGoesToTheNextStepAboveIt() {
            Proposal p = SHIPPED.storageUp(120 * GIB, 10);

            assertThat(p.proposedBytes()).isEqualTo(150 * GIB);
            assertThat(p.projectedUsagePct()).isEqualTo(8.0);
        }

        @Test
        void currentBelowTheMinimumGoesToTheMinimum() {
            Proposal p = SHIPPED.storageUp(20 * GIB, 50);

            assertThat(p.proposedBytes()).isEqualTo(50 * GIB);
            assertThat(p.projectedUsagePct()).isEqualTo(20.0);
            assertThat(p.changePct()).isEqualTo(150.0);
            assertThat(p.majorChange()).isTrue();
        }

        @Test
        void minimumThatIsNotAMultipleStartsAtTheNextMultiple() {
            assertThat(OFFSET_STEPS.storageUp(20 * GIB, 10).proposedBytes()).isEqualTo(100 * GIB);
        }

        @Test
        void sizeNeededJustBelowTheLargestStepIsTheLargestStep() {
            // 61.3% of 16000 GiB needs 16346.7 GiB: 16350 GiB, the last multiple below 16 TiB.
            Proposal p = SHIPPED.storageUp(16_000 * GIB, 61.3);

            assertThat(p.proposedBytes()).isEqualTo(16_350 * GIB);
            assertThat(p.projectedUsagePct()).isEqualTo(61.3 * 16_000 / 16_350);
        }

        @Test
        void sizeNeededAboveTheLargestStepProposesNothing() {
            Proposal p = SHIPPED.storageUp(16_000 * GIB, 61.4);

            assertThat(p)
                    .isEqualTo(
                            new Proposal(
                                    Kind.STORAGE_UP,
                                    16_000 * GIB,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    false,
                                    "no catalog size up to 16350 GiB keeps the projected storage"
                                            + " usage at or below 60%"));
        }

        @Test
        void currentAtOrAboveTheLargestStepProposesNothing() {
            assertThat(SHIPPED.storageUp(16_350 * GIB, 80).reason())
                    .isEqualTo("no catalog storage size is larger than the current 16350 GiB");
            assertThat(SHIPPED.storageUp(16 * TIB, 80).reason())
                    .isEqualTo("no catalog storage size is larger than the current 16 TiB");
        }

        @Test
        void stepArithmeticAgreesWithTryingEveryStep() {
            Catalog.Steps steps = (Catalog.Steps) Catalog.defaults().storage();
            long[] currents = {
                GIB, 50 * GIB, 73 * GIB + 12_345, 1000 * GIB, 9999 * GIB, 16 * TIB - 1
            };
            int compared = 0;
            for (long current : currents) {
                for (int tenths = 0; tenths <= 1000; tenths += 7) {
                    double usage = tenths / 10.0;
                    Long expected = null;
                    for (long s = steps.smallest(); s <= steps.largest(); s += steps.step()) {
                        if (s > current && Sizing.projectedPct(usage, current, s) <= 60) {
                            expected = s;
                            break;
                        }
                    }
                    assertThat(SHIPPED.storageUp(current, usage).proposedBytes())
                            .as("current %d, usage %s", current, usage)
                            .isEqualTo(expected);
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(858);
        }

        @Test
        void listedSizesGiveTheSmallestLargerSizeThatKeepsTheUsage() {
            Proposal p = LISTED_STORAGE.storageUp(100 * GIB, 90);

            assertThat(p.proposedBytes()).isEqualTo(250 * GIB);
            assertThat(p.projectedUsagePct()).isEqualTo(36.0);
            assertThat(LISTED_STORAGE.storageUp(TIB, 50).reason())
                    .isEqualTo("no catalog storage size is larger than the current 1 TiB");
            assertThat(LISTED_STORAGE.storageUp(500 * GIB, 130).reason())
                    .isEqualTo(
                            "no catalog size up to 1 TiB keeps the projected storage usage at or"
                                    + " below 60%");
        }
    }

    @Test
    void nonPositiveCurrentOrNegativeUtilizationIsAProgrammingError() {
        assertThatThrownBy(() -> SHIPPED.memoryUp(0, 50, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the current allocation must be positive, is 0");
        assertThatThrownBy(() -> SHIPPED.storageUp(GIB, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("utilization must be a finite percentage >= 0, is -1.0, -1.0");
    }
}
