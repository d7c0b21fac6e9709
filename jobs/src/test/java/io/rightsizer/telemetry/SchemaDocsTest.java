package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.MetricSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** The wire-format example in schemas/README.md is what the code reads and writes. */
class SchemaDocsTest {
    private static final Path README = Path.of("..", "schemas", "README.md");

    @Test
    void hexExampleDecodesToTheDocumentedSampleAndIsWhatTheEncoderWrites() throws Exception {
        String doc = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```hex\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).isTrue();
        byte[] bytes = HexFormat.of().parseHex(m.group(1).replaceAll("\\s+", ""));

        SampleJson.Result r = SampleCodec.decode(bytes);
        assertThat(r.ok()).isTrue();
        Sample s = r.sample;
        assertThat(s.vmId).isEqualTo("vm-1");
        assertThat(s.systemId).isEqualTo("sys-1");
        assertThat(s.unitId).isEqualTo("unit-1");
        assertThat(s.timestamp).isEqualTo(1772380800000L);
        assertThat(s.stopped).isFalse();
        assertThat(s.memoryUsedBytes).isEqualTo(12884901888L);
        assertThat(s.memoryTotalBytes).isEqualTo(17179869184L);
        assertThat(s.storageUsedBytes).isEqualTo(42949672960L);
        assertThat(s.storageTotalBytes).isEqualTo(107374182400L);
        assertThat(s.cpuUtilizationPct).isEqualTo(37.5);
        assertThat(s.businessRecords).isEqualTo(120L);

        assertThat(SampleCodec.encode(s)).isEqualTo(bytes);
    }

    @Test
    void documentedFingerprintIsTheSchemasParsingFingerprint() throws Exception {
        String doc = Files.readString(README, StandardCharsets.UTF_8);
        long fp = SchemaNormalization.parsingFingerprint64(MetricSample.getClassSchema());
        assertThat(doc).contains(String.format("`0x%016x`", fp));
        assertThat(doc).contains("`19 3f ef 5a 46 70 2b 91`");
    }
}
