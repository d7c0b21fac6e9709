package io.rightsizer.job.codec;

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
 * What every collector's deserializer does around its decoder, and never throws: a record that
 * cannot be used is one {@link Rejected} with its raw bytes and coordinates (also when a value is
 * stamped too far ahead of the wall clock, as a native sample would be); a usable one is one {@link
 * Collected} per mapped value. Values the mapping ignores are counted ({@code
 * collector_values_ignored{format}}), not dead letters.
 */
abstract class CollectorDeserializer implements KafkaRecordDeserializationSchema<Collected> {
    private static final long serialVersionUID = 1L;

    private final String format;
    private final long maxAheadMillis;

    private transient Counter ignored;

    /**
     * @param format the collector's name, the {@code format} label of the ignored-values counter
     * @param maxAheadMillis a record with a value stamped further ahead of the wall clock is
     *     INVALID; negative disables the check
     */
    CollectorDeserializer(String format, long maxAheadMillis) {
        this.format = format;
        this.maxAheadMillis = maxAheadMillis;
    }

    /** The record's value decoded; may throw, which makes the record UNDECODABLE. */
    abstract Decoded decode(ConsumerRecord<byte[], byte[]> record, byte[] value);

    /** The name of the format {@code reading} came in, prefixed to its dead letter's message. */
    abstract String formatName(Reading reading);

    /** What one record is, for the message of an unforeseen decoding failure. */
    abstract String recordName();

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ignored =
                context.getMetricGroup()
                        .addGroup("rightsizer")
                        .addGroup("format", format)
                        .counter("collector_values_ignored");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Collected> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Decoded d;
        Rejected rejected = null;
        try {
            d = decode(record, value);
            if (!d.ok()) {
                rejected = d.toRejected(value);
            } else if (maxAheadMillis >= 0) {
                rejected = firstAhead(d, value);
            }
        } catch (Throwable t) {
            d = null;
            rejected =
                    Rejected.of(
                            DeadLetterReason.UNDECODABLE,
                            Deserializers.unforeseen(recordName(), t),
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
            ignored.inc(d.ignored);
        }
        for (Reading reading : d.readings) {
            out.collect(Collected.of(reading));
        }
    }

    private Rejected firstAhead(Decoded d, byte[] value) {
        long now = System.currentTimeMillis();
        for (Reading reading : d.readings) {
            String ahead = SampleValidator.checkNotAhead(reading.timestamp, now, maxAheadMillis);
            if (ahead != null) {
                Rejected rejected =
                        Rejected.of(
                                DeadLetterReason.INVALID,
                                formatName(reading) + ": " + ahead,
                                value);
                rejected.vmId = Rejected.cap(reading.vmId, Rejected.ID_CAP);
                rejected.sampleTimestamp = reading.timestamp;
                return rejected;
            }
        }
        return null;
    }

    @Override
    public TypeInformation<Collected> getProducedType() {
        return TypeInformation.of(Collected.class);
    }
}
