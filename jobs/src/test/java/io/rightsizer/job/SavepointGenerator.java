package io.rightsizer.job;

import static io.rightsizer.job.SavepointCompatibilityITCase.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.rules.Recommendations;
import io.rightsizer.rules.Rule;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.testing.KafkaBroker;
import io.rightsizer.testing.LiveJobs;
import io.rightsizer.testing.RuleFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the savepoint of this release that {@link SavepointCompatibilityITCase} restores in every
 * later build (docs/upgrade.md). Not part of the suite (its name matches neither {@code *Test} nor
 * {@code *ITCase}); run once per release and commit the directory:
 *
 * <pre>
 * mvn -B -pl jobs -am test -Dtest=SavepointGenerator -Dgenerate.savepoint=RELEASE \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SavepointGenerator {
    @RegisterExtension static final MiniClusterExtension FLINK = LiveJobs.miniCluster();

    @TempDir Path tmp;

    /** Writes {@code savepoints/<-Dgenerate.savepoint>/}. */
    @Test
    void generate() throws Exception {
        String name = System.getProperty(GENERATE);
        assertThat(name).as("-D" + GENERATE + "=RELEASE names the release").isNotBlank();
        Path target = SAVEPOINTS.resolve(name);
        assertThat(target).doesNotExist();
        KafkaBroker kafka = new KafkaBroker();
        kafka.beforeAll(null);
        try {
            createTopics(kafka);
            JobClient job = start(kafka, null);
            String savepoint;
            try {
                publish(kafka, PUBLISHED, RuleFiles.weeklyAnyHour(PUBLISHED, 60));
                assertThat(
                                kafka.readCommitted(
                                        TOPICS.get("kafka.topics.rules-status"),
                                        r -> RuleEnvelopes.decodeStatus(r.value()).getOutcome(),
                                        1,
                                        Duration.ofSeconds(60),
                                        Duration.ofSeconds(1)))
                        .containsExactly(RuleUpdateOutcome.ACCEPTED);
                produce(kafka, phase1());
                assertThat(approvals(kafka, 1))
                        .extracting(Recommendation::getRecommendationId)
                        .containsExactly(Recommendations.id(Rule.WEEKLY_AVERAGE, BUSY, W2));
                awaitConsumed(kafka);
                savepoint =
                        job.stopWithSavepoint(
                                        false,
                                        tmp.resolve("savepoints").toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get();
            } catch (Throwable e) {
                job.cancel().get();
                throw e;
            }
            Files.createDirectories(target);
            copy(Path.of(java.net.URI.create(savepoint)), target.resolve("savepoint"));
            writeEndOffsets(kafka, target.resolve("topics.properties"));
            List<String> hex = new ArrayList<>();
            for (var r :
                    kafka.readCommitted(
                            TOPICS.get("kafka.topics.recommendations"),
                            rs -> true,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(1))) {
                hex.add(HexFormat.of().formatHex(r.value()));
            }
            Files.write(target.resolve("sent.hex"), hex);
        } finally {
            kafka.afterAll(null);
        }
    }
}
