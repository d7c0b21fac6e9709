package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/**
 * Every record type, cut at every byte and with every byte replaced: the decoder returns a record
 * or a {@link SingleObject.DecodeException}, never another exception or an error.
 */
class MalformedRecordsTest {
    private static final byte[] REPLACEMENTS = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff};

    static List<Schema> currentSchemas() throws IOException {
        List<Schema> out = new ArrayList<>();
        try (var files = Files.list(Path.of("../schemas/src/main/avro"))) {
            for (Path f : files.sorted().toList()) {
                out.add(new Schema.Parser().parse(Files.readString(f)));
            }
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static SingleObject.Reader<Object> readerOf(Schema s) {
        Class<? extends SpecificRecord> type = SpecificData.get().getClass(s);
        return (SingleObject.Reader) SingleObject.reader(type);
    }

    /** A record read, or a DecodeException: true when read. */
    static boolean readOrRefuse(SingleObject.Reader<Object> reader, byte[] value, String what) {
        try {
            return reader.read(value) != null;
        } catch (SingleObject.DecodeException expected) {
            return false;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return false;
        }
    }

    @Test
    void everyPrefixOfEveryRecordTypeIsRefusedAsADecodeException() throws IOException {
        int refused = 0;
        for (Schema s : currentSchemas()) {
            SingleObject.Reader<Object> reader = readerOf(s);
            for (Object r : new RandomData(s, 3, 11L)) {
                byte[] valid = SchemaHistoryTest.write(s, (GenericRecord) r);
                assertThat(readOrRefuse(reader, valid, s.getName() + " whole")).isTrue();
                for (int n = 0; n < valid.length; n++) {
                    boolean read =
                            readOrRefuse(
                                    reader, Arrays.copyOf(valid, n), s.getName() + " cut at " + n);
                    assertThat(read)
                            .as("%s cut at %d of %d", s.getName(), n, valid.length)
                            .isFalse();
                    refused++;
                }
            }
        }
        assertThat(refused).isGreaterThan(1000);
    }

    @Test
    void everyByteOfEveryRecordTypeReplacedIsReadOrRefusedNeverAnError() throws IOException {
        int tried = 0;
        for (Schema s : currentSchemas()) {
            SingleObject.Reader<Object> reader = readerOf(s);
            for (Object r : new RandomData(s, 2, 5L)) {
                byte[] valid = SchemaHistoryTest.write(s, (GenericRecord) r);
                for (int i = 0; i < valid.length; i++) {
                    for (byte b : REPLACEMENTS) {
                        byte[] bad = valid.clone();
                        bad[i] = b;
                        readOrRefuse(reader, bad, s.getName() + " byte " + i + " = " + b);
                        tried++;
                    }
                }
            }
        }
        assertThat(tried).isGreaterThan(5000);
    }
}
