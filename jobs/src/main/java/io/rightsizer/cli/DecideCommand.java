package io.rightsizer.cli;

import io.rightsizer.job.DecisionPublisher;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "decide",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes the data center's decision on one recommendation to the decisions topic"
                    + " (Avro Decision, key = the recommendation id), for the running job's"
                    + " approval lifecycle.",
            "approve, reject, defer (needs --until: when it becomes OPEN again) or implemented"
                    + " (the resize is done; the inventory confirms it)."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "published"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when =
                    "usage error (nothing published), Kafka cannot be reached or"
                            + " the topic is missing"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class DecideCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "ID",
            description = "The recommendationId (32 lowercase hex digits).")
    String id;

    @Parameters(
            index = "1",
            paramLabel = "DECISION",
            description = "approve, reject, defer or implemented.")
    String verb;

    @Option(
            names = "--by",
            required = true,
            paramLabel = "NAME",
            description = "Who decides; kept in the audit trail.")
    String by;

    @Option(
            names = "--until",
            paramLabel = "INSTANT",
            description = "defer only: when the recommendation becomes OPEN again (ISO-8601).")
    String until;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the audit trail.")
    String comment;

    @Option(
            names = "--at",
            paramLabel = "INSTANT",
            description = "When it was decided (ISO-8601; default: now), for backfills.")
    String at;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description =
                    "The decisions topic (default: kafka.topics.decisions of the config, else"
                            + " rightsizing-decisions).")
    String topic;

    @Mixin KafkaAccess kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Decision d;
        try {
            d = decision(id, verb, by, until, comment, at, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        KafkaAccess.Connection c;
        RecordMetadata sent;
        String target;
        try {
            c = kafka.connection();
            target = topic != null ? topic : c.topic(RightsizerOptions.DECISIONS_TOPIC);
            c.need("WRITE", target);
            if (!c.topicExists(target)) {
                err.printf(
                        "topic %s does not exist at %s; nothing published%n",
                        target, c.describeBrokers());
                return ExitCode.USAGE.code();
            }
            sent = send(c, target, d);
        } catch (KafkaAccess.TargetException e) {
            err.println(e.getMessage() + "; nothing published");
            return e.exitCode();
        }
        out.println(
                describe(d)
                        + String.format(
                                Locale.ROOT,
                                " to %s partition %d offset %d",
                                sent.topic(),
                                sent.partition(),
                                sent.offset()));
        return ExitCode.OK.code();
    }

    /**
     * The decision the arguments ask for.
     *
     * @param now the decision's time unless {@code at} is given; cut to milliseconds
     * @throws IllegalArgumentException with the message for the user
     */
    static Decision decision(
            String id,
            String verb,
            String by,
            String until,
            String comment,
            String at,
            Instant now) {
        if (!DecisionPublisher.isRecommendationId(id)) {
            throw new IllegalArgumentException(DecisionPublisher.notARecommendationId(id));
        }
        DecisionState state = state(verb);
        if (by.isBlank()) {
            throw new IllegalArgumentException("--by must name who decides");
        }
        Instant decidedAt;
        try {
            decidedAt = at != null ? IsoInstant.parse(at) : now.truncatedTo(ChronoUnit.MILLIS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--at: " + e.getMessage());
        }
        Instant deferUntil = null;
        if (state == DecisionState.DEFERRED) {
            if (until == null) {
                throw new IllegalArgumentException(
                        "defer needs --until INSTANT: when the recommendation becomes OPEN again");
            }
            try {
                deferUntil = IsoInstant.parse(until);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--until: " + e.getMessage());
            }
            if (!deferUntil.isAfter(decidedAt)) {
                throw new IllegalArgumentException(
                        "--until "
                                + deferUntil
                                + " must be after the decision's time "
                                + decidedAt
                                + (at != null ? " (--at)" : " (now)"));
            }
        } else if (until != null) {
            throw new IllegalArgumentException(
                    "--until is for defer only; " + verb + " takes no end");
        }
        return DecisionPublisher.decision(id, state, by, decidedAt, comment, deferUntil);
    }

    private static DecisionState state(String verb) {
        return switch (verb) {
            case "approve" -> DecisionState.APPROVED;
            case "reject" -> DecisionState.REJECTED;
            case "defer" -> DecisionState.DEFERRED;
            case "implemented" -> DecisionState.IMPLEMENTED;
            default ->
                    throw new IllegalArgumentException(
                            "'"
                                    + verb
                                    + "' is not a decision: approve, reject, defer or implemented");
        };
    }

    /** What was decided, for the line the command prints. */
    static String describe(Decision d) {
        StringBuilder sb = new StringBuilder();
        sb.append("published ")
                .append(d.getState())
                .append(" of ")
                .append(d.getRecommendationId())
                .append(" by ")
                .append(d.getDecidedBy())
                .append(" at ")
                .append(RulesStatusCommand.time(d.getDecidedAt()));
        if (d.getDeferUntil() != null) {
            sb.append(" until ").append(RulesStatusCommand.time(d.getDeferUntil()));
        }
        return sb.toString();
    }

    private static RecordMetadata send(KafkaAccess.Connection c, String topic, Decision d)
            throws KafkaAccess.TargetException {
        try (DecisionPublisher publisher = new DecisionPublisher(c.producer(), topic)) {
            return publisher.publish(d);
        } catch (ExecutionException e) {
            throw c.unreachable(e.getCause());
        } catch (KafkaException e) {
            throw c.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAccess.TargetException("interrupted");
        }
    }
}
