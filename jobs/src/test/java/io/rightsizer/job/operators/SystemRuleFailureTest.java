package io.rightsizer.job.operators;

import static io.rightsizer.job.operators.SystemRuleFunctionTest.SYSTEM;
import static io.rightsizer.job.operators.SystemRuleFunctionTest.T;
import static io.rightsizer.job.operators.SystemRuleFunctionTest.feed;
import static io.rightsizer.job.operators.SystemRuleFunctionTest.harness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rightsizer.job.RuleHarnesses;
import io.rightsizer.job.Tags;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** system-rules' escape for a record that fails unforeseen (docs/failures.md). */
class SystemRuleFailureTest {
    @Test
    void aReportTheEvaluatorRefusesIsOneFailedDeadLetterAndTheSystemStartsOver() throws Exception {
        try (var h = harness(Duration.ofDays(42))) {
            feed(h, T, 5);
            // vm-rules never sends a report without businessRecords; the evaluator throws on one.
            h.processElement(BusinessReport.of(SYSTEM, "unit-1", T + 1, -7), T + 1);
            feed(h, T + 2, 3);

            List<Rejected> failed =
                    h.getSideOutput(Tags.FAILED).stream().map(StreamRecord::getValue).toList();
            assertThat(failed)
                    .extracting(r -> r.reason, r -> r.sampleTimestamp)
                    .containsExactly(tuple(DeadLetterReason.FAILED, T + 1));
            assertThat(failed.get(0).message)
                    .startsWith(
                            "system-rules: business report of system sys-1 at"
                                + " 2026-03-03T02:00:00.001Z: java.lang.IllegalArgumentException:"
                                + " only samples that report businessRecords are judged");
            // The report after it starts the system's state anew.
            assertThat(RuleHarnesses.keyedStateEntries(h)).isEqualTo(1);
        }
    }
}
