package io.rightsizer.rules;

import io.rightsizer.schema.Action;
import io.rightsizer.schema.Resource;
import java.util.List;
import java.util.Optional;

/**
 * The utilization rules of Article 26, with the ids used in rule files and recommendations: the six
 * rules of 26(1) and 26(2), and the two emergency expansions the provider may make with consent.
 */
public enum Rule {
    WEEKLY_AVERAGE(
            "scale-up.memory.weekly-average",
            "Article 26(1)1",
            Action.SCALE_UP,
            Resource.MEMORY,
            "enabled",
            "average-above-pct",
            "min-covered-hours"),
    HOURLY_PEAKS(
            "scale-up.memory.hourly-peaks",
            "Article 26(1)2",
            Action.SCALE_UP,
            Resource.MEMORY,
            "enabled",
            "peak-above-pct",
            "min-peaks",
            "span",
            "cooldown"),
    STORAGE_USAGE(
            "scale-up.storage.usage",
            "Article 26(1)3",
            Action.SCALE_UP,
            Resource.STORAGE,
            "enabled",
            "usage-above-pct",
            "cooldown"),
    WEEKLY_UNDERUSE(
            "reduce.memory.weekly-underuse",
            "Article 26(2)1",
            Action.SCALE_DOWN,
            Resource.MEMORY,
            "enabled",
            "average-at-most-pct",
            "peak-at-most-pct",
            "min-covered-hours"),
    VM_INACTIVE(
            "reduce.vm.inactive",
            "Article 26(2)2",
            Action.RECLAIM,
            Resource.VM,
            "enabled",
            "idle-cpu-at-most-pct",
            "months"),
    NO_BUSINESS_DATA(
            "reduce.system.no-business-data",
            "Article 26(2)3",
            Action.RECLAIM,
            Resource.SYSTEM,
            "enabled",
            "months"),
    // Appended, not inserted: the ordinals of the six rules above stay what they were.
    MEMORY_EMERGENCY(
            "scale-up.memory.emergency",
            "Article 26 (emergency expansion)",
            Action.SCALE_UP,
            Resource.MEMORY,
            "enabled",
            "usage-at-least-pct",
            "for",
            "max-gap",
            "cooldown"),
    STORAGE_EMERGENCY(
            "scale-up.storage.emergency",
            "Article 26 (emergency expansion)",
            Action.SCALE_UP,
            Resource.STORAGE,
            "enabled",
            "usage-at-least-pct",
            "cooldown");

    private final String id;
    private final String regulation;
    private final Action action;
    private final Resource resource;
    private final List<String> params;

    Rule(String id, String regulation, Action action, Resource resource, String... params) {
        this.id = id;
        this.regulation = regulation;
        this.action = action;
        this.resource = resource;
        this.params = List.of(params);
    }

    /** The parameter keys of the rule in a rule file. */
    public List<String> params() {
        return params;
    }

    public String id() {
        return id;
    }

    public String regulation() {
        return regulation;
    }

    public Action action() {
        return action;
    }

    public Resource resource() {
        return resource;
    }

    /** An emergency expansion: highest priority, and it needs the agency's and unit's consent. */
    public boolean emergency() {
        return this == MEMORY_EMERGENCY || this == STORAGE_EMERGENCY;
    }

    public static Optional<Rule> byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
