package io.rightsizer.telemetry;

import static io.rightsizer.telemetry.BoundedDecodingTest.concat;
import static io.rightsizer.telemetry.BoundedDecodingTest.varint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.MetricSample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Replay files (Avro object containers) are read within bounds, whatever they declare. */
class AvroContainerReaderTest {
    static final byte[] SYNC = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static byte[] file(CodecFactory codec, MetricSample... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<MetricSample> w =
                new DataFileWriter<>(new SpecificDatumWriter<>(MetricSample.class))) {
            w.setCodec(codec);
            w.create(MetricSample.getClassSchema(), out);
            for (MetricSample m : records) {
                w.append(m);
            }
        }
        return out.toByteArray();
    }

    static List<MetricSample> readAll(byte[] file) throws IOException {
        List<MetricSample> out = new ArrayList<>();
        try (AvroContainerReader<MetricSample> r =
                new AvroContainerReader<>(new ByteArrayInputStream(file), MetricSample.class)) {
            while (r.hasNext()) {
                out.add(r.next());
            }
        }
        return out;
    }

    /** A container header with the MetricSample schema, no codec, and {@link #SYNC}. */
    static byte[] header() {
        byte[] schema = MetricSample.getClassSchema().toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = "avro.schema".getBytes(StandardCharsets.UTF_8);
        return concat(
                new byte[] {'O', 'b', 'j', 1},
                varint(1),
                varint(key.length),
                key,
                varint(schema.length),
                schema,
                varint(0),
                SYNC);
    }

    static MetricSample sample(String vm) {
        return MetricSample.newBuilder(SampleCodec.toAvro(SampleCodecTest.fullSample()))
                .setVmId(vm)
                .build();
    }

    @Test
    void filesOfTheNullAndDeflateCodecsAreReadAsAvroWritesThem() throws IOException {
        MetricSample a = sample("vm-1");
        MetricSample b = sample("vm-2");

        assertThat(readAll(file(CodecFactory.nullCodec(), a, b))).containsExactly(a, b);
        assertThat(readAll(file(CodecFactory.deflateCodec(6), a, b))).containsExactly(a, b);
    }

    @Test
    void aFileOfAnotherCodecIsRefusedNamingIt() {
        byte[] codecKey = "avro.codec".getBytes(StandardCharsets.UTF_8);
        byte[] schema = MetricSample.getClassSchema().toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = "avro.schema".getBytes(StandardCharsets.UTF_8);
        byte[] withCodec =
                concat(
                        new byte[] {'O', 'b', 'j', 1},
                        varint(2),
                        varint(key.length),
                        key,
                        varint(schema.length),
                        schema,
                        varint(codecKey.length),
                        codecKey,
                        varint(5),
                        "bzip2".getBytes(StandardCharsets.UTF_8),
                        varint(0),
                        SYNC);

        assertThatThrownBy(() -> readAll(withCodec))
                .isInstanceOf(AvroContainerReader.CorruptFileException.class)
                .hasMessage("codec bzip2 is not read (null, Avro's default, and deflate are)");
    }

    @Test
    void aBlockDeclaringTwoGibibytesIsRefusedWithoutAllocatingThem() {
        byte[] hostile = concat(header(), varint(1), varint(Integer.MAX_VALUE), new byte[8]);

        assertThatThrownBy(
                        () ->
                                Assertions.assertTimeoutPreemptively(
                                        Duration.ofSeconds(2), () -> readAll(hostile)))
                .isInstanceOf(AvroContainerReader.CorruptFileException.class)
                .hasMessage(
                        "a block declares 2147483647 bytes, more than the maximum of 67108864 or"
                                + " negative");
    }

    @Test
    void aBlockLargerThanTheRestOfTheFileIsTruncatedNotAllocated() {
        byte[] hostile = concat(header(), varint(1), varint(60_000_000), new byte[8]);

        assertThatThrownBy(() -> readAll(hostile))
                .isInstanceOf(AvroContainerReader.CorruptFileException.class)
                .hasMessage("the file ends inside a block (8 of 60000000 bytes)");
    }

    @Test
    void aRecordDeclaringATwoBillionByteStringIsCorruptNotAnOutOfMemoryError() {
        byte[] body = concat(varint(2_000_000_000L), new byte[3]);
        byte[] hostile = concat(header(), varint(1), varint(body.length), body, SYNC);

        assertThatThrownBy(() -> readAll(hostile))
                .isInstanceOf(AvroContainerReader.CorruptFileException.class)
                .hasMessage(
                        "java.io.IOException: a string declares 2000000000 bytes at byte 5 but"
                                + " only 3 remain");
    }

    @Test
    void moreRecordsThanBytesInABlockAreRefused() {
        byte[] hostile = concat(header(), varint(1_000_000), varint(4), new byte[4], SYNC);

        assertThatThrownBy(() -> readAll(hostile))
                .hasMessage("a block declares 1000000 records in 4 bytes");
    }

    @Test
    void aHeaderValueLongerThanTheMetadataLimitIsRefused() {
        byte[] hostile =
                concat(new byte[] {'O', 'b', 'j', 1}, varint(1), varint(2_000_000_000L), SYNC);

        assertThatThrownBy(() -> readAll(hostile))
                .isInstanceOf(AvroContainerReader.CorruptFileException.class)
                .hasMessage(
                        "the header declares a value of 2000000000 bytes; its metadata may hold at"
                                + " most 1048576");
    }

    @Test
    void everyPrefixOfAFileIsCorruptOrFewerRecordsNeverAnotherException() throws IOException {
        MetricSample a = sample("vm-1");
        byte[] valid = file(CodecFactory.deflateCodec(6), a, sample("vm-2"));
        for (int n = 0; n < valid.length; n++) {
            byte[] cut = Arrays.copyOf(valid, n);
            try {
                assertThat(readAll(cut).size()).as("cut at %d", n).isLessThan(2);
            } catch (AvroContainerReader.CorruptFileException expected) {
                // the reason says where it ends
            }
        }
    }
}
