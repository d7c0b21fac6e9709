package io.rightsizer.job;

import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.telemetry.SampleValidator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes vm-metrics records and never throws: a record that cannot be used becomes a {@link
 * Rejected} with its raw bytes and coordinates, so one bad record cannot fail the job and make it
 * restart into the same record forever.
 */
public class KafkaSampleDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final long maxAheadMillis;

    /**
     * @param maxAheadMillis samples stamped further ahead of the wall clock are INVALID; negative
     *     disables the check
     */
    public KafkaSampleDeserializer(long maxAheadMillis) {
        this.maxAheadMillis = maxAheadMillis;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        SampleJson.Result r;
        try {
            r = SampleCodec.decode(record.value(), record.headers());
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
