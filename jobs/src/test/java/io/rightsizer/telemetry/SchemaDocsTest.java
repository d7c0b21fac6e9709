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

    @Test
    void everyFingerprintInTheTableIsTheSchemasOwn() throws Exception {
        String doc = Files.readString(README, StandardCharsets.UTF_8);
        Matcher row =
                Pattern.compile("(?m)^\\| `(\\w+)` \\| `((?:[0-9a-f]{2} ){7}[0-9a-f]{2})`")
                        .matcher(doc);
        java.util.Map<String, String> documented = new java.util.TreeMap<>();
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        java.util.Map<String, String> actual = new java.util.TreeMap<>();
        for (org.apache.avro.Schema schema :
                java.util.List.of(
                        io.rightsizer.schema.MetricSample.getClassSchema(),
                        io.rightsizer.schema.Recommendation.getClassSchema(),
                        io.rightsizer.schema.DeadLetter.getClassSchema(),
                        io.rightsizer.schema.RuleSetEnvelope.getClassSchema(),
                        io.rightsizer.schema.RuleSetStatus.getClassSchema(),
                        io.rightsizer.schema.VmAllocation.getClassSchema(),
                        io.rightsizer.schema.Decision.getClassSchema(),
                        io.rightsizer.schema.RecommendationEvent.getClassSchema(),
                        io.rightsizer.schema.TimeLimitNotice.getClassSchema(),
                        io.rightsizer.schema.DataQualityEvent.getClassSchema())) {
            long f = org.apache.avro.SchemaNormalization.parsingFingerprint64(schema);
            StringBuilder wire = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                wire.append(i == 0 ? "" : " ")
                        .append(String.format("%02x", (f >>> (8 * i)) & 0xff));
            }
            actual.put(schema.getName(), wire.toString());
        }

        assertThat(documented).isEqualTo(actual);
    }
}
