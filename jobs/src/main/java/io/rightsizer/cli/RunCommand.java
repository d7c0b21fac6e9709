package io.rightsizer.cli;

import io.rightsizer.history.InfluxOptions;
import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.job.CollectorStage;
import io.rightsizer.job.RightsizerJob;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.KafkaClientCheck;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.local.EmbeddedKafka;
import io.rightsizer.local.LocalInfluxDb;
import io.rightsizer.rules.RuleSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the streaming job on a local Flink MiniCluster until Ctrl-C.",
            "With embedded-kafka.enabled in the config it first starts a single-node Kafka"
                    + " broker in this process and creates the topics.",
            "Before the job is submitted, a Kafka consumer, a transactional producer and an admin"
                    + " client are created with the configuration's kafka.properties and closed"
                    + " (no broker needed)."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "the job finished or was stopped"),
    @ExitCodes.Code(
            value = ExitCode.FAILED,
            when = "the schema registry refused the approval schema"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when =
                    "the configuration is invalid or a Kafka client setting is"
                            + " refused (one line each, naming the key; nothing started)")
})
public class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", required = true, description = "Job configuration (YAML).")
    Path config;

    @Option(
            names = "-D",
            description =
                    "Override a configuration key, e.g. -D parallelism=1; the value is taken as it"
                            + " is (no quoting), relative paths from the working directory.",
            mapFallbackValue = "")
    Map<String, String> overrides = Map.of();

    @Option(
            names = "--bounded",
            description = "Read the telemetry topic up to its end offsets at start, then finish.")
    boolean bounded;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        JobConfig cfg;
        RuleSet rules;
        io.rightsizer.rules.sizing.Sizing sizing;
        io.rightsizer.rules.TimeLimits timeLimits;
        try {
            cfg = JobConfig.load(config);
            if (!overrides.isEmpty()) {
                cfg = cfg.with(overrides);
            }
            rules = cfg.rules();
            sizing = cfg.sizing();
            timeLimits = cfg.timeLimits();
        } catch (JobConfig.InvalidConfigException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE.code();
        }
        if (bounded && CollectorStage.boundedRunRefusal(cfg) != null) {
            err.println("run: " + CollectorStage.boundedRunRefusal(cfg));
            return ExitCode.USAGE.code();
        }
        EmbeddedKafka kafka = null;
        String bootstrap = cfg.get(RightsizerOptions.BOOTSTRAP_SERVERS);
        if (cfg.get(RightsizerOptions.EMBEDDED_KAFKA)) {
            kafka =
                    EmbeddedKafka.start(
                            cfg.get(RightsizerOptions.EMBEDDED_KAFKA_PORT),
                            cfg.location(RightsizerOptions.EMBEDDED_KAFKA_DATA_DIR));
            kafka.createTopics(
                    cfg.get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS),
                    cfg.get(RightsizerOptions.METRICS_TOPIC),
                    cfg.get(RightsizerOptions.RECOMMENDATIONS_TOPIC),
                    cfg.get(RightsizerOptions.DEAD_LETTERS_TOPIC));
            kafka.createApprovalTopics(
                    cfg.get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS),
                    cfg.get(RightsizerOptions.INVENTORY_TOPIC),
                    cfg.get(RightsizerOptions.DECISIONS_TOPIC),
                    cfg.get(RightsizerOptions.EVENTS_TOPIC),
                    cfg.get(RightsizerOptions.NOTICES_TOPIC),
                    cfg.get(RightsizerOptions.DATA_QUALITY_TOPIC));
            kafka.createRulesTopics(
                    cfg.get(RightsizerOptions.RULES_TOPIC),
                    cfg.get(RightsizerOptions.RULES_STATUS_TOPIC));
            if (cfg.get(CollectdOptions.ENABLED)) {
                kafka.createTopics(
                        cfg.get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS),
                        cfg.get(CollectdOptions.TOPIC));
            }
            if (cfg.get(TelegrafOptions.ENABLED)) {
                kafka.createTopics(
                        cfg.get(RightsizerOptions.EMBEDDED_KAFKA_PARTITIONS),
                        cfg.get(TelegrafOptions.TOPIC));
            }
            bootstrap = kafka.bootstrapServers();
        }
        // Before anything else starts: a setting no Kafka client accepts would otherwise fail
        // the job on every restart.
        KafkaClientCheck.Result clients = KafkaClientCheck.check(cfg, bootstrap);
        if (!clients.ok()) {
            clients.problems().forEach(err::println);
            if (kafka != null) {
                kafka.close();
            }
            return ExitCode.USAGE.code();
        }
        if (clients.skipped() != null) {
            err.println("run: " + clients.skipped());
        }
        LocalInfluxDb influx = null;
        String influxUrl = null;
        boolean history = cfg.get(InfluxOptions.ENABLED);
        if (history && cfg.get(InfluxOptions.EMBEDDED)) {
            if (LocalInfluxDb.binary().isEmpty()) {
                err.println(
                        "run: "
                                + LocalInfluxDb.installHint()
                                + "; running without the utilization history.");
                history = false;
                influxUrl = null;
            } else {
                influx =
                        LocalInfluxDb.start(
                                cfg.get(InfluxOptions.EMBEDDED_PORT),
                                cfg.location(InfluxOptions.EMBEDDED_DATA_DIR),
                                Duration.ofSeconds(60));
                influxUrl = influx.url();
            }
        }
        if (history && influxUrl == null) {
            influxUrl = cfg.get(InfluxOptions.URL);
        }
        try {
            if (!history && cfg.get(InfluxOptions.ENABLED)) {
                cfg = cfg.withoutHistory();
            }
            Configuration conf = RightsizerJob.flinkConfiguration(cfg);
            RightsizerJob.useLocalCheckpointDir(conf);
            StreamExecutionEnvironment env = localEnvironment(conf);
            RightsizerJob.configure(env, cfg);
            try {
                RightsizerJob.define(
                        env, cfg, rules, sizing, timeLimits, bootstrap, bounded, influxUrl);
            } catch (io.rightsizer.job.codec.ApprovalSchema.RegistrationException e) {
                err.println("run: " + e.getMessage());
                return ExitCode.FAILED.code();
            }
            JobClient job = env.executeAsync("rightsizer " + rules.version());
            err.printf(
                    "rightsizer %s running: telemetry from %s at %s, recommendations to %s,"
                            + " dead letters to %s.%nFlink web UI: http://localhost:%d  —"
                            + " Ctrl-C stops the job%s.%n",
                    rules.version(),
                    cfg.get(RightsizerOptions.METRICS_TOPIC),
                    bootstrap,
                    cfg.get(RightsizerOptions.RECOMMENDATIONS_TOPIC),
                    cfg.get(RightsizerOptions.DEAD_LETTERS_TOPIC),
                    conf.get(RestOptions.PORT),
                    kafka != null ? " and the embedded broker" : "");
            if (history) {
                err.printf(
                        "Utilization history: InfluxDB %s, database %s%s.%n",
                        influxUrl,
                        cfg.get(InfluxOptions.DATABASE),
                        influx != null ? " (local influxd, stopped with the job)" : "");
            }
            String prometheusPort = conf.getString("metrics.reporter.prom.port", null);
            if (prometheusPort != null) {
                err.printf("Prometheus metrics: http://127.0.0.1:%s/metrics%n", prometheusPort);
            }
            Thread watch = watch(conf, job, err);
            CountDownLatch stopped = new CountDownLatch(1);
            EmbeddedKafka broker = kafka;
            Thread hook =
                    new Thread(
                            () -> {
                                try {
                                    job.cancel().get();
                                } catch (Exception ignored) {
                                    // The job may already have finished.
                                }
                                try {
                                    stopped.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                job.getJobExecutionResult().get();
            } catch (Exception e) {
                if (!isCancellation(e)) {
                    throw e;
                }
            } finally {
                watch.interrupt();
                if (broker != null) {
                    broker.close();
                }
                stopped.countDown();
            }
            return ExitCode.OK.code();
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (influx != null) {
                influx.close();
            }
        }
    }

    /** How often {@code run} asks the job for its restarts and failed records. */
    static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);

    /** Prints a line whenever the job restarted or records failed (docs/failures.md). */
    private static Thread watch(Configuration conf, JobClient job, PrintWriter err) {
        JobWatch w =
                new JobWatch(
                        "http://localhost:" + conf.get(RestOptions.PORT),
                        job.getJobID().toHexString());
        Thread t =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    Thread.sleep(WATCH_INTERVAL.toMillis());
                                    w.report(err);
                                }
                            } catch (InterruptedException e) {
                                // The job ended.
                            }
                        },
                        "rightsizer-run-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static StreamExecutionEnvironment localEnvironment(Configuration conf) {
        try {
            Class.forName("org.apache.flink.runtime.webmonitor.WebSubmissionExtension");
            return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } catch (ClassNotFoundException e) {
            return StreamExecutionEnvironment.createLocalEnvironment(conf);
        }
    }

    private static boolean isCancellation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.CancellationException
                    || String.valueOf(t.getMessage()).contains("cancel")) {
                return true;
            }
        }
        return false;
    }
}
