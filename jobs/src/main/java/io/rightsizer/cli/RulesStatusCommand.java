package io.rightsizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.RuleEnvelopes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Which rule set is in force in the running job, since when, published by whom; and"
                    + " the last rejected update with its reason. Read from the job's decisions on"
                    + " the rules status topic (read_committed, from the beginning to its end)."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "done"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when = "Kafka cannot be reached or the topic is missing"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class RulesStatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Mixin RulesKafka kafka;

    @Option(names = "--history", description = "Every decision in order, one line each.")
    boolean history;

    @Option(names = "--json", description = "The same as one JSON document.")
    boolean json;

    /** One decision of the job, where it was read. */
    record Decision(RuleSetStatus status, int partition, long offset) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RulesKafka.Target t;
        List<ConsumerRecord<byte[], byte[]>> records;
        try {
            t = kafka.resolve(null);
            try {
                records = TopicReader.readRecordsToEnd(t.consumer(), t.statusTopic(), t.timeout());
            } catch (UnknownTopicOrPartitionException e) {
                throw new RulesKafka.TargetException(
                        "topic "
                                + t.statusTopic()
                                + " does not exist at "
                                + t.describeBrokers()
                                + "; the job writes its decisions on rule-set updates there");
            } catch (KafkaException e) {
                throw t.unreachable(e);
            }
        } catch (RulesKafka.TargetException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }

        List<Decision> decisions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                decisions.add(
                        new Decision(
                                RuleEnvelopes.decodeStatus(r.value(), r.headers()),
                                r.partition(),
                                r.offset()));
            } catch (IllegalArgumentException e) {
                err.printf(
                        "warning: %s partition %d offset %d: %s; skipped%n",
                        r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        // The job's wall clock orders decisions across partitions; within one, offsets do.
        decisions.sort(
                Comparator.comparing((Decision d) -> d.status().getDecidedAt())
                        .thenComparingInt(Decision::partition)
                        .thenComparingLong(Decision::offset));
        Summary s = summarize(decisions, t);
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(toJson(s, t, decisions, mapper)));
        } else if (history) {
            printHistory(decisions, t, s, out);
        } else {
            printSummary(s, t, decisions, out);
        }
        return ExitCode.OK.code();
    }

    /** What the decisions say; {@code configured} only when there is no decision. */
    record Summary(
            String inForce,
            RuleSetStatus acceptedInForce,
            RuleSetStatus lastRejected,
            Configured configured) {}

    /** The rule set of the job's configuration file. */
    record Configured(Path config, String file, String version, String problem) {}

    private static Summary summarize(List<Decision> decisions, RulesKafka.Target t) {
        if (decisions.isEmpty()) {
            return new Summary(null, null, null, configured(t));
        }
        String inForce = decisions.get(decisions.size() - 1).status().getInForceVersion();
        RuleSetStatus accepted = null;
        RuleSetStatus rejected = null;
        for (Decision d : decisions) {
            RuleSetStatus s = d.status();
            if (s.getOutcome() == RuleUpdateOutcome.ACCEPTED
                    && inForce.equals(s.getVersion())
                    && inForce.equals(s.getInForceVersion())) {
                accepted = s;
            } else if (s.getOutcome() == RuleUpdateOutcome.REJECTED) {
                rejected = s;
            }
        }
        return new Summary(inForce, accepted, rejected, null);
    }

    private static Configured configured(RulesKafka.Target t) {
        if (t.config() == null) {
            return null;
        }
        String file = t.config().location(RightsizerOptions.RULES_FILE).toString();
        try {
            RuleSet r = RuleSetParser.parse(Path.of(file));
            return new Configured(t.configFile(), file, r.version(), null);
        } catch (RuleSetException e) {
            return new Configured(t.configFile(), file, null, e.getMessage());
        } catch (IOException e) {
            return new Configured(t.configFile(), file, null, file + ": cannot be read: " + e);
        }
    }

    private static void printSummary(
            Summary s, RulesKafka.Target t, List<Decision> decisions, PrintWriter out) {
        if (decisions.isEmpty()) {
            printNoDecision(s, t, out);
            return;
        }
        out.printf("in force:      %s%n", s.inForce());
        RuleSetStatus a = s.acceptedInForce();
        if (a != null) {
            out.printf("since:         %s%n", time(a.getDecidedAt()));
            out.printf(
                    "published by:  %s at %s (sha256 %s)%n",
                    or(a.getAuthor()), or(time(a.getPublishedAt())), prefix(a.getSha256()));
        } else {
            out.printf(
                    "since:         the job's start (%s has no accepted update of %s: it is"
                            + " the rule set of the job's configuration)%n",
                    t.statusTopic(), s.inForce());
        }
        RuleSetStatus r = s.lastRejected();
        if (r == null) {
            out.println("last rejected: none");
        } else {
            out.printf(
                    "last rejected: %s by %s, published %s (sha256 %s)%n",
                    or(r.getVersion()),
                    or(r.getAuthor()),
                    or(time(r.getPublishedAt())),
                    prefix(r.getSha256()));
            out.printf("decided:       %s%n", time(r.getDecidedAt()));
            out.printf("reason:        %s%n", indent(r.getReason(), 15));
        }
        long accepted =
                decisions.stream()
                        .filter(d -> d.status().getOutcome() == RuleUpdateOutcome.ACCEPTED)
                        .count();
        out.printf(
                "%d decision%s on %s (%d accepted, %d rejected); --history lists them%n",
                decisions.size(),
                decisions.size() == 1 ? "" : "s",
                t.statusTopic(),
                accepted,
                decisions.size() - accepted);
    }

    private static void printNoDecision(Summary s, RulesKafka.Target t, PrintWriter out) {
        out.printf(
                "no rule-set update has been decided yet (%s holds no decision): the job uses the"
                        + " rule set of its configuration%n",
                t.statusTopic());
        Configured c = s.configured();
        if (c == null) {
            out.println(
                    "configured:    unknown (no --config given; it is rules.file in the job's"
                            + " configuration)");
        } else if (c.problem() != null) {
            out.printf(
                    "configured:    %s (rules.file of %s) cannot be used:%n               %s%n",
                    c.file(), c.config(), indent(c.problem(), 15));
        } else {
            out.printf(
                    "configured:    %s (%s, rules.file of %s)%n",
                    c.version(), c.file(), c.config());
        }
    }

    private static void printHistory(
            List<Decision> decisions, RulesKafka.Target t, Summary s, PrintWriter out) {
        if (decisions.isEmpty()) {
            printNoDecision(s, t, out);
            return;
        }
        for (Decision d : decisions) {
            RuleSetStatus x = d.status();
            String reason = x.getReason() == null ? "" : x.getReason().strip();
            int nl = reason.indexOf('\n');
            out.printf(
                    "%s  %-8s  %s  by %s  %s -> %s%s%n",
                    time(x.getDecidedAt()),
                    x.getOutcome(),
                    or(x.getVersion()),
                    or(x.getAuthor()),
                    x.getPreviousVersion(),
                    x.getInForceVersion(),
                    reason.isEmpty() ? "" : "  " + (nl < 0 ? reason : reason.substring(0, nl)));
        }
    }

    private ObjectNode toJson(
            Summary s, RulesKafka.Target t, List<Decision> decisions, ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("statusTopic", t.statusTopic());
        root.put("decisions", decisions.size());
        if (s.inForce() == null) {
            root.putNull("inForce");
        } else {
            ObjectNode f = root.putObject("inForce");
            RuleSetStatus a = s.acceptedInForce();
            f.put("version", s.inForce());
            f.put("since", a == null ? null : time(a.getDecidedAt()));
            f.put("author", a == null ? null : a.getAuthor());
            f.put("publishedAt", a == null ? null : time(a.getPublishedAt()));
            f.put("sha256", a == null ? null : a.getSha256());
        }
        if (s.lastRejected() == null) {
            root.putNull("lastRejected");
        } else {
            root.set("lastRejected", decision(s.lastRejected(), mapper));
        }
        Configured c = s.configured();
        if (c == null) {
            root.putNull("configured");
        } else {
            ObjectNode n = root.putObject("configured");
            n.put("config", c.config().toString());
            n.put("file", c.file());
            n.put("version", c.version());
            n.put("problem", c.problem());
        }
        if (history) {
            ArrayNode all = root.putArray("history");
            decisions.forEach(d -> all.add(decision(d.status(), mapper)));
        }
        return root;
    }

    private static ObjectNode decision(RuleSetStatus x, ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("decidedAt", time(x.getDecidedAt()));
        n.put("outcome", x.getOutcome().name());
        n.put("version", x.getVersion());
        n.put("author", x.getAuthor());
        n.put("publishedAt", time(x.getPublishedAt()));
        n.put("sha256", x.getSha256());
        n.put("previousVersion", x.getPreviousVersion());
        n.put("inForceVersion", x.getInForceVersion());
        n.put("reason", x.getReason());
        n.put("sourcePartition", x.getSourcePartition());
        n.put("sourceOffset", x.getSourceOffset());
        return n;
    }

    /** An instant as {@code 2026-12-01T09:00:01.500Z}: UTC, always with milliseconds. */
    static String time(Instant i) {
        return i == null ? null : TIME.format(i);
    }

    private static String or(String s) {
        return s == null ? "-" : s;
    }

    private static String prefix(String sha256) {
        return sha256 == null ? "-" : sha256.substring(0, Math.min(12, sha256.length()));
    }

    private static String indent(String text, int by) {
        if (text == null) {
            return "(no reason given)";
        }
        return text.strip().replace("\n", "\n" + " ".repeat(by));
    }
}
