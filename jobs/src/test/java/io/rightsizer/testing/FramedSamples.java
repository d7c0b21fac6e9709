package io.rightsizer.testing;

import io.rightsizer.schema.MetricSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * MetricSamples as a provider's schema-registry producer writes them: Confluent-framed, with the
 * current schema, an evolved one (an extra optional field, before the others so resolution must go
 * by name) or an older one (without cpuUtilizationPct and businessRecords).
 */
public final class FramedSamples {
    public static final Schema CURRENT = MetricSample.getClassSchema();

    /** The current schema and a {@code hypervisor} field the job does not know. */
    public static final Schema EVOLVED = evolved();

    /** The current schema without its last two fields, as a producer a version behind has it. */
    public static final Schema OLDER = older();

    private FramedSamples() {}

    private static Schema evolved() {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(
                new Schema.Field(
                        "hypervisor",
                        Schema.createUnion(
                                Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        "The host the VM ran on.",
                        JsonProperties.NULL_VALUE));
        for (Schema.Field f : CURRENT.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        return Schema.createRecord(
                CURRENT.getName(), "evolved", CURRENT.getNamespace(), false, fields);
    }

    private static Schema older() {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : CURRENT.getFields()) {
            if (!f.name().equals("cpuUtilizationPct") && !f.name().equals("businessRecords")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(
                CURRENT.getName(), "older", CURRENT.getNamespace(), false, fields);
    }

    /**
     * A RUNNING sample in {@code schema}: the fields the schema has of these, and {@code
     * hypervisor} "hv-07" where it has that; cpuUtilizationPct 12.5 and businessRecords 3 when the
     * schema has them.
     */
    public static GenericRecord sample(
            Schema schema,
            String vmId,
            String systemId,
            Instant at,
            long memoryUsed,
            long memoryTotal,
            long storageUsed,
            long storageTotal) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("vmId", vmId);
        r.put("systemId", systemId);
        r.put("unitId", "unit-a");
        r.put("timestamp", at.toEpochMilli());
        r.put(
                "powerState",
                new GenericData.EnumSymbol(schema.getField("powerState").schema(), "RUNNING"));
        r.put("memoryUsedBytes", memoryUsed);
        r.put("memoryTotalBytes", memoryTotal);
        r.put("storageUsedBytes", storageUsed);
        r.put("storageTotalBytes", storageTotal);
        if (schema.getField("cpuUtilizationPct") != null) {
            r.put("cpuUtilizationPct", 12.5);
            r.put("businessRecords", 3L);
        }
        if (schema.getField("hypervisor") != null) {
            r.put("hypervisor", "hv-07");
        }
        return r;
    }

    /** {@code s} in {@code schema}: the fields it has, and {@code hypervisor} "hv-07". */
    public static GenericRecord of(Schema schema, io.rightsizer.model.Sample s) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("vmId", s.vmId);
        r.put("systemId", s.systemId);
        r.put("unitId", s.unitId);
        r.put("timestamp", s.timestamp);
        r.put(
                "powerState",
                new GenericData.EnumSymbol(
                        schema.getField("powerState").schema(), s.stopped ? "STOPPED" : "RUNNING"));
        r.put("memoryUsedBytes", opt(s.memoryUsedBytes));
        r.put("memoryTotalBytes", opt(s.memoryTotalBytes));
        r.put("storageUsedBytes", opt(s.storageUsedBytes));
        r.put("storageTotalBytes", opt(s.storageTotalBytes));
        if (schema.getField("cpuUtilizationPct") != null) {
            r.put("cpuUtilizationPct", s.hasCpu() ? s.cpuUtilizationPct : null);
            r.put("businessRecords", opt(s.businessRecords));
        }
        if (schema.getField("hypervisor") != null) {
            r.put("hypervisor", "hv-07");
        }
        return r;
    }

    private static Long opt(long v) {
        return v == io.rightsizer.model.Sample.ABSENT ? null : v;
    }

    /** The Avro binary body of {@code r}, with its own schema. */
    public static byte[] body(GenericRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(r.getSchema()).write(r, e);
            e.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** {@code body} after byte 0 and {@code schemaId} big-endian, as Confluent's serializer. */
    public static byte[] frame(int schemaId, byte[] body) {
        byte[] v = new byte[5 + body.length];
        v[0] = 0;
        v[1] = (byte) (schemaId >>> 24);
        v[2] = (byte) (schemaId >>> 16);
        v[3] = (byte) (schemaId >>> 8);
        v[4] = (byte) schemaId;
        System.arraycopy(body, 0, v, 5, body.length);
        return v;
    }

    public static byte[] frame(int schemaId, GenericRecord r) {
        return frame(schemaId, body(r));
    }
}
