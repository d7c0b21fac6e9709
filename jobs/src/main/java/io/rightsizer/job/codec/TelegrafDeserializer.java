package io.rightsizer.job.codec;

import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Decoded;
import io.rightsizer.ingest.Reading;
import io.rightsizer.ingest.TelegrafDecoder;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.model.Rejected;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes what Telegraf's Kafka output writes ({@link TelegrafDecoder}: InfluxDB line protocol or
 * Telegraf JSON) and never throws: a record that cannot be used is one {@link Rejected} with its
 * raw bytes and coordinates; a usable one is one {@link Collected} per mapped field. Metrics the
 * mapping ignores are counted ({@code collector_values_ignored{format="telegraf"}}), not dead
 * letters.
 */
public class TelegrafDeserializer extends CollectorDeserializer {
    private static final long serialVersionUID = 1L;

    /** The collector's name: the metrics' {@code format} label and the operators' uids. */
    static final String COLLECTOR = "telegraf";

    private final TelegrafOptions.Settings settings;

    /**
     * @param settings checked at start ({@link TelegrafOptions.Settings#problems})
     * @param maxAheadMillis a record with a value stamped further ahead of the wall clock is
     *     INVALID, as a native sample is; negative disables the check
     */
    public TelegrafDeserializer(TelegrafOptions.Settings settings, long maxAheadMillis) {
        super(COLLECTOR, maxAheadMillis);
        this.settings = settings;
    }

    @Override
    Decoded decode(ConsumerRecord<byte[], byte[]> record, byte[] value) {
        return TelegrafDecoder.decode(value, record.timestamp(), settings);
    }

    @Override
    String formatName(Reading reading) {
        return TelegrafDecoder.formatName(reading.format);
    }

    @Override
    String recordName() {
        return "Telegraf record";
    }
}
