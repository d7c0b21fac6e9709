package io.rightsizer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rightsizer.bench.LatencyFleet.Trigger;
import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.LoopbackPorts;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.Rule;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.telemetry.SampleCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end latency of the live job (not a test): a steady stream of samples into an embedded
 * broker, the job as deployed (exactly-once Kafka output, its default checkpoint interval and
 * watermark bound unless {@code -D} says otherwise), and a read_committed consumer of the approval
 * topic. For each planted trigger ({@link LatencyFleet}) the latency is from the moment the
 * producer sent the trigger sample to the moment the consumer saw its recommendation, matched by
 * rule, vmId and firedAt (= the trigger's timestamp). Samples are stamped with the instant they
 * were due, so event time runs at the wall clock's pace, as in production. Run with {@code
 * scripts/bench-latency}.
 */
public final class LatencyBench {
    private static final String METRICS = "latency-metrics";
    private static final String RECOMMENDATIONS = "latency-recommendations";
    private static final String DEAD_LETTERS = "latency-dead-letters";

    private LatencyBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        Map<String, String> overrides = new TreeMap<>();
        parse(args, a, overrides);
        int rate = Integer.parseInt(a.getOrDefault("rate", "20000"));
        int vms = Integer.parseInt(a.getOrDefault("vms", "20000"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "4"));
        int triggers = Integer.parseInt(a.getOrDefault("triggers", "200"));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(a.getOrDefault("warm-up", "30")));
        Duration window = Duration.ofSeconds(Long.parseLong(a.getOrDefault("window", "60")));
        Duration drain = Duration.ofSeconds(Long.parseLong(a.getOrDefault("drain", "120")));

        Map<String, String> settings = new TreeMap<>();
        settings.put("kafka.topics.metrics", METRICS);
        settings.put("kafka.topics.recommendations", RECOMMENDATIONS);
        settings.put("kafka.topics.dead-letters", DEAD_LETTERS);
        settings.put("kafka.starting-offsets", "earliest");
        settings.put("kafka.transactional-id-prefix", "latency");
        settings.putAll(overrides);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            String bootstrap = kafka.bootstrapServers();
            settings.put("kafka.bootstrap-servers", bootstrap);
            JobConfig cfg = JobConfig.of(settings);
            RuleSet rules = cfg.rules();
            Duration checkpoint = cfg.get(RightsizerOptions.CHECKPOINT_INTERVAL);
            Duration bound = cfg.get(RightsizerOptions.OUT_OF_ORDERNESS);
            kafka.createTopics(partitions, METRICS);
            kafka.createTopics(1, RECOMMENDATIONS, DEAD_LETTERS);
            kafka.createDefaultJobTopics();

            Configuration conf = RightsizerJob.flinkConfiguration(cfg);
            RightsizerJob.useLocalCheckpointDir(conf);
            int restPort = LoopbackPorts.free();
            conf.set(RestOptions.PORT, restPort);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(conf);
            RightsizerJob.configure(env, cfg);
            // As RightsizerJob.main defines it: the configured rules, catalog and time limits.
            RightsizerJob.define(env, cfg, rules, cfg.sizing(), cfg.timeLimits(), bootstrap, false);
            JobClient job = env.executeAsync("latency");
            awaitRunning(job, Duration.ofMinutes(2));

            long ticksPerSecond = 1000 / LatencyFleet.TICK_MILLIS;
            long firstTrigger = warmUp.toSeconds() * ticksPerSecond;
            // Event time runs at the wall clock's pace: tick 0 is due now.
            long start = System.currentTimeMillis() + 1000;
            LatencyFleet fleet =
                    new LatencyFleet(
                            vms,
                            rate,
                            start,
                            rules,
                            triggers,
                            firstTrigger,
                            window.toSeconds() * ticksPerSecond);
            List<Trigger> planted = fleet.triggers();
            Map<String, Long> sentNanos = new ConcurrentHashMap<>();
            Map<String, Long> seenNanos = new ConcurrentHashMap<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread consumer =
                    new Thread(
                            () -> consume(bootstrap, sentNanos, seenNanos, unexpected, stop),
                            "latency-consumer");
            consumer.start();

            // After the last trigger: the bound, two checkpoints and a margin, then give up.
            long lastTrigger = planted.get(planted.size() - 1).tick();
            long giveUpTick =
                    lastTrigger
                            + (bound.toMillis() + 3 * checkpoint.toMillis() + 60_000)
                                    / LatencyFleet.TICK_MILLIS;
            double loadBefore = loadAverage();
            long t0 = System.nanoTime();
            long[] produced =
                    produce(
                            bootstrap,
                            fleet,
                            start,
                            giveUpTick,
                            sentNanos,
                            () -> seenNanos.size() == planted.size());
            double producedSecs = (System.nanoTime() - t0) / 1e9;
            // A job that fell behind still owes the rest: the watermark of the samples sent is
            // past every trigger. Waiting for them measures how far behind it was.
            int seenWhenStopped = seenNanos.size();
            long drainDeadline = System.nanoTime() + drain.toNanos();
            while (seenNanos.size() < planted.size() && System.nanoTime() < drainDeadline) {
                Thread.sleep(100);
            }
            stop.set(true);
            consumer.join();
            String checkpoints = checkpointStats(restPort, job);
            job.cancel().get(1, TimeUnit.MINUTES);

            report(
                    rate,
                    vms,
                    partitions,
                    env.getParallelism(),
                    checkpoint,
                    bound,
                    cfg.get(RightsizerOptions.IDLE_TIMEOUT),
                    overrides,
                    planted,
                    sentNanos,
                    seenNanos,
                    unexpected,
                    String.format(
                            Locale.ROOT,
                            "producer: %,d samples in %.0f s = %,.0f samples/s, at most %,d ms"
                                    + " behind its schedule; load average %.1f before, %.1f"
                                    + " after (%d cores); %d recommendations seen while it"
                                    + " produced, the rest within %s after",
                            produced[0],
                            producedSecs,
                            produced[0] / producedSecs,
                            produced[1],
                            loadBefore,
                            loadAverage(),
                            Runtime.getRuntime().availableProcessors(),
                            seenWhenStopped,
                            drain),
                    checkpoints);
        }
        // The MiniCluster's and the broker's non-daemon threads must not keep the bench alive.
        System.exit(0);
    }

    private static void awaitRunning(JobClient job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job is not RUNNING after " + timeout);
            }
            Thread.sleep(100);
        }
        // Its sources still have to find their partitions: the warm-up covers that too.
    }

    /**
     * Sends the backlog, then tick after tick at its due time until {@code done} or {@code
     * lastTick}. Returns the samples sent and how far behind its schedule the producer fell at
     * worst, in ms.
     */
    private static long[] produce(
            String bootstrap,
            LatencyFleet fleet,
            long start,
            long lastTick,
            Map<String, Long> sentNanos,
            java.util.function.BooleanSupplier done)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long maxLag = 0;
        long sentCount = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (Sample s : fleet.backlog()) {
                send(producer, s, failure);
            }
            producer.flush();
            List<Sample> batch = new ArrayList<>(fleet.perTick());
            List<Trigger> fired = new ArrayList<>();
            for (long tick = 0; tick <= lastTick && !done.getAsBoolean(); tick++) {
                long due = fleet.timestamp(tick);
                long now = System.currentTimeMillis();
                if (due > now) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(due - now));
                } else {
                    maxLag = Math.max(maxLag, now - due);
                }
                batch.clear();
                fired.clear();
                fleet.samplesAt(tick, batch, fired);
                for (Sample s : batch) {
                    send(producer, s, failure);
                }
                sentCount += batch.size();
                if (tick % (30_000 / LatencyFleet.TICK_MILLIS) == 0) {
                    System.err.printf(
                            Locale.ROOT,
                            "latency bench: %d s of samples sent, %,d ms behind%n",
                            tick * LatencyFleet.TICK_MILLIS / 1000,
                            Math.max(0, System.currentTimeMillis() - due));
                }
                long sent = System.nanoTime();
                for (Trigger t : fired) {
                    sentNanos.put(t.key(), sent);
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
        }
        return new long[] {sentCount, maxLag};
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
    }

    private static void send(
            KafkaProducer<String, byte[]> producer, Sample s, AtomicReference<Exception> failure) {
        producer.send(
                new ProducerRecord<>(METRICS, s.vmId, SampleCodec.encode(s)),
                (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    /** The data center's view: read_committed, every recommendation as soon as it is visible. */
    private static void consume(
            String bootstrap,
            Map<String, Long> sentNanos,
            Map<String, Long> seenNanos,
            List<String> unexpected,
            AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> c =
                TopicReader.fromBeginning(TopicReader.properties(bootstrap), RECOMMENDATIONS)) {
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    long seen = System.nanoTime();
                    Recommendation rec = RecommendationSerializer.decode(r.value(), r.headers());
                    String key =
                            Trigger.key(
                                    rec.getRuleId(),
                                    rec.getVmId(),
                                    rec.getFiredAt().toEpochMilli());
                    if (sentNanos.containsKey(key)) {
                        seenNanos.putIfAbsent(key, seen);
                    } else {
                        unexpected.add(key);
                    }
                }
            }
        }
    }

    /** The job's checkpoint statistics from its REST API: count, duration and size. */
    private static String checkpointStats(int restPort, JobClient job) {
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + restPort
                                                                    + "/jobs/"
                                                                    + job.getJobID()
                                                                    + "/checkpoints"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            JsonNode n = new ObjectMapper().readTree(r.body());
            JsonNode d = n.path("summary").path("end_to_end_duration");
            JsonNode size = n.path("summary").path("checkpointed_size");
            return String.format(
                    Locale.ROOT,
                    "checkpoints: %d completed, duration p50 %d ms, p99 %d ms, max %d ms; size"
                            + " p50 %,d B, max %,d B",
                    n.path("counts").path("completed").asLong(),
                    d.path("p50").asLong(),
                    d.path("p99").asLong(),
                    d.path("max").asLong(),
                    size.path("p50").asLong(),
                    size.path("max").asLong());
        } catch (Exception e) {
            return "checkpoints: statistics not available (" + e + ")";
        }
    }

    private static void report(
            int rate,
            int vms,
            int partitions,
            int parallelism,
            Duration checkpoint,
            Duration bound,
            Duration idle,
            Map<String, String> overrides,
            List<Trigger> planted,
            Map<String, Long> sentNanos,
            Map<String, Long> seenNanos,
            List<String> unexpected,
            String producer,
            String checkpoints) {
        System.out.println();
        System.out.println("rightsizer latency bench, " + Instant.now());
        System.out.printf(
                Locale.ROOT,
                "  settings: %,d samples/s from %,d VMs (each every %d ms) into %d partitions;"
                        + " parallelism %d; exactly-once output, read_committed consumer;"
                        + " checkpoint.interval %s; watermark.out-of-orderness %s;"
                        + " source.idle-timeout %s; -D %s%n",
                rate,
                vms,
                1000L * vms / rate,
                partitions,
                parallelism,
                checkpoint,
                bound,
                idle,
                overrides.isEmpty() ? "none" : overrides);
        System.out.println("  " + producer);
        for (Rule rule : List.of(Rule.STORAGE_USAGE, Rule.MEMORY_EMERGENCY)) {
            List<Long> ms = new ArrayList<>();
            int planted1 = 0;
            for (Trigger t : planted) {
                if (t.rule() != rule) {
                    continue;
                }
                planted1++;
                Long seen = seenNanos.get(t.key());
                if (seen != null) {
                    ms.add(TimeUnit.NANOSECONDS.toMillis(seen - sentNanos.get(t.key())));
                }
            }
            long[] sorted = ms.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "  %s: %d of %d recommendations seen; latency p50 %s, p99 %s (min %s, max"
                            + " %s)%n",
                    rule.id(),
                    sorted.length,
                    planted1,
                    seconds(percentile(sorted, 50)),
                    seconds(percentile(sorted, 99)),
                    seconds(sorted.length == 0 ? -1 : sorted[0]),
                    seconds(sorted.length == 0 ? -1 : sorted[sorted.length - 1]));
        }
        System.out.printf(
                Locale.ROOT,
                "  recommendations not planted: %d%s%n",
                unexpected.size(),
                unexpected.isEmpty()
                        ? ""
                        : " " + unexpected.subList(0, Math.min(5, unexpected.size())));
        System.out.println("  " + checkpoints);
    }

    /** Nearest rank; -1 when there is nothing. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String seconds(long ms) {
        return ms < 0 ? "-" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    /** {@code --key value}, {@code --flag}, and the job's {@code -D key=value} (or -Dkey=value). */
    private static void parse(String[] args, Map<String, String> a, Map<String, String> d) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-D")) {
                String kv = arg.length() > 2 ? arg.substring(2) : args[++i];
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("-D needs key=value, got " + kv);
                }
                d.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else if (arg.startsWith("--")) {
                String k = arg.substring(2);
                if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    a.put(k, args[++i]);
                } else {
                    a.put(k, "");
                }
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + arg + Arrays.toString(args));
            }
        }
    }
}
