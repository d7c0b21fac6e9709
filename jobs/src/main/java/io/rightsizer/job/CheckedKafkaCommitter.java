package io.rightsizer.job;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.flink.connector.kafka.sink.internal.TransactionFinished;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer of a {@link CheckedKafkaSink}: the connector's {@link KafkaCommitter}, preceded,
 * for a transaction that may have ended before this commit, by a look at its final state on the
 * broker.
 *
 * <p>After a recovery Flink commits the restored transactions again. The connector resumes each
 * with the producer id and epoch of the checkpoint; if the transaction was committed before the
 * failure (the usual case) the broker answers {@code PRODUCER_FENCED}, exactly as it does for a
 * transaction aborted meanwhile (a real loss), and the connector logs "this most likely signals
 * data loss" at ERROR for both. The broker's transaction state tells them apart, measured on Kafka
 * 4.x with transaction version 2 (KafkaRecommitITCase): a commit or an abort ends a transaction of
 * epoch E with the state CompleteCommit or CompleteAbort and the epoch E + 1, same producer id
 * (with transaction version 1 the epoch stays E); a transaction left open is Ongoing at epoch E.
 *
 * <p>Asked only for a committable that may have ended: one without the writer's in-memory producer
 * that belongs to a checkpoint up to the restored one (its transactional id ends with that
 * checkpoint's id: the connector's INCREMENTING naming, {@code prefix-subtask-checkpoint}) or whose
 * commit is being retried. A healthy run never asks. One Admin request per commit call, created on
 * the first need; any failure to ask (broker down, timeout) leaves the decision to the connector.
 */
