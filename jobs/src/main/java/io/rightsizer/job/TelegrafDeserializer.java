package io.rightsizer.job;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Decoded;
import io.rightsizer.ingest.Reading;
import io.rightsizer.ingest.TelegrafDecoder;
import io.rightsizer.ingest.TelegrafOptions;
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
 * Decodes what Telegraf's Kafka output writes ({@link TelegrafDecoder}: InfluxDB line protocol or
 * Telegraf JSON) and never throws: a record that cannot be used is one {@link Rejected} with its
 * raw bytes and coordinates; a usable one is one {@link Collected} per mapped field. Metrics the
 * mapping ignores are counted ({@code collector_values_ignored{format="telegraf"}}), not dead
 * letters.
 */
public class TelegrafDeserializer implements KafkaRecordDeserializationSchema<Collected> {
    private static final long serialVersionUID = 1L;

    /** The collector's name: the metrics' {@code format} label and the operators' uids. */
    static final String COLLECTOR = "telegraf";

    private final TelegrafOptions.Settings settings;
    private final long maxAheadMillis;

    private transient Counter ignored;

    /**
     * @param settings checked at start ({@link TelegrafOptions.Settings#problems})
     * @param maxAheadMillis a record with a value stamped further ahead of the wall clock is
     *     INVALID, as a native sample is; negative disables the check
     */
    public TelegrafDeserializer(TelegrafOptions.Settings settings, long maxAheadMillis) {
        this.settings = settings;
        this.maxAheadMillis = maxAheadMillis;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ignored =
                context.getMetricGroup()
                        .addGroup("rightsizer")
                        .addGroup("format", COLLECTOR)
                        .counter("collector_values_ignored");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Collected> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Decoded d;
        Rejected rejected = null;
        try {
            d = TelegrafDecoder.decode(value, record.timestamp(), settings);
            if (!d.ok()) {
                rejected = d.toRejected(value);
            } else if (maxAheadMillis >= 0) {
                long now = System.currentTimeMillis();
                for (Reading reading : d.readings) {
                    String ahead =
                            SampleValidator.checkNotAhead(reading.timestamp, now, maxAheadMillis);
                    if (ahead != null) {
                        rejected =
                                Rejected.of(
                                        DeadLetterReason.INVALID,
                                        TelegrafDecoder.formatName(reading.format) + ": " + ahead,
                                        value);
                        rejected.vmId = Rejected.cap(reading.vmId, Rejected.ID_CAP);
                        rejected.sampleTimestamp = reading.timestamp;
                        break;
                    }
                }
            }
        } catch (Throwable t) {
            d = null;
            rejected =
                    Rejected.of(
                            DeadLetterReason.UNDECODABLE,
                            Deserializers.unforeseen("Telegraf record", t),
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

    @Override
    public TypeInformation<Collected> getProducedType() {
        return TypeInformation.of(Collected.class);
    }
}
