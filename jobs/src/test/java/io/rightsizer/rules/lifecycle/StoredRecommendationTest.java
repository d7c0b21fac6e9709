package io.rightsizer.rules.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.Recommendation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/**
 * The recommendation a lifecycle entry keeps in state is read back with every released schema: a
 * savepoint of an earlier release restores into reminders, not a restart loop.
 */
class StoredRecommendationTest {
    static byte[] singleObject(Schema writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long fp = SchemaNormalization.parsingFingerprint64(writer);
        out.write(0xC3);
        out.write(1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)) & 0xff);
        }
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(record, e);
        e.flush();
        return out.toByteArray();
    }

    @Test
    void aRecommendationStoredByEachEarlierReleaseIsRead() throws IOException {
        for (String file : new String[] {"Recommendation-1.avsc", "Recommendation-2.avsc"}) {
            Schema released =
                    new Schema.Parser()
                            .parse(Files.readString(Path.of("../schemas/history", file)));
            GenericRecord stored =
                    (GenericRecord) new RandomData(released, 1, 3L).iterator().next();

            Recommendation r = Lifecycle.decode(singleObject(released, stored));

            assertThat(r.getRecommendationId())
                    .as(file)
                    .isEqualTo(stored.get("recommendationId").toString());
            assertThat(r.getRuleId()).as(file).isEqualTo(stored.get("ruleId").toString());
            assertThat(r.getReminder()).as(file).isFalse(); // added since: the default
        }
    }

    @Test
    void aStoredRecommendationOfThisReleaseRoundTrips() {
        Recommendation r = LifecycleFixtures.weeklyAverage(LifecycleFixtures.FIRED);

        assertThat(Lifecycle.decode(Lifecycle.encode(r))).isEqualTo(r);
    }

    @Test
    void storedBytesOfNoKnownSchemaAreAnIllegalArgumentNamingTheFingerprint() {
        byte[] bytes = Lifecycle.encode(LifecycleFixtures.weeklyAverage(LifecycleFixtures.FIRED));
        bytes[2] ^= 0x01;

        assertThatThrownBy(() -> Lifecycle.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown writer schema fingerprint: ");
    }
}
