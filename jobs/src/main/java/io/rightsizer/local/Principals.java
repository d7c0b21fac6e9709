package io.rightsizer.local;

import io.rightsizer.ingest.CollectdOptions;
import io.rightsizer.ingest.TelegrafOptions;
import io.rightsizer.job.config.DefaultTopics;
import io.rightsizer.job.config.RightsizerOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the secured local broker: least privilege, on the default topic names. Whoever
 * writes the rules topic changes when every VM is scaled, whoever writes the decisions approves
 * resizes: only ops and the data center may, and only that. docs/security.md shows this table.
 */
public enum Principals {
    /**
     * The job: reads telemetry, the collectors' topics, the inventory, the decisions and the rules;
     * writes its outputs; its consumer groups and transactional ids (prefixed by the defaults of
     * kafka.group-id and kafka.transactional-id-prefix).
     */
    JOB(
            "job",
            topics(
                    AclOperation.READ,
                    DefaultTopics.METRICS,
                    CollectdOptions.DEFAULT_TOPIC,
                    TelegrafOptions.DEFAULT_TOPIC,
                    DefaultTopics.INVENTORY,
                    DefaultTopics.DECISIONS,
                    DefaultTopics.RULES),
            topics(
                    AclOperation.WRITE,
                    DefaultTopics.RECOMMENDATIONS,
                    DefaultTopics.DEAD_LETTERS,
                    DefaultTopics.RECOMMENDATION_EVENTS,
                    DefaultTopics.NOTICES,
                    DefaultTopics.RULES_STATUS,
                    DefaultTopics.DATA_QUALITY),
            List.of(
                    new Grant(
                            ResourceType.GROUP,
                            RightsizerOptions.GROUP_ID.defaultValue(),
                            PatternType.PREFIXED,
                            AclOperation.READ),
                    new Grant(
                            ResourceType.TRANSACTIONAL_ID,
                            RightsizerOptions.TRANSACTIONAL_ID_PREFIX.defaultValue(),
                            PatternType.PREFIXED,
                            AclOperation.WRITE))),
    /**
     * Ops ({@code rules publish}, {@code rules status}): writes the rules topic and reads it (a
     * version already published is not sent again), reads the job's decisions on it.
     */
    OPS(
            "ops",
            topics(AclOperation.WRITE, DefaultTopics.RULES),
            topics(AclOperation.READ, DefaultTopics.RULES, DefaultTopics.RULES_STATUS),
            List.of()),
    /** The data center ({@code decide}, {@code tail}, {@code verify}). */
    DATACENTER(
            "datacenter",
            topics(AclOperation.WRITE, DefaultTopics.DECISIONS),
            topics(
                    AclOperation.READ,
                    DefaultTopics.RECOMMENDATIONS,
                    DefaultTopics.RECOMMENDATION_EVENTS,
                    DefaultTopics.NOTICES),
            List.of()),
    /**
     * The cloud service provider's producers ({@code simulate --to-kafka}, {@code ingest}, {@code
     * inventory publish}, collectd, Telegraf): write telemetry and the inventory; read the
     * inventory, which {@code ingest prometheus} follows.
     */
    PROVIDER(
            "provider",
            topics(
                    AclOperation.WRITE,
                    DefaultTopics.METRICS,
                    CollectdOptions.DEFAULT_TOPIC,
                    TelegrafOptions.DEFAULT_TOPIC,
                    DefaultTopics.INVENTORY),
            topics(AclOperation.READ, DefaultTopics.INVENTORY),
            List.of());

    /** One permission on one resource (or every resource whose name starts so). */
    public record Grant(
            ResourceType type, String name, PatternType pattern, AclOperation operation) {}

    private final String user;
    private final List<Grant> grants;

    Principals(String user, List<Grant> a, List<Grant> b, List<Grant> c) {
        this.user = user;
        List<Grant> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        this.grants = List.copyOf(all);
    }

    /** The SCRAM user name; the principal is {@code User:<name>}. */
    public String user() {
        return user;
    }

    public String principal() {
        return "User:" + user;
    }

    public List<Grant> grants() {
        return grants;
    }

    /** The ACL bindings of {@link #grants()}, from any host. */
    public List<AclBinding> bindings() {
        return grants.stream()
                .map(
                        g ->
                                new AclBinding(
                                        new ResourcePattern(g.type(), g.name(), g.pattern()),
                                        new AccessControlEntry(
                                                principal(),
                                                "*",
                                                g.operation(),
                                                AclPermissionType.ALLOW)))
                .toList();
    }

    private static List<Grant> topics(AclOperation operation, String... names) {
        List<Grant> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Grant(ResourceType.TOPIC, n, PatternType.LITERAL, operation));
        }
        return out;
    }
}
