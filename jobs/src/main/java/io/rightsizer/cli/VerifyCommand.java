package io.rightsizer.cli;

import io.rightsizer.job.RecommendationSerializer;
import io.rightsizer.local.TopicReader;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.GroundTruth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Reads the approval topic to its end (read_committed) and checks the"
                        + " recommendations against a simulator's ground truth file: every"
                        + " planted behaviour fired its rule, nothing else fired, no id twice.")
public class VerifyCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true)
    String bootstrap;

    @Option(names = "--truth", required = true, description = "FILE.truth.json of simulate.")
    Path truth;

    @Option(
            names = "--topic",
            defaultValue = "rightsizing-recommendations",
            description = "(default: ${DEFAULT-VALUE})")
    String topic;

    @Override
    public Integer call() throws Exception {
        List<Recommendation> recs = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readRecordsToEnd(bootstrap, topic)) {
            recs.add(RecommendationSerializer.decode(r.value(), r.headers()));
        }
        Set<String> ids = new HashSet<>();
        recs.forEach(r -> ids.add(r.getRecommendationId()));
        long reminders = recs.stream().filter(Recommendation::getReminder).count();
        long repeats = repeats(recs);
        GroundTruth.Report report = GroundTruth.read(truth).check(recs);
        System.out.printf(
                "%d recommendations (%d reminders), %d distinct ids, %d repeated%n%s%n",
                recs.size(), reminders, ids.size(), repeats, report.summary());
        return report.passed() && repeats == 0 ? 0 : 1;
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
