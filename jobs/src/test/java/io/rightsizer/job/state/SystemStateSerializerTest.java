package io.rightsizer.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.BusinessReport;
import io.rightsizer.rules.SystemState;
import io.rightsizer.testing.Samples;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's contract for serializers over a new system's state and one with every field set and two
 * pending reports (one without a unit).
 */
class SystemStateSerializerTest extends SerializerTestBase<SystemState> {
    static final long T = Samples.MON_2026_03_02;

    SystemStateSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) -> a instanceof SystemState && b instanceof SystemState,
                                (a, b, checker) ->
                                        StateFixtures.holds(() -> same("deeply equal", a, b))));
    }

    @Override
    protected TypeSerializer<SystemState> createSerializer() {
        return new SystemStateSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SystemState> getTypeClass() {
        return SystemState.class;
    }

    @Override
    protected SystemState[] getTestData() {
        return new SystemState[] {new SystemState(), everyFieldSet()};
    }

    @Override
    protected void deepEquals(String message, SystemState should, SystemState is) {
        same(message, should, is);
    }

    static SystemState everyFieldSet() {
        SystemState s = new SystemState();
        s.pending =
                new BusinessReport[] {
                    BusinessReport.of("sys-1", "unit-1", T + 300_000, 7),
                    BusinessReport.of("sys-1", null, T + 600_000, 0)
                };
        s.lastEvaluatedAt = T;
        s.hasReference = true;
        s.referenceAt = T - Samples.DAY;
        s.referencePositive = true;
        s.referenceUnitId = "unit-ü";
        s.deadline = T + 27 * Samples.DAY;
        s.fired = true;
        s.expiryTimer = T + 42 * Samples.DAY;
        s.deadlineTimer = T + 27 * Samples.DAY;
        s.trackedBy = 1_733_000_000_123L;
        return s;
    }

    static void same(String message, Object should, Object is) {
        assertThat(is).as(message).usingRecursiveComparison().isEqualTo(should);
    }
}
