package io.rightsizer.telemetry;

import io.rightsizer.schema.MetricSample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * A quick loop of MetricSample decodes, the hot path of vm-metrics: Avro's {@code
 * BinaryMessageDecoder} over a stream (what the job used before) against {@link SingleObject}'s
 * bounded reader, each alone and with the sample's validation ({@link SampleCodec#decode}). Not a
 * test: run its main with the test class path, e.g. {@code java -cp ... DecodeBench 1000000 5}.
 */
public final class DecodeBench {
    private DecodeBench() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] value = SampleCodec.encode(SampleCodecTest.fullSample());
        BinaryMessageDecoder<MetricSample> avro = MetricSample.getDecoder();
        SingleObject.Reader<MetricSample> bounded = SingleObject.reader(MetricSample.class);
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += avro.decode(new ByteArrayInputStream(value), null).getTimestamp().getNano();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += bounded.read(value).getTimestamp().getNano();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink +=
                        SampleCodec.fromAvro(avro.decode(new ByteArrayInputStream(value), null))
                                .sample
                                .timestamp;
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += SampleCodec.decode(value).sample.timestamp;
            }
            long t4 = System.nanoTime();
            System.out.printf(
                    "round %d, %d decodes of %d bytes: BinaryMessageDecoder %d ms, bounded reader"
                            + " %d ms; with validation: before %d ms, SampleCodec.decode %d ms%n",
                    round,
                    n,
                    value.length,
                    (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000,
                    (t4 - t3) / 1_000_000);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
