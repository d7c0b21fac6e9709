package io.rightsizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoLiveTest {
    @Test
    void withoutStayTheDemoStaysUntilStoppedInATerminalAndNotOtherwise() {
        assertThat(DemoLive.stay(null, true)).isEqualTo(DemoLive.UNTIL_STOPPED);
        assertThat(DemoLive.stay(null, false)).isEqualTo(Duration.ZERO);
    }

    @Test
    void stayTakesADurationOrZeroAndRefusesAnythingElse() {
        assertThat(DemoLive.stay("10m", false)).isEqualTo(Duration.ofMinutes(10));
        assertThat(DemoLive.stay("90s", true)).isEqualTo(Duration.ofSeconds(90));
        assertThat(DemoLive.stay("0", true)).isEqualTo(Duration.ZERO);
        assertThat(DemoLive.stay("soon", false)).isNull();
        assertThat(DemoLive.stay("-5m", false)).isNull();
    }
}
