package io.rightsizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.JobConfig;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.FleetSimulator;
import io.rightsizer.sim.GroundTruth;
import io.rightsizer.sim.SimRecord;
import io.rightsizer.telemetry.SampleCodec;
import io.rightsizer.testing.JobRest;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.LiveJobs.Topics;
import io.rightsizer.testing.LogEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover stays exactly-once: while a simulated fleet streams into the telemetry topic, the
 * TaskManager running the job is killed twice and the broker is restarted once, at points drawn
 * from a fixed seed. The approval topic, read with read_committed, then holds exactly the ground
 * truth's (rule, subject) pairs with no recommendation twice and every due reminder once; every
 * planted malformed record is on the dead-letter topic exactly once (by its offset); the job's own
 * restart count covers the kills.
 */
class FailoverITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    static final long SEED = 20261204L;

    /** 12 VMs, 100 days hourly: 28,800 samples, 14 invalid and 3 undecodable records. */
    static final FleetSimulator FLEET =
            new FleetSimulator(
                    12,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    100,
                    Duration.ofHours(1),
                    SEED,
                    RuleSet.DEFAULT_ZONE);

    static final int SLICES = 12;
    // Generous: only a failing run waits it out, and a loaded 2-core machine needed more than 90 s
    // to catch up after the last fault.
    static final Duration DEADLINE = Duration.ofSeconds(180);

    static final String DATA_LOSS = "most likely signals data loss";

    enum Fault {
        KILL_TASK_MANAGER,
        RESTART_BROKER
    }

    @Test
    void twoTaskManagerKillsAndABrokerRestartLeaveTheOutputExactlyTheGroundTruth()
            throws Exception {
        Topics t = Topics.fresh(KAFKA, 2, 2);
        List<ProducerRecord<byte[], byte[]>> fleet = new ArrayList<>();
        Map<Integer, SimRecord.Defect> plantedAt = new HashMap<>();
        FLEET.records(
                r -> {
                    if (r instanceof SimRecord.Malformed m) {
                        plantedAt.put(fleet.size(), m.defect());
                        fleet.add(record(t.metrics(), m.key(), m.kafkaValue()));
                    } else if (r instanceof SimRecord.Valid v) {
                        fleet.add(
                                record(
                                        t.metrics(),
                                        v.sample().vmId,
                                        SampleCodec.encode(v.sample())));
                    }
                });

        Random random = new Random(SEED);
        Map<Integer, Fault> faults = faultPlan(random);

        try (MiniCluster flink = new MiniCluster(clusterConfiguration());
                LogEvents log =
                        LogEvents.capture(
                                Level.INFO, CheckedKafkaCommitter.class, KafkaCommitter.class)) {
            flink.start();
            TestStreamEnvironment.setAsContext(flink, 2);
            JobClient job = null;
            try {
                job = LiveJobs.start(KAFKA, jobConfig(t), articleRules(), "failover-it", null);
                List<Integer> alive = new ArrayList<>(List.of(0, 1));
                int nextTaskManager = 2;
                int kills = 0;
                Map<String, SimRecord.Defect> planted = new TreeMap<>();
                try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
                    int per = (fleet.size() + SLICES - 1) / SLICES;
                    for (int slice = 0; slice < SLICES; slice++) {
                        List<Future<RecordMetadata>> sent = new ArrayList<>();
                        int from = slice * per;
                        for (int i = from; i < Math.min(fleet.size(), from + per); i++) {
                            sent.add(producer.send(fleet.get(i)));
                        }
                        producer.flush();
                        for (int i = 0; i < sent.size(); i++) {
                            SimRecord.Defect d = plantedAt.get(from + i);
                            if (d != null) {
                                RecordMetadata md = sent.get(i).get();
                                planted.put(md.partition() + "@" + md.offset(), d);
                            }
                        }
                        Fault fault = faults.get(slice);
                        if (fault == null) {
                            Thread.sleep(300);
                            continue;
                        }
                        // Only a running job can be interrupted mid-way; a fault during the
                        // previous recovery would test something else.
                        awaitAllTasksRunning(flink, job.getJobID());
                        Thread.sleep(random.nextInt(1500));
                        System.out.printf(
                                "failover-it: %s after slice %d of %d at %s%n",
                                fault, slice + 1, SLICES, Instant.now());
                        if (fault == Fault.KILL_TASK_MANAGER) {
                            JobRest rest = new JobRest(flink);
                            long before = rest.jobMetric(job.getJobID(), "numRestarts");
                            int victim = alive.remove(random.nextInt(alive.size()));
                            flink.terminateTaskManager(victim).get();
                            kills++;
                            flink.startTaskManager();
                            alive.add(nextTaskManager++);
                            // The JobManager learns of the loss asynchronously: until it has
                            // restarted the job, its tasks still read RUNNING, and a second kill
                            // then would be folded into the same restart.
                            long after =
                                    rest.awaitJobMetric(
                                            job.getJobID(),
                                            "numRestarts",
                                            n -> n > before,
                                            DEADLINE);
                            assertThat(after)
                                    .as("restarts after kill %d", kills)
                                    .isGreaterThan(before);
                        } else {
                            KAFKA.restartBroker();
                        }
                    }
                }
                assertThat(kills).isEqualTo(2);

                GroundTruth truth = FLEET.groundTruth();
                List<Recommendation> recs = awaitRecommendations(t, truth);
                GroundTruth.Report report = truth.check(recs);
                assertThat(report.summary()).startsWith("PASSED");
                assertThat(recs)
                        .extracting(r -> r.getRecommendationId() + (r.getReminder() ? " R" : ""))
                        .doesNotHaveDuplicates();
                assertThat(reminderIds(recs)).isEqualTo(dueReminderIds(recs));

                List<DeadLetter> dead = awaitDeadLetters(t, planted.size());
                Map<String, String> deadByOffset = new TreeMap<>();
                for (DeadLetter d : dead) {
                    deadByOffset.merge(
                            d.getSourcePartition() + "@" + d.getSourceOffset(),
                            d.getReason().name(),
                            (a, b) -> a + "," + b);
                }
                Map<String, String> plantedByOffset = new TreeMap<>();
                planted.forEach((offset, defect) -> plantedByOffset.put(offset, defect.name()));
                assertThat(deadByOffset)
                        .as("dead letters by source partition@offset")
                        .isEqualTo(plantedByOffset);
                assertThat(dead).hasSize(FLEET.invalidCount() + FLEET.undecodableCount());

                int atLeast = kills;
                long restarts =
                        new JobRest(flink)
                                .awaitJobMetric(
                                        job.getJobID(),
                                        "numRestarts",
                                        n -> n >= atLeast,
                                        Duration.ofSeconds(30));
                assertThat(restarts).isGreaterThanOrEqualTo(kills);
                // Nothing was lost (above), so no commit may claim a loss. Whether a kill left a
                // transaction to commit again depends on the output of the checkpoint before it
                // (RecommitAfterFailoverITCase makes sure it does).
                List<LogEvents.Line> commits = log.lines();
                commits.forEach(l -> System.out.println("failover-it: " + l));
                assertThat(commits)
                        .filteredOn(
                                l -> l.level().equals("ERROR") || l.message().contains(DATA_LOSS))
                        .isEmpty();
                System.out.printf(
                        "failover-it: %d recommendations (%d reminders), %d dead letters,"
                                + " %d restarts after %d kills and 1 broker restart%n",
                        recs.size(),
                        recs.stream().filter(Recommendation::getReminder).count(),
                        dead.size(),
                        restarts,
                        kills);
            } finally {
                if (job != null) {
                    job.cancel().get();
                }
                TestStreamEnvironment.unsetAsContext();
            }
        }
    }

    /**
     * Three distinct slices after which a fault strikes, none before the first slice is in nor
     * after the last: two TaskManager kills and a broker restart, in an order drawn from the seed.
     */
    static Map<Integer, Fault> faultPlan(Random random) {
        List<Integer> slices = new ArrayList<>();
        for (int s = 1; s < SLICES - 1; s++) {
            slices.add(s);
        }
        java.util.Collections.shuffle(slices, random);
        List<Fault> kinds =
                new ArrayList<>(
                        List.of(
                                Fault.KILL_TASK_MANAGER,
                                Fault.KILL_TASK_MANAGER,
                                Fault.RESTART_BROKER));
        java.util.Collections.shuffle(kinds, random);
        Map<Integer, Fault> plan = new TreeMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            plan.put(slices.get(i), kinds.get(i));
        }
        return plan;
    }

    /**
     * Two TaskManagers of one slot each (the job at parallelism 2 spans both), a REST endpoint on a
     * free port, and the restart strategy production uses: production.example.yaml names
     * exponential-delay, which is also Flink's default for a checkpointing job; its backoff
     * settings are left at Flink's defaults there as here.
     */
    static MiniClusterConfiguration clusterConfiguration() {
        Configuration conf = JobRest.clusterSettings();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        return new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(1)
                .build();
    }

    /** The production job: the approval lifecycle on (reminders), the shipped rules. */
    static JobConfig jobConfig(Topics t) throws Exception {
        return LiveJobs.config(
                KAFKA,
                t,
                Map.of(
                        "kafka.topics.inventory", KAFKA.freshTopic("vm-inventory", 1),
                        "kafka.topics.decisions", KAFKA.freshTopic("rightsizing-decisions", 1),
                        "kafka.topics.recommendation-events",
                                KAFKA.freshTopic("rightsizing-recommendation-events", 1),
                        "kafka.topics.notices", KAFKA.freshTopic("rightsizing-notices", 1),
                        "lifecycle.enabled", "true",
                        "checkpoint.interval", "500 ms",
                        "parallelism", "2"));
    }

    static RuleSet articleRules() throws Exception {
        return RuleSetParser.parse(Path.of("..", "rules", "article26.yaml"));
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(
                topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    static void awaitAllTasksRunning(MiniCluster flink, JobID id) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            boolean running = true;
            for (AccessExecutionVertex v :
                    flink.getExecutionGraph(id).get().getAllExecutionVertices()) {
                running &= v.getExecutionState() == ExecutionState.RUNNING;
            }
            if (running) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the job's tasks were not all running within " + DEADLINE);
    }

    /**
     * Reads the approval topic until every expected pair fired and every due reminder came (the job
     * has then caught up with the whole fleet), then a few more checkpoints' worth for any
     * duplicate.
     */
    static List<Recommendation> awaitRecommendations(Topics t, GroundTruth truth) {
        List<ConsumerRecord<byte[], byte[]>> read =
                KAFKA.readCommitted(
                        t.recommendations(),
                        rs -> {
                            List<Recommendation> recs = decode(rs);
                            return truth.check(recs).missing().isEmpty()
                                    && reminderIds(recs).equals(dueReminderIds(recs));
                        },
                        DEADLINE,
                        Duration.ofSeconds(3));
        return decode(read);
    }

    static List<Recommendation> decode(List<ConsumerRecord<byte[], byte[]>> rs) {
        return rs.stream().map(r -> RecommendationSerializer.decode(r.value())).toList();
    }

    static Set<String> reminderIds(List<Recommendation> recs) {
        return recs.stream()
                .filter(Recommendation::getReminder)
                .map(Recommendation::getRecommendationId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The ids a reminder is due for: nothing decides in this test, so every recommendation is
     * reminded of once, 14 days (lifecycle.reminder-after) after it fired, if the watermark reaches
     * that instant: the last sample's time less the 5-minute out-of-orderness.
     */
    static Set<String> dueReminderIds(List<Recommendation> recs) {
        long watermark = FLEET.lastTimestamp() - FleetSimulator.WATERMARK_BOUND.toMillis() - 1;
        return recs.stream()
                .filter(r -> !r.getReminder())
                .filter(
                        r ->
                                r.getFiredAt().toEpochMilli() + Duration.ofDays(14).toMillis()
                                        <= watermark)
                .map(Recommendation::getRecommendationId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static List<DeadLetter> awaitDeadLetters(Topics t, int expected) {
        return KAFKA.readCommitted(
                t.deadLetters(),
                r -> DeadLetterSerializer.decode(r.value()),
                expected,
                DEADLINE,
                Duration.ofSeconds(1));
    }
}
