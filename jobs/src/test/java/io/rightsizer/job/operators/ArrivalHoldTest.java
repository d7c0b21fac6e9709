package io.rightsizer.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.model.Sample;
import io.rightsizer.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap hold of vm-rules' arrivals: per VM in arrival order, woken earliest first. */
class ArrivalHoldTest {
    static final long T = Samples.MON_2026_03_02;

    static Sample at(String vm, long ts) {
        return Samples.running(vm, "sys", ts, 50);
    }

    /** Wakes as the operator does: each wake-up takes the VM's samples. */
    static List<Object> wake(ArrivalHold<Sample> hold, long watermark) throws Exception {
        List<Object> woken = new ArrayList<>();
        hold.fireDue(
                watermark,
                (key, ts) -> {
                    List<Long> taken = new ArrayList<>();
                    for (Sample x : hold.take(key)) {
                        taken.add(x.timestamp - T);
                    }
                    woken.add(tuple(key, ts - T, taken));
                });
        return woken;
    }

    @Test
    void theWatermarkWakesEachVmWhoseEarliestSampleItPassedEarliestFirst() throws Exception {
        ArrivalHold<Sample> hold = new ArrivalHold<Sample>(100, x -> x.timestamp);
        hold.offer("b", at("b", T + 20));
        hold.offer("a", at("a", T + 10));
        hold.offer("a", at("a", T + 40));
        hold.offer("c", at("c", T + 30));

        assertThat(wake(hold, T + 20))
                .containsExactly(tuple("a", 10L, List.of(10L, 40L)), tuple("b", 20L, List.of(20L)));
        assertThat(hold.size()).isEqualTo(1);
        assertThat(wake(hold, T + 29)).isEmpty();
        assertThat(wake(hold, T + 30)).containsExactly(tuple("c", 30L, List.of(30L)));
        assertThat(hold.size()).isZero();
    }

    @Test
    void aSampleEarlierThanTheVmsHeldOnesMovesItsWakeUpEarlier() throws Exception {
        ArrivalHold<Sample> hold = new ArrivalHold<Sample>(100, x -> x.timestamp);
        hold.offer("a", at("a", T + 50));
        hold.offer("a", at("a", T + 5));

        // Woken at the earlier one, once; its first place in the queue is then stale.
        assertThat(wake(hold, T + 10)).containsExactly(tuple("a", 5L, List.of(50L, 5L)));
        assertThat(wake(hold, T + 60)).isEmpty();
    }

    @Test
    void aVmWhoseSamplesWereTakenBeforeTheWatermarkIsNotWokenForThem() throws Exception {
        ArrivalHold<Sample> hold = new ArrivalHold<Sample>(100, x -> x.timestamp);
        hold.offer("a", at("a", T + 10));
        assertThat(hold.take("a")).extracting(x -> x.timestamp).containsExactly(T + 10);
        hold.offer("a", at("a", T + 30));

        assertThat(wake(hold, T + 20)).isEmpty();
        assertThat(wake(hold, T + 30)).containsExactly(tuple("a", 30L, List.of(30L)));
        assertThat(hold.take("a")).isNull();
    }

    @Test
    void takingAVmsSamplesKeepsTheirArrivalOrder() {
        ArrivalHold<Sample> hold = new ArrivalHold<Sample>(100, x -> x.timestamp);
        hold.offer("a", at("a", T + 30));
        hold.offer("a", at("a", T + 10));
        hold.offer("a", at("a", T + 20));

        assertThat(hold.take("a")).extracting(x -> x.timestamp - T).containsExactly(30L, 10L, 20L);
        assertThat(hold.size()).isZero();
        assertThat(hold.take("a")).isNull();
    }

    @Test
    void aFullHoldRefusesUntilSamplesAreTaken() {
        ArrivalHold<Sample> hold = new ArrivalHold<Sample>(2, x -> x.timestamp);
        assertThat(hold.offer("a", at("a", T + 1))).isTrue();
        assertThat(hold.offer("b", at("b", T + 2))).isTrue();

        assertThat(hold.offer("a", at("a", T + 3))).isFalse();
        assertThat(hold.keys()).containsExactlyInAnyOrder("a", "b");
        hold.take("a");
        assertThat(hold.offer("c", at("c", T + 3))).isTrue();
        assertThat(hold.keys()).containsExactlyInAnyOrder("b", "c");
        assertThat(hold.size()).isEqualTo(2);
    }

    @Test
    void aHoldHoldsAtLeastOneSample() {
        assertThatThrownBy(() -> new ArrivalHold<Sample>(0, x -> x.timestamp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 1: 0");
    }
}
