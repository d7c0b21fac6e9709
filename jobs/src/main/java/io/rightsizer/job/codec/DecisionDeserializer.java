package io.rightsizer.job.codec;

import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.registry.RegistryClient;
import io.rightsizer.schema.Decision;
import io.rightsizer.telemetry.ConfluentFrame;
import io.rightsizer.telemetry.SampleValidator;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the decisions topic ({@link Decision}, Avro single-object encoding) and never throws: a
 * record that is not a decision travels on as an undecodable {@link DecisionInput}, which the
 * decision router rejects on the audit topic (DECISION_REJECTED under the record's key), and the
 * counter {@code rightsizer.decisionsUndecodable} moves.
 */
public class DecisionDeserializer implements KafkaRecordDeserializationSchema<DecisionInput> {
    private static final long serialVersionUID = 1L;

    private final long maxAheadMillis;
    private final String registryUrl;

    private transient Counter undecodable;
    private transient ConfluentFrame.Decoder<Decision> framed;

    /** Without a check of decidedAt against the wall clock. */
    public DecisionDeserializer() {
        this(-1);
    }

    /**
     * @param maxAheadMillis a decision decided further ahead of the wall clock is refused: the
     *     router would hold it until event time reaches its decidedAt, which for a year 292278994
     *     never happens; negative disables the check
     */
    public DecisionDeserializer(long maxAheadMillis) {
        this(maxAheadMillis, null);
    }

    /**
     * @param registryUrl the schema registry of Confluent-framed decisions ({@code
     *     kafka.schema-registry.url}), or null
     */
    public DecisionDeserializer(long maxAheadMillis, String registryUrl) {
        this.maxAheadMillis = maxAheadMillis;
        this.registryUrl = registryUrl;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        undecodable =
                context.getMetricGroup().addGroup("rightsizer").counter("decisions_undecodable");
        if (registryUrl != null) {
            Counter retries =
                    context.getMetricGroup()
                            .addGroup("rightsizer")
                            .counter(RegistryClient.RETRIES_METRIC);
            framed =
                    DecisionSerializer.framedDecoder(
                            RegistryClient.withRetryCounter(registryUrl, retries::inc));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecisionInput> out) {
        if (registryUrl != null && framed == null) {
            framed = DecisionSerializer.framedDecoder(RegistryClient.of(registryUrl));
        }
        out.collect(
                decode(
                        record.key(),
                        record.value(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.headers()));
    }

    DecisionInput decode(byte[] key, byte[] value, int partition, long offset, long timestamp) {
        return decode(key, value, partition, offset, timestamp, null);
    }

    DecisionInput decode(
            byte[] key,
            byte[] value,
            int partition,
            long offset,
            long timestamp,
            org.apache.kafka.common.header.Headers headers) {
        String keyText =
                key == null
                        ? null
                        : Rejected.cap(new String(key, StandardCharsets.UTF_8), Rejected.ID_CAP);
        DecisionInput in;
        try {
            if (value == null) {
                throw new IllegalArgumentException("a record without a value (tombstone)");
            }
            Decision d =
                    framed != null
                            ? framed.read(value, headers)
                            : DecisionSerializer.decode(value, headers);
            String tooLong = tooLong(d);
            if (tooLong != null) {
                throw new IllegalArgumentException(tooLong);
            }
            if (maxAheadMillis >= 0) {
                String ahead =
                        SampleValidator.checkNotAhead(
                                d.getDecidedAt().toEpochMilli(),
                                System.currentTimeMillis(),
                                maxAheadMillis);
                if (ahead != null) {
                    throw new IllegalArgumentException("decidedAt: " + ahead);
                }
            }
            in = DecisionInput.of(d);
            in.key = keyText;
            in.timestamp = timestamp;
        } catch (RegistryClient.WaitInterruptedException e) {
            // Cancelled while waiting for the schema registry: no verdict on the decision.
            throw e;
        } catch (Throwable e) {
            if (undecodable != null) {
                undecodable.inc();
            }
            in =
                    DecisionInput.undecodable(
                            "not a Decision on partition "
                                    + partition
                                    + " offset "
                                    + offset
                                    + ": "
                                    + (e instanceof RuntimeException
                                            ? e.getMessage()
                                            : Deserializers.unforeseen("Decision", e)),
                            keyText,
                            timestamp);
        }
        in.sourcePartition = partition;
        in.sourceOffset = offset;
        return in;
    }

    /** Why one of the decision's ids or its comment is longer than the job accepts, or null. */
    static String tooLong(Decision d) {
        return SampleValidator.first(
                SampleValidator.checkIdLength("recommendationId", d.getRecommendationId()),
                SampleValidator.checkIdLength("decidedBy", d.getDecidedBy()),
                SampleValidator.checkTextLength("comment", d.getComment()));
    }

    @Override
    public TypeInformation<DecisionInput> getProducedType() {
        return TypeInformation.of(DecisionInput.class);
    }
}
