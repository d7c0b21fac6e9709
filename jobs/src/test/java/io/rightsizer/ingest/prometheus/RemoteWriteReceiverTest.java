package io.rightsizer.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.model.Sample;
import io.rightsizer.testing.InfluxServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract on a real socket: 204 only once the sample is acknowledged, 503 when it cannot
 * be produced (Prometheus retries), 4xx for what can never be accepted. The acknowledgement is
 * played by the test through the receiver's send function, so each outcome is exact.
 */
class RemoteWriteReceiverTest {
    static final long SCRAPE = 1_796_362_200_000L;
    static final long GIB = 1L << 30;
    static final Duration WAIT = Duration.ofMillis(300);

    /** What the receiver handed to Kafka, with the acknowledgement the test completes. */
    record Handed(Sample sample, CompletableFuture<Object> ack) {}

    final BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newHttpClient();
    RemoteWriteReceiver receiver;
    String url;

    @BeforeEach
    void start() throws Exception {
        receiver =
                new RemoteWriteReceiver(
                        new InetSocketAddress("127.0.0.1", 0),
                        4,
                        RemoteWrite.Limits.defaults(),
                        new PromMapping(PromMapping.Settings.defaults()),
                        new Assembly(WAIT.toMillis(), 1000, 1000, 3_600_000),
                        s -> {
                            CompletableFuture<Object> ack = new CompletableFuture<>();
                            handed.add(new Handed(s, ack));
                            return ack;
                        },
                        Duration.ofSeconds(10),
                        new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8), true));
        receiver.start();
        url = "http://127.0.0.1:" + receiver.address().getPort();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    static byte[] scrape(String vm, String system) {
        PromWire w = new PromWire();
        Map<String, String> vmLabels =
                system == null ? Map.of("vm_id", vm) : Map.of("vm_id", vm, "system_id", system);
        w.series(with(vmLabels, "__name__", "node_memory_MemTotal_bytes"), SCRAPE, 8 * GIB);
        w.series(with(vmLabels, "__name__", "node_memory_MemAvailable_bytes"), SCRAPE, 2 * GIB);
        w.series(with(vmLabels, "__name__", "node_load1"), SCRAPE, 0.5);
        return w.snappy();
    }

    static Map<String, String> with(Map<String, String> m, String k, String v) {
        java.util.HashMap<String, String> out = new java.util.HashMap<>(m);
        out.put(k, v);
        return out;
    }

    CompletableFuture<HttpResponse<String>> post(byte[] body, String contentType) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url + "/api/v1/write"))
                        .header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> post(byte[] body) {
        return post(body, "application/x-protobuf");
    }

    @Test
    void aRequestIsAnsweredOnlyOnceItsSampleIsAcknowledged() throws Exception {
        CompletableFuture<HttpResponse<String>> response = post(scrape("vm-1", "sys-a"));
        Handed h = handed.poll(10, TimeUnit.SECONDS);
        assertThat(h).isNotNull();
        assertThat(h.sample().vmId).isEqualTo("vm-1");
        assertThat(h.sample().systemId).isEqualTo("sys-a");
        assertThat(h.sample().timestamp).isEqualTo(SCRAPE);
        assertThat(h.sample().memoryTotalBytes).isEqualTo(8 * GIB);
        assertThat(h.sample().memoryUsedBytes).isEqualTo(6 * GIB);
        Thread.sleep(2 * WAIT.toMillis());
        assertThat(response).as("not answered before Kafka acknowledged").isNotDone();
        h.ack().complete(null);
        assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        Counters c = receiver.counters();
        assertThat(c.mapped()).isEqualTo(2);
        assertThat(c.ignored(PromMapping.Ignored.NOT_MAPPED)).isEqualTo(1);
        assertThat(c.produced()).isEqualTo(1);
        assertThat(c.requests(204)).isEqualTo(1);
    }

    @Test
    void aSampleKafkaRefusesIs503AndTheRetriedRequestIsProduced() throws Exception {
        byte[] body = scrape("vm-1", "sys-a");
        CompletableFuture<HttpResponse<String>> first = post(body);
        handed.poll(10, TimeUnit.SECONDS).ack().completeExceptionally(new RuntimeException("down"));
        HttpResponse<String> refused = first.get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).startsWith("samples could not be produced to Kafka");

        CompletableFuture<HttpResponse<String>> retry = post(body);
        Handed again = handed.poll(10, TimeUnit.SECONDS);
        assertThat(again.sample().memoryUsedBytes).isEqualTo(6 * GIB);
        again.ack().complete(null);
        assertThat(retry.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        assertThat(receiver.counters().produced()).isEqualTo(1);
        assertThat(receiver.counters().requests(503)).isEqualTo(1);
    }

    @Test
    void aRepeatOfAnAcknowledgedRequestIsLateAndAccepted() throws Exception {
        byte[] body = scrape("vm-1", "sys-a");
        CompletableFuture<HttpResponse<String>> first = post(body);
        handed.poll(10, TimeUnit.SECONDS).ack().complete(null);
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        assertThat(post(body).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        assertThat(handed).as("nothing produced twice").isEmpty();
        assertThat(receiver.counters().late()).isEqualTo(2);
    }

    @Test
    void aVmWithoutASystemLabelIsAcceptedCountedAndLoggedOnce() throws Exception {
        assertThat(post(scrape("vm-9", null)).get(10, TimeUnit.SECONDS).statusCode())
                .isEqualTo(204);
        assertThat(handed).isEmpty();
        assertThat(receiver.counters().notProduced(Assembly.Problem.NO_SYSTEM)).isEqualTo(1);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "ingest prometheus: not produced (no_system): VM vm-9: no systemId label"
                                + " on its series (further ones of this VM only counted)\n");
    }

    @Test
    void whatCanNeverBeAcceptedIsA4xxThatPrometheusDoesNotRetry() throws Exception {
        assertThat(post(new byte[] {1, 2, 3}).get().statusCode()).isEqualTo(400);
        assertThat(post(PromWire.compress(new byte[] {0x0a, 0x05})).get().statusCode())
                .isEqualTo(400);
        assertThat(
                        post(
                                        scrape("vm-1", "s"),
                                        "application/x-protobuf;proto=io.prometheus.write.v2.Request")
                                .get()
                                .statusCode())
                .isEqualTo(415);
        HttpResponse<String> gzip =
                http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/v1/write"))
                                .header("Content-Encoding", "gzip")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(gzip.statusCode()).isEqualTo(415);
        HttpResponse<String> get =
                http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/v1/write")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        byte[] huge = new byte[RemoteWrite.Limits.defaults().maxCompressedBytes() + 1];
        assertThat(post(huge).get().statusCode()).isEqualTo(413);
        assertThat(handed).isEmpty();
    }

    @Test
    void theCountersAreValidPrometheusTextFormat() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        InfluxServer.requireTool(
                Files.isExecutable(promtool),
                "promtool is not installed: on Debian or Ubuntu run `sudo apt-get install -y"
                        + " prometheus` (or ./scripts/install-tools promtool)");
        post(new byte[] {1}).get();
        String text =
                http.send(
                                HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertThat(text).contains("rightsizer_remote_write_requests_total{code=\"400\"} 1\n");
        Process p =
                new ProcessBuilder(promtool.toString(), "check", "metrics")
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
