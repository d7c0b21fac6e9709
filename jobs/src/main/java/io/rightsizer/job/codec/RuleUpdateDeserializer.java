package io.rightsizer.job.codec;

import io.rightsizer.model.RuleUpdate;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SampleValidator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the rules topic ({@link RuleSetEnvelope}, Avro single-object encoding) and never throws:
 * a record that cannot be decoded becomes an update that the rules operator rejects, with the
 * reason, on the rules status topic.
 */
public class RuleUpdateDeserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
        RuleUpdate u;
        if (record.value() == null) {
            // A tombstone (someone deleting a version from the compacted topic) changes nothing.
            return;
        }
        try {
            RuleSetEnvelope e = RuleEnvelopes.decodeEnvelope(record.value(), record.headers());
            // The version is the status record's key and is quoted in reasons: a long one would
            // make the status record too large for its topic.
            String tooLong =
                    SampleValidator.first(
                            SampleValidator.checkIdLength("version", e.getVersion()),
                            SampleValidator.checkIdLength("author", e.getAuthor()),
                            SampleValidator.checkIdLength("sha256", e.getSha256()));
            u =
                    tooLong != null
                            ? RuleUpdate.undecodable(tooLong)
                            : RuleUpdate.of(
                                    e.getVersion(),
                                    e.getAuthor(),
                                    e.getPublishedAt().toEpochMilli(),
                                    e.getDocument(),
                                    e.getSha256());
        } catch (IllegalArgumentException ex) {
            u = RuleUpdate.undecodable(ex.getMessage());
        } catch (Throwable t) {
            u = RuleUpdate.undecodable(Deserializers.unforeseen("RuleSetEnvelope", t));
        }
        u.sourceTopic = record.topic();
        u.sourcePartition = record.partition();
        u.sourceOffset = record.offset();
        out.collect(u);
    }

    @Override
    public TypeInformation<RuleUpdate> getProducedType() {
        return TypeInformation.of(RuleUpdate.class);
    }
}
