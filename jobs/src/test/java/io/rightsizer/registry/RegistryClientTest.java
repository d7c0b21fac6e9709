package io.rightsizer.registry;

import static io.rightsizer.testing.FramedSamples.EVOLVED;
import static io.rightsizer.testing.FramedSamples.OLDER;
import static io.rightsizer.testing.FramedSamples.frame;
import static io.rightsizer.testing.FramedSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.job.codec.ApprovalSchema;
import io.rightsizer.job.codec.DecisionDeserializer;
import io.rightsizer.job.codec.InventoryDeserializer;
import io.rightsizer.job.codec.KafkaSampleDeserializer;
import io.rightsizer.local.LoopbackPorts;
import io.rightsizer.model.DecisionInput;
import io.rightsizer.model.Ingested;
import io.rightsizer.model.VmInput;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.MetricSample;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.VmAllocation;
import io.rightsizer.telemetry.ConfluentFrame;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.telemetry.SampleJson;
import io.rightsizer.testing.Allocations;
import io.rightsizer.testing.RegistryServer;
import io.rightsizer.testing.TcpForwarder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client and framed decoding against a real schema registry (Apicurio 3.0.9, one per
 * test JVM): ids, schema resolution of producers' versions, unknown ids, oversized answers, refused
 * registrations and outages.
 */
class RegistryClientTest {
    static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
    static final long GIB = 1L << 30;

    static String url;

    @BeforeAll
    static void registry() {
        url = RegistryServer.url();
    }

    static RegistryClient client() {
        return new RegistryClient(
                url, Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(200), null);
    }

    @Test
    void registeringASchemaTwiceGivesOneIdWhoseSchemaTheRegistryGivesBack() throws Exception {
        String subject = RegistryServer.freshSubject("twice");
        RegistryClient c = client();

        int id = c.register(subject, EVOLVED);

        assertThat(c.register(subject, EVOLVED)).isEqualTo(id);
        assertThat(c.fetch(id)).isEqualTo(EVOLVED);
        assertThat(c.byId(id)).isEqualTo(EVOLVED);
    }

