package io.rightsizer.job.codec;

import static io.rightsizer.rules.lifecycle.LifecycleFixtures.DECIDED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.FIRED;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.decision;
import static io.rightsizer.rules.lifecycle.LifecycleFixtures.weeklyAverage;
import static io.rightsizer.schema.DecisionState.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.VmInput;
import io.rightsizer.rules.lifecycle.Lifecycle;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SingleObject;
import io.rightsizer.testing.Allocations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.RandomData;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * One release to the next on the real topics, both ways: the job's deserializers read a record of a
 * newer schema (a field added) through its writer-schema header, and a reader one release behind
 * reads what this release's serializers write. Also the length limits of the ids those
 * deserializers check.
 */
class SchemaEvolutionTest {
    /** {@code current} with a field added at the end, as the next release would have it. */
    static Schema withAddedField(Schema current) {
        return withAddedField(current, "addedInNextRelease");
    }

    /**
     * As above with the field named {@code name}: a reader remembers a schema it learnt from a
     * header, so a test of a record without one needs a schema no other test sent.
     */
    static Schema withAddedField(Schema current, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                new Schema.Field(
                        name,
                        Schema.createUnion(
                                Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        "a field of the next release",
                        JsonProperties.NULL_VALUE));
        return Schema.createRecord(
                current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    /** The single-object encoding of {@code record} with the newer schema, the field set. */
    static byte[] writeNewer(Schema newer, org.apache.avro.specific.SpecificRecord record) {
        GenericData.Record g = new GenericData.Record(newer);
        Schema current = record.getSchema();
        for (Schema.Field f : current.getFields()) {
            g.put(f.name(), record.get(f.pos()));
        }
        g.put(newer.getFields().get(newer.getFields().size() - 1).name(), "only it knows me");
        return write(newer, g, SpecificData.get());
    }

    /** {@code C3 01}, the fingerprint of {@code writer}, the body. */
    static byte[] write(Schema writer, GenericRecord record, GenericData model) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long fp = SchemaNormalization.parsingFingerprint64(writer);
            out.write(0xC3);
            out.write(1);
            for (int i = 0; i < 8; i++) {
                out.write((int) (fp >>> (8 * i)) & 0xff);
            }
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer, model).write(record, e);
            e.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Headers header(Schema writer) {
        RecordHeaders h = new RecordHeaders();
        h.add(SingleObject.WRITER_SCHEMA_HEADER, SingleObject.writerSchemaHeader(writer));
        return h;
    }

    static ConsumerRecord<byte[], byte[]> consumed(String topic, byte[] value, Headers headers) {
        return new ConsumerRecord<>(
                topic,
                0,
                7L,
                1_772_500_000_000L,
                TimestampType.CREATE_TIME,
                0,
                value.length,
                "k".getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }

    static <T> List<T> run(
            org.apache.flink.connector.kafka.source.reader.deserializer
                                    .KafkaRecordDeserializationSchema<
                            T>
                    d,
            ConsumerRecord<byte[], byte[]> r)
            throws IOException {
        List<T> out = new ArrayList<>();
        d.deserialize(
                r,
                new Collector<>() {
                    @Override
                    public void collect(T t) {
                        out.add(t);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    // ------------------------------------------ the job reads the next release's records

    @Test
    void theJobReadsADecisionOfTheNextReleaseThroughItsHeader() throws IOException {
        Decision d = decision(weeklyAverage(FIRED), APPROVED, DECIDED);
        Schema newer = withAddedField(Decision.getClassSchema());
        byte[] value = writeNewer(newer, d);

        List<DecisionInput> read =
                run(new DecisionDeserializer(), consumed("decisions", value, header(newer)));
        Schema unseen = withAddedField(Decision.getClassSchema(), "neverSentWithAHeader");
        List<DecisionInput> withoutHeader =
                run(
                        new DecisionDeserializer(),
                        consumed("decisions", writeNewer(unseen, d), new RecordHeaders()));

        assertThat(read).extracting(i -> i.decision).containsExactly(d);
        assertThat(withoutHeader.get(0).decision).isNull();
        assertThat(withoutHeader.get(0).error)
                .isEqualTo(
                        "not a Decision on partition 0 offset 7: unknown writer schema"
                                + " fingerprint: "
                                + hex(unseen)
                                + " (this release reads 1 version of Decision)");
    }

    @Test
    void theJobReadsAnAllocationOfTheNextReleaseThroughItsHeader() throws IOException {
        VmAllocation a = Allocations.active("vm-1", "sys-1").build();
        Schema newer = withAddedField(VmAllocation.getClassSchema());

        List<VmInput> read =
                run(
                        new InventoryDeserializer(),
                        consumed("vm-inventory", writeNewer(newer, a), header(newer)));

        assertThat(read).extracting(i -> i.allocation).containsExactly(a);
    }

    @Test
    void theJobReadsARuleSetOfTheNextReleaseThroughItsHeader() throws IOException {
        RuleSetEnvelope e =
                RuleEnvelopes.envelope(
                        "version: \"2027.1.0\"\n",
                        "2027.1.0",
                        "alice",
                        Instant.parse("2026-12-01T09:00:00Z"));
        Schema newer = withAddedField(RuleSetEnvelope.getClassSchema());

        List<RuleUpdate> read =
                run(
                        new RuleUpdateDeserializer(),
                        consumed("rules", writeNewer(newer, e), header(newer)));

        assertThat(read)
                .extracting(u -> u.error, u -> u.version, u -> u.author)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "2027.1.0", "alice"));
    }

    @Test
    void theJobReadsASampleOfTheNextReleaseWhenItsProducerAttachesTheHeader() throws IOException {
        MetricSample m =
                MetricSample.newBuilder()
                        .setVmId("vm-1")
                        .setSystemId("sys-1")
                        .setUnitId("unit-1")
                        .setTimestamp(Instant.parse("2026-03-01T16:00:00Z"))
                        .setMemoryUsedBytes(12L)
                        .setMemoryTotalBytes(16L)
                        .setCpuUtilizationPct(37.5)
                        .build();
        Schema newer = withAddedField(MetricSample.getClassSchema());
        byte[] value = writeNewer(newer, m);

        List<Ingested> read =
                run(new KafkaSampleDeserializer(-1), consumed("vm-metrics", value, header(newer)));
        Schema unseen = withAddedField(MetricSample.getClassSchema(), "neverSentWithAHeader");
        List<Ingested> withoutHeader =
                run(
                        new KafkaSampleDeserializer(-1),
                        consumed("vm-metrics", writeNewer(unseen, m), new RecordHeaders()));

        assertThat(read.get(0).rejected).isNull();
        assertThat(SampleCodec.toAvro(read.get(0).sample)).isEqualTo(m);
        assertThat(withoutHeader.get(0).rejected.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(withoutHeader.get(0).rejected.message)
                .isEqualTo(
                        "unknown writer schema fingerprint: "
                                + hex(unseen)
                                + " (this release reads 1 version of MetricSample)");
    }

    @Test
    void aStoredRecommendationOfAnEarlierReleaseIsReadFromState() throws IOException {
        // What the lifecycle kept in state before Recommendation.avsc last changed.
        Schema released = parse("Recommendation-2.avsc");
        GenericRecord old = (GenericRecord) new RandomData(released, 1, 12L).iterator().next();
        byte[] stored = write(released, old, GenericData.get());

        Recommendation r = RecommendationSerializer.decode(stored);

        assertThat(r.getRecommendationId()).isEqualTo(String.valueOf(old.get("recommendationId")));
        assertThat(r.getEmergency()).isFalse(); // a field added since: its default
    }

    // ------------------------------------------ a reader one release behind reads this release

    /** A reader of {@code schema} that makes generic records, as an older release would. */
    static SingleObject.Reader<Object> olderReader(Schema schema) {
        return new SingleObject.Reader<>(schema, List.of(), GenericData.get());
    }

    static Schema parse(String historyFile) throws IOException {
        return new Schema.Parser()
                .parse(Files.readString(Path.of("../schemas/history").resolve(historyFile)));
    }

    @Test
    void theReleaseBeforeReadsTheRecommendationsThisReleaseWrites() throws IOException {
        Recommendation r = weeklyAverage(FIRED);
        ProducerRecord<byte[], byte[]> sent =
                new RecommendationSerializer("recs").serialize(r, null, null);
        SingleObject.Reader<Object> before = olderReader(parse("Recommendation-2.avsc"));

        GenericRecord read = (GenericRecord) before.read(sent.value(), sent.headers());

        assertThat(read.get("recommendationId").toString()).isEqualTo(r.getRecommendationId());
        assertThat(read.get("firedAt")).isEqualTo(FIRED);
        assertThat(read.getSchema().getField("emergency")).isNull();
        // A reader that never saw the header cannot know the schema.
        assertThatThrownBy(() -> olderReader(parse("Recommendation-2.avsc")).read(sent.value()))
                .hasMessageStartingWith("unknown writer schema fingerprint: ");
    }

    @Test
    void theReleaseBeforeReadsTheAuditEventsAndDeadLettersThisReleaseWrites() throws IOException {
        RecommendationEvent e = Lifecycle.undecodableDecision("k-1", DECIDED, "not a Decision");
        ProducerRecord<byte[], byte[]> event =
                new RecommendationEventSerializer("events").serialize(e, null, null);
        Rejected rej = Rejected.of(DeadLetterReason.UNDECODABLE, "bad bytes", new byte[] {1, 2});
        ProducerRecord<byte[], byte[]> dead =
                new DeadLetterSerializer("dead").serialize(rej, null, null);

        GenericRecord readEvent =
                (GenericRecord)
                        olderReader(parse("RecommendationEvent-1.avsc"))
                                .read(event.value(), event.headers());
        GenericRecord readDead =
                (GenericRecord)
                        olderReader(parse("DeadLetter-1.avsc")).read(dead.value(), dead.headers());

        assertThat(readEvent.get("eventId").toString()).isEqualTo(e.getEventId());
        assertThat(readDead.get("reason").toString()).isEqualTo("UNDECODABLE");
        assertThat(readDead.get("message").toString()).isEqualTo("bad bytes");
    }

    @Test
    void everySerializerOfTheJobAttachesItsWriterSchema() {
        Decision d = decision(weeklyAverage(FIRED), APPROVED, DECIDED);
        List<ProducerRecord<byte[], byte[]>> sent =
                List.of(
                        new RecommendationSerializer("t")
                                .serialize(weeklyAverage(FIRED), null, null),
                        new RecommendationEventSerializer("t")
                                .serialize(
                                        Lifecycle.undecodableDecision("k", DECIDED, "x"),
                                        null,
                                        null),
                        new DeadLetterSerializer("t")
                                .serialize(
                                        Rejected.of(DeadLetterReason.INVALID, "m", new byte[0]),
                                        null,
                                        null),
                        DecisionSerializer.record("t", d));

        for (ProducerRecord<byte[], byte[]> r : sent) {
            byte[] header = r.headers().lastHeader(SingleObject.WRITER_SCHEMA_HEADER).value();
            Schema s = new Schema.Parser().parse(new String(header, StandardCharsets.UTF_8));
            long fp = 0;
            for (int i = 9; i >= 2; i--) {
                fp = fp << 8 | (r.value()[i] & 0xff);
            }
            assertThat(SchemaNormalization.parsingFingerprint64(s)).as(s.getName()).isEqualTo(fp);
        }
    }

    // ------------------------------------------ ids of the other input records

    static String chars(int n) {
        return "x".repeat(n);
    }

    @Test
    void aDecisionWhoseIdsOrCommentAreTooLongIsRejectedWithTheReason() throws IOException {
        Decision ok = decision(chars(256), APPROVED, DECIDED);
        ok.setDecidedBy(chars(256));
        ok.setComment(chars(4096));
        Decision longId = decision(chars(257), APPROVED, DECIDED);
        Decision longBy = decision("r-1", APPROVED, DECIDED);
        longBy.setDecidedBy(chars(257));
        Decision longComment = decision("r-1", APPROVED, DECIDED);
        longComment.setComment(chars(4097));

        List<String> errors = new ArrayList<>();
        for (Decision d : List.of(ok, longId, longBy, longComment)) {
            ProducerRecord<byte[], byte[]> p = DecisionSerializer.record("decisions", d);
            errors.add(
                    run(new DecisionDeserializer(), consumed("decisions", p.value(), p.headers()))
                            .get(0)
                            .error);
        }

        assertThat(errors)
                .containsExactly(
                        null,
                        "not a Decision on partition 0 offset 7: recommendationId is 257"
                                + " characters long, more than the maximum of 256",
                        "not a Decision on partition 0 offset 7: decidedBy is 257 characters"
                                + " long, more than the maximum of 256",
                        "not a Decision on partition 0 offset 7: comment is 4097 characters long,"
                                + " more than the maximum of 4096");
    }

    @Test
    void anAllocationWhoseIdsOrReasonsAreTooLongIsInvalid() {
        VmAllocation atLimit = Allocations.active("vm-1", chars(256)).setFlavor(chars(256)).build();
        VmAllocation flavor = Allocations.active("vm-1", "sys-1").setFlavor(chars(257)).build();
        VmAllocation system = Allocations.active("vm-1", chars(257)).build();
        VmAllocation reason =
                Allocations.active("vm-1", "sys-1")
                        .setTemporaryResource(
                                io.rightsizer.schema.TemporaryResource.newBuilder(
                                                Allocations.resource(0, 1))
                                        .setReason(chars(4097))
                                        .build())
                        .build();

        assertThat(InventoryDeserializer.problem(atLimit)).isNull();
        assertThat(
                        List.of(
                                InventoryDeserializer.problem(flavor),
                                InventoryDeserializer.problem(system),
                                InventoryDeserializer.problem(reason)))
                .containsExactly(
                        "flavor is 257 characters long, more than the maximum of 256",
                        "systemId is 257 characters long, more than the maximum of 256",
                        "temporaryResource.reason is 4097 characters long, more than the maximum"
                                + " of 4096");
    }

    @Test
    void aRuleSetWhoseVersionIsTooLongIsRefusedWithoutCarryingTheVersion() throws IOException {
        RuleSetEnvelope e =
                RuleEnvelopes.envelope(
                        "version: x\n",
                        chars(400_000),
                        "alice",
                        Instant.parse("2026-12-01T09:00:00Z"));
        byte[] value = RuleEnvelopes.encode(e);

        List<RuleUpdate> read =
                run(new RuleUpdateDeserializer(), consumed("rules", value, new RecordHeaders()));

        assertThat(read).hasSize(1);
        assertThat(read.get(0).version).isNull();
        assertThat(read.get(0).error)
                .isEqualTo("version is 400000 characters long, more than the maximum of 256");
    }

    // ------------------------------------------ errors a record can cause

    @Test
    void anOutOfMemoryErrorOrStackOverflowOfOneRecordBecomesItsReason() {
        assertThat(
                        Deserializers.unforeseen(
                                "MetricSample", new OutOfMemoryError("Java heap space")))
                .isEqualTo(
                        "decoding the MetricSample failed: java.lang.OutOfMemoryError: Java heap"
                                + " space");
        assertThat(Deserializers.unforeseen("Decision", new StackOverflowError()))
                .isEqualTo("decoding the Decision failed: java.lang.StackOverflowError");
    }

    @Test
    void anInternalErrorOfTheJvmIsNotBlamedOnTheRecord() {
        InternalError broken = new InternalError("the JVM is broken");

        assertThatThrownBy(() -> Deserializers.unforeseen("MetricSample", broken)).isSameAs(broken);
    }

    static String hex(Schema s) {
        long fp = SchemaNormalization.parsingFingerprint64(s);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(String.format("%02x", (fp >>> (8 * i)) & 0xff));
        }
        return b.toString();
    }
}
