package io.rightsizer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void quotesOnlyFieldsWithACommaQuoteOrLineBreakAndDoublesTheQuotes() {
        assertThat(
                        Csv.line(
                                Arrays.asList(
                                        "plain",
                                        "a, b",
                                        "say \"hi\"",
                                        "two\nlines",
                                        "cr\r",
                                        "",
                                        null)))
                .isEqualTo("plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",,\r\n");
    }

    @Test
    void percentagesHaveOneDecimalWithADotAndNothingForNoFigure() {
        assertThat(List.of(Csv.pct(54.0), Csv.pct(430.0 / 7), Csv.pct(99.96), Csv.pct(0.0)))
                .containsExactly("54.0", "61.4", "100.0", "0.0");
        assertThat(Csv.pct(null)).isEmpty();
    }
}
