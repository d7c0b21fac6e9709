package io.rightsizer.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.format.DurationText;
import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration and the command line read one grammar ({@link DurationText#parse}); a rule file
 * reads the same but for Flink's long spellings and a bare number ({@link
 * DurationText#parseInRuleFile}).
 */
class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
        "5m, PT5M",
        "5 min, PT5M",
        "42d, PT1008H",
        "2w, PT336H",
        "1h30m, PT1H30M",
        "1 d 12 h, PT36H",
        "PT1H, PT1H",
        "0, PT0S",
        "250, PT0.25S",
        "10 sec, PT10S",
        "10 secs, PT10S",
        "5 minutes, PT5M",
        "2 hours, PT2H",
        "1 day, PT24H",
        "100 millis, PT0.1S",
        "1 ns, PT0.000000001S",
        "3 nanos, PT0.000000003S",
        "250 µs, PT0.00025S",
        "1 micro, PT0.000001S",
        "'  10 S  ', PT10S",
    })
    void theConfigurationAndTheCommandLineReadOneGrammar(String text, String iso) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "250",
                "5 min",
                "10 sec",
                "5 minutes",
                "1 day",
                "2 hours",
                "100 millis",
                "1 ns",
                "250 µs",
                "PT1H"
            })
    void whatFlinksOwnConfigurationReadsIsReadAlike(String text) {
        assertThat(DurationText.parse(text)).isEqualTo(TimeUtils.parseDuration(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "soon",
                "-1h",
                "1.5h",
                "5 mins",
                "1h-30m",
                "P1M",
                "99999999999999999999",
                "99999999999999999w"
            })
    void whatIsNoDurationIsNull(String text) {
        assertThat(DurationText.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"60", "0", "10 sec", "5 minutes", "1 day", "250 µs", "1 ns"})
    void aRuleFileNamesAShortUnit(String text) {
        assertThat(DurationText.parseInRuleFile(text)).isNull();
        assertThat(DurationText.parse(text)).isNotNull();
    }

    @Test
    void aRuleFileReadsTheShortForms() {
        assertThat(DurationText.parseInRuleFile("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parseInRuleFile("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(DurationText.parseInRuleFile("60 m")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parseInRuleFile("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }
}
