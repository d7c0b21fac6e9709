package io.rightsizer.cli;

import io.rightsizer.job.codec.DeadLetterSerializer;
import io.rightsizer.job.codec.RecommendationSerializer;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.schema.DeadLetter;
import io.rightsizer.schema.DeadLetterReason;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.GroundTruth;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the approval topic to its end (read_committed) and checks the"
                    + " recommendations against a simulator's ground truth file: every"
                    + " planted behaviour fired its rule, nothing else fired, no id twice."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "passed"),
    @ExitCodes.Code(value = ExitCode.FAILED, when = "failed"),
    @ExitCodes.Code(value = ExitCode.USAGE, when = "Kafka cannot be reached"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KafkaAccess kafka;

    /** The option's name before verify took --config: scripts written for it keep working. */
    @Option(names = "--bootstrap", hidden = true, paramLabel = "HOST:PORT")
    void bootstrap(String brokers) {
        kafka.bootstrapServers = brokers;
    }

    @Option(names = "--truth", required = true, description = "FILE.truth.json of simulate.")
    Path truth;

    @Option(
            names = "--topic",
            description =
                    "The approval topic (default: kafka.topics.recommendations of the"
                            + " configuration, else "
                            + DefaultTopics.RECOMMENDATIONS
                            + ").")
    String topic;

    @Option(
            names = "--dead-letters",
            paramLabel = "TOPIC",
            description =
                    "Also check this dead-letter topic: exactly one dead letter per malformed"
                            + " record the ground truth planted (its INVALID and UNDECODABLE"
                            + " counts), no source offset twice, no reason but those and LATE"
                            + " (counted: samples a producer re-sent behind the watermark).")
    String deadLetters;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        KafkaAccess.Connection c;
        String approvals;
        List<ConsumerRecord<byte[], byte[]>> records;
        List<ConsumerRecord<byte[], byte[]>> deadRecords = List.of();
        try {
            c = kafka.connection();
            approvals = topic != null ? topic : c.topic(RightsizerOptions.RECOMMENDATIONS_TOPIC);
            c.need("READ", approvals);
            if (deadLetters != null) {
                c.need("READ", deadLetters);
            }
            try {
                records = TopicReader.readRecordsToEnd(c.consumer(), approvals);
                if (deadLetters != null) {
                    deadRecords = TopicReader.readRecordsToEnd(c.consumer(), deadLetters);
                }
            } catch (KafkaException e) {
                throw c.unreachable(e);
            }
        } catch (KafkaAccess.TargetException e) {
            err.println("verify: " + e.getMessage());
            return e.exitCode();
        }
        List<Recommendation> recs = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            recs.add(RecommendationSerializer.decode(r.value(), r.headers()));
        }
        Set<String> ids = new HashSet<>();
        recs.forEach(r -> ids.add(r.getRecommendationId()));
        long reminders = recs.stream().filter(Recommendation::getReminder).count();
        long repeats = repeats(recs);
        GroundTruth.Report report = GroundTruth.read(truth).check(recs);
        out.printf(
                "%d recommendations (%d reminders), %d distinct ids, %d repeated%n%s%n",
                recs.size(), reminders, ids.size(), repeats, report.summary());
        boolean deadLettersPassed = true;
        if (deadLetters != null) {
            List<DeadLetter> dead = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : deadRecords) {
                dead.add(DeadLetterSerializer.decode(r.value()));
            }
            GroundTruth.Malformed planted = GroundTruth.read(truth).malformed();
            long invalid = count(dead, DeadLetterReason.INVALID);
            long undecodable = count(dead, DeadLetterReason.UNDECODABLE);
            long late = count(dead, DeadLetterReason.LATE);
            long other = dead.size() - invalid - undecodable - late;
            Set<String> offsets = new HashSet<>();
            long repeated =
                    dead.stream()
                            .filter(
                                    d ->
                                            !offsets.add(
                                                    d.getSourceTopic()
                                                            + "|"
                                                            + d.getSourcePartition()
                                                            + "|"
                                                            + d.getSourceOffset()))
                            .count();
            // LATE is no failure: the simulator plants none, but a producer that re-sends after a
            // broker restart (OutOfOrderSequenceException, epoch bump) writes samples again, and
            // those behind the watermark are rightly LATE. Each has its own source offset.
            deadLettersPassed =
                    invalid == planted.invalid()
                            && undecodable == planted.undecodable()
                            && other == 0
                            && repeated == 0;
            out.printf(
                    "%s: %d dead letters: %d INVALID (%d planted), %d UNDECODABLE (%d planted),"
                            + " %d LATE, %d other, %d repeated%n",
                    deadLettersPassed ? "PASSED" : "FAILED",
                    dead.size(),
                    invalid,
                    planted.invalid(),
                    undecodable,
                    planted.undecodable(),
                    late,
                    other,
                    repeated);
        }
        return report.passed() && repeats == 0 && deadLettersPassed
                ? ExitCode.OK.code()
                : ExitCode.FAILED.code();
    }

    private static long count(List<DeadLetter> dead, DeadLetterReason reason) {
        return dead.stream().filter(d -> d.getReason() == reason).count();
    }

    /**
     * Records that arrived more than once: the same id with the same reminder flag. A reminder
     * repeats its recommendation's id once, with reminder = true (the approval lifecycle); anything
     * more is a duplicate, which exactly-once delivery must not produce.
     */
    static long repeats(List<Recommendation> recs) {
        Set<String> seen = new HashSet<>();
        return recs.stream()
                .filter(r -> !seen.add(r.getRecommendationId() + "|" + r.getReminder()))
                .count();
    }
}
