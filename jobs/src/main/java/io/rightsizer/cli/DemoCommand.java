package io.rightsizer.cli;

import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.LocalCollectd;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.calendar.EventCalendar;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.GroundTruth;
import io.rightsizer.sim.SimWriters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The whole engine in one command: an embedded Kafka broker, a simulated fleet pushed"
                    + " through the live job, recommendations printed as they arrive, a summary"
                    + " per rule and a check against the simulator's ground truth."
        })
@ExitCodes({
    @ExitCodes.Code(
            value = ExitCode.OK,
            when =
                    "the recommendations matched the ground truth, the history"
                            + " and the report were written"),
    @ExitCodes.Code(value = ExitCode.FAILED, when = "they did not"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when = "a rule, catalog or calendar file or --interval is invalid")
})
public class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final String METRICS = DefaultTopics.METRICS;
    private static final String RECOMMENDATIONS = DefaultTopics.RECOMMENDATIONS;
    private static final String DEAD_LETTERS = DefaultTopics.DEAD_LETTERS;
    private static final String GROUP = "rightsizer-demo";

    @Option(
            names = "--vms",
            defaultValue = "300",
            description = "Fleet size (default: ${DEFAULT-VALUE}).")
    int vms;

    @Option(
            names = "--days",
            defaultValue = "120",
            description = "Days of event time, ending now (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--interval",
            defaultValue = "15m",
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--rules",
            defaultValue = RightsizerOptions.DEFAULT_RULES_FILE,
            description = "Rule file (default: ${DEFAULT-VALUE}).")
    Path rules;

    @Option(
            names = ConfigFileLoader.OPTION,
            defaultValue = ConfigFileLoader.DEFAULT,
            description = "Service catalog of the target sizes (default: ${DEFAULT-VALUE}).")
    Path catalog;

    @Option(
            names = ConfigFileLoader.CALENDAR_OPTION,
            defaultValue = ConfigFileLoader.CALENDAR_DEFAULT,
            description =
                    "Working calendar of the time-limit reminders (default: ${DEFAULT-VALUE}).")
    Path calendar;

    @Option(
            names = "--parallelism",
            defaultValue = "" + RightsizerJob.LOCAL_PARALLELISM,
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--collectd",
            description =
                    "Also a real collectd measuring this machine as VM vm-collectd (needs collectd"
                            + " installed: docs/providers/collectd.md).")
    boolean collectd;

    @Option(
            names = "--console",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Serve the approval console beside the job (default; --no-console does not):"
                            + " prints its address and a generated password once"
                            + " (docs/console.md).")
    boolean console;

    @Option(
            names = "--stay",
            paramLabel = "DURATION",
            description =
                    "After the summary, keep the job and the console running this long while the"
                        + " fleet goes on reporting in wall-clock time, so decisions taken in the"
                        + " console take effect; Enter or Ctrl-C end it earlier, 0 not at all."
                        + " Default: until Enter or Ctrl-C when run in a terminal, else 0.")
    String stay;

    @Option(names = "--no-table", description = "Do not print each recommendation.")
    boolean noTable;

    @Option(
            names = "--no-history",
            description =
                    "Do not start a local influxd: no utilization history, no monthly report.")
    boolean noHistory;

    @Option(
            names = "--report-dir",
            defaultValue = "target/demo-report",
            description =
                    "Where the monthly utilization report of the last full month goes (default:"
                            + " ${DEFAULT-VALUE}).")
    Path reportDir;

    private PrintWriter out;
    private PrintWriter err;

    /** Counted down once the job is cancelled: what a Ctrl-C in the live phase waits for. */
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        RuleSet ruleSet =
                RuleFileLoader.load("demo", rules, " (run from the repository root)", err);
        if (ruleSet == null) {
            return ExitCode.USAGE.code();
        }
        io.rightsizer.rules.sizing.Sizing sizing =
                ConfigFileLoader.load("demo", catalog, " (run from the repository root)", err);
        if (sizing == null) {
            return ExitCode.USAGE.code();
        }
        io.rightsizer.rules.TimeLimits timeLimits =
                ConfigFileLoader.timeLimits(
                        "demo", calendar, " (run from the repository root)", err);
        if (timeLimits == null) {
            return ExitCode.USAGE.code();
        }
        Duration step = DurationText.parse(interval);
        if (step == null) {
            err.println("demo: --interval takes a duration such as 15m or 1h");
            return ExitCode.USAGE.code();
        }
        boolean interactive = System.console() != null;
        Duration stayFor = DemoLive.stay(stay, interactive);
        if (stayFor == null) {
            err.println("demo: --stay takes a duration such as 10m, or 0");
            return ExitCode.USAGE.code();
        }
        long stepMs = step.toMillis();
        Instant end = Instant.ofEpochMilli(System.currentTimeMillis() / stepMs * stepMs);
        FleetSimulator sim =
                new FleetSimulator(
                        vms, end.minus(Duration.ofDays(days)), days, step, seed, ruleSet.zone());
        GroundTruth truth = sim.groundTruth();
        EventCalendar cal = ruleSet.calendar();
        err.printf(
                "rightsizer demo: %d VMs, %s to %s every %s (%,d samples, %d malformed records),"
                        + " rule set %s%n",
                vms,
                cal.dateTime(sim.start().toEpochMilli()),
                cal.dateTime(end.toEpochMilli()),
                DurationText.format(step),
                sim.validSampleCount(),
                sim.invalidCount() + sim.undecodableCount(),
                ruleSet.version());

        long started = System.nanoTime();
        try (DemoObservability obs = DemoObservability.start(!noHistory, err);
                EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            kafka.createTopics(4, METRICS);
            kafka.createTopics(1, RECOMMENDATIONS, DEAD_LETTERS);
            kafka.createDefaultJobTopics();
            String bootstrap = kafka.bootstrapServers();

            Map<String, String> settings = new java.util.HashMap<>();
            settings.put("kafka.bootstrap-servers", bootstrap);
            settings.put("kafka.group-id", GROUP);
            settings.put("kafka.starting-offsets", "earliest");
            settings.put("kafka.transactional-id-prefix", "rightsizer-demo");
            settings.put("checkpoint.interval", "1 s");
            settings.put("parallelism", String.valueOf(parallelism));
            if (obs.influx != null) {
                settings.put("influxdb.enabled", "true");
                settings.put("influxdb.url", obs.influx.url());
                settings.put("influxdb.database", DemoObservability.DATABASE);
                // The whole history of 120 days arrives in a minute: room for all of it, so
                // the report has every hour (a live fleet writes far slower).
                settings.put("influxdb.buffer-capacity", "2000000");
                // The demo waits for its dead-letter counts; a shorter interval, a shorter wait.
                settings.put("influxdb.dead-letter-interval", "5 s");
            }
            if (collectd && LocalCollectd.binary().isEmpty()) {
                err.println("demo: " + LocalCollectd.installHint() + "; going on without it.");
                collectd = false;
            } else if (collectd) {
                DemoCollectd.prepare(kafka, settings);
            }
            JobConfig cfg = JobConfig.of(settings);
            Configuration conf = RightsizerJob.flinkConfiguration(cfg);
            conf.setString(
                    "metrics.reporter.prom.factory.class", DemoObservability.PROMETHEUS_FACTORY);
            conf.setString("metrics.reporter.prom.port", String.valueOf(obs.prometheusPort));
            int webPort = DemoObservability.portFree(8081) ? 8081 : 0;
            conf.set(RestOptions.PORT, webPort);
            RightsizerJob.useLocalCheckpointDir(conf);
            StreamExecutionEnvironment env = RunCommand.localEnvironment(conf);
            RightsizerJob.configure(env, cfg);
            RightsizerJob.define(env, cfg, ruleSet, sizing, timeLimits, bootstrap, false);
            JobClient job = env.executeAsync("rightsizer demo");
            DemoCollectd agent = null;
            DemoConsole consoleServer = null;
            try {
                agent = collectd ? DemoCollectd.start(bootstrap) : null;
                err.printf("Embedded Kafka at %s; the live job is running.%n", bootstrap);
                obs.printWhereToLook(err, webPort);
                consoleServer =
                        console
                                ? DemoConsole.start(
                                        cfg,
                                        bootstrap,
                                        reportDir.resolveSibling("demo-console-users.yaml"),
                                        err)
                                : null;

                CompletableFuture<SimWriters.Counts> produced =
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return SimulateCommand.produce(sim, bootstrap, METRICS);
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                });

                List<Recommendation> recs = new ArrayList<>();
                AtomicBoolean drained = new AtomicBoolean();
                Thread reader =
                        new Thread(
                                () -> readRecommendations(bootstrap, cal, recs, drained), "reader");
                reader.start();
                if (!noTable) {
                    out.println(DemoTable.header());
                }

                awaitJudged(kafka, produced, sim.recordCount(), recs, started);
                // Every record is consumed and its checkpoint completed; give the last
                // transactions one more checkpoint to become visible, then stop.
                Thread.sleep(3000);
                long sent = 0;
                boolean historyComplete = true;
                if (obs.influx != null) {
                    for (ConsumerRecord<byte[], byte[]> r :
                            TopicReader.readRecordsToEnd(bootstrap, RECOMMENDATIONS)) {
                        if (!RecommendationSerializer.decode(r.value(), r.headers())
                                .getReminder()) {
                            sent++;
                        }
                    }
                    err.println(
                            "Waiting for the utilization history to be written (dead letters are"
                                    + " counted every 5 s)...");
                    historyComplete =
                            obs.awaitHistory(
                                    sent,
                                    sim.invalidCount() + sim.undecodableCount(),
                                    Duration.ofSeconds(120));
                }
                long dropped = obs.influx == null ? 0 : obs.droppedPoints();
                drained.set(true);
                reader.join();

                List<DeadLetter> dead = readDeadLetters(bootstrap);
                if (agent != null) {
                    agent.summary(bootstrap, recs, dead, err);
                    recs.removeIf(r -> DemoCollectd.VM.equals(r.getVmId()));
                    dead.removeIf(d -> DemoCollectd.VM.equals(d.getVmId()));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                int code = DemoSummary.print(err, recs, dead, truth, sim, seconds);
                if (obs.influx != null) {
                    code =
                            historyAndReport(
                                    obs, code, historyComplete, sent, dropped, sim, end, ruleSet);
                }
                if (!stayFor.isZero()) {
                    DemoLive.run(
                            new DemoLive.Fleet(
                                    sim,
                                    bootstrap,
                                    METRICS,
                                    cfg.get(RightsizerOptions.OUT_OF_ORDERNESS)),
                            cal,
                            consoleServer == null ? null : consoleServer.address(),
                            stayFor,
                            interactive,
                            noTable ? null : out,
                            err,
                            cleanedUp);
                }
                return code;
            } finally {
                stop(job, consoleServer, agent);
            }
        }
    }

    /** Prints the progress every 3 s until the whole fleet is produced and consumed. */
    private void awaitJudged(
            EmbeddedKafka kafka,
            CompletableFuture<SimWriters.Counts> produced,
            long total,
            List<Recommendation> recs,
            long started)
            throws Exception {
        try (Admin admin = kafka.admin()) {
            long lastProgress = 0;
            long consumed = 0;
            while (true) {
                try {
                    consumed = DemoProgress.committed(admin, GROUP);
                } catch (java.util.concurrent.TimeoutException e) {
                    // The broker is busy; report the last figure rather than stall.
                }
                boolean producerDone = produced.isDone();
                long now = System.nanoTime();
                if (now - lastProgress > 3_000_000_000L) {
                    lastProgress = now;
                    int n;
                    synchronized (recs) {
                        n = recs.size();
                    }
                    err.printf(
                            "[%4.0fs] samples produced %s, judged by the job %,d of %,d"
                                    + " (%.0f%%), recommendations so far %,d%n",
                            (now - started) / 1e9,
                            producerDone ? "all" : "...",
                            consumed,
                            total,
                            100.0 * consumed / total,
                            n);
                }
                if (producerDone && consumed >= DemoProgress.endOffsets(admin, METRICS)) {
                    break;
                }
                Thread.sleep(250);
            }
            produced.get();
        }
    }

    /**
     * Cancels the job and stops the console and collectd; then a Ctrl-C's shutdown hook may let the
     * JVM go on to stop the broker and influxd.
     */
    private void stop(JobClient job, DemoConsole consoleServer, DemoCollectd agent) {
        try {
            job.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("demo: cancelling the job: " + e);
        } finally {
            if (consoleServer != null) {
                consoleServer.close();
            }
            if (agent != null) {
                agent.close();
            }
            cleanedUp.countDown();
        }
    }

    /** The history's check and the last full month's report; the demo's exit code. */
    private int historyAndReport(
            DemoObservability obs,
            int code,
            boolean historyComplete,
            long sent,
            long dropped,
            FleetSimulator sim,
            Instant end,
            RuleSet ruleSet) {
        boolean historyOk = historyComplete && dropped == 0;
        err.printf(
                "History: %s: InfluxDB %s, database %s holds%n",
                historyOk ? "PASSED" : "FAILED", obs.influx.url(), DemoObservability.DATABASE);
        obs.historyCounts().forEach((k, n) -> err.printf("  %,10d %s%n", n, k));
        err.printf(
                "  (%d recommendations and %d dead letters expected there, %d points dropped"
                        + " by the writer)%n",
                sent, sim.invalidCount() + sim.undecodableCount(), dropped);
        java.time.YearMonth month =
                java.time.YearMonth.from(end.atZone(ruleSet.zone())).minusMonths(1);
        int reportCode =
                Main.commandLine()
                        .setOut(out)
                        .setErr(err)
                        .execute(
                                obs.reportArgs(month.toString(), reportDir, rules)
                                        .toArray(new String[0]));
        if (reportCode == ExitCode.OK.code()) {
            err.printf(
                    "Monthly utilization report (Article 27) for %s: open %s%n",
                    month,
                    reportDir.resolve("utilization-" + month + ".html").toAbsolutePath().toUri());
        }
        return code == ExitCode.OK.code() && historyOk && reportCode == ExitCode.OK.code()
                ? ExitCode.OK.code()
                : ExitCode.FAILED.code();
    }

    private void readRecommendations(
            String bootstrap, EventCalendar cal, List<Recommendation> recs, AtomicBoolean done) {
        try (KafkaConsumer<byte[], byte[]> c =
                TopicReader.fromBeginning(TopicReader.properties(bootstrap), RECOMMENDATIONS)) {
            while (true) {
                boolean last = done.get();
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Recommendation rec = RecommendationSerializer.decode(r.value(), r.headers());
                    synchronized (recs) {
                        recs.add(rec);
                    }
                    if (!noTable) {
                        out.println(DemoTable.row(rec, cal));
                    }
                }
                if (last) {
                    return;
                }
            }
        }
    }

    private static List<DeadLetter> readDeadLetters(String bootstrap) {
        List<DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readRecordsToEnd(bootstrap, DEAD_LETTERS)) {
            dead.add(DeadLetterSerializer.decode(r.value(), r.headers()));
        }
        return dead;
    }
}
