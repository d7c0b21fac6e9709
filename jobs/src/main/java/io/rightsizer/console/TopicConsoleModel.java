package io.rightsizer.console;

import io.rightsizer.job.ApprovalDecoder;
import io.rightsizer.job.DecisionPublisher;
import io.rightsizer.job.codec.DataQualitySerializer;
import io.rightsizer.job.codec.DecisionSerializer;
import io.rightsizer.job.codec.RecommendationEventSerializer;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.DataQualityKind;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.DecisionState;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.TimeLimitNotice;
import io.rightsizer.telemetry.RuleEnvelopes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * The console's model built from the job's own topics ({@link ConsoleModel}): one reader thread
 * ({@link TopicFollower}) folds the approval, audit-trail, decisions, notices, data-quality and
 * rules topics into memory; decisions go out through the producer {@code rightsizer decide} uses
 * ({@link DecisionPublisher}). Nothing is stored elsewhere: a restarted console reads the topics
 * again and shows the same.
 */
public final class TopicConsoleModel implements ConsoleModel {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(TopicConsoleModel.class);

    private static final Comparator<TimeLimitNotice> NEWEST_FIRST =
            Comparator.comparing(TimeLimitNotice::getIssuedAt)
                    .reversed()
                    .thenComparing(TimeLimitNotice::getNoticeId);

    private static final Comparator<DataQualityEvent> SILENT_LONGEST_FIRST =
            Comparator.comparing(DataQualityEvent::getLastSampleAt)
                    .thenComparing(DataQualityEvent::getVmId);

    private final ConsoleSettings settings;
    private final Clock clock;
    private final RecommendationLedger ledger = new RecommendationLedger();
    private final Map<String, TimeLimitNotice> notices = new ConcurrentHashMap<>();
    private final Map<String, DataQualityEvent> dataQuality = new ConcurrentHashMap<>();
    private final AtomicLong undecodable = new AtomicLong();
    private final ApprovalDecoder approvals;
    private final HistoryQuery history;
    private final TopicFollower follower;
    private final DecisionPublisher publisher;

    private TopicConsoleModel(ConsoleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        ConsoleSettings.Topics t = settings.topics();
        this.approvals = new ApprovalDecoder(t.recommendations());
        this.history = new HistoryQuery(settings.influx(), settings.configuredRules());
        this.publisher = new DecisionPublisher(settings.producer(), t.decisions());
        this.follower =
                new TopicFollower(
                        settings.consumer(),
                        List.of(
                                t.recommendations(),
                                t.events(),
                                t.decisions(),
                                t.notices(),
                                t.dataQuality(),
                                t.rules()),
                        settings.brokers(),
                        this::accept);
    }

    /**
     * Starts reading the topics from their beginning on a background thread and returns at once:
     * {@link #loading()} says when the first read is done.
     *
     * @throws ConsoleException when the Kafka clients cannot be created from the settings
     */
    public static TopicConsoleModel start(ConsoleSettings settings) throws ConsoleException {
        return start(settings, Clock.systemUTC());
    }

