package io.rightsizer.job;

import io.rightsizer.job.operators.RecordFailures;
import io.rightsizer.job.state.SystemStateSerializer;
import io.rightsizer.job.state.VmInventorySerializer;
import io.rightsizer.job.state.VmStateSerializer;
import io.rightsizer.job.state.VmWakeUpSerializer;
import io.rightsizer.model.BusinessReport;
import io.rightsizer.model.LifecycleInput;
import io.rightsizer.model.Rejected;
import io.rightsizer.model.RoutedId;
import io.rightsizer.model.RuleUpdate;
import io.rightsizer.model.Sample;
import io.rightsizer.rules.HourSummary;
import io.rightsizer.rules.LifecycleEntry;
import io.rightsizer.rules.SystemState;
import io.rightsizer.rules.VmInventory;
import io.rightsizer.rules.VmState;
import io.rightsizer.rules.WeekSummary;
import io.rightsizer.schema.DataQualityEvent;
import io.rightsizer.schema.Decision;
import io.rightsizer.schema.RecommendationEvent;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.TimeLimitNotice;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/** The side outputs and state descriptors of the pipeline, in one place. */
public final class Tags {
    private Tags() {}

    /** Records that failed decoding or validation at the source. */
    public static final OutputTag<Rejected> REJECTED =
            new OutputTag<>("rejected", TypeInformation.of(Rejected.class));

    /** Samples that arrived at or behind the watermark. */
    public static final OutputTag<Rejected> LATE =
            new OutputTag<>("late", TypeInformation.of(Rejected.class));

    /**
     * Records whose processing failed for a reason nobody foresaw (reason FAILED), from every
     * operator after the sources; see {@link RecordFailures}.
     */
    public static final OutputTag<Rejected> FAILED =
            new OutputTag<>("failed", TypeInformation.of(Rejected.class));

    /** Evaluated samples that carry businessRecords, for the system-level rule. */
    public static final OutputTag<BusinessReport> BUSINESS =
            new OutputTag<>("business-reports", TypeInformation.of(BusinessReport.class));

    /** The decision on every rule-set update, for the rules status topic. */
    public static final OutputTag<RuleSetStatus> RULE_STATUS =
            new OutputTag<>("rule-status", TypeInformation.of(RuleSetStatus.class));

    /**
     * Broadcast state of the rules operators: the accepted rule-set update in force, under {@link
     * RulesInForce#KEY}. Its name is part of the savepoint format.
     */
    public static final MapStateDescriptor<String, RuleUpdate> RULES =
            new MapStateDescriptor<>(
                    "rules-in-force", Types.STRING, TypeInformation.of(RuleUpdate.class));

    /**
     * vm-rules: a VM's rules' state as versions before it was part of {@link #vmWakeUp()} kept it
     * (0.1.0, 0.2.0 and the 0.3.0 snapshot builds); read only to move it there. Its name is part of
     * the savepoint format.
     */
    public static ValueStateDescriptor<VmState> vmState() {
        return new ValueStateDescriptor<>("vm", VmStateSerializer.INSTANCE);
    }

    /**
     * A VM's samples accepted ahead of the watermark after the first, in arrival order (vm-rules
     * appends them without reading anything).
     */
    public static ListStateDescriptor<Sample> vmPending() {
        return new ListStateDescriptor<>("vm-pending", TypeInformation.of(Sample.class));
    }

    /**
     * vm-rules' record of a VM ({@link VmWakeUp}): its bookkeeping (its one event-time timer, its
     * tracking, its first buffered sample) and its rules' state. Its name is part of the savepoint
     * format.
     */
    public static ValueStateDescriptor<VmWakeUp> vmWakeUp() {
        return new ValueStateDescriptor<>("vm-wakeup", VmWakeUpSerializer.INSTANCE);
    }

    public static ValueStateDescriptor<SystemState> systemState() {
        return new ValueStateDescriptor<>("system", SystemStateSerializer.INSTANCE);
    }

    /** Time-limit notices of temporary allocations (Articles 22 and 24), from vm-rules. */
    public static final OutputTag<TimeLimitNotice> NOTICES =
            new OutputTag<>("time-limit-notices", TypeInformation.of(TimeLimitNotice.class));

    /** vm-rules: the VM's latest inventory record. Its name is part of the savepoint format. */
    public static ValueStateDescriptor<VmInventory> vmInventory() {
        return new ValueStateDescriptor<>("vm-inventory", VmInventorySerializer.INSTANCE);
    }

    // ---------------------------------------------------------------- approval lifecycle

    /** The approval audit trail, for rightsizing-recommendation-events. */
    public static final OutputTag<RecommendationEvent> LIFECYCLE_EVENTS =
            new OutputTag<>("lifecycle-events", TypeInformation.of(RecommendationEvent.class));

    /** Lifecycle operator, per subject: the entry of each rule, by ruleId. */
    public static MapStateDescriptor<String, LifecycleEntry> lifecycleEntries() {
        return new MapStateDescriptor<>(
                "lifecycle-entries", Types.STRING, TypeInformation.of(LifecycleEntry.class));
    }

    /** Decision router, per recommendation id: its subject and rule. */
    public static ValueStateDescriptor<RoutedId> routedId() {
        return new ValueStateDescriptor<>("routed-id", TypeInformation.of(RoutedId.class));
    }

    /** Decision router, per recommendation id: decisions that arrived before the firing. */
    public static ListStateDescriptor<Decision> heldDecisions() {
        return new ListStateDescriptor<>("held-decisions", TypeInformation.of(Decision.class));
    }

    /** Lifecycle operator, per subject: inputs waiting for the watermark to reach them. */
    public static ListStateDescriptor<LifecycleInput> pendingLifecycleInputs() {
        return new ListStateDescriptor<>(
                "lifecycle-pending", TypeInformation.of(LifecycleInput.class));
    }

    /** The deadman's events (vm-rules, with a data-quality watch). */
    public static final OutputTag<DataQualityEvent> DATA_QUALITY =
            new OutputTag<>("data-quality", TypeInformation.of(DataQualityEvent.class));

    /** Each VM's closed clock hours: the utilization history (vm-rules, with history on). */
    public static final OutputTag<HourSummary> HOURLY =
            new OutputTag<>("hourly-usage", TypeInformation.of(HourSummary.class));

    /** Each VM's closed weeks, judged or not (vm-rules, with history on). */
    public static final OutputTag<WeekSummary> WEEKLY =
            new OutputTag<>("weekly-usage", TypeInformation.of(WeekSummary.class));

    // ---------------------------------------------------------------- collectors

    /** assemble-collected, per VM: the allocation's ids and memory, from the inventory. */
    public static ValueStateDescriptor<io.rightsizer.ingest.IntervalAssembly.Allocation>
            collectedAllocation() {
        return new ValueStateDescriptor<>(
                "collected-allocation",
                TypeInformation.of(io.rightsizer.ingest.IntervalAssembly.Allocation.class));
    }

    /** assemble-collected, per VM: the readings of each open or held interval, by its end. */
    public static MapStateDescriptor<Long, io.rightsizer.ingest.IntervalAssembly.Bucket>
            collectedBuckets() {
        return new MapStateDescriptor<>(
                "collected-intervals",
                Types.LONG,
                TypeInformation.of(io.rightsizer.ingest.IntervalAssembly.Bucket.class));
    }
}
