package io.rightsizer.job.codec;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.registry.RegistryClient;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.telemetry.ConfluentFrame;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.telemetry.SampleValidator;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes vm-metrics records and never throws: a record that cannot be used becomes a {@link
 * Rejected} with its raw bytes and coordinates, so one bad record cannot fail the job and make it
 * restart into the same record forever.
 *
 * <p>With a schema registry, a record whose writer schema the registry cannot give right now waits
 * (the source stalls, the registry client logs each attempt and counts them as {@code
 * rightsizer.schema_registry_retries}) instead of becoming a dead letter: an outage of the registry
 * is not a fault of the record.
 */
public class KafkaSampleDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final long maxAheadMillis;
    private final String registryUrl;
    private transient ConfluentFrame.Decoder<MetricSample> framed;

    /**
     * @param maxAheadMillis samples stamped further ahead of the wall clock are INVALID; negative
     *     disables the check
     */
    public KafkaSampleDeserializer(long maxAheadMillis) {
        this(maxAheadMillis, null);
    }

    /**
     * @param registryUrl the schema registry of Confluent-framed samples ({@code
     *     kafka.schema-registry.url}), or null: such samples are then dead letters saying so
     */
    public KafkaSampleDeserializer(long maxAheadMillis, String registryUrl) {
        this.maxAheadMillis = maxAheadMillis;
        this.registryUrl = registryUrl;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        if (registryUrl != null) {
            Counter retries =
                    context.getMetricGroup()
                            .addGroup("rightsizer")
                            .counter(RegistryClient.RETRIES_METRIC);
            framed =
                    SampleCodec.framedDecoder(
                            RegistryClient.withRetryCounter(registryUrl, retries::inc));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        if (registryUrl != null && framed == null) {
            framed = SampleCodec.framedDecoder(RegistryClient.of(registryUrl));
        }
        SampleJson.Result r;
        try {
            r = SampleCodec.decode(record.value(), record.headers(), framed);
        } catch (Throwable t) {
            r =
                    SampleJson.Result.bad(
                            DeadLetterReason.UNDECODABLE,
                            Deserializers.unforeseen("MetricSample", t),
                            null,
                            null);
        }
        if (r.ok() && maxAheadMillis >= 0) {
            String ahead =
                    SampleValidator.checkNotAhead(
                            r.sample.timestamp, System.currentTimeMillis(), maxAheadMillis);
            if (ahead != null) {
                r =
                        SampleJson.Result.bad(
                                DeadLetterReason.INVALID, ahead, r.sample.vmId, r.sample.timestamp);
            }
        }
        if (r.ok()) {
            r.sample.sourcePartition = record.partition();
            r.sample.sourceOffset = record.offset();
            out.collect(Ingested.of(r.sample));
        } else {
            Rejected rej = r.toRejected(record.value() == null ? new byte[0] : record.value());
            rej.sourceTopic = record.topic();
            rej.sourcePartition = record.partition();
            rej.sourceOffset = record.offset();
            out.collect(Ingested.rejected(rej));
        }
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
