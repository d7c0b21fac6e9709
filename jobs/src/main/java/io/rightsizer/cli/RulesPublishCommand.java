package io.rightsizer.cli;

import io.rightsizer.kafka.TopicReader;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.RuleEnvelopes;
import io.rightsizer.telemetry.SingleObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Validates a rule file as `rules validate` does, then publishes it to the rules topic"
                    + " (compacted, key = its version) for the running job to apply without a"
                    + " restart.",
            "With --wait, waits for the job's decision on the rules status topic.",
            "A version is published once: another document under a version already on the"
                    + " topic is refused; the same document again is not resent."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "published (and accepted, with --wait)"),
    @ExitCodes.Code(
            value = ExitCode.FAILED,
            when =
                    "the file is invalid or its version is taken (nothing is"
                            + " published), or the job rejected it"),
    @ExitCodes.Code(value = ExitCode.USAGE, when = "Kafka cannot be reached or a topic is missing"),
    @ExitCodes.Code(value = ExitCode.NO_DECISION, when = "no decision within --wait"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class RulesPublishCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The rule file (YAML).")
    Path file;

    @Option(
            names = "--author",
            required = true,
            paramLabel = "NAME",
            description = "Who publishes it; kept with the rule set and in the audit trail.")
    String author;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description =
                    "The rules topic (default: kafka.topics.rules of the configuration, else"
                            + " rightsizing-rules).")
    String topic;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            description = "Wait this long (30s, 2m) for the job to accept or reject the rule set.")
    String waitFor;

    @Mixin RulesKafka kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration wait = null;
        if (waitFor != null) {
            wait = DurationText.parse(waitFor);
            if (wait == null || wait.isNegative()) {
                err.printf("--wait: '%s' is not a duration such as 30s or 2m%n", waitFor);
                return ExitCode.USAGE.code();
            }
        }
        if (author.isBlank()) {
            err.println("--author must name who publishes the rule set");
            return ExitCode.USAGE.code();
        }

        // The text validated is the text published: read once.
        String document;
        RuleSet rules;
        try {
            document = Files.readString(file, StandardCharsets.UTF_8);
            rules = RuleSetParser.parse(document, file.toString());
        } catch (RuleSetException e) {
            out.println(e.getMessage());
            int n = e.problems().size();
            out.printf("%d problem%s; nothing published%n", n, n == 1 ? "" : "s");
            return ExitCode.FAILED.code();
        } catch (IOException e) {
            out.printf("%s: cannot be read: %s%n", file, e.getMessage());
            out.println("1 problem; nothing published");
            return ExitCode.FAILED.code();
        }

        RulesKafka.Target t;
        try {
            t = kafka.resolve(topic);
            checkTopics(t, wait != null);
        } catch (RulesKafka.TargetException e) {
            // A refusal says what the principal lacks; the rest say "nothing published" already.
            err.println(
                    e.getMessage()
                            + (e.exitCode() == ExitCode.USAGE.code() ? "" : "; nothing published"));
            return e.exitCode();
        }

        RuleSetEnvelope envelope =
                RuleEnvelopes.envelope(document, rules.version(), author, Instant.now());
        // Each version is published once: on the compacted topic a second document under the same
        // key would replace the first for every job that starts without state, even after the
        // running job accepted the first.
        Published earlier;
        try {
            earlier = published(t, envelope.getVersion());
        } catch (KafkaException e) {
            KafkaAccess.TargetException failure = t.unreachable(e);
            err.println(failure.getMessage() + "; nothing published");
            return failure.exitCode();
        }
        if (earlier != null && !earlier.envelope().getSha256().equals(envelope.getSha256())) {
            out.printf(
                    "%s: version %s is already published on %s with another document (sha256 %s,"
                            + " by %s at %s); every published rule set needs its own version:"
                            + " nothing published%n",
                    file,
                    envelope.getVersion(),
                    t.rulesTopic(),
                    earlier.envelope().getSha256().substring(0, 12),
                    earlier.envelope().getAuthor(),
                    RulesStatusCommand.time(earlier.envelope().getPublishedAt()));
            return ExitCode.FAILED.code();
        }
        KafkaConsumer<byte[], byte[]> decisions = null;
        try {
            if (wait != null) {
                // Opened before the update is sent, so a failure here publishes nothing. The
                // decisions are read from the beginning: one written before the first poll counts.
                try {
                    decisions = TopicReader.fromBeginning(t.consumer(), t.statusTopic());
                } catch (KafkaException e) {
                    KafkaAccess.TargetException failure = t.unreachable(e);
                    err.println(failure.getMessage() + "; nothing published");
                    return failure.exitCode();
                }
            }
            Published update;
            if (earlier != null) {
                update = earlier;
                out.printf(
                        "rule set %s (sha256 %s) is already published, by %s at %s, on %s"
                                + " partition %d offset %d: not published again%n",
                        envelope.getVersion(),
                        envelope.getSha256().substring(0, 12),
                        earlier.envelope().getAuthor(),
                        RulesStatusCommand.time(earlier.envelope().getPublishedAt()),
                        t.rulesTopic(),
                        earlier.partition(),
                        earlier.offset());
            } else {
                RecordMetadata sent;
                try {
                    sent = send(t, envelope);
                } catch (KafkaException | ExecutionException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    KafkaAccess.TargetException refused =
                            KafkaRefusals.refusal(t.connection(), cause);
                    if (refused != null) {
                        err.println(refused.getMessage() + "; nothing published");
                        return refused.exitCode();
                    }
                    err.printf(
                            "publishing to %s at %s failed: %s; nothing published%n",
                            t.rulesTopic(), t.describeBrokers(), cause.getMessage());
                    return ExitCode.USAGE.code();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCode.USAGE.code();
                }
                update = new Published(envelope, sent.partition(), sent.offset());
                out.printf(
                        "published rule set %s (sha256 %s) by %s to %s partition %d offset %d%n",
                        envelope.getVersion(),
                        envelope.getSha256().substring(0, 12),
                        author,
                        sent.topic(),
                        sent.partition(),
                        sent.offset());
            }
            if (wait == null) {
                out.printf(
                        "the job decides whether to apply it: see its decision with"
                                + " `rightsizer rules status%s` (or publish with --wait 30s)%n",
                        connectionArguments());
                return ExitCode.OK.code();
            }
            try {
                return awaitDecision(t, decisions, update, wait, out, err);
            } catch (KafkaException e) {
                KafkaAccess.TargetException failure = t.unreachable(e);
                err.printf(
                        "the rule set is published, but reading %s failed: %s%n",
                        t.statusTopic(), failure.getMessage());
                return failure.exitCode();
            }
        } finally {
            if (decisions != null) {
                decisions.close();
            }
        }
    }

    /** A rule set on the rules topic, and where. */
    record Published(RuleSetEnvelope envelope, int partition, long offset) {}

    /** The latest publication of {@code version} still on the rules topic, or null. */
    private static Published published(RulesKafka.Target t, String version) {
        Published last = null;
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readRecordsToEnd(t.consumer(), t.rulesTopic(), t.timeout())) {
            if (r.key() == null || !version.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                continue;
            }
            if (r.value() == null) {
                last = null; // a tombstone deleted it
                continue;
            }
            try {
                last =
                        new Published(
                                RuleEnvelopes.decodeEnvelope(r.value(), r.headers()),
                                r.partition(),
                                r.offset());
            } catch (IllegalArgumentException e) {
                // Not a rule set: a compaction may replace it.
            }
        }
        return last;
    }

    private static RecordMetadata send(RulesKafka.Target t, RuleSetEnvelope envelope)
            throws ExecutionException, InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(t.producer())) {
            return producer.send(
                            SingleObject.withWriterSchema(
                                    new ProducerRecord<>(
                                            t.rulesTopic(),
                                            null,
                                            envelope.getPublishedAt().toEpochMilli(),
                                            envelope.getVersion().getBytes(StandardCharsets.UTF_8),
                                            RuleEnvelopes.encode(envelope)),
                                    SingleObject.writerSchemaHeader(
                                            RuleSetEnvelope.getClassSchema())))
                    .get();
        }
    }

    /** The brokers answer and the topics exist; otherwise a message naming them. */
    static void checkTopics(RulesKafka.Target t, boolean statusToo)
            throws RulesKafka.TargetException {
        List<String> topics = new ArrayList<>(List.of(t.rulesTopic()));
        if (statusToo) {
            topics.add(t.statusTopic());
        }
        try (Admin admin = Admin.create(t.admin())) {
            for (String name : topics) {
                try {
                    admin.describeTopics(List.of(name)).allTopicNames().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException) {
                        throw t.unreachable(new TopicAuthorizationException(Set.of(name)));
                    }
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw new RulesKafka.TargetException(
                                "topic "
                                        + name
                                        + " does not exist at "
                                        + t.describeBrokers()
                                        + (name.equals(t.rulesTopic())
                                                ? "; create it with cleanup.policy=compact and 1"
                                                        + " partition"
                                                : "; the job writes its decisions there")
                                        + "; nothing published");
                    }
                    throw t.unreachable(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RulesKafka.TargetException("interrupted");
        } catch (KafkaException e) {
            throw t.unreachable(e);
        }
    }

    /**
     * Reads the status topic from the beginning for the job's decision on {@code update}: the
     * latest one there when the end (as of now) is reached, else the first that arrives.
     */
    private int awaitDecision(
            RulesKafka.Target t,
            KafkaConsumer<byte[], byte[]> decisions,
            Published update,
            Duration wait,
            PrintWriter out,
            PrintWriter err) {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<TopicPartition, Long> end = decisions.endOffsets(decisions.assignment());
        boolean caughtUp = false;
        int seen = 0;
        RuleSetStatus latest = null;
        RuleSetStatus decision = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Duration poll = Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos()));
            for (ConsumerRecord<byte[], byte[]> r : decisions.poll(poll)) {
                RuleSetStatus s;
                try {
                    s = RuleEnvelopes.decodeStatus(r.value(), r.headers());
                } catch (IllegalArgumentException e) {
                    err.printf(
                            "warning: %s partition %d offset %d: %s; skipped%n",
                            r.topic(), r.partition(), r.offset(), e.getMessage());
                    continue;
                }
                seen++;
                if (latest == null || !s.getDecidedAt().isBefore(latest.getDecidedAt())) {
                    latest = s;
                }
                if (isDecisionOn(s, update)
                        && (decision == null
                                || !s.getDecidedAt().isBefore(decision.getDecidedAt()))) {
                    decision = s;
                }
            }
            caughtUp = caughtUp || TopicReader.atEnd(decisions, end);
            if (caughtUp && decision != null) {
                break;
            }
        }
        if (decision != null) {
            if (decision.getOutcome() == RuleUpdateOutcome.ACCEPTED) {
                if (decision.getInForceVersion().equals(latest.getInForceVersion())) {
                    out.printf(
                            "ACCEPTED: %s is in force (was %s)%n",
                            decision.getInForceVersion(), decision.getPreviousVersion());
                } else {
                    // An earlier publication, accepted, then replaced by a later update.
                    out.printf(
                            "ACCEPTED: %s was put in force at %s (was %s); %s is in force now%n",
                            decision.getInForceVersion(),
                            RulesStatusCommand.time(decision.getDecidedAt()),
                            decision.getPreviousVersion(),
                            latest.getInForceVersion());
                }
                return ExitCode.OK.code();
            }
            out.println(
                    "REJECTED: "
                            + (decision.getReason() == null
                                    ? "(the job gave no reason)"
                                    : decision.getReason().strip().replace("\n", "\n  ")));
            return ExitCode.FAILED.code();
        }
        RuleSetEnvelope envelope = update.envelope();
        out.printf(
                "no decision on %s (sha256 %s) appeared on %s within %s; %s%n",
                envelope.getVersion(),
                envelope.getSha256().substring(0, 12),
                t.statusTopic(),
                DurationText.format(wait),
                seen == 0
                        ? "the topic holds no decision at all"
                        : "the job's latest decision there: "
                                + latest.getOutcome()
                                + " "
                                + Objects.toString(latest.getVersion(), "-")
                                + " at "
                                + RulesStatusCommand.time(latest.getDecidedAt()));
        out.println(jobActivity(t));
        out.printf(
                "the rule set stays on %s; `rightsizer rules status%s` shows the job's decision"
                        + " once there is one%n",
                t.rulesTopic(), connectionArguments());
        return ExitCode.NO_DECISION.code();
    }

    /**
     * Whether {@code s} is the job's decision on this publication: same version and digest, and,
     * where the job says so, read from its partition and offset (else published at the same
     * instant). A decision on the same document under another offset, e.g. before the topic was
     * recreated, does not count.
     */
    static boolean isDecisionOn(RuleSetStatus s, Published update) {
        RuleSetEnvelope e = update.envelope();
        if (!e.getVersion().equals(s.getVersion()) || !e.getSha256().equals(s.getSha256())) {
            return false;
        }
        if (s.getSourceOffset() != null) {
            return s.getSourceOffset() == update.offset()
                    && Objects.equals(s.getSourcePartition(), update.partition());
        }
        return s.getPublishedAt() == null || s.getPublishedAt().equals(e.getPublishedAt());
    }

    /**
     * Whether a job seems to be running: its exactly-once sinks hold open Kafka transactions
     * (transactional ids starting with kafka.transactional-id-prefix) while telemetry flows.
     */
    static String jobActivity(RulesKafka.Target t) {
        String ids = "'" + t.transactionalIdPrefix() + "*'";
        Set<TransactionState> open =
                Set.of(
                        TransactionState.ONGOING,
                        TransactionState.PREPARE_COMMIT,
                        TransactionState.PREPARE_ABORT);
        try (Admin admin = Admin.create(t.admin())) {
            Collection<TransactionListing> all = admin.listTransactions().all().get();
            long n =
                    all.stream()
                            .filter(l -> l.transactionalId().startsWith(t.transactionalIdPrefix()))
                            .filter(l -> open.contains(l.state()))
                            .count();
            if (n > 0) {
                return String.format(
                        "a job appears to be running (%d open transaction%s of transactional ids"
                                + " %s at %s) but has not decided on this update: does it read"
                                + " %s?",
                        n, n == 1 ? "" : "s", ids, t.bootstrap(), t.rulesTopic());
            }
            return String.format(
                    "no sign of a running job: no open transaction of transactional ids %s at %s"
                            + " (a running job holds one while telemetry flows)",
                    ids, t.bootstrap());
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return "cannot tell whether a job is running: listing transactions failed: "
                    + cause.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "cannot tell whether a job is running: interrupted";
        }
    }

    private String connectionArguments() {
        StringBuilder sb = new StringBuilder();
        if (kafka.config != null) {
            sb.append(" --config ").append(kafka.config);
        }
        if (kafka.bootstrapServers != null) {
            sb.append(" --bootstrap-servers ").append(kafka.bootstrapServers);
        }
        if (kafka.statusTopic != null) {
            sb.append(" --status-topic ").append(kafka.statusTopic);
        }
        return sb.toString();
    }
}
