package io.rightsizer.cli;

import io.rightsizer.config.Allowed;
import io.rightsizer.job.LifecycleStage;
import io.rightsizer.job.ReplayJob;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.model.Rejected;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.rules.sizing.Sizing;
import io.rightsizer.schema.DeadLetterReason;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/**
 * The input and the pipeline settings of a replay, shared by {@code replay} and {@code rules diff}
 * (a picocli mixin), so both run the live job's pipeline the same way and report bad lines alike.
 */
final class ReplayOptions {
    @Option(names = "--input", required = true, description = "Samples: JSON Lines or Avro file.")
    Path input;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = {
                "Parallelism of the rule operators (default: ${DEFAULT-VALUE}). The output is the"
                        + " same at any parallelism; at 1 the whole pipeline runs chained in one"
                        + " task, which is fastest on a small machine."
            })
    int parallelism;

    @Option(
            names = "--out-of-orderness",
            defaultValue = RightsizerOptions.DEFAULT_OUT_OF_ORDERNESS,
            description = "Watermark bound (default: ${DEFAULT-VALUE}).")
    String outOfOrderness;

    @Option(
            names = "--retention",
            defaultValue = RightsizerOptions.DEFAULT_STATE_RETENTION,
            description = "State retention of silent VMs and systems (default: ${DEFAULT-VALUE}).")
    String retention;

    @Option(names = "--quiet", description = "Print only the summary, not each bad line.")
    boolean quiet;

    @Option(
            names = ConfigFileLoader.OPTION,
            defaultValue = ConfigFileLoader.DEFAULT,
            description = {
                "Service catalog the target sizes of resize recommendations are chosen from"
                        + " (default: ${DEFAULT-VALUE})."
            })
    Path catalog;

    @Option(
            names = "--with-lifecycle",
            description = {
                "Report what the approval lifecycle would send instead of the rules' firings:"
                        + " repeats of an open recommendation suppressed, reminders after"
                        + " --reminder-after (no decisions and no inventory are read, so every"
                        + " recommendation stays open)."
            })
    boolean withLifecycle;

    @Option(
            names = "--reminder-after",
            defaultValue = RightsizerOptions.DEFAULT_REMINDER_AFTER,
            description =
                    "With --with-lifecycle: lifecycle.reminder-after (default: ${DEFAULT-VALUE}).")
    String reminderAfter;

    /** The checked settings of a replay. */
    record Settings(
            Path input,
            int parallelism,
            Duration outOfOrderness,
            Duration retention,
            Sizing sizing,
            LifecycleStage.Settings lifecycle) {
        ReplayJob.Result run(RuleSet rules) throws Exception {
            return ReplayJob.run(
                    rules,
                    sizing,
                    input,
                    parallelism,
                    outOfOrderness,
                    retention,
                    lifecycle,
                    new Configuration());
        }
    }

    /**
     * The settings, or null after printing what is wrong as {@code command: message} (the caller
     * exits 2).
     */
    Settings check(String command, PrintWriter err) throws java.io.IOException {
        if (!Files.isRegularFile(input)) {
            err.println(command + ": no such input file: " + input);
            return null;
        }
        Duration bound = DurationText.parse(outOfOrderness);
        Duration keep = DurationText.parse(retention);
        if (bound == null || keep == null) {
            err.println(
                    command
                            + ": --out-of-orderness and --retention take durations such as 5m,"
                            + " 42d");
            return null;
        }
        // The options' own ranges: a bare 0 reads as a duration, and must not reach the job.
        String tooFar =
                outOfRange(
                        "--out-of-orderness",
                        outOfOrderness,
                        RightsizerOptions.OUT_OF_ORDERNESS,
                        bound);
        if (tooFar == null) {
            tooFar = outOfRange("--retention", retention, RightsizerOptions.STATE_RETENTION, keep);
        }
        if (tooFar != null) {
            err.println(command + ": " + tooFar);
            return null;
        }
        if (parallelism < 1) {
            err.println(command + ": --parallelism must be at least 1");
            return null;
        }
        Sizing sizing = ConfigFileLoader.load(command, catalog, "", err);
        if (sizing == null) {
            return null;
        }
        LifecycleStage.Settings lifecycle = null;
        if (withLifecycle) {
            Duration reminder = DurationText.parse(reminderAfter);
            LifecycleStage.Settings d = LifecycleStage.Settings.defaults();
            if (reminder == null
                    || reminder.isNegative()
                    || reminder.isZero()
                    || reminder.compareTo(d.decisionWindow()) >= 0) {
                err.println(
                        command
                                + ": --reminder-after takes a duration such as 14d, shorter than"
                                + " the decision window ("
                                + d.decisionWindow().toDays()
                                + "d)");
                return null;
            }
            lifecycle =
                    new LifecycleStage.Settings(reminder, d.rejectCooldown(), d.decisionWindow());
        }
        return new Settings(input, parallelism, bound, keep, sizing, lifecycle);
    }

    /** Each bad line as {@code FILE:LINE: REASON: message}, unless {@code --quiet}. */
    void reportBadLines(ReplayJob.Result result, PrintWriter err) {
        if (!quiet) {
            for (Rejected r : result.deadLetters()) {
                err.println(input + ":" + r.sourceOffset + ": " + r.reason + ": " + r.message);
            }
        }
    }

    /** {@code dead letters: N UNDECODABLE, N INVALID, N LATE}. */
    static String deadLetterCounts(ReplayJob.Result result) {
        return String.format(
                "dead letters: %d UNDECODABLE, %d INVALID, %d LATE",
                result.count(DeadLetterReason.UNDECODABLE),
                result.count(DeadLetterReason.INVALID),
                result.count(DeadLetterReason.LATE));
    }

    /** {@code FLAG TEXT: allowed RANGE} when {@code value} is outside the option's range. */
    private static String outOfRange(
            String flag, String text, ConfigOption<Duration> option, Duration value) {
        return Allowed.problem(option, value) == null
                ? null
                : flag + " " + text + ": allowed " + Allowed.of(option).range();
    }
}
