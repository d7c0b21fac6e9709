package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.MetricSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.RandomData;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every released schema stays readable (schemas/history), and a reader one release behind reads a
 * newer record through the writer-schema header.
 */
class SchemaHistoryTest {
    private static final Path HISTORY = Path.of("../schemas/history");
    private static final Path CURRENT = Path.of("../schemas/src/main/avro");

    static byte[] write(Schema writer, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long fp = SchemaNormalization.parsingFingerprint64(writer);
            out.write(0xC3);
            out.write(1);
            for (int i = 0; i < 8; i++) {
                out.write((int) (fp >>> (8 * i)) & 0xff);
            }
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer).write(record, e);
            e.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Schema parse(Path p) throws IOException {
        return new Schema.Parser().parse(Files.readString(p));
    }

    @Test
    void everyHistoryFileIsAnEarlierVersionOfACurrentRecordThatTheCurrentOneReads()
            throws IOException {
        List<Path> files;
        try (var s = Files.list(HISTORY)) {
            files = s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Schema old = parse(f);
            Path current = CURRENT.resolve(old.getName() + ".avsc");
            assertThat(current).as("%s names a current record", f).exists();
            Schema now = parse(current);
            assertThat(now.getFullName()).isEqualTo(old.getFullName());
            assertThat(SchemaNormalization.parsingFingerprint64(old))
                    .as("%s differs from the current schema", f)
                    .isNotEqualTo(SchemaNormalization.parsingFingerprint64(now));
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(now, old).getType())
                    .as("the current %s reads %s", now.getName(), f)
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void theDecodersKnowEveryHistoryFile() throws IOException {
        Map<String, List<Schema>> loaded =
                SchemaHistory.load(SchemaHistoryTest.class.getClassLoader());
        long files;
        try (var s = Files.list(HISTORY)) {
            files = s.filter(p -> p.toString().endsWith(".avsc")).count();
        }
        assertThat(loaded.values().stream().mapToInt(List::size).sum()).isEqualTo((int) files);
        assertThat(SingleObject.reader(io.rightsizer.schema.Recommendation.class).knownSchemas())
                .isEqualTo(1 + loaded.get("io.rightsizer.schema.Recommendation").size());
    }

    @Test
    void aRecordWrittenWithEachReleasedSchemaDecodesToTheCurrentClass() throws Exception {
        try (var s = Files.list(HISTORY)) {
            for (Path f : s.sorted().toList()) {
                Schema old = parse(f);
                Class<?> type = SpecificData.get().getClass(old);
                @SuppressWarnings({"unchecked", "rawtypes"})
                SingleObject.Reader<Object> reader =
                        (SingleObject.Reader) SingleObject.reader((Class) type);
                for (Object r : new RandomData(old, 20, 7L)) {
                    GenericRecord written = (GenericRecord) r;
                    Object read = reader.read(write(old, written));
                    assertThat(read).isInstanceOf(type);
                    Schema.Field first = old.getFields().get(0);
                    assertThat(String.valueOf(((GenericRecord) read).get(first.name())))
                            .as("%s: %s", f, first.name())
                            .isEqualTo(String.valueOf(written.get(first.name())));
                }
            }
        }
    }

    @Test
    void aFileAddedToTheHistoryIsReadWithoutACodeChange(@TempDir Path dir) throws IOException {
        Path schemas = Files.createDirectories(dir.resolve("schemas/history"));
        Files.copy(CURRENT.resolve("MetricSample.avsc"), dir.resolve("schemas/MetricSample.avsc"));
        Files.writeString(schemas.resolve("Anything-7.avsc"), older().toString());

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Map<String, List<Schema>> loaded = SchemaHistory.load(loader);

            assertThat(loaded).containsOnlyKeys("io.rightsizer.schema.MetricSample");
            assertThat(loaded.get("io.rightsizer.schema.MetricSample")).containsExactly(older());
        }
    }

