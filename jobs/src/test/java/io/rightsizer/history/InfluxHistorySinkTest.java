package io.rightsizer.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The sink writer's contract with Flink, without a cluster: checkpoints never wait. */
class InfluxHistorySinkTest {

    static String deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void aCheckpointFlushReturnsAtOnceWithPointsStillBuffered() throws Exception {
        InfluxSettings settings =
                InfluxSettings.of(deadUrl(), "down")
                        .withMaxRetries(1000)
                        .withRetryBackoff(Duration.ofMillis(100))
                        .withDrainTimeout(Duration.ofMillis(300));
        InfluxHistorySink.Writer writer =
                new InfluxHistorySink.Writer(settings, new UnregisteredMetricsGroup());
        try {
            for (int i = 0; i < 100; i++) {
                writer.write("m v=" + i + "i " + i, null);
            }

            long start = System.nanoTime();
            writer.flush(false);
            Duration checkpoint = Duration.ofNanos(System.nanoTime() - start);

            assertThat(checkpoint).isLessThan(Duration.ofMillis(100));
            assertThat(writer.writer().bufferedPoints()).isEqualTo(100);

            start = System.nanoTime();
            writer.flush(true);
            Duration endOfInput = Duration.ofNanos(System.nanoTime() - start);

            assertThat(endOfInput).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
            assertThat(writer.writer().bufferedPoints()).isEqualTo(100);
        } finally {
            long start = System.nanoTime();
            writer.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("close after the end of input does not drain again")
                    .isLessThan(Duration.ofSeconds(2));
        }
        assertThat(writer.writer().pointsDropped()).isEqualTo(100);
        assertThat(writer.writer().bufferedPoints()).isZero();
    }

    @Test
    void theSinkTravelsInTheJobGraphWithItsSettings() throws Exception {
        InfluxHistorySink sink = new InfluxHistorySink(InfluxSettings.of(deadUrl(), "db"));

        InfluxHistorySink copy =
                org.apache.flink.util.InstantiationUtil.clone(sink, getClass().getClassLoader());

        assertThat(copy.settings().toString()).isEqualTo(sink.settings().toString());
    }
}
