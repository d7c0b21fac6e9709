package io.rightsizer.testing;

import static io.rightsizer.testing.Samples.DAY;
import static io.rightsizer.testing.Samples.GIB;
import static io.rightsizer.testing.Samples.MINUTE;

import io.rightsizer.model.Sample;
import io.rightsizer.telemetry.SampleCodec;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A simulated fleet in wall-clock time, for what decides by the wall clock: a person in the console
 * stamps a decision with the time it is taken, and the job applies it only once the telemetry's
 * event time has reached that instant. So the fleet reports the whole of last week (from Monday
 * 00:00 Asia/Shanghai, every 30 minutes: the week closes and the weekly rules fire on it), then
 * this week up to now, and then keeps reporting every second until closed.
 */
public final class WallClockFleet implements AutoCloseable {
    /** A VM's memory: its size in GiB and the share of it used. */
    public record Vm(String vmId, String systemId, long memoryGib, double pct) {}

    private final KafkaBroker kafka;
    private final String topic;
    private final List<Vm> vms;
    private final Thread heartbeat;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch stopped =
            new java.util.concurrent.CountDownLatch(1);
    private volatile Exception failure;

    /** Monday 00:00 Asia/Shanghai of the previous week: the week the rules judge. */
    public final long lastWeek;

    /** Monday 00:00 Asia/Shanghai of this week: when last week's rules fire. */
    public final long thisWeek;

    private WallClockFleet(KafkaBroker kafka, String topic, List<Vm> vms, long thisWeek) {
        this.kafka = kafka;
        this.topic = topic;
        this.vms = vms;
        this.thisWeek = thisWeek;
        this.lastWeek = thisWeek - 7 * DAY;
        this.heartbeat = new Thread(this::beat, "wall-clock-fleet");
        this.heartbeat.setDaemon(true);
    }

    /**
     * Produces last week and this week so far to {@code topic} (one partition: a sample behind the
     * watermark would be late), then starts reporting every second.
     */
    public static WallClockFleet start(KafkaBroker kafka, String topic, Vm... vms) {
        long now = System.currentTimeMillis();
        long thisWeek =
                ZonedDateTime.ofInstant(Instant.ofEpochMilli(now), Samples.SHANGHAI)
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .truncatedTo(ChronoUnit.DAYS)
                        .toInstant()
                        .toEpochMilli();
        WallClockFleet fleet = new WallClockFleet(kafka, topic, List.of(vms), thisWeek);
        List<ProducerRecord<byte[], byte[]>> backlog = new ArrayList<>();
        for (long ts = fleet.lastWeek; ts < now; ts += 30 * MINUTE) {
            for (Vm vm : fleet.vms) {
                backlog.add(fleet.record(vm, ts));
            }
        }
        kafka.produce(topic, backlog);
        fleet.heartbeat.start();
        return fleet;
    }

    private void beat() {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            long last = 0;
            while (running) {
                // Strictly later than the backlog's last sample and than the previous beat.
                long ts = Math.max(System.currentTimeMillis(), last + 1);
                for (Vm vm : vms) {
                    producer.send(record(vm, ts));
                }
                producer.flush();
                last = ts;
                // Waiting for the stop signal rather than sleeping to be interrupted: an
                // interrupt that lands in flush() would fail the beat that close() waits for.
                if (stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    return;
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    private ProducerRecord<byte[], byte[]> record(Vm vm, long ts) {
        Sample s = Samples.running(vm.vmId(), vm.systemId(), ts, 0);
        s.memoryTotalBytes = vm.memoryGib() * GIB;
        s.memoryUsedBytes = Math.round(s.memoryTotalBytes * vm.pct() / 100.0);
        return new ProducerRecord<>(
                topic, vm.vmId().getBytes(StandardCharsets.UTF_8), SampleCodec.encode(s));
    }

    /** Stops reporting; fails if a beat could not be produced. */
    @Override
    public void close() throws Exception {
        running = false;
        stopped.countDown();
        heartbeat.join(10_000);
        if (failure != null) {
            throw new IllegalStateException("the fleet's heartbeat failed", failure);
        }
    }
}
