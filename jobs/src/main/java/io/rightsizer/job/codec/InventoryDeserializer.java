package io.rightsizer.job.codec;

import io.rightsizer.model.Rejected;
import io.rightsizer.model.VmInput;
import io.rightsizer.registry.RegistryClient;
import io.rightsizer.schema.AllocationStatus;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.ProtectionWindow;
import io.rightsizer.schema.TemporaryExpansion;
import io.rightsizer.schema.TemporaryResource;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.ConfluentFrame;
import io.rightsizer.telemetry.SampleValidator;
import io.rightsizer.telemetry.SingleObject;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes vm-inventory records (Avro single-object encoding of {@link VmAllocation}) and never
 * throws: a record that cannot be used becomes a {@link Rejected} (UNDECODABLE or INVALID, with its
 * raw bytes and coordinates) for the dead letters, so one bad record cannot fail the job. A
 * tombstone (null value) on the compacted topic is skipped and counted: it deletes nothing, only a
 * DECOMMISSIONED record clears a VM (rules/README.md, "Inventory").
 */
public class InventoryDeserializer implements KafkaRecordDeserializationSchema<VmInput> {
    private static final SingleObject.Reader<VmAllocation> DECODER =
            SingleObject.reader(VmAllocation.class);

    private static final long serialVersionUID = 1L;

    private final String registryUrl;

    private transient Counter tombstones;
    private transient ConfluentFrame.Decoder<VmAllocation> framed;

    public InventoryDeserializer() {
        this(null);
    }

