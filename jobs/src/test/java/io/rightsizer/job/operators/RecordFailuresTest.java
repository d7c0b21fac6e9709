package io.rightsizer.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.model.Rejected;
import io.rightsizer.schema.DeadLetterReason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.execution.CancelTaskException;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;
import org.apache.flink.util.FlinkRuntimeException;
import org.junit.jupiter.api.Test;

/** What counts as one record's failure, and what the escape does with it. */
class RecordFailuresTest {
    /** A metric group that keeps its counters by their scope, as "operator=x.records_failed". */
    static final class Counters extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters;
        private final String scope;

        Counters() {
            this(new HashMap<>(), "");
        }

        private Counters(Map<String, Counter> counters, String scope) {
            this.counters = counters;
            this.scope = scope;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new Counters(counters, scope + key + "=" + value + ".");
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(scope + name, n -> new SimpleCounter());
        }
    }

    @Test
    void aFailureBecomesAFailedLetterAndIsCounted() {
        Counters g = new Counters();
        RecordFailures f = new RecordFailures(g, "vm-rules");

        Rejected r = f.failed(new IllegalStateException("boom"), "sample of vm-1", new Rejected());

        assertThat(r.reason).isEqualTo(DeadLetterReason.FAILED);
        assertThat(r.message)
                .startsWith(
                        "vm-rules: sample of vm-1: java.lang.IllegalStateException: boom\n\tat ");
        assertThat(g.counters.get("operator=vm-rules.records_failed").getCount()).isEqualTo(1);
    }

    @Test
    void everyExceptionCheckedOrNotIsTheRecords() {
        assertThat(RecordFailures.isRecordFailure(new NullPointerException())).isTrue();
        assertThat(RecordFailures.isRecordFailure(new FlinkRuntimeException("wrapped"))).isTrue();
        // Checked ones, as a library throws them sneakily or a state access declares them.
        assertThat(RecordFailures.isRecordFailure(new IOException("checked"))).isTrue();
        assertThat(RecordFailures.isRecordFailure(new Exception("checked"))).isTrue();
    }

    @Test
    void stackOverflowAndAssertionErrorsAreTheRecords() {
        assertThat(RecordFailures.isRecordFailure(new StackOverflowError())).isTrue();
        assertThat(RecordFailures.isRecordFailure(new AssertionError("invariant"))).isTrue();
        assertThat(
                        RecordFailures.isRecordFailure(
                                new IllegalStateException(new StackOverflowError())))
                .isTrue();
    }

    @Test
    void virtualMachineErrorsAreTheTasksEvenWrapped() {
        assertThat(RecordFailures.isRecordFailure(new OutOfMemoryError())).isFalse();
        assertThat(RecordFailures.isRecordFailure(new InternalError())).isFalse();
        assertThat(RecordFailures.isRecordFailure(new UnknownError())).isFalse();
        assertThat(RecordFailures.isRecordFailure(new RuntimeException(new OutOfMemoryError())))
                .isFalse();
    }

    @Test
    void linkageErrorsAreTheTasksEvenWrapped() {
        assertThat(RecordFailures.isRecordFailure(new NoClassDefFoundError("x/Y"))).isFalse();
        assertThat(RecordFailures.isRecordFailure(new ExceptionInInitializerError("static")))
                .isFalse();
        assertThat(RecordFailures.isRecordFailure(new UnsatisfiedLinkError())).isFalse();
        assertThat(RecordFailures.isRecordFailure(new NoSuchMethodError())).isFalse();
        assertThat(
                        RecordFailures.isRecordFailure(
                                new IllegalStateException(new NoClassDefFoundError("x/Y"))))
                .isFalse();
    }

    @Test
    void otherErrorsAreTheTasks() {
        assertThat(RecordFailures.isRecordFailure(new Error("custom"))).isFalse();
        assertThat(RecordFailures.isRecordFailure(new java.io.IOError(new IOException())))
                .isFalse();
    }

    @Test
    void aChainedOperatorsFailureACancellationAndAnInterruptAreTheTasks() {
        assertThat(RecordFailures.isRecordFailure(new CancelTaskException())).isFalse();
        assertThat(
                        RecordFailures.isRecordFailure(
                                new ExceptionInChainedOperatorException(
                                        "downstream", new IllegalStateException())))
                .isFalse();
        assertThat(RecordFailures.isRecordFailure(new InterruptedException())).isFalse();
        assertThat(RecordFailures.isRecordFailure(new RuntimeException(new InterruptedException())))
                .isFalse();
        assertThat(RecordFailures.isRecordFailure(new IOException(new InterruptedIOException())))
                .isFalse();
    }

    @Test
    void aCycleOfCausesEnds() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);

        assertThat(RecordFailures.isRecordFailure(a)).isTrue();
    }

    @Test
    void aCheckedExceptionIsDeadLetteredAndCounted() {
        Counters g = new Counters();
        RecordFailures f = new RecordFailures(g, "lifecycle");

        Rejected r = f.failed(new IOException("sneaky"), "x", new Rejected());

        assertThat(r.message).startsWith("lifecycle: x: java.io.IOException: sneaky\n\tat ");
        assertThat(g.counters.get("operator=lifecycle.records_failed").getCount()).isEqualTo(1);
    }

    @Test
    void theTasksFailuresAreRethrownUnchangedAndUncounted() {
        Counters g = new Counters();
        RecordFailures f = new RecordFailures(g, "vm-rules");
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        NoClassDefFoundError linkage = new NoClassDefFoundError("io/rightsizer/Gone");
        InterruptedException interrupt = new InterruptedException();

        assertThatThrownBy(() -> f.failed(oom, "x", new Rejected())).isSameAs(oom);
        assertThatThrownBy(() -> f.failed(linkage, "x", new Rejected())).isSameAs(linkage);
        // Checked, and still not wrapped: Flink sees the interrupt as it was thrown.
        assertThatThrownBy(() -> f.failed(interrupt, "x", new Rejected())).isSameAs(interrupt);
        assertThat(g.counters.get("operator=vm-rules.records_failed").getCount()).isEqualTo(0);
    }

    @Test
    void aFailureOfAChainedOperatorIsRethrownUncounted() {
        Counters g = new Counters();
        RecordFailures f = new RecordFailures(g, "route-samples");
        ExceptionInChainedOperatorException e =
                new ExceptionInChainedOperatorException("downstream", new IllegalStateException());

        assertThatThrownBy(() -> f.failed(e, "x", new Rejected())).isSameAs(e);
        assertThat(g.counters.get("operator=route-samples.records_failed").getCount()).isEqualTo(0);
    }

    @Test
    void manyFailuresInARowFailTheTaskButASuccessInBetweenResetsTheRun() {
        RecordFailures f = new RecordFailures(new Counters(), "vm-rules");
        for (int i = 0; i < 3 * RecordFailures.MAX_CONSECUTIVE; i++) {
            f.failed(new IllegalStateException(), "x", new Rejected());
            f.succeeded();
        }
        for (int i = 1; i < RecordFailures.MAX_CONSECUTIVE; i++) {
            f.failed(new IllegalStateException(), "x", new Rejected());
        }

        assertThatThrownBy(() -> f.failed(new IllegalStateException(), "x", new Rejected()))
                .isInstanceOf(FlinkRuntimeException.class)
                .hasMessageStartingWith("100 records in a row failed in vm-rules");
    }

    @Test
    void theMessageIsCapped() {
        String huge = "m".repeat(100_000);

        String m = RecordFailures.describe("vm-rules", "x", new IllegalStateException(huge));

        assertThat(m.length()).isLessThanOrEqualTo(RecordFailures.MAX_MESSAGE);
        assertThat(m).startsWith("vm-rules: x: java.lang.IllegalStateException: mmm");
    }
}
