package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.junit.jupiter.api.Test;

/** The bounded out-of-orderness watermark, emitted on the event that raises it. */
class SampleWatermarksTest {
    static final long BOUND = 5 * 60_000L;
    static final long T = Samples.MON_2026_03_02;

    /** Records what a generator emits, including idleness changes. */
    static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        final List<String> statusChanges = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            statusChanges.add("idle");
        }

        @Override
        public void markActive() {
            statusChanges.add("active");
        }
    }

    static WatermarkGenerator<Ingested> generator() {
        return new SampleWatermarks(Duration.ofMillis(BOUND)).createWatermarkGenerator(null);
    }

    static Ingested sample(long ts) {
        return Ingested.of(Samples.running("vm-1", "sys-1", ts, 50));
    }

    static Ingested rejected() {
        return Ingested.rejected(
                Rejected.of(DeadLetterReason.UNDECODABLE, "not a JSON object", new byte[] {1}));
    }

    static void event(WatermarkGenerator<Ingested> g, Ingested e, long ts, WatermarkOutput out) {
        g.onEvent(e, ts, out);
    }

    @Test
    void emitsMaxMinusBoundMinusOneOnTheEventThatRaisesTheMax() {
        WatermarkGenerator<Ingested> g = generator();
        Recorder out = new Recorder();

        event(g, sample(T), T, out);
        assertThat(out.watermarks).containsExactly(T - BOUND - 1);

        event(g, sample(T + 1), T + 1, out);
        assertThat(out.watermarks).containsExactly(T - BOUND - 1, T - BOUND);
        assertThat(out.statusChanges).isEmpty();
    }

    @Test
    void emitsNothingForAnEventThatDoesNotRaiseTheMax() {
        WatermarkGenerator<Ingested> g = generator();
        Recorder out = new Recorder();
        event(g, sample(T), T, out);

        event(g, sample(T), T, out);
        event(g, sample(T - BOUND), T - BOUND, out);
        event(g, sample(T - 1), T - 1, out);

        assertThat(out.watermarks).containsExactly(T - BOUND - 1);
    }

    @Test
    void emitsNothingOnPeriodicEmit() {
        WatermarkGenerator<Ingested> g = generator();
        Recorder out = new Recorder();
        g.onPeriodicEmit(out);
        event(g, sample(T), T, out);
        g.onPeriodicEmit(out);
        g.onPeriodicEmit(out);

        assertThat(out.watermarks).containsExactly(T - BOUND - 1);
        assertThat(out.statusChanges).isEmpty();
    }

    @Test
    void ignoresRejectedRecordsWhateverTheirTimestamp() {
        WatermarkGenerator<Ingested> g = generator();
        Recorder out = new Recorder();

        event(g, rejected(), T + 1_000_000, out);
        assertThat(out.watermarks).isEmpty();

        event(g, sample(T), T, out);
        event(g, rejected(), Long.MAX_VALUE, out);
        event(g, sample(T + 1), T + 1, out);

        assertThat(out.watermarks).containsExactly(T - BOUND - 1, T - BOUND);
    }

    @Test
    void neverGoesBackwards() {
        WatermarkGenerator<Ingested> g = generator();
        Recorder out = new Recorder();
        long[] arrivals = {T, T + 10, T - 100, T + 5, T + 10, T + 11, T - BOUND, T + 3, T + 12};
        for (long ts : arrivals) {
            event(g, sample(ts), ts, out);
        }

        assertThat(out.watermarks)
                .containsExactly(
                        T - BOUND - 1, T + 10 - BOUND - 1, T + 11 - BOUND - 1, T + 12 - BOUND - 1);
        assertThat(out.watermarks).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void sampleExactlyTheBoundOlderThanTheNewestIsStillAheadOfTheWatermark() {
        WatermarkGenerator<Ingested> g = generator();
        Recorder out = new Recorder();
        event(g, sample(T), T, out);

        long w = out.watermarks.get(out.watermarks.size() - 1);
        assertThat(T - BOUND).isGreaterThan(w);
        assertThat(T - BOUND - 1).isEqualTo(w);
    }

    @Test
    void zeroBoundGivesTheNewestTimestampMinusOne() {
        WatermarkGenerator<Ingested> g =
                new SampleWatermarks(Duration.ZERO).createWatermarkGenerator(null);
        Recorder out = new Recorder();
        event(g, sample(T), T, out);
        event(g, sample(T + 1), T + 1, out);

        assertThat(out.watermarks).containsExactly(T - 1, T);
    }

    @Test
    void timestampIsTheSampleTimeOrTheRecordTimeForRejectedRecords() {
        TimestampAssigner<Ingested> a =
                new SampleWatermarks(Duration.ofMillis(BOUND)).createTimestampAssigner(null);

        assertThat(a.extractTimestamp(sample(T), 42L)).isEqualTo(T);
        assertThat(a.extractTimestamp(rejected(), 42L)).isEqualTo(42L);
    }

    @Test
    void kafkaStrategyWrapsIdlenessOnlyWhenATimeoutIsSet() {
        WatermarkStrategy<Ingested> plain =
                SampleWatermarks.forKafka(Duration.ofMillis(BOUND), Duration.ZERO, Duration.ZERO);
        WatermarkStrategy<Ingested> idle =
                SampleWatermarks.forKafka(
                        Duration.ofMillis(BOUND), Duration.ofMinutes(1), Duration.ZERO);

        assertThat(plain).isInstanceOf(SampleWatermarks.class);
        assertThat(idle).isNotInstanceOf(SampleWatermarks.class);
        assertThat(plain.getAlignmentParameters().isEnabled()).isFalse();
    }

    @Test
    void kafkaStrategyAlignsPartitionsOnlyWhenADriftIsSet() {
        WatermarkStrategy<Ingested> aligned =
                SampleWatermarks.forKafka(
                        Duration.ofMillis(BOUND), Duration.ofMinutes(1), Duration.ofHours(6));

        assertThat(aligned.getAlignmentParameters().isEnabled()).isTrue();
        assertThat(aligned.getAlignmentParameters().getMaxAllowedWatermarkDrift())
                .isEqualTo(Duration.ofHours(6).toMillis());
    }
}
