package io.rightsizer.rules;

import static io.rightsizer.testing.Allocations.active;
import static io.rightsizer.testing.Allocations.window;
import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.SHANGHAI;
import static io.rightsizer.testing.Samples.shanghai;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After a change of size the weekly rules wait for the first week starting at or after it
 * (rules/README.md, "Inventory"), and protection windows hold [from, until): pure, without Flink.
 */
class ResizedWeeksTest {
    /** The defaults, except that the weekly rules judge a week with any covered hour. */
    static final RuleSet RULES =
            new RuleSet(
                    "resize-test",
                    "weekly rules on any covered hour",
                    SHANGHAI,
                    new RuleSet.WeeklyAverage(true, 70, 0),
                    RuleSet.HourlyPeaks.DEFAULT,
                    RuleSet.StorageUsage.DEFAULT,
                    new RuleSet.WeeklyUnderuse(true, 30, 50, 0),
                    RuleSet.VmInactive.DEFAULT,
                    RuleSet.NoBusinessData.DEFAULT);

    static final long MONDAY = shanghai(2026, 3, 2, 0, 0);
    static final long NEXT_MONDAY = shanghai(2026, 3, 9, 0, 0);
    static final long MONDAY_AFTER = shanghai(2026, 3, 16, 0, 0);

    static long judgeFromAfterResizeAt(long at) {
        VmState s = new VmState();
        new VmEvaluator(RULES).resized(s, at);
        return s.judgeWeeksFrom;
    }

    static Sample at75(long ts, long memoryTotal) {
        Sample s = Samples.running(Fixtures.VM, "sys-1", ts, 75);
        s.memoryTotalBytes = memoryTotal;
        s.memoryUsedBytes = memoryTotal * 3 / 4;
        return s;
    }

    @Test
    void aResizeInTheWeekDefersJudgingToTheNextMonday() {
        assertThat(judgeFromAfterResizeAt(MONDAY + DAY + 10 * HOUR)).isEqualTo(NEXT_MONDAY);
        assertThat(judgeFromAfterResizeAt(NEXT_MONDAY - 1)).isEqualTo(NEXT_MONDAY);
        assertThat(judgeFromAfterResizeAt(MONDAY + 1)).isEqualTo(NEXT_MONDAY);
    }

    @Test
    void aResizeAtExactlyMondayMidnightLetsThatWeekBeJudged() {
        assertThat(judgeFromAfterResizeAt(MONDAY)).isEqualTo(MONDAY);
    }

    @Test
    void theFirstJudgedWeekNeverMovesBack() {
        VmState s = new VmState();
        VmEvaluator e = new VmEvaluator(RULES);

        e.resized(s, NEXT_MONDAY + DAY);
        e.resized(s, MONDAY + DAY);

        assertThat(s.judgeWeeksFrom).isEqualTo(MONDAY_AFTER);
    }

    @Test
    void aNewMemoryTotalInTheSamplesSkipsItsWeekAndTheNextWeekIsJudged() {
        VmDriver d = new VmDriver(RULES);

        d.feedAll(
                at75(MONDAY + DAY, 16 * GIB),
                at75(MONDAY + 2 * DAY, 32 * GIB),
                at75(NEXT_MONDAY + DAY, 32 * GIB),
                at75(MONDAY_AFTER + DAY, 32 * GIB));

        assertThat(d.state.judgeWeeksFrom).isEqualTo(NEXT_MONDAY);
        assertThat(d.firings()).containsExactly(Firing.firing(Rule.WEEKLY_AVERAGE, MONDAY_AFTER));
    }

    @Test
    void theSameTotalIsNoResize() {
        VmDriver d = new VmDriver(RULES);

        d.feedAll(at75(MONDAY + DAY, 16 * GIB), at75(NEXT_MONDAY + DAY, 16 * GIB));

        assertThat(d.state.judgeWeeksFrom).isEqualTo(VmState.NONE);
        assertThat(d.firings()).containsExactly(Firing.firing(Rule.WEEKLY_AVERAGE, NEXT_MONDAY));
    }

    @Test
    void aProtectionWindowHoldsFromInclusiveToUntilExclusive() {
        VmInventory inv = new VmInventory();
        inv.apply(
                active("vm-1", "sys-1")
                        .setProtectionWindows(List.of(window(MONDAY, NEXT_MONDAY)))
                        .build(),
                MONDAY,
                null);

        assertThat(inv.protects(MONDAY - 1)).isFalse();
        assertThat(inv.protects(MONDAY)).isTrue();
        assertThat(inv.protects(NEXT_MONDAY - 1)).isTrue();
        assertThat(inv.protects(NEXT_MONDAY)).isFalse();
        assertThat(inv.memoryBytes).isEqualTo(16 * GIB);
        assertThat(inv.periods).isEmpty();
    }
}