final class CheckedKafkaCommitter implements Committer<KafkaCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckedKafkaCommitter.class);

    /** How long the check may take before the connector decides alone. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    enum Outcome {
        /** Committed before this commit: nothing to do, nothing lost. */
        COMMITTED,
        /** Aborted before it could be committed: its records are lost. */
        ABORTED,
        /** Still open: the commit will make it visible. */
        OPEN,
        /** The broker's answer does not say what became of this transaction. */
        UNKNOWN
    }

    private final Committer<KafkaCommittable> connector;
    private final OptionalLong restoredCheckpoint;
    private final Broker broker;

    CheckedKafkaCommitter(
            Committer<KafkaCommittable> connector, OptionalLong restoredCheckpoint, Broker broker) {
        this.connector = connector;
        this.restoredCheckpoint = restoredCheckpoint;
        this.broker = broker;
    }

    @Override
    public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
            throws IOException, InterruptedException {
        Set<CommitRequest<KafkaCommittable>> toCheck =
                Collections.newSetFromMap(new IdentityHashMap<>());
        for (CommitRequest<KafkaCommittable> r : requests) {
            if (mayHaveEnded(r)) {
                toCheck.add(r);
            }
        }
        if (toCheck.isEmpty()) {
            connector.commit(requests);
            return;
        }
        Broker.Answers answers =
                broker.ask(
                        toCheck.stream()
                                .map(r -> r.getCommittable().getTransactionalId())
                                .distinct()
                                .toList());
        List<CommitRequest<KafkaCommittable>> rest = new ArrayList<>(requests.size());
        for (CommitRequest<KafkaCommittable> r : requests) {
            if (!toCheck.contains(r) || !decide(r, answers)) {
                rest.add(r);
            }
        }
        if (!rest.isEmpty()) {
            connector.commit(rest);
        }
    }

    /** Logs what the broker says; true when the request is settled without the connector. */
    private boolean decide(CommitRequest<KafkaCommittable> r, Broker.Answers answers) {
        KafkaCommittable c = r.getCommittable();
        String id = c.getTransactionalId();
        if (answers.failure() != null) {
            LOG.warn(
                    "Transaction {} (producer id {}, epoch {}): could not ask the broker whether it"
                            + " was committed ({}); committing it as the connector does",
                    id,
                    c.getProducerId(),
                    c.getEpoch(),
                    answers.failure());
            return false;
        }
        TransactionDescription d = answers.descriptions().get(id);
        Outcome outcome = d == null ? Outcome.UNKNOWN : outcome(c, d, answers.epochBumpOnEnd());
        switch (outcome) {
            case COMMITTED -> {
                LOG.info(
                        "Transaction {} (producer id {}, epoch {}) was committed before the"
                                + " failure, nothing lost: the broker reports it {}; not"
                                + " committing it again",
                        id,
                        c.getProducerId(),
                        c.getEpoch(),
                        d.state());
                r.signalAlreadyCommitted();
                // As the connector does after a commit: its writer stops tracking the id.
                if (connector instanceof KafkaCommitter k) {
                    k.getBackchannel().send(TransactionFinished.successful(id));
                }
                return true;
            }
            case ABORTED ->
                    LOG.error(
                            "Transaction {} (producer id {}, epoch {}) was ABORTED: the broker"
                                + " reports it {}, so its records are lost (it ended before this"
                                + " recovery could commit it, e.g. after transaction.timeout.ms)",
                            id,
                            c.getProducerId(),
                            c.getEpoch(),
                            d.state());
            case OPEN ->
                    LOG.info(
                            "Transaction {} (producer id {}, epoch {}) is still open on the broker:"
                                    + " committing it now",
                            id,
                            c.getProducerId(),
                            c.getEpoch());
            case UNKNOWN ->
                    LOG.warn(
                            "Transaction {} (producer id {}, epoch {}): the broker reports {},"
                                + " which does not tell whether it was committed; committing it as"
                                + " the connector does",
                            id,
                            c.getProducerId(),
                            c.getEpoch(),
                            d == null ? "no such transactional id" : describe(d));
        }
        return false;
    }

    private static String describe(TransactionDescription d) {
        return d.state() + " with producer id " + d.producerId() + ", epoch " + d.producerEpoch();
    }

    /**
     * Whether the transaction may have ended before this commit: it came from a checkpoint (no
     * in-memory producer of this run's writer) and was restored or is being retried.
     */
    boolean mayHaveEnded(CommitRequest<KafkaCommittable> r) {
        KafkaCommittable c = r.getCommittable();
        if (c.getProducer().isPresent()) {
            return false;
        }
        if (r.getNumberOfRetries() > 0) {
            return true;
        }
        OptionalLong checkpoint = checkpointOf(c.getTransactionalId());
        return restoredCheckpoint.isPresent()
                && checkpoint.isPresent()
                && checkpoint.getAsLong() <= restoredCheckpoint.getAsLong();
    }

    /** The checkpoint id an INCREMENTING transactional id ({@code prefix-subtask-n}) ends with. */
    static OptionalLong checkpointOf(String transactionalId) {
        String last = transactionalId.substring(transactionalId.lastIndexOf('-') + 1);
        try {
            return OptionalLong.of(Long.parseLong(last));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * What became of the committable's transaction, from the broker's description of its
     * transactional id. Only an answer about this very transaction counts: the same producer id,
     * and the epoch the end of this transaction gives ({@code epochBumpOnEnd}: transaction version
     * 2). A later transaction on the same id, or a producer initialized on it since, is UNKNOWN.
     */
    static Outcome outcome(KafkaCommittable c, TransactionDescription d, boolean epochBumpOnEnd) {
        if (d.producerId() != c.getProducerId()) {
            return Outcome.UNKNOWN;
        }
        int ended = c.getEpoch() + (epochBumpOnEnd ? 1 : 0);
        TransactionState s = d.state();
        if (s == TransactionState.COMPLETE_COMMIT && d.producerEpoch() == ended) {
            return Outcome.COMMITTED;
        }
        if (s == TransactionState.COMPLETE_ABORT && d.producerEpoch() == ended) {
            return Outcome.ABORTED;
        }
        if (s == TransactionState.ONGOING && d.producerEpoch() == c.getEpoch()) {
            return Outcome.OPEN;
        }
        return Outcome.UNKNOWN;
    }

    @Override
    public void close() throws Exception {
        try (broker) {
            connector.close();
        }
    }

    /** The broker's view of transactions, through an Admin client created on the first question. */
    static final class Broker implements AutoCloseable {
        private final Properties properties;
        private final Duration timeout;
        private Admin admin;
        private Boolean epochBumpOnEnd;

        Broker(Properties adminProperties, Duration timeout) {
            this.properties = adminProperties;
            this.timeout = timeout;
        }

        /**
         * The descriptions of {@code ids} (an id the broker does not know is absent), or the
         * failure that kept the broker from answering.
         */
        record Answers(
                Map<String, TransactionDescription> descriptions,
                boolean epochBumpOnEnd,
                String failure) {}

        Answers ask(List<String> ids) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                if (admin == null) {
                    admin = Admin.create(properties);
                }
                int ms = (int) timeout.toMillis();
                DescribeTransactionsResult result =
                        admin.describeTransactions(
                                ids, new DescribeTransactionsOptions().timeoutMs(ms));
                if (epochBumpOnEnd == null) {
                    FinalizedVersionRange v =
                            admin.describeFeatures(new DescribeFeaturesOptions().timeoutMs(ms))
                                    .featureMetadata()
                                    .get(remaining(deadline), TimeUnit.NANOSECONDS)
                                    .finalizedFeatures()
                                    .get("transaction.version");
                    epochBumpOnEnd = v != null && v.maxVersionLevel() >= 2;
                }
                Map<String, TransactionDescription> descriptions = new HashMap<>();
                for (String id : ids) {
                    try {
                        descriptions.put(
                                id,
                                result.description(id)
                                        .get(remaining(deadline), TimeUnit.NANOSECONDS));
                    } catch (ExecutionException e) {
                        if (!(e.getCause()
                                instanceof
                                org.apache.kafka.common.errors.TransactionalIdNotFoundException)) {
                            throw e;
                        }
                    }
                }
                return new Answers(descriptions, epochBumpOnEnd, null);
            } catch (ExecutionException e) {
                return failed(e.getCause());
            } catch (TimeoutException e) {
                return failed(new TimeoutException("no answer within " + timeout));
            } catch (RuntimeException e) {
                return failed(e);
            }
        }

        private static long remaining(long deadline) {
            return Math.max(0, deadline - System.nanoTime());
        }

        private static Answers failed(Throwable t) {
            return new Answers(
                    Map.of(), false, t.getClass().getSimpleName() + ": " + t.getMessage());
        }

        @Override
        public void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }
}
