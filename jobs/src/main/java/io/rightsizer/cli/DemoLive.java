package io.rightsizer.cli;

import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.calendar.EventCalendar;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.telemetry.SampleCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo after its summary: the job and the console go on, and the simulated fleet goes on
 * reporting in wall-clock time, so a decision taken in the console takes effect while one watches.
 *
 * <p>A decision is stamped with the moment it is taken, and the job applies it once its event time
 * (the newest sample − the watermark bound − 1 ms) has passed that moment. So every beat stamps the
 * fleet's samples the bound ahead of the wall clock: the job's event time is then the wall clock,
 * and a decision takes effect at the next beat, visible after the next checkpoint.
 */
final class DemoLive implements AutoCloseable {
    /** How often the fleet reports once live. */
    static final Duration BEAT = Duration.ofSeconds(2);

    /** Stay until Enter, Ctrl-C or an interrupt. */
    static final Duration UNTIL_STOPPED = ChronoUnit.FOREVER.getDuration();

    /** The simulated fleet, where it reports, and the job's watermark bound. */
    record Fleet(FleetSimulator sim, String bootstrap, String topic, Duration bound) {}

    private final Fleet fleet;
    private final EventCalendar cal;
    private final PrintWriter table;
    private final PrintWriter err;
    private final Thread beat;
    private final Thread watch;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Exception failure;

    private DemoLive(Fleet fleet, EventCalendar cal, PrintWriter table, PrintWriter err) {
        this.fleet = fleet;
        this.cal = cal;
        this.table = table;
        this.err = err;
        this.beat = new Thread(this::beat, "demo-live-fleet");
        this.watch = new Thread(this::watch, "demo-live-watch");
        beat.setDaemon(true);
        watch.setDaemon(true);
    }

    /**
     * The stay of {@code --stay}: {@code null} when the text is no duration; without the option,
     * until stopped when the demo runs in a terminal, else none.
     */
    static Duration stay(String option, boolean interactive) {
        if (option == null) {
            return interactive ? UNTIL_STOPPED : Duration.ZERO;
        }
        Duration d = DurationText.parse(option);
        return d == null || d.isNegative() ? null : d;
    }

    /**
     * The live phase: says what it is and where to decide, then runs until {@code stay} has passed,
     * Enter (when {@code interactive}), Ctrl-C or an interrupt. A Ctrl-C's shutdown hook waits for
     * {@code cleanedUp}: the caller counts it down once the job is cancelled.
     *
     * @param console the console's address, null when it is not served
     * @param table where new recommendations are printed, null for nowhere
     */
    static void run(
            Fleet fleet,
            EventCalendar cal,
            URI console,
            Duration stay,
            boolean interactive,
            PrintWriter table,
            PrintWriter err,
            CountDownLatch cleanedUp)
            throws Exception {
        err.println();
        err.printf(
                "Live %s: the fleet reports every %s in wall-clock time (stamped %s ahead, the"
                        + " watermark bound, so the job's event time is now), and the job applies"
                        + " a decision at the next report.%n",
                stay.equals(UNTIL_STOPPED)
                        ? "until Enter or Ctrl-C"
                        : "for " + DurationText.format(stay) + " (Enter or Ctrl-C end it)",
                DurationText.format(BEAT),
                DurationText.format(fleet.bound()));
        if (console != null) {
            err.printf(
                    "  Decide in the console: %s (user %s, the password above)%n",
                    console, DemoConsole.USER);
        }
        err.printf(
                "  or: ./scripts/rightsizer decide ID approve --by NAME --bootstrap-servers %s%n",
                fleet.bootstrap());
        err.println("  What the job makes of it is printed here as \"live: ...\".");
        try (DemoLive live = new DemoLive(fleet, cal, table, err)) {
            live.beat.start();
            live.watch.start();
            Thread hook = live.stopOnShutdown(cleanedUp);
            live.await(stay, interactive ? System.in : null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook waits for cleanedUp.
            }
        } finally {
            err.println("Stopping the demo.");
        }
    }

