package io.rightsizer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InfluxSettingsTest {
    static final String URL = "http://127.0.0.1:8086";

    @Test
    void theDefaultsAreTheOptionsDefaults() {
        InfluxSettings s = InfluxSettings.of(URL, InfluxOptions.DATABASE.defaultValue());

        assertThat(s.batchSize()).isEqualTo(InfluxOptions.BATCH_SIZE.defaultValue());
        assertThat(s.flushInterval()).isEqualTo(InfluxOptions.FLUSH_INTERVAL.defaultValue());
        assertThat(s.bufferCapacity()).isEqualTo(InfluxOptions.BUFFER_CAPACITY.defaultValue());
        assertThat(s.maxRetries()).isEqualTo(InfluxOptions.MAX_RETRIES.defaultValue());
        assertThat(s.retryBackoff()).isEqualTo(InfluxOptions.RETRY_BACKOFF.defaultValue());
        assertThat(s.requestTimeout()).isEqualTo(InfluxOptions.REQUEST_TIMEOUT.defaultValue());
        assertThat(s.drainTimeout()).isEqualTo(InfluxOptions.DRAIN_TIMEOUT.defaultValue());
        assertThat(s.url()).isEqualTo(InfluxOptions.URL.defaultValue());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        InfluxSettings s = InfluxSettings.of(URL, "rightsizer");

        assertThat(s.url()).isEqualTo(URL);
        assertThat(s.database()).isEqualTo("rightsizer");
        assertThat(s.retentionPolicy()).isNull();
        assertThat(s.username()).isNull();
        assertThat(s.password()).isNull();
        assertThat(s.batchSize()).isEqualTo(5000);
        assertThat(s.flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.bufferCapacity()).isEqualTo(100_000);
        assertThat(s.maxRetries()).isEqualTo(5);
        assertThat(s.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.createDatabase()).isTrue();
    }

    @Test
    void withCopiesChangeOneValueAndLeaveTheOriginalAlone() {
        InfluxSettings base = InfluxSettings.of(URL, "rightsizer");
        InfluxSettings changed =
                base.withBatchSize(10)
                        .withRetentionPolicy("one_year")
                        .withCredentials("writer", "secret")
                        .withCreateDatabase(false)
                        .withDrainTimeout(Duration.ZERO);

        assertThat(base.batchSize()).isEqualTo(5000);
        assertThat(base.retentionPolicy()).isNull();
        assertThat(changed.batchSize()).isEqualTo(10);
        assertThat(changed.retentionPolicy()).isEqualTo("one_year");
        assertThat(changed.username()).isEqualTo("writer");
        assertThat(changed.password()).isEqualTo("secret");
        assertThat(changed.createDatabase()).isFalse();
        assertThat(changed.drainTimeout()).isEqualTo(Duration.ZERO);
        assertThat(changed.url()).isEqualTo(URL);
        assertThat(base.withUrl("https://influx.example:8086").url())
                .isEqualTo("https://influx.example:8086");
    }

    @Test
    void theBackoffDoublesFromTheFirstRetryAndStopsAtThirtySeconds() {
        InfluxSettings s = InfluxSettings.of(URL, "db");

        assertThat(s.backoffBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoffBefore(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.backoffBefore(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(s.backoffBefore(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoffBefore(1000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.withRetryBackoff(Duration.ofMinutes(2)).backoffBefore(1))
                .isEqualTo(Duration.ofSeconds(30));
    }

    /** The options' checks, with their messages: what the job's configuration would refuse. */
    @Test
    void invalidValuesAreRefusedWithTheirName() {
        InfluxSettings s = InfluxSettings.of(URL, "db");

        assertThatThrownBy(() -> InfluxSettings.of(" ", "db")).hasMessage("url must be given");
        assertThatThrownBy(() -> InfluxSettings.of("127.0.0.1:8086", "db"))
                .hasMessage("influxdb.url '127.0.0.1:8086' is not an http:// or https:// URL");
        assertThatThrownBy(() -> s.withUrl("localhost:8086"))
                .hasMessage("influxdb.url 'localhost:8086' is not an http:// or https:// URL");
        assertThatThrownBy(() -> s.withDatabase(null)).hasMessage("database must be given");
        assertThatThrownBy(() -> s.withBatchSize(0))
                .hasMessage("influxdb.batch-size is 0: must be at least 1");
        assertThatThrownBy(() -> s.withBufferCapacity(0))
                .hasMessage("influxdb.buffer-capacity is 0: must be at least 1");
        assertThatThrownBy(() -> s.withMaxRetries(-1))
                .hasMessage("influxdb.max-retries is -1: must be at least 0");
        assertThatThrownBy(() -> s.withFlushInterval(Duration.ZERO))
                .hasMessage("influxdb.flush-interval is PT0S: allowed from PT0.01S to PT10M");
        assertThatThrownBy(() -> s.withDrainTimeout(Duration.ofSeconds(-1)))
                .hasMessage("influxdb.drain-timeout is PT-1S: allowed from PT0S to PT1H");
        assertThatThrownBy(() -> s.withCredentials("writer", null))
                .hasMessage(
                        "influxdb.username and influxdb.password go together: give both or"
                                + " neither");
        assertThatThrownBy(() -> s.withRetentionPolicy(""))
                .hasMessage("retentionPolicy must not be blank (null means the database default)");
    }

    @Test
    void travelsInAJobGraphAndNeverShowsThePassword() throws Exception {
        InfluxSettings s = InfluxSettings.of(URL, "db").withCredentials("writer", "s3cret");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        InfluxSettings back;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (InfluxSettings) in.readObject();
        }

        assertThat(back.password()).isEqualTo("s3cret");
        assertThat(back.toString())
                .isEqualTo(
                        "InfluxSettings{url=http://127.0.0.1:8086, database=db,"
                                + " retentionPolicy=(default), user=writer, batchSize=5000,"
                                + " flushInterval=PT1S, bufferCapacity=100000, maxRetries=5,"
                                + " retryBackoff=PT1S, requestTimeout=PT10S, drainTimeout=PT30S,"
                                + " createDatabase=true}");
    }
}
