package io.rightsizer.cli;

import io.rightsizer.i18n.Messages;
import io.rightsizer.job.ApprovalDecoder;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.job.config.LocaleOptions;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.rules.format.DurationText;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.TimeLimitNotice;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Shows, as they arrive, the recommendations on the approval topic and the time-limit"
                    + " notices: a table, or one JSON object per line with --json. With --events,"
                    + " the approval audit trail instead: every lifecycle change, reminder and"
                    + " refused decision (--id: of one recommendation).",
            "Reads with read_committed (what the job has committed) by partition assignment, in no"
                    + " consumer group: it commits nothing and leaves nothing behind. Starts at the"
                    + " end of each topic unless --from-beginning. Runs until Ctrl-C, --max or"
                    + " --timeout."
        })
@ExitCodes({
    @ExitCodes.Code(value = ExitCode.OK, when = "stopped (Ctrl-C, --max or --timeout)"),
    @ExitCodes.Code(
            value = ExitCode.USAGE,
            when = "usage error, Kafka cannot be reached or none of the topics" + " exists"),
    @ExitCodes.Code(ExitCode.NOT_AUTHENTICATED),
    @ExitCodes.Code(ExitCode.NOT_AUTHORIZED)
})
public class TailCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private static final Pattern RECOMMENDATION_ID = Pattern.compile("[0-9a-f]{32}");

    @Mixin KafkaAccess kafka;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description =
                    "The approval topic (default: kafka.topics.recommendations of the"
                            + " configuration, else rightsizing-recommendations).")
    String topic;

    @Option(
            names = "--notices-topic",
            paramLabel = "TOPIC",
            description =
                    "The time-limit notices' topic (default: kafka.topics.notices of the config,"
                            + " else rightsizing-notices).")
    String noticesTopic;

    @Option(
            names = "--events",
            description =
                    "Follow the approval audit trail (who decided what, from which state to which,"
                            + " and why a decision was refused) instead of the approval and"
                            + " notices topics.")
    boolean events;

    @Option(
            names = "--events-topic",
            paramLabel = "TOPIC",
            description =
                    "The audit trail's topic, with --events (default:"
                            + " kafka.topics.recommendation-events of the config, else"
                            + " rightsizing-recommendation-events).")
    String eventsTopic;

    @Option(
            names = "--id",
            paramLabel = "RECOMMENDATION_ID",
            description =
                    "With --events: only the events of this recommendation (32 lowercase hex"
                            + " digits).")
    String id;

    @Option(names = "--json", description = "One JSON object per record and line, for scripts.")
    boolean json;

    @Option(
            names = "--from-beginning",
            description = "Show what is already on the topics first, then what arrives.")
    boolean fromBeginning;

    @Option(
            names = "--max",
            paramLabel = "N",
            description = "Stop after N records (undecodable ones included).")
    Long max;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Stop after this long (30s, 2m) without a record.")
    String timeout;

    @Option(
            names = "--zone",
            paramLabel = "ZONE",
            defaultValue = "UTC",
            description = "Time zone of the table's times (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(
            names = "--locale",
            paramLabel = "LOCALE",
            description =
                    "The table's language: en or zh-CN (default: locale of the configuration,"
                            + " else en).")
    String locale;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String misuse = eventOptionsMisuse();
        if (misuse != null) {
            err.println(misuse);
            return ExitCode.USAGE.code();
        }
        if (max != null && max < 1) {
            err.println("--max must be at least 1");
            return ExitCode.USAGE.code();
        }
        Duration idle = null;
        if (timeout != null) {
            idle = DurationText.parse(timeout);
            if (idle == null || idle.isZero() || idle.isNegative()) {
                err.printf("--timeout: '%s' is not a duration such as 30s or 2m%n", timeout);
                return ExitCode.USAGE.code();
            }
        }
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException e) {
            err.printf("--zone: '%s' is not a time zone such as UTC or Asia/Shanghai%n", zone);
            return ExitCode.USAGE.code();
        }

        if (locale != null && Messages.problem(locale).isPresent()) {
            err.println("--locale: " + Messages.problem(locale).get());
            return 2;
        }

        KafkaAccess.Connection c;
        String recommendations;
        List<String> topics = new ArrayList<>();
        try {
            c = kafka.connection();
            recommendations =
                    topic != null ? topic : c.topic(RightsizerOptions.RECOMMENDATIONS_TOPIC);
            if (events) {
                String trail =
                        eventsTopic != null ? eventsTopic : c.topic(RightsizerOptions.EVENTS_TOPIC);
                c.need("READ", trail);
                if (!c.topicExists(trail)) {
                    err.printf(
                            "topic %s does not exist at %s: nothing to follow%n",
                            trail, c.describeBrokers());
                    return ExitCode.USAGE.code();
                }
                topics.add(trail);
            } else {
                String notices =
                        noticesTopic != null
                                ? noticesTopic
                                : c.topic(RightsizerOptions.NOTICES_TOPIC);
                for (String t : new LinkedHashSet<>(List.of(recommendations, notices))) {
                    c.need("READ", t);
                    if (c.topicExists(t)) {
                        topics.add(t);
                    } else {
                        err.printf(
                                "warning: topic %s does not exist at %s; not followed%n",
                                t, c.describeBrokers());
                    }
                }
                if (topics.isEmpty()) {
                    err.println("none of the topics exists: nothing to follow");
                    return ExitCode.USAGE.code();
                }
            }
        } catch (KafkaAccess.TargetException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }

        TailRows rows =
                new TailRows(
                        zoneId,
                        locale != null
                                ? Messages.of(locale)
                                : c.config() != null
                                        ? LocaleOptions.messages(c.config())
                                        : Messages.ENGLISH);
        ApprovalDecoder decoder = new ApprovalDecoder(recommendations);
        CountDownLatch closed = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c.consumer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t)
                        .forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // Resolves the lazy seek now, so a record sent after this line is shown.
            partitions.forEach(consumer::position);
            err.printf(
                    "following %s%s at %s %s%s%n",
                    String.join(" and ", topics),
                    id == null ? "" : " for recommendation " + id,
                    c.bootstrap(),
                    fromBeginning ? "from the beginning" : "from now on",
                    max == null && idle == null ? " (Ctrl-C to stop)" : "");
            if (!json) {
                out.println(events ? rows.eventHeader() : rows.header());
                out.flush();
            }
            Thread hook =
                    new Thread(
                            () -> {
                                consumer.wakeup();
                                try {
                                    closed.await(5, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "rightsizer-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                follow(consumer, decoder, rows, idle, out);
            } catch (WakeupException e) {
                // Ctrl-C: stop quietly.
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down: the hook is running.
                }
            }
            return ExitCode.OK.code();
        } catch (KafkaException e) {
            KafkaAccess.TargetException failure = c.unreachable(e);
            err.println(failure.getMessage());
            return failure.exitCode();
        } finally {
            out.flush();
            closed.countDown();
        }
    }

    private void follow(
            KafkaConsumer<byte[], byte[]> consumer,
            ApprovalDecoder decoder,
            TailRows rows,
            Duration idle,
            PrintWriter out) {
        long shown = 0;
        long lastRecord = System.nanoTime();
        while (true) {
            Duration poll = Duration.ofMillis(200);
            if (idle != null) {
                long left = idle.toNanos() - (System.nanoTime() - lastRecord);
                if (left <= 0) {
                    return;
                }
                poll = Duration.ofNanos(Math.min(left, poll.toNanos()));
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(poll)) {
                String line = events ? showEvent(r, rows) : show(r, decoder, rows);
                if (line == null) {
                    continue;
                }
                out.println(line);
                shown++;
                lastRecord = System.nanoTime();
                if (max != null && shown >= max) {
                    out.flush();
                    return;
                }
            }
            out.flush();
        }
    }

    private String show(ConsumerRecord<byte[], byte[]> r, ApprovalDecoder decoder, TailRows rows) {
        Object value;
        try {
            value = decoder.decode(r.topic(), r.value(), r.headers());
        } catch (IllegalArgumentException e) {
            return json
                    ? TailRows.undecodableJson(
                            r.topic(), r.partition(), r.offset(), r.timestamp(), e.getMessage())
                    : TailRows.undecodableRow(r.topic(), r.partition(), r.offset(), e.getMessage());
        }
        if (value instanceof Recommendation rec) {
            return json ? TailRows.json(rec) : rows.row(rec);
        }
        TimeLimitNotice n = (TimeLimitNotice) value;
        return json ? TailRows.json(n) : rows.row(n);
    }

    /**
     * The line of an audit-trail record, or null when {@code --id} names another recommendation. An
     * undecodable record is shown unless its key (the job writes the recommendationId there) names
     * another recommendation: what cannot be read may be the event waited for.
     */
    private String showEvent(ConsumerRecord<byte[], byte[]> r, TailRows rows) {
        RecommendationEvent e;
        try {
            e = RecommendationEventSerializer.decode(r.value(), r.headers());
        } catch (IllegalArgumentException ex) {
            if (id != null
                    && r.key() != null
                    && !id.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                return null;
            }
            return json
                    ? TailRows.undecodableJson(
                            r.topic(), r.partition(), r.offset(), r.timestamp(), ex.getMessage())
                    : TailRows.undecodableRow(
                            r.topic(), r.partition(), r.offset(), ex.getMessage());
        }
        if (id != null && !id.equals(e.getRecommendationId())) {
            return null;
        }
        return json ? TailRows.json(e) : rows.row(e);
    }

    /**
     * What is wrong with the combination of --events, --events-topic, --id, --topic and
     * --notices-topic; null when nothing is. Checked before Kafka is asked anything.
     */
    String eventOptionsMisuse() {
        if (events && (topic != null || noticesTopic != null)) {
            return "--events follows the audit trail only: name its topic with --events-topic,"
                    + " not --topic or --notices-topic";
        }
        if (!events && eventsTopic != null) {
            return "--events-topic needs --events";
        }
        if (!events && id != null) {
            return "--id needs --events: it selects the audit-trail events of one recommendation";
        }
        if (id != null && !RECOMMENDATION_ID.matcher(id).matches()) {
            return "--id: '"
                    + id
                    + "' is not a recommendation id: 32 lowercase hex digits, the"
                    + " recommendationId `rightsizer tail --json` shows";
        }
        return null;
    }
}