    @Test
    void aFileAddedToTheHistoryInAJobJarIsRead(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("job.jar");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            entry(
                    out,
                    "schemas/MetricSample.avsc",
                    Files.readString(CURRENT.resolve("MetricSample.avsc")));
            entry(out, "schemas/history/MetricSample-1.avsc", older().toString());
            // Only files directly in the history directory count.
            entry(out, "schemas/history/drafts/MetricSample-9.avsc", "{not a schema");
            entry(out, "schemas/history/README.txt", "not a schema");
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Map<String, List<Schema>> loaded = SchemaHistory.load(loader);

            assertThat(loaded).containsOnlyKeys("io.rightsizer.schema.MetricSample");
            assertThat(loaded.get("io.rightsizer.schema.MetricSample")).containsExactly(older());
        }
    }

    private static void entry(java.util.jar.JarOutputStream out, String name, String text)
            throws IOException {
        out.putNextEntry(new java.util.jar.JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    @Test
    void aHistoryFileThatIsNotASchemaStopsTheJobAtStartNamingIt(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("schemas/history"));
        Files.copy(CURRENT.resolve("MetricSample.avsc"), dir.resolve("schemas/MetricSample.avsc"));
        Files.writeString(dir.resolve("schemas/history/Broken-1.avsc"), "{\"type\": \"recor");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> SchemaHistory.load(loader))
                    .hasMessageStartingWith(
                            "schemas/history/Broken-1.avsc is not a valid Avro schema: ");
        }
    }

    /** MetricSample without its last field, as an "earlier release" would have had it. */
    static Schema older() {
        Schema now = MetricSample.getClassSchema();
        List<Schema.Field> fields =
                now.getFields().subList(0, now.getFields().size() - 1).stream()
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList();
        return Schema.createRecord(now.getName(), null, now.getNamespace(), false, fields);
    }

    // --- one release to the next, both ways, on a copy of a schema with a field added ---

    private static final Schema V1 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"test.evolution\","
                                + "\"fields\":[{\"name\":\"vmId\",\"type\":\"string\"},"
                                + "{\"name\":\"memoryUsedBytes\",\"type\":[\"null\",\"long\"],"
                                + "\"default\":null}]}");
    private static final Schema V2 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"test.evolution\","
                                + "\"fields\":[{\"name\":\"vmId\",\"type\":\"string\"},"
                                + "{\"name\":\"memoryUsedBytes\",\"type\":[\"null\",\"long\"],"
                                + "\"default\":null},{\"name\":\"rackId\",\"type\":\"string\","
                                + "\"default\":\"unknown\"}]}");

    static GenericRecord probe(Schema s, String vmId, Long used) {
        GenericRecord r = new GenericData.Record(s);
        r.put("vmId", vmId);
        r.put("memoryUsedBytes", used);
        if (s.getField("rackId") != null) {
            r.put("rackId", "r-7");
        }
        return r;
    }

    @Test
    void aNewReleaseReadsWhatTheOldOneWroteWithTheAddedFieldsDefault() {
        SingleObject.Reader<Object> v2WithHistory = new SingleObject.Reader<>(V2, List.of(V1));

        GenericRecord read = (GenericRecord) v2WithHistory.read(write(V1, probe(V1, "vm-1", 5L)));

        assertThat(read.get("vmId").toString()).isEqualTo("vm-1");
        assertThat(read.get("memoryUsedBytes")).isEqualTo(5L);
        assertThat(read.get("rackId").toString()).isEqualTo("unknown");
    }

    @Test
    void withoutTheHistoryTheOldFingerprintIsUnknown() {
        SingleObject.Reader<Object> v2Alone = new SingleObject.Reader<>(V2, List.of());

        assertThatThrownBy(() -> v2Alone.read(write(V1, probe(V1, "vm-1", 5L))))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessageStartingWith("unknown writer schema fingerprint: ");
    }

    @Test
    void aReaderOneReleaseBehindReadsANewerRecordThroughItsWriterSchemaHeader() {
        SingleObject.Reader<Object> v1 = new SingleObject.Reader<>(V1, List.of());
        RecordHeaders headers = new RecordHeaders();
        headers.add(SingleObject.WRITER_SCHEMA_HEADER, SingleObject.writerSchemaHeader(V2));

        GenericRecord read = (GenericRecord) v1.read(write(V2, probe(V2, "vm-2", 9L)), headers);

        assertThat(read.getSchema()).isEqualTo(V1);
        assertThat(read.get("vmId").toString()).isEqualTo("vm-2");
        assertThat(read.get("memoryUsedBytes")).isEqualTo(9L);
    }

    @Test
    void aReaderOneReleaseBehindWithoutTheHeaderSaysTheFingerprintIsUnknown() {
        SingleObject.Reader<Object> v1 = new SingleObject.Reader<>(V1, List.of());

        assertThatThrownBy(() -> v1.read(write(V2, probe(V2, "vm-2", 9L))))
                .isInstanceOf(SingleObject.DecodeException.class)
                .hasMessage(
                        "unknown writer schema fingerprint: "
                                + SingleObject.hex(SchemaNormalization.parsingFingerprint64(V2))
                                + " (this release reads 1 version of Probe)");
    }

    @Test
    void aHeaderWithAnotherSchemaThanTheRecordsIsRefused() {
        SingleObject.Reader<Object> v1 = new SingleObject.Reader<>(V1, List.of());
        RecordHeaders lying = new RecordHeaders();
        lying.add(
                SingleObject.WRITER_SCHEMA_HEADER,
                SingleObject.writerSchemaHeader(MetricSample.getClassSchema()));
        RecordHeaders garbage = new RecordHeaders();
        garbage.add(
                SingleObject.WRITER_SCHEMA_HEADER, "{not json".getBytes(StandardCharsets.UTF_8));
        byte[] newer = write(V2, probe(V2, "vm-2", 9L));

        assertThatThrownBy(() -> v1.read(newer, lying))
                .hasMessageContaining(
                        "header is another schema (io.rightsizer.schema.MetricSample");
        assertThatThrownBy(() -> v1.read(newer, garbage))
                .hasMessageEndingWith("its rightsizer.writer-schema header is not a schema");
    }

    @Test
    void theWriterSchemaHeaderIsTheCanonicalFormWhoseFingerprintIsTheRecords() {
        byte[] header = SingleObject.writerSchemaHeader(MetricSample.getClassSchema());
        Schema parsed = new Schema.Parser().parse(new String(header, StandardCharsets.UTF_8));

        assertThat(SchemaNormalization.parsingFingerprint64(parsed))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(MetricSample.getClassSchema()));
        assertThat(header.length).isLessThan(1024);
    }
}
