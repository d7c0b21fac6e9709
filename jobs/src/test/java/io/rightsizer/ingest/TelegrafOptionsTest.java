package io.rightsizer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The ingest.telegraf.* keys: defaults, descriptions, and the check of every value. */
class TelegrafOptionsTest {
    static final TelegrafOptions.Settings DEFAULTS = TelegrafOptions.Settings.defaults();

    @Test
    void defaultsAreTelegrafsOwn() {
        assertThat(TelegrafOptions.ENABLED.defaultValue()).isFalse();
        assertThat(TelegrafOptions.TOPIC.defaultValue()).isEqualTo("telegraf");
        assertThat(DEFAULTS)
                .isEqualTo(
                        new TelegrafOptions.Settings(
                                "auto", "host", Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assertThat(DEFAULTS.intervalMillis()).isEqualTo(10_000);
        assertThat(DEFAULTS.problems("job.yaml: ")).isEmpty();
    }

    @Test
    void everyKeyIsUnderIngestTelegrafAndDescribed() {
        assertThat(TelegrafOptions.ALL)
                .extracting(ConfigOption::key)
                .containsExactly(
                        "ingest.telegraf.enabled",
                        "ingest.telegraf.topic",
                        "ingest.telegraf.format",
                        "ingest.telegraf.vm-tag",
                        "ingest.telegraf.interval",
                        "ingest.telegraf.json-timestamp-units");
        for (ConfigOption<?> o : TelegrafOptions.ALL) {
            assertThat(o.description().toString()).as(o.key()).hasSizeGreaterThan(40);
        }
    }

    @Test
    void valuesAreReadAsFlinkReadsThem() {
        Configuration c = new Configuration();
        c.setString("ingest.telegraf.interval", "1 min");
        c.setString("ingest.telegraf.json-timestamp-units", "1ms");
        assertThat(c.get(TelegrafOptions.INTERVAL)).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.get(TelegrafOptions.JSON_TIMESTAMP_UNITS)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void everyFormatIsAccepted() {
        for (String f : List.of("auto", "json", "influx")) {
            assertThat(DEFAULTS.withFormat(f).problems("")).isEmpty();
        }
    }

    @Test
    void everyPowerOfTenFromANanosecondToASecondIsAUnit() {
        for (long n = 1; n <= 1_000_000_000L; n *= 10) {
            assertThat(DEFAULTS.withJsonTimestampUnits(Duration.ofNanos(n)).problems("")).isEmpty();
        }
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        TelegrafOptions.Settings bad =
                new TelegrafOptions.Settings(
                        "xml", " ", Duration.ofMillis(500), Duration.ofMillis(15));
        assertThat(bad.problems("job.yaml: "))
                .containsExactly(
                        "job.yaml: ingest.telegraf.format: 'xml' is not one of auto, json, influx",
                        "job.yaml: ingest.telegraf.vm-tag is empty: name the tag that holds the"
                                + " vmId",
                        "job.yaml: ingest.telegraf.interval is PT0.5S: allowed from PT1S to PT1H",
                        "job.yaml: ingest.telegraf.json-timestamp-units is PT0.015S: must be a"
                            + " power of ten from 1 ns to 1 s, as Telegraf uses it (Telegraf"
                            + " truncates other values to the power of ten below: 15ms is 10ms)");
    }

    @Test
    void limitsOfIntervalUnitAndTag() {
        assertThat(DEFAULTS.withInterval(Duration.ofSeconds(1)).problems("")).isEmpty();
        assertThat(DEFAULTS.withInterval(Duration.ofHours(1)).problems("")).isEmpty();
        assertThat(DEFAULTS.withInterval(Duration.ofHours(1).plusMillis(1)).problems(""))
                .containsExactly(
                        "ingest.telegraf.interval is PT1H0.001S: allowed from PT1S to PT1H");
        assertThat(DEFAULTS.withInterval(Duration.ofSeconds(1).plusNanos(1)).problems(""))
                .containsExactly(
                        "ingest.telegraf.interval is PT1.000000001S: must be whole milliseconds");
        assertThat(DEFAULTS.withJsonTimestampUnits(Duration.ofSeconds(10)).problems(""))
                .containsExactly(
                        "ingest.telegraf.json-timestamp-units is PT10S: must be a power of ten"
                                + " from 1 ns to 1 s, as Telegraf uses it (Telegraf truncates other"
                                + " values to the power of ten below: 15ms is 10ms)");
        assertThat(DEFAULTS.withJsonTimestampUnits(Duration.ZERO).problems("")).hasSize(1);
        assertThat(DEFAULTS.withVmTag("t".repeat(256)).problems("")).isEmpty();
        assertThat(DEFAULTS.withVmTag("t".repeat(257)).problems(""))
                .containsExactly(
                        "ingest.telegraf.vm-tag is 257 characters long, more than the maximum of"
                                + " 256");
    }

    @Test
    void decodersRefuseSettingsThatWereNotChecked() {
        byte[] record = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TelegrafDecoder.decode(record, -1, DEFAULTS.withFormat("xml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format 'xml' was not checked");
        assertThatThrownBy(
                        () ->
                                TelegrafJson.decode(
                                        record,
                                        -1,
                                        DEFAULTS.withJsonTimestampUnits(Duration.ofMillis(15))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("json timestamp units PT0.015S were not checked");
    }
}
