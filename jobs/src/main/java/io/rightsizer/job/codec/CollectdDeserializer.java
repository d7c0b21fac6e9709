package io.rightsizer.job.codec;

import io.rightsizer.ingest.CollectdJson;
import io.rightsizer.ingest.Collected;
import io.rightsizer.ingest.Decoded;
import io.rightsizer.ingest.Reading;
import io.rightsizer.model.Rejected;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes collectd's write_kafka messages ({@link CollectdJson}) and never throws: a message that
 * cannot be used is one {@link Rejected} with its raw bytes and coordinates; a usable one is one
 * {@link Collected} per mapped value. Values the mapping ignores are counted ({@code
 * collector_values_ignored{format="collectd"}}), not dead letters.
 */
public class CollectdDeserializer extends CollectorDeserializer {
    private static final long serialVersionUID = 1L;

    /**
     * @param maxAheadMillis a message with a value stamped further ahead of the wall clock is
     *     INVALID, as a native sample is; negative disables the check
     */
    public CollectdDeserializer(long maxAheadMillis) {
        super(CollectdJson.FORMAT, maxAheadMillis);
    }

    @Override
    Decoded decode(ConsumerRecord<byte[], byte[]> record, byte[] value) {
        return CollectdJson.decode(value);
    }

    @Override
    String formatName(Reading reading) {
        return CollectdJson.NAME;
    }

    @Override
    String recordName() {
        return CollectdJson.NAME + " message";
    }
}