    /**
     * @param registryUrl the schema registry of Confluent-framed records ({@code
     *     kafka.schema-registry.url}), or null
     */
    public InventoryDeserializer(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        tombstones =
                context.getMetricGroup().addGroup("rightsizer").counter("inventory_tombstones");
        if (registryUrl != null) {
            Counter retries =
                    context.getMetricGroup()
                            .addGroup("rightsizer")
                            .counter(RegistryClient.RETRIES_METRIC);
            framed =
                    new ConfluentFrame.Decoder<>(
                            DECODER, RegistryClient.withRetryCounter(registryUrl, retries::inc));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<VmInput> out) {
        byte[] value = record.value();
        if (value == null) {
            if (tombstones != null) {
                tombstones.inc();
            }
            return;
        }
        if (registryUrl != null && framed == null) {
            framed = new ConfluentFrame.Decoder<>(DECODER, RegistryClient.of(registryUrl));
        }
        VmInput in;
        try {
            in = decode(value, record.timestamp(), record.headers(), framed);
        } catch (Throwable t) {
            in =
                    rejected(
                            DeadLetterReason.UNDECODABLE,
                            Deserializers.unforeseen("VmAllocation", t),
                            value,
                            null);
        }
        if (in.rejected != null) {
            in.rejected.sourceTopic = record.topic();
            in.rejected.sourcePartition = record.partition();
            in.rejected.sourceOffset = record.offset();
        } else {
            in.sourceTopic = record.topic();
            in.sourcePartition = record.partition();
            in.sourceOffset = record.offset();
        }
        out.collect(in);
    }

    /**
     * The allocation in {@code value}, received at {@code recordTimestamp} (its effectiveAt when
     * the record has no timestamp), or why it cannot be used.
     */
    public static VmInput decode(byte[] value, long recordTimestamp) {
        return decode(value, recordTimestamp, null);
    }

    static VmInput decode(
            byte[] value, long recordTimestamp, org.apache.kafka.common.header.Headers headers) {
        return decode(value, recordTimestamp, headers, null);
    }

    static VmInput decode(
            byte[] value,
            long recordTimestamp,
            org.apache.kafka.common.header.Headers headers,
            ConfluentFrame.Decoder<VmAllocation> framed) {
        VmAllocation a;
        try {
            a = framed != null ? framed.read(value, headers) : DECODER.read(value, headers);
        } catch (SingleObject.DecodeException e) {
            String message =
                    e.problem == SingleObject.Problem.BODY
                            ? "Avro body does not match VmAllocation: " + e.getMessage()
                            : e.getMessage();
            return rejected(DeadLetterReason.UNDECODABLE, message, value, null);
        }
        String problem = problem(a);
        long receivedAt = recordTimestamp;
        if (problem == null && receivedAt < 0) {
            if (a.getEffectiveAt() != null) {
                receivedAt = a.getEffectiveAt().toEpochMilli();
            } else {
                problem = "the record has no timestamp and no effectiveAt";
            }
        }
        if (problem != null) {
            String vmId =
                    a.getVmId() == null || a.getVmId().isBlank()
                            ? null
                            : Rejected.cap(a.getVmId(), Rejected.ID_CAP);
            return rejected(DeadLetterReason.INVALID, problem, value, vmId);
        }
        return VmInput.of(a, receivedAt);
    }

    /** Why the allocation cannot be used, or null when it can. */
    public static String problem(VmAllocation a) {
        if (a.getVmId() == null || a.getVmId().isBlank()) {
            return "vmId is missing or blank";
        }
        String tooLong = tooLong(a);
        if (tooLong != null) {
            return tooLong;
        }
        if (a.getStatus() == AllocationStatus.DECOMMISSIONED) {
            return null;
        }
        if (a.getVcpus() <= 0) {
            return "vcpus must be positive, was " + a.getVcpus();
        }
        if (a.getMemoryBytes() <= 0) {
            return "memoryBytes must be positive, was " + a.getMemoryBytes();
        }
        if (a.getStorageBytes() <= 0) {
            return "storageBytes must be positive, was " + a.getStorageBytes();
        }
        List<TemporaryExpansion> expansions = a.getTemporaryExpansions();
        for (int i = 0; i < expansions.size(); i++) {
            TemporaryExpansion e = expansions.get(i);
            String where = "temporaryExpansions[" + i + "]";
            if (e.getMemoryBytes() < 0) {
                return where + ".memoryBytes must not be negative, was " + e.getMemoryBytes();
            }
            if (e.getStorageBytes() < 0) {
                return where + ".storageBytes must not be negative, was " + e.getStorageBytes();
            }
            String p = period(where, e.getFrom(), e.getUntil());
            if (p != null) {
                return p;
            }
        }
        TemporaryResource r = a.getTemporaryResource();
        if (r != null) {
            String p = period("temporaryResource", r.getFrom(), r.getUntil());
            if (p != null) {
                return p;
            }
        }
        List<ProtectionWindow> windows = a.getProtectionWindows();
        for (int i = 0; i < windows.size(); i++) {
            String p =
                    period(
                            "protectionWindows[" + i + "]",
                            windows.get(i).getFrom(),
                            windows.get(i).getUntil());
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** Why one of the allocation's ids or reasons is longer than the job accepts, or null. */
    private static String tooLong(VmAllocation a) {
        String p =
                SampleValidator.first(
                        SampleValidator.checkIdLength("vmId", a.getVmId()),
                        SampleValidator.checkIdLength("systemId", a.getSystemId()),
                        SampleValidator.checkIdLength("unitId", a.getUnitId()),
                        SampleValidator.checkIdLength("flavor", a.getFlavor()));
        List<TemporaryExpansion> expansions = a.getTemporaryExpansions();
        for (int i = 0; p == null && i < expansions.size(); i++) {
            p =
                    SampleValidator.checkTextLength(
                            "temporaryExpansions[" + i + "].reason", expansions.get(i).getReason());
        }
        if (p == null && a.getTemporaryResource() != null) {
            p =
                    SampleValidator.checkTextLength(
                            "temporaryResource.reason", a.getTemporaryResource().getReason());
        }
        List<ProtectionWindow> windows = a.getProtectionWindows();
        for (int i = 0; p == null && i < windows.size(); i++) {
            p =
                    SampleValidator.checkTextLength(
                            "protectionWindows[" + i + "].reason", windows.get(i).getReason());
        }
        return p;
    }

    private static String period(String where, Instant from, Instant until) {
        if (!until.isAfter(from)) {
            return where + ": until " + until + " is not after from " + from;
        }
        return null;
    }

    private static VmInput rejected(
            DeadLetterReason reason, String message, byte[] value, String vmId) {
        Rejected r = Rejected.of(reason, message, value);
        r.vmId = vmId;
        return VmInput.rejected(r);
    }

    @Override
    public TypeInformation<VmInput> getProducedType() {
        return TypeInformation.of(VmInput.class);
    }
}
