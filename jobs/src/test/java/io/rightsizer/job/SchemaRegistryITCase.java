package io.rightsizer.job;

import static io.rightsizer.testing.Scenario.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.model.Sample;
import io.rightsizer.registry.RegistryClient;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.testing.FramedSamples;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.RegistryServer;
import io.rightsizer.testing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A provider whose producers use a schema registry (docs/providers/schema-registry.md): the live
 * job with {@code kafka.schema-registry.url} reads Confluent-framed samples written with two
 * registered versions of MetricSample, judges them exactly as native samples, dead-letters a sample
 * whose schema id the registry does not know, and writes the approval topic framed, which a
 * registry-aware reader that knows nothing of rightsizer reads back (as Kafka Connect's
 * AvroConverter would).
 */
class SchemaRegistryITCase {
    static {
        RegistryServer.prestart();
    }

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    static final int UNREGISTERED = 424242;

    @Test
    void framedSamplesOfTwoSchemaVersionsAreJudgedAndTheApprovalTopicIsReadWithTheRegistry()
            throws Exception {
        String registry = RegistryServer.url();
        Topics t = Topics.fresh(KAFKA, 2, 1);
        RegistryClient producer = RegistryClient.of(registry);
        int current = producer.register(t.metrics() + "-value", FramedSamples.CURRENT);
        int evolved = producer.register(t.metrics() + "-value", FramedSamples.EVOLVED);
        assertThat(evolved).isNotEqualTo(current);

        // Systems a and c on the current schema, b on the evolved one (an extra field).
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Sample s : Scenario.samples()) {
            boolean b = s.systemId.equals("sys-b");
            records.add(
                    raw(
                            s.vmId,
                            FramedSamples.frame(
                                    b ? evolved : current,
                                    FramedSamples.of(
                                            b ? FramedSamples.EVOLVED : FramedSamples.CURRENT,
                                            s))));
        }
        Sample lost = Scenario.samples().get(0);
        records.add(
                records.size() / 2,
                raw(
                        lost.vmId,
                        FramedSamples.frame(
                                UNREGISTERED, FramedSamples.of(FramedSamples.CURRENT, lost))));
        KAFKA.produce(t.metrics(), records);

        JobConfig cfg =
                LiveJobs.config(
                        KAFKA,
                        t,
                        Map.of(
                                "kafka.schema-registry.url", registry,
                                "checkpoint.interval", "300 ms",
                                "source.idle-timeout", "5 s"));
        JobClient job = LiveJobs.start(KAFKA, cfg, Scenario.RULES, "schema-registry-it", null);
        try {
            List<DeadLetter> dead =
                    KAFKA.readCommitted(
                            t.deadLetters(),
                            r -> DeadLetterSerializer.decode(r.value()),
                            1,
                            Duration.ofSeconds(60),
                            Duration.ofMillis(500));
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .containsExactly(DeadLetterReason.UNDECODABLE);
            assertThat(dead.get(0).getMessage())
                    .startsWith(
                            "Confluent-framed Avro (schema id "
                                    + UNREGISTERED
                                    + "): the schema registry "
                                    + registry
                                    + " does not know schema id "
                                    + UNREGISTERED
                                    + " (404: ");

            List<ConsumerRecord<byte[], byte[]>> approvals =
                    KAFKA.readCommitted(
                            t.recommendations(),
                            rs -> rs.size() >= Scenario.expected().size(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1));
            RegistryAwareReader reader = new RegistryAwareReader(registry);
            List<String> firings = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : approvals) {
                GenericRecord rec = reader.read(r.value());
                Object subject = rec.get("vmId") != null ? rec.get("vmId") : rec.get("systemId");
                firings.add(
                        Scenario.key(
                                rec.get("ruleId").toString(),
                                subject.toString(),
                                (Long) rec.get("firedAt")));
            }
            assertThat(firings).containsExactlyInAnyOrderElementsOf(Scenario.expected());
            // One schema, the one registered under the topic's value subject.
            assertThat(reader.ids)
                    .containsOnlyKeys(reader.latestId(t.recommendations() + "-value"));
            assertThat(reader.ids.values().iterator().next().getFullName())
                    .isEqualTo("io.rightsizer.schema.Recommendation");
            // And rightsizer's own readers (tail, verify, the demo) still read it, by its header.
            assertThat(
                            RecommendationSerializer.decode(
                                            approvals.get(0).value(), approvals.get(0).headers())
                                    .getRuleId())
                    .isEqualTo(firings.get(0).split(" ")[0]);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * What a consumer with a Confluent-compatible deserializer does, written against the REST API
     * only: the id from the frame, the schema from the registry, the body as a GenericRecord.
     */
    static final class RegistryAwareReader {
        private static final ObjectMapper JSON = new ObjectMapper();
        final String url;
        final Map<Integer, Schema> ids = new HashMap<>();
        final HttpClient http = HttpClient.newHttpClient();

        RegistryAwareReader(String url) {
            this.url = url;
        }

        GenericRecord read(byte[] value) throws Exception {
            assertThat(value[0]).isEqualTo((byte) 0);
            int id = java.nio.ByteBuffer.wrap(value, 1, 4).getInt();
            Schema writer = ids.get(id);
            if (writer == null) {
                writer =
                        new Schema.Parser().parse(get("/schemas/ids/" + id).get("schema").asText());
                ids.put(id, writer);
            }
            return new GenericDatumReader<GenericRecord>(writer)
                    .read(
                            null,
                            DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        }

        int latestId(String subject) throws Exception {
            return get("/subjects/" + subject + "/versions/latest").get("id").asInt();
        }

        private JsonNode get(String path) throws Exception {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }
}