    /** As {@link #start(ConsoleSettings)}, deciding at the times of {@code clock}. */
    static TopicConsoleModel start(ConsoleSettings settings, Clock clock) throws ConsoleException {
        TopicConsoleModel m;
        try {
            m = new TopicConsoleModel(settings, clock);
        } catch (KafkaException e) {
            throw new ConsoleException(
                    "cannot create a Kafka client for "
                            + settings.brokers()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        m.follower.start();
        return m;
    }

    /** Records of the followed topics that could not be read (each logged once, without data). */
    public long undecodable() {
        return undecodable.get();
    }

    @Override
    public Loading loading() {
        return follower.loading();
    }

    @Override
    public List<InboxItem> inbox(InboxFilter filter) {
        return ledger.inbox(filter == null ? InboxFilter.any() : filter);
    }

    @Override
    public Optional<RecommendationDetail> recommendation(String recommendationId) {
        return ledger.detail(recommendationId);
    }

    @Override
    public List<TimeLimitNotice> notices() {
        List<TimeLimitNotice> out = new ArrayList<>(notices.values());
        out.sort(NEWEST_FIRST);
        return out;
    }

    @Override
    public List<DataQualityEvent> silentVms() {
        List<DataQualityEvent> out = new ArrayList<>();
        for (DataQualityEvent e : dataQuality.values()) {
            if (e.getKind() == DataQualityKind.TELEMETRY_SILENT) {
                out.add(e);
            }
        }
        out.sort(SILENT_LONGEST_FIRST);
        return out;
    }

    @Override
    public Optional<History> history(String recommendationId) throws ConsoleException {
        Recommendation r = recommendationId == null ? null : ledger.get(recommendationId);
        return r == null ? Optional.empty() : history.history(r);
    }

    @Override
    public Published decide(DecisionRequest request) throws ConsoleException {
        Decision d = decision(request);
        String topic = publisher.topic();
        if (!follower.exists(topic)) {
            throw new ConsoleException(
                    "topic "
                            + topic
                            + " does not exist at "
                            + settings.brokers()
                            + "; nothing published");
        }
        RecordMetadata sent;
        try {
            sent = publisher.publish(d);
        } catch (ExecutionException e) {
            throw notPublished(e.getCause());
        } catch (KafkaException e) {
            throw notPublished(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted; the decision may or may not be published");
        }
        LOG.info(
                "published {} of {} by {} to {} partition {} offset {}",
                d.getState(),
                d.getRecommendationId(),
                d.getDecidedBy(),
                sent.topic(),
                sent.partition(),
                sent.offset());
        return new Published(
                d.getRecommendationId(), sent.partition(), sent.offset(), d.getDecidedAt());
    }

    /**
     * The decision a request asks for, refused here when the job would have to refuse it for want
     * of something only the person can give (a reason, a date, a name) or when it names no
     * recommendation. Whether the decision is legal in the current state is the job's to say: its
     * refusal arrives on the audit trail.
     */
    Decision decision(DecisionRequest q) throws ConsoleException {
        String id = q.recommendationId();
        if (!DecisionPublisher.isRecommendationId(id)) {
            throw new ConsoleException(DecisionPublisher.notARecommendationId(id));
        }
        if (ledger.get(id) == null) {
            throw new ConsoleException("recommendation " + id + " is unknown; nothing published");
        }
        if (q.state() == null) {
            throw new ConsoleException("no decision given: approve, reject, defer or implemented");
        }
        if (q.decidedBy() == null || q.decidedBy().isBlank()) {
            throw new ConsoleException("a decision needs the name of who decides");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (q.state() == DecisionState.REJECTED && (q.comment() == null || q.comment().isBlank())) {
            throw new ConsoleException("a rejection needs its reason in the comment");
        }
        if (q.state() == DecisionState.DEFERRED) {
            if (q.deferUntil() == null) {
                throw new ConsoleException(
                        "a deferral needs the date the recommendation becomes open again");
            }
            if (!q.deferUntil().isAfter(now)) {
                throw new ConsoleException(
                        "a deferral must end in the future: " + q.deferUntil() + " is not");
            }
        } else if (q.deferUntil() != null) {
            throw new ConsoleException("only a deferral has an end date");
        }
        return DecisionPublisher.decision(
                id, q.state(), q.decidedBy(), now, q.comment(), q.deferUntil());
    }

    private ConsoleException notPublished(Throwable cause) {
        return new ConsoleException(
                "the decision was not published to "
                        + publisher.topic()
                        + " at "
                        + settings.brokers()
                        + ": "
                        + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                cause);
    }

    /** One record of a followed topic, by its topic (the reader thread). */
    private void accept(ConsumerRecord<byte[], byte[]> r) {
        ConsoleSettings.Topics t = settings.topics();
        String topic = r.topic();
        if (r.value() == null) {
            // A tombstone of a compacted topic (rules): nothing to show.
            return;
        }
        try {
            if (topic.equals(t.recommendations()) || topic.equals(t.notices())) {
                Object v = approvals.decode(topic, r.value(), r.headers());
                if (v instanceof Recommendation rec) {
                    ledger.recommendation(rec);
                } else {
                    TimeLimitNotice n = (TimeLimitNotice) v;
                    notices.put(n.getNoticeId(), n);
                }
            } else if (topic.equals(t.events())) {
                ledger.event(RecommendationEventSerializer.decode(r.value(), r.headers()));
            } else if (topic.equals(t.decisions())) {
                ledger.decision(DecisionSerializer.decode(r.value(), r.headers()));
            } else if (topic.equals(t.dataQuality())) {
                DataQualityEvent e = DataQualitySerializer.decode(r.value(), r.headers());
                dataQuality.put(e.getVmId(), e);
            } else if (topic.equals(t.rules())) {
                RuleSetEnvelope e = RuleEnvelopes.decodeEnvelope(r.value(), r.headers());
                history.ruleSet(e.getVersion(), e.getDocument());
            }
        } catch (RuntimeException e) {
            // Skipped, as `rightsizer tail` shows it: the job dead-letters its own inputs, the
            // console only reads outputs; the position names the record for `kcat`.
            if (undecodable.incrementAndGet() <= 100) {
                LOG.warn(
                        "{} partition {} offset {}: not readable, skipped: {}",
                        topic,
                        r.partition(),
                        r.offset(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        follower.close();
        publisher.close();
        history.close();
    }
}
