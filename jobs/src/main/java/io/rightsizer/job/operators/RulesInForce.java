package io.rightsizer.job.operators;

import io.rightsizer.job.config.JobConfig;
import io.rightsizer.job.config.RightsizerOptions;
import io.rightsizer.kafka.TopicReader;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.rules.RuleSet;
import io.rightsizer.rules.RuleSetException;
import io.rightsizer.rules.RuleUpdates;
import io.rightsizer.rules.format.RuleSetParser;
import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import io.rightsizer.telemetry.RuleEnvelopes;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule set one parallel instance of a rules operator judges with: the configured one until an
 * update is accepted, then the latest accepted update, which is kept in broadcast state (so it is
 * in every checkpoint and savepoint) and parsed again after a restore.
 *
 * <p>Every instance sees every update in the same order and decides it with the same pure {@link
 * RuleUpdates#decide}, so all instances always agree on the rule set in force.
 */
public final class RulesInForce<E> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RulesInForce.class);

    /** The broadcast state's only key. */
    static final String KEY = "in-force";

    /** Builds what judges with a rule set (an evaluator). */
    interface Factory<E> extends Serializable {
        E create(RuleSet rules);
    }

    private final RuleSet configured;
    private final Factory<E> factory;
    private transient RuleSet current;
    private transient RuleSet evaluatorRules;
    private transient E evaluator;

    /** Set when a restore found the configured rule set newer than the restored one. */
    private transient RuleSetStatus restoreNotice;

    RulesInForce(RuleSet configured, Factory<E> factory) {
        this.configured = configured;
        this.factory = factory;
    }

    /** Reads the broadcast state; called only until the rule set in force is known. */
    interface StateAccess {
        ReadOnlyBroadcastState<String, RuleUpdate> get() throws Exception;
    }

    /**
     * The evaluator of the rule set in force, built again only when that changes. The broadcast
     * state is read only on first use after a (re)start: afterwards only {@link #decide} changes
     * it, and that keeps {@code current} in step, so the per-record path skips the lookup.
     */
    E evaluator(StateAccess state) throws Exception {
        RuleSet inForce = current != null ? current : get(state.get());
        if (evaluator == null || evaluatorRules != inForce) {
            evaluator = factory.create(inForce);
            evaluatorRules = inForce;
        }
        return evaluator;
    }

    /** The rule set in force; after a restore, read from the broadcast state on first use. */
    RuleSet get(ReadOnlyBroadcastState<String, RuleUpdate> state) throws Exception {
        if (current == null) {
            RuleSet restored = restored(state.get(KEY));
            current = RuleUpdates.onRestore(configured, restored);
            if (restored != null && current == configured) {
                restoreNotice =
                        RuleSetStatus.newBuilder()
                                .setOutcome(RuleUpdateOutcome.ACCEPTED)
                                .setVersion(configured.version())
                                .setAuthor("configuration (rules.file)")
                                .setReason(
                                        "on restore, the configured rule set "
                                                + configured.version()
                                                + " is newer than the restored "
                                                + restored.version())
                                .setPreviousVersion(restored.version())
                                .setInForceVersion(configured.version())
                                .setDecidedAt(Instant.now())
                                .build();
            }
        }
        return current;
    }

    /**
     * The version of the rule set in force as far as this instance knows: the configured one until
     * the broadcast state has been read after a restore.
     */
    String version() {
        return current != null ? current.version() : configured.version();
    }

    /**
     * Once after a restore that put the configured rule set in force over the restored one: that
     * change, for the audit trail; otherwise null.
     */
    RuleSetStatus takeRestoreNotice() {
        RuleSetStatus n = restoreNotice;
        restoreNotice = null;
        return n;
    }

    private RuleSet restored(RuleUpdate stored) {
        if (stored == null) {
            return null;
        }
        try {
            return RuleSetParser.parse(stored.document, "rule set " + stored.version);
        } catch (RuleSetException e) {
            // Possible only if this version's validation is stricter than the one that accepted
            // it; judging with the configured rules beats not judging at all.
            LOG.error(
                    "The rule set {} restored from state no longer validates; using the configured"
                            + " rule set {} instead:\n{}",
                    stored.version,
                    configured.version(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * Tests only, never set in production: runs before each decision, so a test can make one fail
     * as a bug nobody foresaw would (docs/failures.md).
     */
    transient Consumer<RuleUpdate> beforeDecide;

    /**
     * Decides an update; an accepted one is put in force and into the broadcast state. Changes
     * nothing until the decision and its status are complete, so one that fails leaves the rule set
     * in force as it was.
     */
    RuleSetStatus decide(BroadcastState<String, RuleUpdate> state, RuleUpdate u, long now)
            throws Exception {
        if (beforeDecide != null) {
            beforeDecide.accept(u);
        }
        RuleSet before = get(state);
        RuleUpdates.Decision d =
                u.error != null
                        ? new RuleUpdates.Decision(
                                false, before, "the record could not be decoded: " + u.error)
                        : RuleUpdates.decide(before, u.version, u.document, u.sha256);
        RuleSetStatus status =
                RuleSetStatus.newBuilder()
                        .setOutcome(
                                d.accepted()
                                        ? RuleUpdateOutcome.ACCEPTED
                                        : RuleUpdateOutcome.REJECTED)
                        .setVersion(u.version)
                        .setAuthor(u.author)
                        .setPublishedAt(
                                u.error != null ? null : Instant.ofEpochMilli(u.publishedAt))
                        .setSha256(u.sha256)
                        .setReason(d.reason())
                        .setPreviousVersion(before.version())
                        .setInForceVersion(d.inForce().version())
                        .setDecidedAt(Instant.ofEpochMilli(now))
                        .setSourcePartition(u.sourcePartition >= 0 ? u.sourcePartition : null)
                        .setSourceOffset(u.sourceOffset >= 0 ? u.sourceOffset : null)
                        .build();
        if (d.accepted()) {
            state.put(KEY, u);
            current = d.inForce();
        }
        return status;
    }

    /**
     * The rule set a running job would have in force now: the configured one, then every update on
     * the rules topic decided in order exactly as the job decides them. The configured one when the
     * topic does not exist.
     */
    public static RuleSet atStart(JobConfig cfg, String bootstrap, RuleSet configured) {
        String topic = cfg.get(RightsizerOptions.RULES_TOPIC);
        Properties p = TopicReader.properties(bootstrap);
        p.putAll(cfg.kafkaProperties());
        List<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = TopicReader.readRecordsToEnd(p, topic, Duration.ofSeconds(60));
        } catch (UnknownTopicOrPartitionException e) {
            return configured;
        }
        RuleSet inForce = configured;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            try {
                RuleSetEnvelope e = RuleEnvelopes.decodeEnvelope(r.value(), r.headers());
                inForce =
                        RuleUpdates.decide(inForce, e.getVersion(), e.getDocument(), e.getSha256())
                                .inForce();
            } catch (IllegalArgumentException ex) {
                // Rejected by the running job as well.
            }
        }
        LOG.info("bounded run: judging with rule set {} (in force at start)", inForce.version());
        return inForce;
    }
}