    /**
     * Waits until {@code stay} has passed, Enter is pressed ({@code in} non-null), the JVM is asked
     * to stop (Ctrl-C: the caller's cleanup still runs, see {@link #stopOnShutdown}) or this thread
     * is interrupted.
     */
    private void await(Duration stay, InputStream in) {
        if (in != null) {
            Thread enter = new Thread(() -> awaitEnter(in), "demo-live-enter");
            enter.setDaemon(true);
            enter.start();
        }
        try {
            if (stay.equals(UNTIL_STOPPED)) {
                stop.await();
            } else {
                stop.await(stay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            // Stopping is what an interrupt asks for; the caller cleans up.
        }
    }

    /**
     * A shutdown hook that ends the wait and gives {@code cleanedUp} up to 20 s to count down, so
     * Ctrl-C cancels the job and stops the console, the broker and influxd in order.
     */
    private Thread stopOnShutdown(CountDownLatch cleanedUp) {
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                cleanedUp.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-live-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private void awaitEnter(InputStream in) {
        try {
            int c;
            do {
                c = in.read();
            } while (c != -1 && c != '\n');
            if (c == '\n') {
                stop.countDown();
            }
        } catch (IOException e) {
            // No terminal to read after all: Ctrl-C or the stay still end the wait.
        }
    }

    private void beat() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        FleetSimulator sim = fleet.sim();
        long bound = fleet.bound().toMillis();
        SplittableRandom[] noise = new SplittableRandom[sim.vms()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = new SplittableRandom(sim.seed() * 31 + i);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            long last = sim.lastTimestamp();
            while (running) {
                // Strictly after the history's last sample and the previous beat.
                long ts = Math.max(System.currentTimeMillis() + bound, last + 1);
                for (int i = 0; i < noise.length; i++) {
                    Sample s = sim.sampleAt(i, ts, noise[i]);
                    producer.send(
                            new ProducerRecord<>(fleet.topic(), s.vmId, SampleCodec.encode(s)));
                }
                producer.flush();
                last = ts;
                // Waiting on the stop signal, not sleeping to be interrupted: an interrupt would
                // reach the producer's close, which logs it as an error.
                if (stop.await(BEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (Exception e) {
            if (running) {
                failure = e;
                err.println("demo: the live fleet stopped reporting: " + e);
            }
        }
    }

    private void watch() {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(TopicReader.properties(fleet.bootstrap()))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic :
                    List.of(DefaultTopics.RECOMMENDATIONS, DefaultTopics.RECOMMENDATION_EVENTS)) {
                c.partitionsFor(topic)
                        .forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    show(r);
                }
            }
        } catch (Exception e) {
            if (running) {
                failure = e;
                err.println("demo: stopped watching the job's outputs: " + e);
            }
        }
    }

    /** What the job wrote about event time after the simulated history, i.e. while live. */
    private void show(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(DefaultTopics.RECOMMENDATIONS)) {
            Recommendation rec = RecommendationSerializer.decode(r.value(), r.headers());
            if (table != null && rec.getFiredAt().toEpochMilli() > fleet.sim().lastTimestamp()) {
                table.println(DemoTable.row(rec, cal));
            }
            return;
        }
        RecommendationEvent e = RecommendationEventSerializer.decode(r.value(), r.headers());
        if (e.getAt().toEpochMilli() > fleet.sim().lastTimestamp()) {
            err.printf(
                    "live: %s  %s %s  %s %s by %s: %s%n",
                    cal.dateTime(e.getAt().toEpochMilli()),
                    e.getVmId() == null ? e.getSystemId() : e.getVmId(),
                    e.getRuleId(),
                    e.getKind(),
                    TailRows.transition(e),
                    e.getBy(),
                    e.getReason());
        }
    }

    /** Stops the beat and the watch; throws what stopped either early. */
    @Override
    public void close() throws Exception {
        running = false;
        stop.countDown();
        beat.join(10_000);
        watch.join(10_000);
        if (failure != null) {
            throw failure;
        }
    }
}
