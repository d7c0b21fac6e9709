package io.rightsizer.job.operators;

import static io.rightsizer.testing.Samples.HOUR;
import static io.rightsizer.testing.Samples.shanghai;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.rules.VmState;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The deadman on its own, without Flink: when it is due, what it reports, and once only. */
class SilenceWatchTest {
    static final String VM = "vm-1";
    static final long T = shanghai(2026, 3, 3, 10, 0);
    static final SilenceWatch WATCH = new SilenceWatch(Duration.ofHours(1));

    /** The state after the rules evaluated {@code last} (as the evaluator leaves it). */
    static VmState after(Sample last) {
        VmState s = new VmState();
        s.lastEvaluatedAt = last.timestamp;
        s.systemId = last.systemId;
        s.unitId = last.unitId;
        assertThat(WATCH.evaluated(VM, s, last)).isNull();
        return s;
    }

    @Test
    void aRunningVmIsDueTheSilencePeriodAfterItsLastSample() {
        VmState s = after(Samples.running(VM, "sys-1", T, 50));
        assertThat(WATCH.due(s)).isEqualTo(T + HOUR);
        assertThat(WATCH.check(VM, s, T + HOUR - 1)).isNull();
        assertThat(s.silenceReported).isFalse();
    }

    @Test
    void atItsDueInstantTheSilenceIsReportedOnceAndIsDueNoMore() {
        VmState s = after(Samples.running(VM, "sys-1", T, 50));

        DataQualityEvent e = WATCH.check(VM, s, T + HOUR);

        assertThat(e.getKind()).isEqualTo(DataQualityKind.TELEMETRY_SILENT);
        assertThat(e.getVmId()).isEqualTo(VM);
        assertThat(e.getSystemId()).isEqualTo("sys-1");
        assertThat(e.getLastSampleAt()).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(e.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(T + HOUR));
        assertThat(e.getSilentForMillis()).isEqualTo(HOUR);
        assertThat(s.silenceReported).isTrue();
        assertThat(s.silentAfter).isEqualTo(T);
        assertThat(WATCH.due(s)).isEqualTo(Long.MAX_VALUE);
        assertThat(WATCH.check(VM, s, T + 5 * HOUR)).isNull();
    }

    @Test
    void theNextEvaluatedSampleResumesAReportedSilence() {
        VmState s = after(Samples.running(VM, "sys-1", T, 50));
        WATCH.check(VM, s, T + 2 * HOUR);
        long back = T + 3 * HOUR;
        s.lastEvaluatedAt = back;

        DataQualityEvent e = WATCH.evaluated(VM, s, Samples.running(VM, "sys-1", back, 50));

        assertThat(e.getKind()).isEqualTo(DataQualityKind.TELEMETRY_RESUMED);
        assertThat(e.getLastSampleAt()).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(e.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(back));
        assertThat(e.getSilentForMillis()).isEqualTo(back - T);
        assertThat(s.silenceReported).isFalse();
        assertThat(s.silentAfter).isEqualTo(VmState.NONE);
        assertThat(WATCH.due(s)).isEqualTo(back + HOUR);
    }

    @Test
    void aStoppedVmIsNeverDue() {
        VmState s = after(Samples.stopped(VM, "sys-1", T));
        assertThat(s.lastStopped).isTrue();
        assertThat(WATCH.due(s)).isEqualTo(Long.MAX_VALUE);
        assertThat(WATCH.check(VM, s, T + 10 * HOUR)).isNull();
    }

    @Test
    void aVmWithNoEvaluatedSampleIsNeverDue() {
        assertThat(WATCH.due(new VmState())).isEqualTo(Long.MAX_VALUE);
        assertThat(WATCH.check(VM, new VmState(), T)).isNull();
    }

    @Test
    void withoutAWatchNothingIsEverDueButStoppedIsRemembered() {
        SilenceWatch off = new SilenceWatch(null);
        VmState s = new VmState();
        s.lastEvaluatedAt = T;
        assertThat(off.evaluated(VM, s, Samples.stopped(VM, "sys-1", T))).isNull();
        assertThat(s.lastStopped).isTrue();
        s.lastStopped = false;
        assertThat(off.due(s)).isEqualTo(Long.MAX_VALUE);
        assertThat(off.check(VM, s, T + 100 * HOUR)).isNull();
        assertThat(new SilenceWatch(Duration.ZERO).due(s)).isEqualTo(Long.MAX_VALUE);
        assertThat(WATCH.due(s)).isEqualTo(T + HOUR);
    }
}
