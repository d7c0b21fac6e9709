package io.rightsizer.telemetry;

import io.rightsizer.schema.MetricSample;
import java.io.IOException;
import org.apache.avro.SchemaNormalization;

/**
 * A vm-metrics record of this release's own MetricSample schema, read straight into a {@link
 * io.rightsizer.model.Sample}: the fields in the schema's order, with the decoder Avro's reader is
 * given ({@link BoundedBinaryDecoder}), and the same validation. Avro's reader builds a {@code
 * MetricSample} with a boxed value per optional field and an {@code Instant}, only to have them
 * taken apart again; a profile of the live job put a third of the sources' thread in it.
 *
 * <p>Only for what can be read without doubt: a record of any other schema, a union branch or enum
 * symbol out of range, a body that ends early or goes on after its last field, anything that
 * throws, gives null, and the caller reads the record with Avro's reader as before, which then
 * finds the same fault and says what it says of it. So a record gets the same result either way;
 * {@code SampleBodyTest} checks that against Avro's reader over random and damaged records.
 */
final class SampleBody {
    /** The fingerprint (CRC-64-AVRO of the parsing form) of this release's MetricSample. */
    static final long CURRENT =
            SchemaNormalization.parsingFingerprint64(MetricSample.getClassSchema());

    private static final int HEADER = 10;

    private SampleBody() {}

    /**
     * The result of a single-object encoded record of the current schema, or null when Avro's
     * reader is to read it (another schema, another encoding, or anything unusual in its body).
     */
    static SampleJson.Result decode(byte[] value) {
        if (value.length < HEADER || value[0] != (byte) 0xC3 || value[1] != 1) {
            return null;
        }
        if (SingleObject.fingerprint(value) != CURRENT) {
            return null;
        }
        try {
            return read(new BoundedBinaryDecoder(value, HEADER, value.length));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static SampleJson.Result read(BoundedBinaryDecoder in) throws IOException {
        String vmId = in.readString();
        String systemId = in.readString();
        String unitId = null;
        switch (in.readIndex()) {
            case 0 -> {}
            case 1 -> unitId = in.readString();
            default -> {
                return null;
            }
        }
        long timestamp = in.readLong();
        String powerState;
        switch (in.readEnum()) {
            case 0 -> powerState = "RUNNING";
            case 1 -> powerState = "STOPPED";
            default -> {
                return null;
            }
        }
        int present = SampleValidator.TIMESTAMP;
        long memoryUsed = 0;
        long memoryTotal = 0;
        long storageUsed = 0;
        long storageTotal = 0;
        double cpu = 0;
        long business = 0;
        int branch;
        if ((branch = in.readIndex()) == 1) {
            memoryUsed = in.readLong();
            present |= SampleValidator.MEMORY_USED;
        } else if (branch != 0) {
            return null;
        }
        if ((branch = in.readIndex()) == 1) {
            memoryTotal = in.readLong();
            present |= SampleValidator.MEMORY_TOTAL;
        } else if (branch != 0) {
            return null;
        }
        if ((branch = in.readIndex()) == 1) {
            storageUsed = in.readLong();
            present |= SampleValidator.STORAGE_USED;
        } else if (branch != 0) {
            return null;
        }
        if ((branch = in.readIndex()) == 1) {
            storageTotal = in.readLong();
            present |= SampleValidator.STORAGE_TOTAL;
        } else if (branch != 0) {
            return null;
        }
        if ((branch = in.readIndex()) == 1) {
            cpu = in.readDouble();
            present |= SampleValidator.CPU;
        } else if (branch != 0) {
            return null;
        }
        if ((branch = in.readIndex()) == 1) {
            business = in.readLong();
            present |= SampleValidator.BUSINESS;
        } else if (branch != 0) {
            return null;
        }
        if (in.remaining() != 0) {
            return null;
        }
        return SampleJson.Result.validated(
                vmId,
                systemId,
                unitId,
                powerState,
                present,
                timestamp,
                memoryUsed,
                memoryTotal,
                storageUsed,
                storageTotal,
                cpu,
                business);
    }
}
