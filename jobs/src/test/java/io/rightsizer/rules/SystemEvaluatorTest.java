package io.rightsizer.rules;

import static io.rightsizer.rules.Firing.firing;
import static io.rightsizer.rules.Fixtures.DAY;
import static io.rightsizer.rules.Fixtures.HOUR;
import static io.rightsizer.rules.Fixtures.MINUTE;
import static io.rightsizer.rules.Fixtures.SYSTEM;
import static io.rightsizer.rules.Fixtures.UNIT;
import static io.rightsizer.rules.Fixtures.defaults;
import static io.rightsizer.rules.Fixtures.instant;
import static io.rightsizer.rules.Fixtures.raisingWatermarkTo;
import static io.rightsizer.rules.Fixtures.report;
import static io.rightsizer.rules.Fixtures.running;
import static io.rightsizer.rules.Fixtures.shanghai;
import static io.rightsizer.rules.Fixtures.stopped;
import static io.rightsizer.rules.Fixtures.withRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.schema.Action;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.Resource;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code reduce.system.no-business-data} as rules/README.md defines it (default: 1 month). */
class SystemEvaluatorTest {

    static final long JAN10_1000 = shanghai(2026, 1, 10, 10, 0);
    static final long JAN20_1000 = shanghai(2026, 1, 20, 10, 0);
    static final long FEB10_1000 = shanghai(2026, 2, 10, 10, 0);
    static final long FEB20_1000 = shanghai(2026, 2, 20, 10, 0);
    static final long MAR01_1000 = shanghai(2026, 3, 1, 10, 0);
    static final long MAR10_1000 = shanghai(2026, 3, 10, 10, 0);
    static final long APR01_1000 = shanghai(2026, 4, 1, 10, 0);

    static final String NO_BUSINESS_DATA = Rule.NO_BUSINESS_DATA.id();

    static SystemDriver driver() {
        return new SystemDriver(defaults());
    }

    /** A report without business records that raises the watermark to {@code watermark}. */
    static BusinessReport quietUntil(long watermark) {
        return report(raisingWatermarkTo(watermark), 0);
    }

    static Recommendation only(SystemDriver d) {
        assertThat(d.recommendations()).hasSize(1);
        return d.recommendations().get(0);
    }