    @Test
    void samplesOfAnEvolvedAndOfAnOlderProducerSchemaReadIntoTheCurrentSample() throws Exception {
        String subject = RegistryServer.freshSubject("vm-metrics");
        RegistryClient c = client();
        int evolved = c.register(subject, EVOLVED);
        int older = c.register(subject, OLDER);
        ConfluentFrame.Decoder<MetricSample> decoder = SampleCodec.framedDecoder(c);

        SampleJson.Result a =
                SampleCodec.decode(
                        frame(evolved, sample(EVOLVED, "vm-1", "sys-1", AT, GIB, 4 * GIB, 5, 9)),
                        null,
                        decoder);
        SampleJson.Result b =
                SampleCodec.decode(
                        frame(older, sample(OLDER, "vm-2", "sys-1", AT, 2 * GIB, 4 * GIB, 6, 9)),
                        null,
                        decoder);

        assertThat(evolved).isNotEqualTo(older);
        assertThat(a.ok()).as(a.message).isTrue();
        assertThat(List.of(a.sample.vmId, a.sample.memoryUsedBytes, a.sample.cpuUtilizationPct))
                .containsExactly("vm-1", GIB, 12.5);
        assertThat(b.ok()).as(b.message).isTrue();
        assertThat(List.of(b.sample.vmId, b.sample.memoryUsedBytes, b.sample.hasCpu()))
                .containsExactly("vm-2", 2 * GIB, false);
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsUndecodableNamingTheId() {
        SampleJson.Result r =
                SampleCodec.decode(
                        frame(987654, sample(EVOLVED, "vm-1", "sys-1", AT, 1, 2, 3, 4)),
                        null,
                        SampleCodec.framedDecoder(client()));

        assertThat(r.reason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.message)
                .startsWith(
                        "Confluent-framed Avro (schema id 987654): the schema registry "
                                + url
                                + " does not know schema id 987654 (404: ");
    }

    @Test
    void anUnknownIdIsAnsweredFromMemoryForAWhileNotAskedPerRecord() throws Exception {
        int port = LoopbackPorts.free();
        AtomicInteger retries = new AtomicInteger();
        RegistryClient c =
                new RegistryClient(
                        "http://127.0.0.1:" + port + RegistryServer.CCOMPAT,
                        Duration.ofSeconds(5),
                        Duration.ofMillis(50),
                        Duration.ofMillis(200),
                        retries::incrementAndGet);
        String first;
        try (TcpForwarder up = new TcpForwarder(port, registryPort()).open()) {
            first =
                    org.junit.jupiter.api.Assertions.assertThrows(
                                    ConfluentFrame.UnknownSchemaException.class,
                                    () -> c.byId(876543))
                            .getMessage();
        }

        // The registry is out of reach now: the answer comes from memory, at once.
        assertThatThrownBy(() -> c.byId(876543))
                .isInstanceOf(ConfluentFrame.UnknownSchemaException.class)
                .hasMessage(first);
        assertThat(retries).hasValue(0);
    }

    @Test
    void anAnswerOverTheBoundIsNotReadAndNamesTheId() throws Exception {
        // 300 fields with 1,000-character docs: about 330 KB of schema.
        SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("Huge").fields();
        for (int i = 0; i < 300; i++) {
            f = f.name("f" + i).doc("d".repeat(1000)).type().intType().intDefault(0);
        }
        RegistryClient c = client();
        int id = c.register(RegistryServer.freshSubject("huge"), f.endRecord());

        assertThatThrownBy(() -> c.byId(id))
                .isInstanceOf(ConfluentFrame.UnknownSchemaException.class)
                .hasMessage(
                        "the schema registry "
                                + url
                                + " answered more than 262144 bytes for schema id "
                                + id
                                + ", more than any schema this job reads");
    }

    @Test
    void anIncompatibleApprovalSchemaFailsTheStartWithTheRegistrysReason() throws Exception {
        String topic = RegistryServer.freshTopic("approvals-refused");
        Schema earlier =
                SchemaBuilder.record("Recommendation")
                        .namespace("io.rightsizer.schema")
                        .fields()
                        .requiredInt("ticket")
                        .endRecord();
        client().register(ApprovalSchema.subject(topic), earlier);
        put("/config/" + ApprovalSchema.subject(topic), "{\"compatibility\":\"FORWARD\"}");

        assertThatThrownBy(() -> ApprovalSchema.register(url, topic))
                .isInstanceOf(ApprovalSchema.RegistrationException.class)
                .hasMessageStartingWith(
                        "the schema registry "
                                + url
                                + " refused io.rightsizer.schema.Recommendation under subject "
                                + topic
                                + "-value (409, incompatible with the versions registered"
                                + " before: ")
                .hasMessageEndingWith(
                        ": the approval topic's readers could not read what this release writes."
                                + " Change the subject's compatibility rule, or point"
                                + " kafka.schema-registry.url elsewhere;"
                                + " docs/providers/schema-registry.md");
    }

    @Test
    void runStopsBeforeTheJobStartsWhenTheRegistryRefusesTheApprovalSchema(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String topic = RegistryServer.freshTopic("approvals-run-refused");
        client().register(
                        ApprovalSchema.subject(topic),
                        SchemaBuilder.record("Recommendation")
                                .namespace("io.rightsizer.schema")
                                .fields()
                                .requiredInt("ticket")
                                .endRecord());
        put("/config/" + ApprovalSchema.subject(topic), "{\"compatibility\":\"FORWARD\"}");
        java.nio.file.Path config = dir.resolve("job.yaml");
        java.nio.file.Files.writeString(
                config,
                "kafka:\n"
                        + "  bootstrap-servers: 127.0.0.1:1\n"
                        + "  topics:\n"
                        + "    recommendations: "
                        + topic
                        + "\n"
                        + "  schema-registry:\n"
                        + "    url: "
                        + url
                        + "\n"
                        + "rules:\n"
                        + "  file: "
                        + java.nio.file.Path.of("../rules/article26.yaml").toAbsolutePath()
                        + "\n"
                        + "catalog:\n"
                        + "  file: "
                        + java.nio.file.Path.of("../config/catalog.yaml").toAbsolutePath()
                        + "\n"
                        + "calendar:\n"
                        + "  file: "
                        + java.nio.file.Path.of("../config/calendar.yaml").toAbsolutePath()
                        + "\n");

        io.rightsizer.testing.Cli.Run run =
                io.rightsizer.testing.Cli.run("run", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .last()
                .asString()
                .startsWith(
                        "run: the schema registry "
                                + url
                                + " refused io.rightsizer.schema.Recommendation under subject "
                                + topic
                                + "-value (409, incompatible with the versions registered"
                                + " before: ");
    }

    @Test
    void theApprovalSchemaIsRegisteredUnderTheTopicsValueSubject() throws Exception {
        String topic = RegistryServer.freshTopic("approvals-ok");

        int id = ApprovalSchema.register(url, topic);

        assertThat(client().fetch(id)).isEqualTo(Recommendation.getClassSchema());
        assertThat(get("/subjects/" + topic + "-value/versions")).isEqualTo("[1]");
    }

    @Test
    void duringAnOutageTheLookupWaitsCountingAttemptsAndReadsTheSchemaWhenItIsBack()
            throws Exception {
        int id = client().register(RegistryServer.freshSubject("outage"), OLDER);
        int port = LoopbackPorts.free();
        AtomicInteger retries = new AtomicInteger();
        RegistryClient behind =
                new RegistryClient(
                        "http://127.0.0.1:" + port + RegistryServer.CCOMPAT,
                        Duration.ofSeconds(5),
                        Duration.ofMillis(50),
                        Duration.ofMillis(200),
                        retries::incrementAndGet);

        CompletableFuture<Schema> lookup =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return behind.byId(id);
                            } catch (ConfluentFrame.UnknownSchemaException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        awaitTrue(() -> retries.get() >= 3);
        assertThat(lookup).isNotDone();
        try (TcpForwarder up = new TcpForwarder(port, registryPort()).open()) {
            assertThat(lookup.get(30, TimeUnit.SECONDS)).isEqualTo(OLDER);
        }
    }

    @Test
    void aSampleArrivingDuringAnOutageIsJudgedAfterItNotDeadLettered() throws Exception {
        int id = client().register(RegistryServer.freshSubject("outage-sample"), EVOLVED);
        int port = LoopbackPorts.free();
        KafkaSampleDeserializer d =
                new KafkaSampleDeserializer(
                        -1, "http://127.0.0.1:" + port + RegistryServer.CCOMPAT);
        byte[] value = frame(id, sample(EVOLVED, "vm-9", "sys-1", AT, GIB, 4 * GIB, 5, 9));
        List<Ingested> out = new ArrayList<>();
        Thread t =
                new Thread(
                        () ->
                                d.deserialize(
                                        new ConsumerRecord<>("vm-metrics", 0, 7, null, value),
                                        collector(out)));
        t.start();
        // Waiting out the outage: asleep between attempts.
        awaitTrue(() -> t.getState() == Thread.State.TIMED_WAITING);
        assertThat(out).isEmpty();
        try (TcpForwarder up = new TcpForwarder(port, registryPort()).open()) {
            t.join(30_000);
        }

        assertThat(out).hasSize(1);
        assertThat(out.get(0).sample.vmId).isEqualTo("vm-9");
        assertThat(out.get(0).sample.sourceOffset).isEqualTo(7);
    }

    @Test
    void framedInventoryAndDecisionRecordsAreReadWithTheRegistry() throws Exception {
        RegistryClient c = client();
        int allocationId =
                c.register(RegistryServer.freshSubject("vm-inventory"), VmAllocation.SCHEMA$);
        int decisionId = c.register(RegistryServer.freshSubject("decisions"), Decision.SCHEMA$);
        // The record has no timestamp: effectiveAt says when it holds.
        VmAllocation a = Allocations.active("vm-3", "sys-1").setEffectiveAt(AT).build();
        Decision d =
                Decision.newBuilder()
                        .setRecommendationId("rec-1")
                        .setState(DecisionState.APPROVED)
                        .setDecidedBy("ops")
                        .setDecidedAt(AT)
                        .build();
        List<VmInput> inventory = new ArrayList<>();
        List<DecisionInput> decisions = new ArrayList<>();

        new InventoryDeserializer(url)
                .deserialize(
                        new ConsumerRecord<>(
                                "vm-inventory", 0, 0, null, ConfluentFrame.encode(allocationId, a)),
                        collector(inventory));
        new DecisionDeserializer(-1, url)
                .deserialize(
                        new ConsumerRecord<>(
                                "decisions",
                                0,
                                0,
                                "rec-1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                ConfluentFrame.encode(decisionId, d)),
                        collector(decisions));

        assertThat(inventory).extracting(i -> i.allocation).containsExactly(a);
        assertThat(decisions).extracting(i -> i.decision).containsExactly(d);
    }

    @Test
    void aWaitInterruptedByCancellationSaysSoAndIsNoVerdictOnTheRecord() throws Exception {
        int port = LoopbackPorts.free();
        RegistryClient down =
                new RegistryClient(
                        "http://127.0.0.1:" + port + RegistryServer.CCOMPAT,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        null);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                down.byId(1);
                            } catch (Throwable e) {
                                thrown.set(e);
                            }
                        });
        t.start();
        awaitTrue(() -> t.getState() == Thread.State.TIMED_WAITING);
        t.interrupt();
        t.join(10_000);

        assertThat(thrown.get())
                .isInstanceOf(RegistryClient.WaitInterruptedException.class)
                .hasMessage(
                        "interrupted while waiting for the schema registry http://127.0.0.1:"
                                + port
                                + RegistryServer.CCOMPAT);
    }

    @Test
    void aUrlThatIsNoHttpUrlIsRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> RegistryClient.checkUrl("registry:8081"))
                .hasMessage(
                        "kafka.schema-registry.url must be the http(s):// URL of a schema"
                                + " registry's Confluent-compatible API, e.g."
                                + " http://127.0.0.1:8080/apis/ccompat/v7 (Apicurio) or"
                                + " http://127.0.0.1:8081 (Confluent): 'registry:8081'");
    }

    static <T> Collector<T> collector(List<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    static int registryPort() {
        return URI.create(url).getPort();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            Thread.sleep(20);
        }
    }

    static String get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static void put(String path, String json) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url + path))
                                        .header("Content-Type", RegistryClient.CONTENT_TYPE)
                                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
