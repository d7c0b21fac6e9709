package io.rightsizer.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.ingest.prometheus.RemoteWrite.BadRequestException;
import io.rightsizer.ingest.prometheus.RemoteWrite.Limits;
import io.rightsizer.ingest.prometheus.RemoteWrite.Point;
import io.rightsizer.ingest.prometheus.RemoteWrite.Series;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteWriteTest {
    private static final Limits LIMITS = Limits.defaults();

    /**
     * WriteRequest{timeseries: [{labels: [{__name__, "up"}, {job, "n"}], samples: [{value: 1.0,
     * timestamp: 1000}]}]}, encoded by hand.
     */
    private static final byte[] KNOWN =
            HexFormat.of()
                    .parseHex(
                            "0a28" // field 1 (timeseries), 40 bytes
                                    + "0a0e" // field 1 (label), 14 bytes
                                    + "0a08"
                                    + "5f5f6e616d655f5f" // name "__name__"
                                    + "1202"
                                    + "7570" // value "up"
                                    + "0a08" // label, 8 bytes
                                    + "0a03"
                                    + "6a6f62" // name "job"
                                    + "1201"
                                    + "6e" // value "n"
                                    + "120c" // field 2 (sample), 12 bytes
                                    + "09"
                                    + "000000000000f03f" // value 1.0, fixed64
                                    + "10"
                                    + "e807"); // timestamp 1000, varint

    @Test
    void readsAHandEncodedRequest() throws Exception {
        assertThat(RemoteWrite.parse(KNOWN, LIMITS))
                .containsExactly(
                        new Series(
                                Map.of("__name__", "up", "job", "n"),
                                List.of(new Point(1000, 1.0))));
    }

    @Test
    void aSnappyBodyDecodesToTheSameRequest() throws Exception {
        assertThat(RemoteWrite.decode(PromWire.compress(KNOWN), LIMITS))
                .isEqualTo(RemoteWrite.parse(KNOWN, LIMITS));
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() throws Exception {
        PromWire ts = new PromWire();
        ts.message(1, new PromWire().str(1, "__name__").str(2, "m").varint(7, 5));
        ts.message(2, new PromWire().fixed64(1, Double.doubleToRawLongBits(2.5)).varint(2, 7));
        ts.message(3, new PromWire().str(1, "an exemplar")); // exemplars
        ts.message(4, new PromWire().varint(1, 3)); // a native histogram
        ts.fixed32(9, 42);
        PromWire req = new PromWire().message(1, ts);
        req.message(3, new PromWire().varint(1, 1).str(2, "m").str(4, "help")); // metadata
        req.fixed64(15, 1L);
        assertThat(RemoteWrite.parse(req.toByteArray(), LIMITS))
                .containsExactly(new Series(Map.of("__name__", "m"), List.of(new Point(7, 2.5))));
    }

    @Test
    void aSeriesWithoutFloatSamplesIsLeftOut() throws Exception {
        PromWire ts = new PromWire().message(1, new PromWire().str(1, "__name__").str(2, "h"));
        ts.message(4, new PromWire().varint(1, 3));
        assertThat(RemoteWrite.parse(new PromWire().message(1, ts).toByteArray(), LIMITS))
                .isEmpty();
    }

    @Test
    void aNegativeTimestampReadsAsNegative() throws Exception {
        byte[] b = new PromWire().series(Map.of("__name__", "m"), -5, 1.0).toByteArray();
        assertThat(RemoteWrite.parse(b, LIMITS).get(0).points())
                .containsExactly(new Point(-5, 1.0));
    }

    @Test
    void everyTruncationIsABadRequestOrAShorterValidMessage() {
        for (int n = 0; n < KNOWN.length; n++) {
            byte[] prefix = Arrays.copyOf(KNOWN, n);
            try {
                List<Series> s = RemoteWrite.parse(prefix, LIMITS);
                assertThat(n).as("only the empty prefix is a whole message").isZero();
                assertThat(s).isEmpty();
            } catch (BadRequestException e) {
                assertThat(e.status).isEqualTo(400);
                assertThat(e.getMessage()).startsWith("not a protobuf prometheus.WriteRequest: ");
            }
        }
    }

    @Test
    void aLengthBeyondTheBytesLeftIsRefusedBeforeAllocating() {
        byte[] b = new PromWire().key(1, 2).rawVarint(0x7fffffffL).toByteArray();
        assertThatThrownBy(() -> RemoteWrite.parse(b, LIMITS))
                .isInstanceOf(BadRequestException.class)
                .hasMessage(
                        "not a protobuf prometheus.WriteRequest: length 2147483647 of field 1"
                                + " exceeds the 0 bytes left at byte 6");
    }

    @Test
    void aVarintOfMoreThanTenBytesIsRefused() {
        byte[] b = new byte[12];
        Arrays.fill(b, (byte) 0xff);
        assertThatThrownBy(() -> RemoteWrite.parse(b, LIMITS))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("varint longer than 10 bytes");
    }

    @Test
    void groupsAndWrongWireTypesAreRefused() {
        byte[] group = new PromWire().key(5, 3).toByteArray();
        assertThatThrownBy(() -> RemoteWrite.parse(group, LIMITS))
                .hasMessageContaining("field 5 has wire type 3");
        // A sample's value as a varint instead of a double.
        PromWire ts = new PromWire().message(2, new PromWire().varint(1, 1));
        byte[] wrong = new PromWire().message(1, ts).toByteArray();
        assertThatThrownBy(() -> RemoteWrite.parse(wrong, LIMITS))
                .hasMessageContaining("field 1 has wire type 0, expected 1");
    }

    @Test
    void aRepeatedLabelNameIsABadRequest() {
        PromWire ts = new PromWire();
        ts.message(1, new PromWire().str(1, "a").str(2, "1"));
        ts.message(1, new PromWire().str(1, "a").str(2, "2"));
        byte[] b = new PromWire().message(1, ts).toByteArray();
        assertThatThrownBy(() -> RemoteWrite.parse(b, LIMITS))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("WriteRequest: label 'a' repeats within a series");
    }

    @Test
    void moreSeriesThanTheLimitIs413() {
        Limits two = new Limits(1 << 20, 1 << 20, 2, 100, 10, 100);
        PromWire req = new PromWire();
        for (int i = 0; i < 3; i++) {
            req.series(Map.of("__name__", "m" + i), 1, 1);
        }
        assertThatThrownBy(() -> RemoteWrite.parse(req.toByteArray(), two))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.status).isEqualTo(413))
                .hasMessage("WriteRequest: more than the maximum of 2 series");
    }

    @Test
    void moreSamplesOrLabelsThanTheLimitIs413() {
        Limits small = new Limits(1 << 20, 1 << 20, 10, 2, 2, 100);
        PromWire samples = new PromWire();
        for (int i = 0; i < 3; i++) {
            samples.series(Map.of("__name__", "m" + i), 1, 1);
        }
        assertThatThrownBy(() -> RemoteWrite.parse(samples.toByteArray(), small))
                .hasMessage("WriteRequest: more than the maximum of 2 samples");
        byte[] labels =
                new PromWire()
                        .series(Map.of("__name__", "m", "a", "1", "b", "2"), 1, 1)
                        .toByteArray();
        assertThatThrownBy(() -> RemoteWrite.parse(labels, small))
                .hasMessage("WriteRequest: a series has more than the maximum of 2 labels");
    }

    @Test
    void aLabelLongerThanTheLimitIs413() {
        Limits small = new Limits(1 << 20, 1 << 20, 10, 10, 10, 8);
        byte[] b =
                new PromWire()
                        .series(Map.of("__name__", "m", "vm_id", "123456789"), 1, 1)
                        .toByteArray();
        assertThatThrownBy(() -> RemoteWrite.parse(b, small))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.status).isEqualTo(413))
                .hasMessage(
                        "WriteRequest: a label value is 9 bytes long, more than the maximum of 8");
    }

    @Test
    void anAnnouncedUncompressedLengthOverTheLimitIsRefusedBeforeDecompressing() {
        // Snappy's header is the uncompressed length as a varint: 1 GiB, then no data at all.
        byte[] body = new PromWire().rawVarint(1L << 30).toByteArray();
        assertThatThrownBy(() -> RemoteWrite.decode(body, LIMITS))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.status).isEqualTo(413))
                .hasMessage(
                        "body uncompresses to 1073741824 bytes, more than the maximum of 33554432");
    }

    @Test
    void aBodyOverTheCompressedLimitIs413() {
        Limits tiny = new Limits(10, 1 << 20, 10, 10, 10, 10);
        assertThatThrownBy(() -> RemoteWrite.decode(PromWire.compress(KNOWN), tiny))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.status).isEqualTo(413));
    }

    @Test
    void aBodyThatIsNotSnappyIs400() {
        // Uncompressed protobuf: snappy reads a length, then finds no valid block.
        assertThatThrownBy(() -> RemoteWrite.decode(KNOWN, LIMITS))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.status).isEqualTo(400))
                .hasMessageStartingWith("body is not snappy block-compressed: ");
        assertThatThrownBy(() -> RemoteWrite.decode(new byte[0], LIMITS))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.status).isEqualTo(400));
    }
}
