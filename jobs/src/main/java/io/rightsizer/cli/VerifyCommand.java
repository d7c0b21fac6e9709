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
        for (byte[] value : TopicReader.readToEnd(bootstrap, topic)) {
            recs.add(RecommendationSerializer.decode(value));
        }
        Set<String> ids = new HashSet<>();
        recs.forEach(r -> ids.add(r.getRecommendationId()));
        GroundTruth.Report report = GroundTruth.read(truth).check(recs);
        System.out.printf(
                "%d recommendations, %d distinct ids%n%s%n",
                recs.size(), ids.size(), report.summary());
        return report.passed() && ids.size() == recs.size() ? 0 : 1;
    }
}
