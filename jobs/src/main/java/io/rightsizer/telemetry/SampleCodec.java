package io.rightsizer.telemetry;

import io.rightsizer.model.Sample;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.PowerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.header.Headers;

/**
 * The wire format of vm-metrics: Avro single-object encoding ({@code C3 01}, the 8-byte CRC-64-AVRO
 * fingerprint of the writer schema, the binary body). A value whose first non-blank byte is
 * {@code {} is read as a JSON sample instead, for producers without an Avro library; one whose
 * first byte is {@code 0} is Confluent-framed ({@link ConfluentFrame}), for producers with a schema
 * registry.
 */
public final class SampleCodec {
    private static final SingleObject.Reader<MetricSample> DECODER =
            SingleObject.reader(MetricSample.class);
    private static final BinaryMessageEncoder<MetricSample> ENCODER = MetricSample.getEncoder();

    private SampleCodec() {}

    public static SampleJson.Result decode(byte[] value) {
        return decode(value, null);
    }

    /**
     * As {@link #decode(byte[])}; a record of a MetricSample schema this release does not know is
     * read with the writer schema in {@code headers} ({@link SingleObject#WRITER_SCHEMA_HEADER}),
     * if its producer attached one.
     */
    public static SampleJson.Result decode(byte[] value, Headers headers) {
        return decode(value, headers, null);
    }

    /** A reader of Confluent-framed samples whose writer schemas are in {@code registry}. */
    public static ConfluentFrame.Decoder<MetricSample> framedDecoder(
            ConfluentFrame.Schemas registry) {
        return new ConfluentFrame.Decoder<>(DECODER, registry);
    }

    /**
     * As {@link #decode(byte[], Headers)}; a Confluent-framed record is read with its writer schema
     * from {@code framed}'s registry, when it is not null.
     */
    public static SampleJson.Result decode(
            byte[] value, Headers headers, ConfluentFrame.Decoder<MetricSample> framed) {
        if (value == null || value.length == 0) {
            return SampleJson.Result.bad(
                    DeadLetterReason.UNDECODABLE, "empty record value", null, null);
        }
        int first = 0;
        while (first < value.length && Character.isWhitespace(value[first])) {
            first++;
        }
        if (first < value.length && value[first] == '{') {
            return SampleJson.parse(value, 0, value.length);
        }
        SampleJson.Result current = SampleBody.decode(value);
        return current != null ? current : decodeAvro(value, headers, framed);
    }

    /**
     * As {@link #decode(byte[], Headers, ConfluentFrame.Decoder)}, an Avro value, by Avro's reader.
     */
    static SampleJson.Result decodeAvro(
            byte[] value, Headers headers, ConfluentFrame.Decoder<MetricSample> framed) {
        MetricSample m;
        try {
            m = framed != null ? framed.read(value, headers) : DECODER.read(value, headers);
        } catch (SingleObject.DecodeException e) {
            String message =
                    switch (e.problem) {
                        case HEADER -> e.getMessage() + " and not a JSON object";
                        case BODY -> "Avro body does not match MetricSample: " + e.getMessage();
                        default -> e.getMessage();
                    };
            return SampleJson.Result.bad(DeadLetterReason.UNDECODABLE, message, null, null);
        }
        return fromAvro(m);
    }

    public static SampleJson.Result fromAvro(MetricSample m) {
        return SampleJson.Result.validated(
                m.getVmId(),
                m.getSystemId(),
                m.getUnitId(),
                m.getTimestamp() == null ? null : m.getTimestamp().toEpochMilli(),
                m.getPowerState() == null ? null : m.getPowerState().name(),
                m.getMemoryUsedBytes(),
                m.getMemoryTotalBytes(),
                m.getStorageUsedBytes(),
                m.getStorageTotalBytes(),
                m.getCpuUtilizationPct(),
                m.getBusinessRecords());
    }

    public static MetricSample toAvro(Sample s) {
        return MetricSample.newBuilder()
                .setVmId(s.vmId)
                .setSystemId(s.systemId)
                .setUnitId(s.unitId)
                .setTimestamp(Instant.ofEpochMilli(s.timestamp))
                .setPowerState(s.stopped ? PowerState.STOPPED : PowerState.RUNNING)
                .setMemoryUsedBytes(opt(s.memoryUsedBytes))
                .setMemoryTotalBytes(opt(s.memoryTotalBytes))
                .setStorageUsedBytes(opt(s.storageUsedBytes))
                .setStorageTotalBytes(opt(s.storageTotalBytes))
                .setCpuUtilizationPct(s.hasCpu() ? s.cpuUtilizationPct : null)
                .setBusinessRecords(opt(s.businessRecords))
                .build();
    }

    public static byte[] encode(MetricSample m) {
        try {
            ByteBuffer b = ENCODER.encode(m);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(Sample s) {
        return encode(toAvro(s));
    }

    private static Long opt(long v) {
        return v == Sample.ABSENT ? null : v;
    }
}
