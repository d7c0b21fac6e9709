package io.rightsizer.ingest.prometheus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * The body of a Prometheus remote write 1.0 request: a snappy block-compressed {@code
 * prometheus.WriteRequest} (prompb/remote.proto, types.proto). Only what the mapping needs is kept:
 * each time series' labels and float samples. Exemplars, native histograms and metric metadata are
 * skipped; so is any field a later version adds.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: epoch milliseconds
 * </pre>
 */
public final class RemoteWrite {
    private RemoteWrite() {}

    /**
     * How much one request may hold. Checked while reading, before the memory is taken: the
     * uncompressed length from snappy's header before decompressing, each string's length before it
     * is made.
     */
    public record Limits(
            int maxCompressedBytes,
            int maxUncompressedBytes,
            int maxSeries,
            int maxSamples,
            int maxLabelsPerSeries,
            int maxLabelBytes) {
        /**
         * 4 MiB on the wire, 32 MiB uncompressed, 100 000 series and 200 000 samples: at
         * Prometheus' largest usual {@code max_samples_per_send} (a few thousand) a request is a
         * few MB uncompressed, so these only stop what is not a Prometheus batch.
         */
        public static Limits defaults() {
            return new Limits(4 << 20, 32 << 20, 100_000, 200_000, 128, 4096);
        }
    }

    /** One float sample: epoch milliseconds and the value (a NaN may be a staleness marker). */
    public record Point(long timestamp, double value) {}

    /** One time series: its labels (unique names, {@code __name__} the metric) and samples. */
    public record Series(Map<String, String> labels, List<Point> points) {
        public String name() {
            return labels.getOrDefault("__name__", "");
        }

        public String label(String name) {
            return labels.get(name);
        }
    }

    /**
     * A request that is not a valid remote write 1.0 body, or beyond the limits: the sender must
     * not retry it (HTTP {@link #status}).
     */
    public static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;
        public final int status;

        BadRequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Decompresses and decodes a request body. */
    public static List<Series> decode(byte[] body, Limits limits) throws BadRequestException {
        return parse(uncompress(body, limits), limits);
    }

    /** The snappy block-format body, uncompressed, its announced length checked first. */
    static byte[] uncompress(byte[] body, Limits limits) throws BadRequestException {
        if (body.length > limits.maxCompressedBytes()) {
            throw new BadRequestException(
                    413,
                    "body is "
                            + body.length
                            + " bytes, more than the maximum of "
                            + limits.maxCompressedBytes());
        }
        int length;
        try {
            length = Snappy.uncompressedLength(body);
        } catch (IOException | RuntimeException e) {
            throw new BadRequestException(
                    400, "body is not snappy block-compressed: " + e.getMessage());
        }
        if (length < 0 || length > limits.maxUncompressedBytes()) {
            throw new BadRequestException(
                    413,
                    "body uncompresses to "
                            + Integer.toUnsignedString(length)
                            + " bytes, more than the maximum of "
                            + limits.maxUncompressedBytes());
        }
        byte[] out = new byte[length];
        try {
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw new IOException("invalid snappy block");
            }
            int n = Snappy.uncompress(body, 0, body.length, out, 0);
            if (n != length) {
                throw new IOException("uncompressed " + n + " bytes, header said " + length);
            }
        } catch (IOException | RuntimeException e) {
            throw new BadRequestException(
                    400, "body is not snappy block-compressed: " + e.getMessage());
        }
        return out;
    }

    /** Decodes an uncompressed {@code WriteRequest}. */
    static List<Series> parse(byte[] message, Limits limits) throws BadRequestException {
        List<Series> out = new ArrayList<>();
        int[] samples = {0};
        try {
            ProtoReader r = new ProtoReader(message);
            while (r.hasMore()) {
                r.next();
                if (r.field() == 1) {
                    if (out.size() >= limits.maxSeries()) {
                        throw new ProtoReader.LimitException(
                                "more than the maximum of " + limits.maxSeries() + " series");
                    }
                    Series s = series(r.readMessage(), limits, samples);
                    if (!s.points().isEmpty()) {
                        out.add(s);
                    }
                } else {
                    r.skip();
                }
            }
        } catch (ProtoReader.LimitException e) {
            throw new BadRequestException(413, "WriteRequest: " + e.getMessage());
        } catch (ProtoReader.MalformedException e) {
            throw new BadRequestException(
                    400, "not a protobuf prometheus.WriteRequest: " + e.getMessage());
        }
        return out;
    }

    private static Series series(ProtoReader r, Limits limits, int[] samples)
            throws BadRequestException {
        Map<String, String> labels = new HashMap<>();
        List<Point> points = new ArrayList<>(1);
        while (r.hasMore()) {
            r.next();
            switch (r.field()) {
                case 1 -> {
                    if (labels.size() >= limits.maxLabelsPerSeries()) {
                        throw new ProtoReader.LimitException(
                                "a series has more than the maximum of "
                                        + limits.maxLabelsPerSeries()
                                        + " labels");
                    }
                    label(r.readMessage(), limits, labels);
                }
                case 2 -> {
                    if (++samples[0] > limits.maxSamples()) {
                        throw new ProtoReader.LimitException(
                                "more than the maximum of " + limits.maxSamples() + " samples");
                    }
                    points.add(point(r.readMessage()));
                }
                default -> r.skip();
            }
        }
        return new Series(labels, points);
    }

    private static void label(ProtoReader r, Limits limits, Map<String, String> labels)
            throws BadRequestException {
        String name = null;
        String value = "";
        while (r.hasMore()) {
            r.next();
            switch (r.field()) {
                case 1 -> name = r.readString(limits.maxLabelBytes(), "a label name");
                case 2 -> value = r.readString(limits.maxLabelBytes(), "a label value");
                default -> r.skip();
            }
        }
        if (name == null || name.isEmpty()) {
            throw new BadRequestException(400, "WriteRequest: a label has no name");
        }
        if (labels.putIfAbsent(name, value) != null) {
            throw new BadRequestException(
                    400, "WriteRequest: label '" + name + "' repeats within a series");
        }
    }

    private static Point point(ProtoReader r) {
        double value = 0;
        long timestamp = 0;
        while (r.hasMore()) {
            r.next();
            switch (r.field()) {
                case 1 -> value = r.readDouble();
                case 2 -> timestamp = r.readInt64();
                default -> r.skip();
            }
        }
        return new Point(timestamp, value);
    }
}
