package io.rightsizer.cli;

import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.SimWriters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates a deterministic fleet with planted behaviour (busy, peaky, storage-full,"
                    + " underused, stopped, idle, systems without business data, normal) and a"
                    + " few malformed records, plus a ground-truth file naming the rules each"
                    + " planted subject must trigger.",
            "The same arguments give the same output, byte for byte."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "written"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when = "usage error, Kafka cannot be reached or the topic is missing"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class SimulateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--vms", required = true, description = "Number of VMs.")
    int vms;

    @Option(names = "--days", required = true, description = "Length of the simulated range.")
    int days;

    @Option(
            names = "--interval",
            defaultValue = "5m",
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--end",
            description =
                    "End of the range (exclusive), ISO-8601 instant; default: today 00:00 UTC.")
    Instant end;

    @Option(
            names = "--zone",
            defaultValue = RuleSet.DEFAULT_ZONE_ID,
            description =
                    "Calendar zone of the rule set the ground truth assumes (default:"
                            + " ${DEFAULT-VALUE}).")
    ZoneId zone;

    @ArgGroup(multiplicity = "1")
    Target target;

    static class Target {
        @Option(
                names = "--out",
                description = "Write JSON Lines here and the ground truth to FILE.truth.json.")
        Path out;

        @Option(
                names = "--to-kafka",
                paramLabel = "BOOTSTRAP",
                arity = "0..1",
                fallbackValue = "",
                description =
                        "Produce Avro single-object records to Kafka: to these brokers, or"
                                + " without a value to those of --config / --bootstrap-servers"
                                + " (with the configuration's kafka.properties: SASL, SSL).")
        String bootstrap;
    }

    @Mixin KafkaAccess kafka;

    @Option(
            names = "--topic",
            description =
                    "Topic for --to-kafka (default: kafka.topics.metrics of the configuration,"
                            + " else "
                            + DefaultTopics.METRICS
                            + ").")
    String topic;

    @Option(
            names = "--truth",
            description = "With --to-kafka: where to write the ground truth (default: none).")
    Path truth;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Duration step = DurationText.parse(interval);
        if (step == null) {
            err.println("simulate: --interval takes a duration such as 5m, 15m, 1h");
            return ExitCode.USAGE.code();
        }
        Instant until =
                end != null
                        ? end
                        : LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        FleetSimulator sim;
        try {
            sim =
                    new FleetSimulator(
                            vms, until.minus(Duration.ofDays(days)), days, step, seed, zone);
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        SimWriters.Counts counts;
        String where;
        if (target.out != null) {
            counts = SimWriters.writeJsonLines(sim, target.out);
            where = target.out + " (ground truth: " + SimWriters.truthFile(target.out) + ")";
        } else {
            if (!target.bootstrap.isEmpty() && kafka.bootstrapServers == null) {
                kafka.bootstrapServers = target.bootstrap;
            }
            KafkaAccess.Connection c;
            String to;
            try {
                c = kafka.connection();
                to = topic != null ? topic : c.topic(RightsizerOptions.METRICS_TOPIC);
                c.need("WRITE", to);
                if (!c.topicExists(to)) {
                    err.printf(
                            "simulate: topic %s does not exist at %s; nothing sent%n",
                            to, c.describeBrokers());
                    return ExitCode.USAGE.code();
                }
                try {
                    counts = produce(sim, c.producer(), to);
                } catch (KafkaException e) {
                    throw c.unreachable(e);
                }
            } catch (KafkaAccess.TargetException e) {
                err.println("simulate: " + e.getMessage());
                return e.exitCode();
            }
            if (truth != null) {
                sim.groundTruth().write(truth);
            }
            where =
                    to
                            + " at "
                            + c.describeBrokers()
                            + (truth != null ? " (ground truth: " + truth + ")" : "");
        }
        err.printf(
                "simulate: %d VMs, %s to %s every %s, seed %d: %d samples, %d invalid and %d"
                        + " undecodable records -> %s%n",
                vms,
                sim.start(),
                until,
                DurationText.format(step),
                seed,
                counts.valid(),
                counts.invalid(),
                counts.undecodable(),
                where);
        return ExitCode.OK.code();
    }

    /** Sends the fleet to Kafka keyed by vmId, so each VM's samples stay in order. */
    public static SimWriters.Counts produce(FleetSimulator sim, String bootstrap, String topic)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return produce(sim, p, topic);
    }

    /**
     * As {@link #produce(FleetSimulator, String, String)}, with the client settings {@code client}
     * (brokers, SASL, SSL): a refused send is thrown as it came.
     */
    static SimWriters.Counts produce(FleetSimulator sim, Properties client, String topic)
            throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failure = new AtomicReference<>();
        SimWriters.Counts counts;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            counts =
                    SimWriters.writeAvro(
                            sim,
                            (key, value) -> {
                                // A refused or failed send fails the rest alike: stop at the
                                // first rather than wait for each.
                                if (failure.get() != null) {
                                    throw new Stopped();
                                }
                                producer.send(
                                        new ProducerRecord<>(topic, key, value),
                                        (md, e) -> {
                                            if (e != null) {
                                                failure.compareAndSet(null, e);
                                            }
                                        });
                            });
            producer.flush();
        } catch (Stopped e) {
            throw failure.get();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return counts;
    }

    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