    @Nested
    class Reference {
        @Test
        void firstNonNullReportIsTheReferenceBeforeAnyBusinessData() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 0));
            d.feed(report(JAN20_1000, 0));
            d.feed(quietUntil(FEB10_1000 - 1));
            assertThat(d.firings()).isEmpty();

            d.feed(quietUntil(FEB10_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
            Recommendation r = only(d);
            assertThat(r.getVmId()).isNull();
            assertThat(r.getSystemId()).isEqualTo(SYSTEM);
            assertThat(r.getUnitId()).isEqualTo(UNIT);
            assertThat(r.getAction()).isEqualTo(Action.RECLAIM);
            assertThat(r.getResource()).isEqualTo(Resource.SYSTEM);
            assertThat(r.getRegulation()).isEqualTo("Article 26(2)3");
            assertThat(r.getEvidence().getLastBusinessDataAt()).isEqualTo(instant(JAN10_1000));
            assertThat(r.getRecommendationId())
                    .isEqualTo(Recommendations.id(Rule.NO_BUSINESS_DATA, SYSTEM, FEB10_1000));
        }

        @Test
        void latestPositiveReportIsTheReference() {
            SystemDriver d = driver();
            d.feedAll(report(JAN10_1000, 5), report(JAN20_1000, 3), report(JAN20_1000 + DAY, 0));
            d.feed(quietUntil(FEB20_1000 - 1));
            assertThat(d.firings()).as("JAN10 is no longer the reference").isEmpty();

            d.feed(quietUntil(FEB20_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB20_1000));
            assertThat(only(d).getEvidence().getLastBusinessDataAt())
                    .isEqualTo(instant(JAN20_1000));
        }

        @Test
        void positiveReportReplacesAReferenceWithoutBusinessData() {
            SystemDriver d = driver();
            d.feedAll(report(JAN10_1000, 0), report(JAN20_1000, 1));
            d.feed(quietUntil(FEB20_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB20_1000));
        }

        @Test
        void samplesWithoutBusinessRecordsBeforeTheFirstReportDoNotSetTheReference() {
            SystemDriver d = driver();
            d.feedSample(running(JAN10_1000 - 5 * DAY, 50));
            d.feedSample(stopped(JAN10_1000 - DAY));
            d.feedSample(withRecords(running(JAN10_1000, 50), 0));
            d.feed(quietUntil(FEB10_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
            assertThat(only(d).getEvidence().getLastBusinessDataAt())
                    .isEqualTo(instant(JAN10_1000));
        }

        @Test
        void systemWithOnlyNullBusinessRecordsNeverFires() {
            SystemDriver d = driver();
            for (long t = JAN10_1000; t < shanghai(2026, 8, 1, 0, 0); t += DAY) {
                d.feedSample(t % 2 == 0 ? running(t, 50) : stopped(t));
            }
            d.end();

            assertThat(d.firings()).isEmpty();
        }
    }

    @Nested
    class Deadline {
        @Test
        void positiveReportAtExactlyTheDeadlinePreventsFiring() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 5));
            d.feed(report(FEB10_1000, 1));
            d.feed(quietUntil(FEB10_1000));
            d.feed(quietUntil(MAR10_1000 - 1));
            assertThat(d.firings()).isEmpty();

            d.feed(quietUntil(MAR10_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, MAR10_1000));
            assertThat(only(d).getEvidence().getLastBusinessDataAt())
                    .isEqualTo(instant(FEB10_1000));
        }

        @Test
        void positiveReportOneMillisecondAfterTheDeadlineComesTooLate() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 5));
            d.feed(report(FEB10_1000 + 1, 1));
            d.feed(quietUntil(MAR10_1000 + 1));

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.NO_BUSINESS_DATA, FEB10_1000),
                            firing(Rule.NO_BUSINESS_DATA, MAR10_1000 + 1));
        }

        @Test
        void firesOncePerReference() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 0));
            for (int month = 2; month <= 9; month++) {
                d.feed(report(shanghai(2026, month, 15, 0, 0), 0));
            }

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
        }

        @Test
        void firesAgainAfterANewReference() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 7));
            d.feed(report(MAR01_1000, 2));
            d.feed(quietUntil(APR01_1000));
            d.feed(quietUntil(shanghai(2026, 6, 1, 0, 0)));

            assertThat(d.firings())
                    .containsExactly(
                            firing(Rule.NO_BUSINESS_DATA, FEB10_1000),
                            firing(Rule.NO_BUSINESS_DATA, APR01_1000));
            assertThat(d.recommendations().get(1).getEvidence().getLastBusinessDataAt())
                    .isEqualTo(instant(MAR01_1000));
        }

        @Test
        void endOfInputDoesNotReachTheDeadline() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 3));
            d.feed(quietUntil(FEB10_1000 - 1));

            d.end();

            assertThat(d.firings()).isEmpty();
        }

        @Test
        void disabledRuleNeverFires() {
            RuleSet rules =
                    Fixtures.parse(
                            """
                            version: t
                            rules:
                              reduce.system.no-business-data:
                                enabled: false
                            """);
            SystemDriver d = new SystemDriver(rules);
            d.feed(report(JAN10_1000, 3));
            d.feed(quietUntil(APR01_1000));

            assertThat(d.firings()).isEmpty();
        }
    }

    @Nested
    class CalendarMonths {
        void assertDeadline(long reference, long deadline) {
            SystemDriver d = driver();
            d.feed(report(reference, 1));
            d.feed(quietUntil(deadline - 1));
            assertThat(d.firings()).isEmpty();

            d.feed(quietUntil(deadline));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, deadline));
        }

        @Test
        void jan31PlusOneMonthIsFeb28() {
            assertDeadline(shanghai(2026, 1, 31, 10, 0), shanghai(2026, 2, 28, 10, 0));
        }

        @Test
        void jan31PlusOneMonthIsFeb29InALeapYear() {
            assertDeadline(shanghai(2028, 1, 31, 10, 0), shanghai(2028, 2, 29, 10, 0));
        }

        @Test
        void mar31PlusOneMonthIsApr30() {
            assertDeadline(shanghai(2026, 3, 31, 23, 59), shanghai(2026, 4, 30, 23, 59));
        }

        @Test
        void feb28PlusOneMonthIsMar28() {
            assertDeadline(shanghai(2026, 2, 28, 0, 0), shanghai(2026, 3, 28, 0, 0));
        }

        @Test
        void monthsSettingIsCalendarMonths() {
            RuleSet rules =
                    Fixtures.parse(
                            """
                            version: t
                            rules:
                              reduce.system.no-business-data:
                                months: 2
                            """);
            long reference = shanghai(2025, 12, 31, 8, 0);
            long deadline = shanghai(2026, 2, 28, 8, 0);
            SystemDriver d = new SystemDriver(rules);
            d.feed(report(reference, 1));
            d.feed(quietUntil(deadline - 1));
            assertThat(d.firings()).isEmpty();

            d.feed(quietUntil(deadline));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, deadline));
        }
    }

    @Nested
    class SeveralVmsAndArrivalOrder {
        @Test
        void equalTimestampPositiveReportsMergeWithTheSmallestUnitId() {
            for (List<String> order :
                    List.of(List.of("unit-b", "unit-a"), List.of("unit-a", "unit-b"))) {
                SystemDriver d = driver();
                d.feed(report(order.get(0), JAN10_1000, 4));
                d.feed(report(order.get(1), JAN10_1000, 9));
                d.feed(quietUntil(FEB10_1000));

                assertThat(d.admissions()).containsOnly(Admission.ACCEPTED);
                assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
                assertThat(only(d).getUnitId()).as("arrival order %s", order).isEqualTo("unit-a");
            }
        }

        @Test
        void equalTimestampFirstReportsWithoutDataMergeWithTheSmallestUnitId() {
            SystemDriver d = driver();
            d.feed(report("unit-c", JAN10_1000, 0));
            d.feed(report("unit-a", JAN10_1000, 0));
            d.feed(report("unit-b", JAN10_1000, 0));
            d.feed(quietUntil(FEB10_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
            assertThat(only(d).getUnitId()).isEqualTo("unit-a");
        }

        @Test
        void unitIdIsTheReferenceSamplesEvenWhenOtherVmsReportLater() {
            SystemDriver d = driver();
            d.feed(report("unit-z", JAN10_1000, 4));
            d.feed(report("unit-a", JAN10_1000 + MINUTE, 0));
            d.feed(quietUntil(FEB10_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
            assertThat(only(d).getUnitId()).isEqualTo("unit-z");
        }

        @Test
        void outOfOrderWithinTheBoundGivesTheInOrderResult() {
            List<BusinessReport> inOrder =
                    List.of(
                            report(JAN10_1000, 5),
                            report(JAN20_1000, 3),
                            report(JAN20_1000 + MINUTE, 0),
                            report(JAN20_1000 + 4 * MINUTE, 0),
                            quietUntil(FEB20_1000),
                            quietUntil(APR01_1000));
            List<BusinessReport> outOfOrder =
                    List.of(
                            report(JAN10_1000, 5),
                            report(JAN20_1000 + 4 * MINUTE, 0),
                            report(JAN20_1000 + MINUTE, 0),
                            report(JAN20_1000, 3),
                            quietUntil(FEB20_1000),
                            quietUntil(APR01_1000));

            SystemDriver expected = driver();
            inOrder.forEach(expected::feed);
            SystemDriver actual = driver();
            outOfOrder.forEach(actual::feed);

            assertThat(actual.admissions()).containsOnly(Admission.ACCEPTED);
            assertThat(expected.firings())
                    .containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB20_1000));
            assertThat(actual.recommendations()).isEqualTo(expected.recommendations());
        }

        @Test
        void positiveReportBehindTheWatermarkMovesTheReferenceAtOnce() {
            // A VM holds a positive report back for up to an hour; when it arrives behind the
            // watermark it still moves the reference, as in-order evaluation would have.
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 5));
            d.feed(quietUntil(JAN20_1000));

            assertThat(d.feed(report(JAN20_1000 - HOUR, 9))).isEqualTo(Admission.ACCEPTED);
            d.feed(quietUntil(MAR01_1000));

            long deadline = shanghai(2026, 2, 20, 9, 0);
            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, deadline));
            assertThat(only(d).getEvidence().getLastBusinessDataAt())
                    .isEqualTo(instant(JAN20_1000 - HOUR));
        }

        @Test
        void olderPositiveReportBehindTheWatermarkDoesNotMoveTheReferenceBack() {
            SystemDriver d = driver();
            d.feed(report(JAN10_1000, 5));
            d.feed(quietUntil(JAN10_1000 + 2 * HOUR));

            assertThat(d.feed(report(JAN10_1000 - HOUR, 9))).isEqualTo(Admission.ACCEPTED);
            d.feed(quietUntil(FEB20_1000));

            assertThat(d.firings()).containsExactly(firing(Rule.NO_BUSINESS_DATA, FEB10_1000));
        }
    }
}
