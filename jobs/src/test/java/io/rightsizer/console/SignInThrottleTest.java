package io.rightsizer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String HOME = "10.0.0.1";

    private final SignInThrottle throttle = new SignInThrottle();

    @Test
    void aNameIsHeldBackAfterFiveFailuresUntilTheOldestIsFifteenMinutesOld() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", HOME, T0.plusSeconds(60L * i));
            assertThat(throttle.wait("alice", HOME, T0.plusSeconds(60L * i))).isZero();
        }
        throttle.failed("alice", HOME, T0.plusSeconds(240));

        assertThat(throttle.wait("alice", HOME, T0.plusSeconds(240)))
                .isEqualTo(Duration.ofMinutes(11));
        // From any address: the limit guards the name's password, not the client.
        assertThat(throttle.wait("alice", "10.0.0.2", T0.plusSeconds(240)))
                .isEqualTo(Duration.ofMinutes(11));
        assertThat(throttle.wait("alice", HOME, T0.plus(Duration.ofMinutes(15)).minusMillis(1)))
                .isEqualTo(Duration.ofMillis(1));
        assertThat(throttle.wait("alice", HOME, T0.plus(Duration.ofMinutes(15)))).isZero();
        assertThat(throttle.wait("bob", HOME, T0.plusSeconds(240))).isZero();
    }

    @Test
    void aSuccessClearsItsNamesFailuresButNotItsAddresses() {
        for (int i = 0; i < SignInThrottle.PER_ADDRESS; i++) {
            throttle.failed("user" + i, HOME, T0);
        }
        throttle.succeeded("user0");

        assertThat(throttle.wait("newcomer", HOME, T0)).isEqualTo(SignInThrottle.WINDOW);
        assertThat(throttle.wait("newcomer", "10.0.0.2", T0)).isZero();
    }

    @Test
    void madeUpNamesCannotGrowItBeyondItsBound() {
        for (int i = 0; i < SignInThrottle.MAX_KEYS * 2; i++) {
            throttle.failed("made-up-" + i, "10.1." + (i / 250) + "." + (i % 250), T0);
        }

        assertThat(throttle.keys()).isEqualTo(SignInThrottle.MAX_KEYS);
        // The newest name's failure is still counted.
        throttle.failed("made-up-" + (SignInThrottle.MAX_KEYS * 2 - 1), HOME, T0);
        assertThat(throttle.keys()).isEqualTo(SignInThrottle.MAX_KEYS);
    }
}
