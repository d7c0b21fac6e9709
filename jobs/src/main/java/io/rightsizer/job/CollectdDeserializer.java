package io.rightsizer.job;

import io.rightsizer.ingest.CollectdJson;
import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Decoded;
import io.rightsizer.ingest.Reading;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.telemetry.SampleValidator;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes collectd's write_kafka messages ({@link CollectdJson}) and never throws: a message that
 * cannot be used is one {@link Rejected} with its raw bytes and coordinates; a usable one is one
 * {@link Collected} per mapped value. Values the mapping ignores are counted ({@code
 * collector_values_ignored{format="collectd"}}), not dead letters.
 */
public class CollectdDeserializer implements KafkaRecordDeserializationSchema<Collected> {
    private static final long serialVersionUID = 1L;

    private final long maxAheadMillis;

    private transient Counter ignored;

    /**
     * @param maxAheadMillis a message with a value stamped further ahead of the wall clock is
     *     INVALID, as a native sample is; negative disables the check
     */
    public CollectdDeserializer(long maxAheadMillis) {
        this.maxAheadMillis = maxAheadMillis;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ignored =
                context.getMetricGroup()
                        .addGroup("rightsizer")
                        .addGroup("format", CollectdJson.FORMAT)
                        .counter("collector_values_ignored");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Collected> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Decoded r;
        Rejected rejected = null;
        try {
            r = CollectdJson.decode(value);
            if (!r.ok()) {
                rejected = r.toRejected(value);
            } else if (maxAheadMillis >= 0) {
                long now = System.currentTimeMillis();
                for (Reading reading : r.readings) {
                    String ahead =
                            SampleValidator.checkNotAhead(reading.timestamp, now, maxAheadMillis);
                    if (ahead != null) {
                        rejected =
                                Rejected.of(
                                        DeadLetterReason.INVALID, "collectd JSON: " + ahead, value);
                        rejected.vmId = Rejected.cap(reading.vmId, Rejected.ID_CAP);
                        rejected.sampleTimestamp = reading.timestamp;
                        break;
                    }
                }
            }
        } catch (Throwable t) {
            r = null;
            rejected =
                    Rejected.of(
                            DeadLetterReason.UNDECODABLE,
                            Deserializers.unforeseen("collectd JSON message", t),
                            value);
        }
        if (rejected != null) {
            rejected.sourceTopic = record.topic();
            rejected.sourcePartition = record.partition();
            rejected.sourceOffset = record.offset();
            out.collect(Collected.rejected(rejected));
            return;
        }
        if (ignored != null) {
            ignored.inc(r.ignored);
        }
        for (Reading reading : r.readings) {
            out.collect(Collected.of(reading));
        }
    }

    @Override
    public TypeInformation<Collected> getProducedType() {
        return TypeInformation.of(Collected.class);
    }
}
